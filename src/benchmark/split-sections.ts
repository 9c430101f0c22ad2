/**
 * Splits a long piece of documentation into its sections, so that one manual becomes
 * many documents of the size a newsroom article or handbook chapter has. Used by the
 * benchmark's prose corpus; each format marks its sections its own way.
 */

/** How a source marks its sections. */
export type SourceFormat = 'markdown' | 'rst' | 'info' | 'man' | 'text';

export interface Section {
  /** The section's heading (or the node name of an info page). */
  heading: string;
  /** The section's text, heading line excluded, trimmed. */
  body: string;
}

/**
 * A section shorter than this is merged into the next one: a heading with one line under
 * it ("## Options" before "### --force") is not a document of its own. 400 characters is
 * about two sentences, the shortest section of the Node.js API docs that reads alone.
 */
const MIN_SECTION_CHARS = 400;
/**
 * A longer section is cut at paragraph boundaries into parts: the largest sections (a
 * changelog, an info node listing every option) run to 200 kB, where a document of the
 * kind people add (an article, a report chapter) is a few kB to a few tens of kB.
 */
const MAX_SECTION_CHARS = 24_000;

const MARKDOWN_HEADING = /^#{1,4}[ \t]+(.+?)[ \t#]*$/;
const FENCE = /^[ \t]*(```|~~~)/;
const UNDERLINE = /^([=\-~^"'`#*+])\1{2,}[ \t]*$/;
const MAN_SECTION = /^[A-Z][A-Z0-9 ,/&()\-]{1,40}$/;
const INFO_NODE = /Node:[ \t]*([^,\n]+)/;
const INFO_SEPARATOR = '\u001f';

/** The sections of `text`, in order, short ones merged forward and long ones cut. */
export function splitSections(text: string, format: SourceFormat): Section[] {
  const raw = format === 'info' ? splitInfoNodes(text) : splitAtHeadings(text.replace(/\r\n?/g, '\n').split('\n'), format);
  return cutLongSections(mergeShortSections(raw.filter((section) => section.body.trim() !== '')));
}

function splitInfoNodes(text: string): Section[] {
  const sections: Section[] = [];
  for (const node of text.split(INFO_SEPARATOR)) {
    const newline = node.indexOf('\n', 1);
    const header = node.slice(0, newline === -1 ? node.length : newline);
    const name = INFO_NODE.exec(header)?.[1]?.trim();
    // The tag table and indexes are lists of pointers, not prose.
    if (!name || /\bindex$/i.test(name) || node.startsWith('\nTag Table')) continue;
    sections.push({ heading: name, body: node.slice(newline + 1).trim() });
  }
  return sections;
}

function splitAtHeadings(lines: string[], format: Exclude<SourceFormat, 'info'>): Section[] {
  const sections: Section[] = [];
  let heading = '';
  let body: string[] = [];
  let fenced = false;
  const flush = (): void => {
    sections.push({ heading, body: body.join('\n').trim() });
    body = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (format === 'markdown' && FENCE.test(line)) fenced = !fenced;
    const next = lines[i + 1] ?? '';
    let found: string | null = null;
    if (!fenced) {
      if (format === 'markdown') found = MARKDOWN_HEADING.exec(line)?.[1] ?? null;
      if (format === 'man' && MAN_SECTION.test(line)) found = line.trim();
      if (found === null && format !== 'man' && isUnderlinedHeading(line, next)) {
        found = line.trim();
        i++;
      }
      if (found === null && format === 'text' && /^[A-Z][A-Z0-9 ,:'()\-]{3,60}$/.test(line)) found = line.trim();
    }
    if (found !== null) {
      flush();
      heading = found;
    } else {
      body.push(line);
    }
  }
  flush();
  return sections;
}

/** reStructuredText / setext: a line of text with a line of one repeated mark under it. */
function isUnderlinedHeading(line: string, next: string): boolean {
  const title = line.trim();
  return title.length > 0 && title.length <= 100 && !UNDERLINE.test(line) && UNDERLINE.test(next) && next.trim().length >= Math.min(title.length, 3);
}

function mergeShortSections(sections: Section[]): Section[] {
  const merged: Section[] = [];
  let pending: Section | null = null;
  for (const section of sections) {
    const current: Section = pending ? { heading: pending.heading || section.heading, body: joinBodies(pending, section) } : section;
    if (current.body.length < MIN_SECTION_CHARS) pending = current;
    else {
      merged.push(current);
      pending = null;
    }
  }
  if (pending) {
    const last = merged.pop();
    merged.push(last ? { heading: last.heading, body: `${last.body}\n\n${pending.body}` } : pending);
  }
  return merged;
}

function joinBodies(before: Section, after: Section): string {
  // The later heading stays in the text, as the line introducing its part.
  return after.heading && after.heading !== before.heading ? `${before.body}\n\n${after.heading}\n\n${after.body}` : `${before.body}\n\n${after.body}`;
}

function cutLongSections(sections: Section[]): Section[] {
  return sections.flatMap((section) => {
    if (section.body.length <= MAX_SECTION_CHARS) return [section];
    const parts: Section[] = [];
    let part: string[] = [];
    let length = 0;
    for (const paragraph of section.body.split(/\n[ \t]*\n/)) {
      if (length > 0 && length + paragraph.length > MAX_SECTION_CHARS) {
        parts.push({ heading: `${section.heading} (part ${parts.length + 1})`, body: part.join('\n\n') });
        part = [];
        length = 0;
      }
      part.push(paragraph);
      length += paragraph.length + 2;
    }
    parts.push({ heading: parts.length === 0 ? section.heading : `${section.heading} (part ${parts.length + 1})`, body: part.join('\n\n') });
    return parts;
  });
}
