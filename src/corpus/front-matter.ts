import { parse } from 'yaml';

/** Metadata a corpus file may declare in YAML front matter. */
export interface FrontMatter {
  title: string | null;
  publication: string | null;
  date: string | null;
  url: string | null;
}

export interface ParsedFrontMatter {
  meta: FrontMatter;
  /** Offset of the first character after the closing `---` line (0 without front matter). */
  bodyStart: number;
  /** Set when a `---` block looked like front matter but was not a YAML mapping (it stays text). */
  warning?: string;
}

const KEYS = ['title', 'publication', 'date', 'url'] as const;
const OPENING_LINE = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSING_LINE = /^---[ \t]*(?:\r?\n|$)/m;

/**
 * Reads optional front matter: a first line `---`, a YAML mapping, a closing `---` line.
 * The mapping is parsed by the `yaml` package with its failsafe schema, so every value
 * stays the text as written (a date is not turned into a Date, `1.10` not into 1.1)
 * while comments, quoting and folded lines follow YAML. Keys other than title,
 * publication, date and url are ignored; key case does not matter. A block that is not
 * a YAML mapping is not front matter: it stays part of the text (bodyStart 0), so
 * nothing of the file is hidden. The text itself is never changed.
 */
export function parseFrontMatter(text: string): ParsedFrontMatter {
  const none: ParsedFrontMatter = { meta: { title: null, publication: null, date: null, url: null }, bodyStart: 0 };
  const opening = OPENING_LINE.exec(text);
  if (!opening) return none;
  const rest = text.slice(opening[0].length);
  const closing = CLOSING_LINE.exec(rest);
  if (!closing) return none;
  let parsed: unknown;
  try {
    parsed = parse(rest.slice(0, closing.index), { schema: 'failsafe' });
  } catch (error) {
    const problem = (error as Error).message.split('\n')[0]!.replace(/:$/, '');
    return { ...none, warning: `front matter is not valid YAML (${problem}); it was indexed as text` };
  }
  if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
    return { ...none, warning: 'front matter is not a YAML mapping of title, publication, date, url; it was indexed as text' };
  }
  const meta = { ...none.meta };
  for (const [key, value] of Object.entries(parsed ?? {})) {
    const name = key.toLowerCase();
    if ((KEYS as readonly string[]).includes(name) && typeof value === 'string') {
      meta[name as (typeof KEYS)[number]] = value.trim() || null;
    }
  }
  return { meta, bodyStart: opening[0].length + closing.index + closing[0].length };
}
