/**
 * A PDF page's text items (pdf.js `getTextContent`) laid out as a reader sees them: runs of
 * text grouped into rows by baseline, rows cut into segments at wide gaps, and — once the
 * running headers are known — segments ordered into lines in reading order, with two
 * columns read one after the other. Pure geometry: no pdf.js here, so it is tested on
 * numbers.
 */

/** The part of a pdf.js TextItem this module reads. */
export interface PdfTextItem {
  str: string;
  fontName?: string;
  /** Text space to page space: `[a, b, c, d, e, f]`, baseline origin at `(e, f)`. */
  transform: number[];
  width: number;
  height: number;
}

/** A stretch of text on one baseline, in the page's reading direction. */
interface Run {
  text: string;
  mono: boolean;
  x0: number;
  x1: number;
  y: number;
  size: number;
}

/** Text on one baseline with no wide gap inside it. */
export interface Segment {
  text: string;
  x0: number;
  x1: number;
  /** Font size, weighted by characters. */
  size: number;
  /** Width of the segment's first word, for "would it have fitted on the line above?". */
  firstWordWidth: number;
  /** Letters and digits set in a monospaced font (dot leaders often are, in any document). */
  monoChars: number;
}

/** Everything on one baseline of a page (across columns too), left to right. */
export interface Row {
  y: number;
  size: number;
  segments: Segment[];
}

/** A page as rows, with its edges in the same coordinates (y grows upwards). */
export interface PageRows {
  /** 0-based page index. */
  page: number;
  rows: Row[];
  top: number;
  bottom: number;
  /** Characters in text set at an angle other than the page's own (left out). */
  angledChars: number;
}

/** A line of text in reading order, as the paragraph builder reads it. */
export interface PdfLine {
  page: number;
  text: string;
  x0: number;
  x1: number;
  y: number;
  size: number;
  firstWordWidth: number;
  /** Which column of its page: 0 (or the only one), 1 (right), or -1 spanning both. */
  column: number;
  /** Left and right edges of the text in the line's column on its page. */
  columnLeft: number;
  columnRight: number;
  /** Lines of body text in that column on that page (few lines make the edges unreliable). */
  columnLines: number;
  /** Set (mostly) in a monospaced font: code, a terminal session; null for a line without letters or digits ("{", "..."). */
  mono: boolean | null;
}

/** Baselines closer than this share a row (in font sizes: superscripts and small shifts stay on the line). */
const ROW_TOLERANCE_EM = 0.5;
/** A horizontal gap wider than this (in font sizes) cuts a row into segments: a column gutter or a tab stop. */
const SEGMENT_GAP_EM = 1.0;
/** A gap wider than this (in font sizes) between runs is a space between words (pdf.js uses about 0.1 too). */
const SPACE_GAP_EM = 0.1;
/** Runs on either side of a run (in x order) checked for being printed over it. */
const OVERPRINT_NEIGHBOURS = 3;
/** A line with at least this share of its characters in a monospaced font is code. */
const MONO_SHARE = 0.8;
/** Text turned less than this from a multiple of 90° reads as upright (or as a quarter-turned page). */
const ANGLE_TOLERANCE_RAD = 0.05;
/** A gutter must be at least this wide, in body font sizes. */
const GUTTER_MIN_EM = 0.8;
/** Share of rows that may cross a gutter (full-width titles, figure captions). */
const GUTTER_MAX_CROSSING_SHARE = 0.1;
/** Each column must hold at least this share of the page's rows… */
const COLUMN_MIN_ROW_SHARE = 0.25;
/** …and its lines must typically fill this share of the column's width (else it is a table). */
const COLUMN_MIN_FILL = 0.6;

/**
 * The rows of one page from its text items. Text set at the page's dominant angle is
 * kept (a page of quarter-turned text is read turned back); text at other angles —
 * margin stamps, rotated labels — is counted and left out.
 */
export function layOutRows(page: number, items: readonly PdfTextItem[], view: readonly number[], monoFonts: ReadonlySet<string> = new Set()): PageRows {
  const byAngle = new Map<number, { items: PdfTextItem[]; chars: number }>();
  let angledChars = 0;
  for (const item of items) {
    if (item.str === '' || item.transform.length < 6) continue;
    const quarter = quarterTurnsOf(item.transform);
    const chars = item.str.replace(/\s/g, '').length;
    if (quarter === null) {
      angledChars += chars;
      continue;
    }
    const group = byAngle.get(quarter) ?? { items: [], chars: 0 };
    group.items.push(item);
    group.chars += chars;
    byAngle.set(quarter, group);
  }
  let quarter = 0;
  let best = -1;
  for (const [turns, group] of byAngle) {
    if (group.chars > best) {
      best = group.chars;
      quarter = turns;
    }
  }
  for (const [turns, group] of byAngle) if (turns !== quarter) angledChars += group.chars;
  const [cos, sin] = QUARTER_TURNS[quarter]!;
  const turn = (x: number, y: number): [number, number] => [x * cos + y * sin, -x * sin + y * cos];
  const corners = [turn(view[0]!, view[1]!), turn(view[2]!, view[3]!), turn(view[0]!, view[3]!), turn(view[2]!, view[1]!)];
  const runs: Run[] = [];
  for (const item of byAngle.get(quarter)?.items ?? []) {
    const [a, b, c, d, e, f] = item.transform as [number, number, number, number, number, number];
    const size = Math.hypot(c, d) || Math.hypot(a, b) || item.height || 1;
    const [x, y] = turn(e, f);
    runs.push({ text: item.str, mono: monoFonts.has(item.fontName ?? ''), x0: x, x1: x + Math.max(0, item.width), y, size });
  }
  return {
    page,
    rows: groupRows(runs),
    top: Math.max(...corners.map(([, y]) => y)),
    bottom: Math.min(...corners.map(([, y]) => y)),
    angledChars,
  };
}

const QUARTER_TURNS: readonly [number, number][] = [
  [1, 0],
  [0, 1],
  [-1, 0],
  [0, -1],
];

/** 0–3 quarter turns of the text's baseline, or null for text at another angle (or mirrored). */
function quarterTurnsOf(transform: readonly number[]): number | null {
  const [a, b, c, d] = transform as [number, number, number, number];
  const angle = Math.atan2(b, a);
  const turns = Math.round(angle / (Math.PI / 2));
  if (Math.abs(angle - turns * (Math.PI / 2)) > ANGLE_TOLERANCE_RAD) return null;
  // Mirrored text (the glyphs' up vector pointing down) is not read.
  if (a * d - b * c <= 0) return null;
  return ((turns % 4) + 4) % 4;
}

function groupRows(runs: Run[]): Row[] {
  runs.sort((p, q) => q.y - p.y || p.x0 - q.x0);
  const groups: { y: number; weight: number; size: number; runs: Run[] }[] = [];
  for (const run of runs) {
    const current = groups.at(-1);
    const weight = run.text.trim().length;
    if (current && Math.abs(run.y - current.y) <= ROW_TOLERANCE_EM * Math.max(run.size, current.size)) {
      current.runs.push(run);
      // The row's baseline is its bulk's, not a superscript's that happened to come first.
      if (weight > current.weight) {
        current.y = run.y;
        current.size = run.size;
        current.weight = weight;
      }
    } else {
      groups.push({ y: run.y, weight, size: run.size, runs: [run] });
    }
  }
  const rows: Row[] = [];
  for (const group of groups) {
    const segments = cutSegments(dropOverprints(group.runs.sort((p, q) => p.x0 - q.x0)));
    if (segments.length > 0) rows.push({ y: group.y, size: group.size, segments });
  }
  return rows;
}

/**
 * Runs printed over others: a glyph drawn inside another's box (TeX builds © from a
 * circle and a "c") and text printed twice at almost the same place (poor man's bold).
 */
function dropOverprints(runs: Run[]): Run[] {
  return runs.filter((run, i) => {
    const text = run.text.trim();
    if (text === '') return true;
    // Runs are sorted by x: whatever is printed over this one is among its near neighbours.
    for (let j = Math.max(0, i - OVERPRINT_NEIGHBOURS); j < Math.min(runs.length, i + OVERPRINT_NEIGHBOURS + 1); j++) {
      if (j === i) continue;
      const other = runs[j]!;
      const otherText = other.text.trim();
      if (otherText === '') continue;
      if (otherText === text && Math.abs(other.x0 - run.x0) < 0.1 * run.size && j < i) return false;
      const inside = run.x0 >= other.x0 - 0.5 && run.x1 <= other.x1 + 0.5 && other.x1 - other.x0 > run.x1 - run.x0;
      if (inside && text.length <= 2 && otherText.length <= 2) return false;
    }
    return true;
  });
}

function cutSegments(runs: Run[]): Segment[] {
  const segments: Segment[] = [];
  let parts: Run[] = [];
  let right = -Infinity;
  const flush = (): void => {
    const segment = joinRuns(parts);
    if (segment) segments.push(segment);
    parts = [];
    right = -Infinity;
  };
  for (const run of runs) {
    const blank = run.text.trim() === '';
    // White-space runs (pdf.js's own spaces) never open a segment nor bridge a gutter.
    if (!blank && parts.length > 0 && run.x0 - right > SEGMENT_GAP_EM * run.size) flush();
    if (blank && parts.length === 0) continue;
    parts.push(run);
    if (!blank) right = Math.max(right, run.x1);
  }
  flush();
  return segments;
}

/** Runs of one segment as text, with a space wherever the gap between words is one. */
function joinRuns(runs: readonly Run[]): Segment | null {
  const visible = runs.filter((run) => run.text.trim() !== '');
  if (visible.length === 0) return null;
  let text = '';
  let right = -Infinity;
  let sizeWeight = 0;
  let sizeSum = 0;
  let monoChars = 0;
  for (const run of runs) {
    const blank = run.text.trim() === '';
    if (blank) {
      text += ' ';
      continue;
    }
    if (text !== '' && run.x0 - right > SPACE_GAP_EM * run.size) text += ' ';
    text += run.text;
    right = Math.max(right, run.x1);
    const weight = run.text.length;
    sizeSum += run.size * weight;
    sizeWeight += weight;
    if (run.mono) monoChars += countWordChars(run.text);
  }
  const folded = text.replace(/\s+/g, ' ').trim();
  const first = visible[0]!;
  const firstWord = /^\S+/.exec(first.text.trimStart())?.[0] ?? '';
  const firstWordWidth = first.text.length > 0 ? ((first.x1 - first.x0) * firstWord.length) / first.text.length : 0;
  return { text: folded, x0: first.x0, x1: right, size: sizeSum / sizeWeight, firstWordWidth, monoChars };
}

function countWordChars(text: string): number {
  return text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
}

/** A row's words as one string (segments separated by a space). */
export function rowText(row: Row): string {
  return row.segments.map((segment) => segment.text).join(' ');
}

/**
 * The lines of one page in reading order, from its body rows (furniture already taken
 * out). Two columns (a gutter most rows respect, with well-filled text on both sides) are
 * read left then right, between rows that span the page; otherwise each row is a line.
 */
export function orderLines(page: number, rows: readonly Row[], bodySize: number): PdfLine[] {
  if (rows.length === 0) return [];
  const gutter = findGutter(rows, bodySize);
  const lines: PdfLine[] = [];
  if (!gutter) {
    for (const row of rows) lines.push(lineOf(page, row, row.segments, 0));
    return withColumnEdges(lines, bodySize);
  }
  let left: PdfLine[] = [];
  let right: PdfLine[] = [];
  const flush = (): void => {
    lines.push(...left, ...right);
    left = [];
    right = [];
  };
  for (const row of rows) {
    if (row.segments.some((segment) => segment.x0 < gutter.from && segment.x1 > gutter.to)) {
      flush();
      lines.push(lineOf(page, row, row.segments, -1));
      continue;
    }
    const leftSegments = row.segments.filter((segment) => segment.x1 <= gutter.to);
    const rightSegments = row.segments.filter((segment) => segment.x1 > gutter.to);
    if (leftSegments.length > 0) left.push(lineOf(page, row, leftSegments, 0));
    if (rightSegments.length > 0) right.push(lineOf(page, row, rightSegments, 1));
  }
  flush();
  return withColumnEdges(lines, bodySize);
}

function lineOf(page: number, row: Row, segments: readonly Segment[], column: number): PdfLine {
  const first = segments[0]!;
  const last = segments.at(-1)!;
  let weight = 0;
  let sum = 0;
  let monoChars = 0;
  let wordChars = 0;
  for (const segment of segments) {
    sum += segment.size * segment.text.length;
    weight += segment.text.length;
    monoChars += segment.monoChars;
    wordChars += countWordChars(segment.text);
  }
  return {
    page,
    text: segments.map((segment) => segment.text).join(' '),
    x0: first.x0,
    x1: last.x1,
    y: row.y,
    size: weight > 0 ? sum / weight : row.size,
    firstWordWidth: first.firstWordWidth,
    column,
    columnLeft: first.x0,
    columnRight: last.x1,
    columnLines: 1,
    mono: wordChars === 0 ? null : monoChars >= MONO_SHARE * wordChars,
  };
}

/**
 * Each line's column edges on its page: the left edge where most body lines start, the
 * right edge where most end (justified text) or near the longest (ragged text).
 */
function withColumnEdges(lines: PdfLine[], bodySize: number): PdfLine[] {
  for (const column of [-1, 0, 1]) {
    const members = lines.filter((line) => line.column === column);
    if (members.length === 0) continue;
    const body = members.filter((line) => Math.abs(line.size - bodySize) <= 0.15 * bodySize);
    const basis = body.length > 0 ? body : members;
    const lefts = basis.map((line) => line.x0).sort((p, q) => p - q);
    const rights = basis.map((line) => line.x1).sort((p, q) => p - q);
    const left = lefts[Math.floor((lefts.length - 1) * 0.1)]!;
    const right = rights[Math.ceil((rights.length - 1) * 0.85)]!;
    for (const line of members) {
      line.columnLeft = left;
      line.columnRight = right;
      line.columnLines = basis.length;
    }
  }
  return lines;
}

/** A vertical band most rows leave empty, with enough well-filled text on both sides. */
function findGutter(rows: readonly Row[], bodySize: number): { from: number; to: number } | null {
  if (rows.length < 6) return null;
  let textLeft = Infinity;
  let textRight = -Infinity;
  for (const row of rows) {
    for (const segment of row.segments) {
      textLeft = Math.min(textLeft, segment.x0);
      textRight = Math.max(textRight, segment.x1);
    }
  }
  const width = textRight - textLeft;
  if (width < 10 * bodySize) return null;
  const from = Math.floor(textLeft + width * 0.25);
  const to = Math.ceil(textRight - width * 0.25);
  const crossing = new Array<number>(to - from + 1).fill(0);
  for (const row of rows) {
    for (const segment of row.segments) {
      for (let x = Math.max(from, Math.ceil(segment.x0)); x <= Math.min(to, Math.floor(segment.x1)); x++) crossing[x - from]!++;
    }
  }
  const allowed = Math.floor(rows.length * GUTTER_MAX_CROSSING_SHARE);
  // The widest stretch of x that at most `allowed` rows cross.
  let best: { from: number; to: number } | null = null;
  let start = -1;
  for (let i = 0; i <= crossing.length; i++) {
    const open = i < crossing.length && crossing[i]! <= allowed;
    if (open && start < 0) start = i;
    if (!open && start >= 0) {
      if (!best || i - 1 - start > best.to - best.from) best = { from: from + start, to: from + i - 1 };
      start = -1;
    }
  }
  if (!best || best.to - best.from < GUTTER_MIN_EM * bodySize) return null;
  const leftWidths: number[] = [];
  const rightWidths: number[] = [];
  for (const row of rows) {
    for (const segment of row.segments) {
      if (segment.x1 <= best.from + 1) leftWidths.push(segment.x1 - segment.x0);
      else if (segment.x0 >= best.to - 1) rightWidths.push(segment.x1 - segment.x0);
    }
  }
  const minRows = rows.length * COLUMN_MIN_ROW_SHARE;
  if (leftWidths.length < Math.max(3, minRows) || rightWidths.length < Math.max(3, minRows)) return null;
  if (median(leftWidths) < COLUMN_MIN_FILL * (best.from - textLeft) || median(rightWidths) < COLUMN_MIN_FILL * (textRight - best.to)) return null;
  return best;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((p, q) => p - q);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
