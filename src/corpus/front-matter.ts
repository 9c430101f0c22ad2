/** Metadata a corpus file may declare in YAML front matter. */
export interface FrontMatter {
  title: string | null;
  publication: string | null;
  date: string | null;
  url: string | null;
}

export interface ParsedFrontMatter {
  meta: FrontMatter;
  /** Offset of the first character after the closing `---` line. */
  bodyStart: number;
}

const KEYS = ['title', 'publication', 'date', 'url'] as const;

/**
 * Reads optional front matter: a first line `---`, `key: value` lines, a closing `---`.
 * Only the flat `key: value` subset of YAML is supported, which is all the corpus
 * contract asks for; other keys are ignored. The text itself is never changed.
 */
export function parseFrontMatter(text: string): ParsedFrontMatter {
  const empty: ParsedFrontMatter = { meta: { title: null, publication: null, date: null, url: null }, bodyStart: 0 };
  const opening = /^\uFEFF?---[ \t]*\r?\n/.exec(text);
  if (!opening) return empty;
  const closing = /^---[ \t]*(?:\r?\n|$)/m;
  const rest = text.slice(opening[0].length);
  const close = closing.exec(rest);
  if (!close) return empty;
  const meta = { ...empty.meta };
  for (const line of rest.slice(0, close.index).split(/\r?\n/)) {
    const match = /^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    const key = match[1]!.toLowerCase();
    if ((KEYS as readonly string[]).includes(key)) {
      meta[key as (typeof KEYS)[number]] = unquote(match[2]!) || null;
    }
  }
  return { meta, bodyStart: opening[0].length + close.index + close[0].length };
}

function unquote(value: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(value);
  return quoted ? quoted[2]! : value;
}
