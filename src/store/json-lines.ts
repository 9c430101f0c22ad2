/**
 * JSON Lines (one JSON value per line) encoded and decoded a block at a time, so that
 * no string ever holds a whole file: a corpus of any size stays within V8's string limit.
 */

/** Lines are gathered into pieces of about this size before becoming one Buffer. */
const PIECE_CHARS = 1 << 20;

/** The values as UTF-8 JSON Lines, in pieces of about a megabyte. */
export function encodeJsonLines(values: Iterable<unknown>): Buffer[] {
  const pieces: Buffer[] = [];
  let lines: string[] = [];
  let length = 0;
  for (const value of values) {
    const line = JSON.stringify(value);
    lines.push(line);
    length += line.length + 1;
    if (length >= PIECE_CHARS) {
      pieces.push(Buffer.from(`${lines.join('\n')}\n`));
      lines = [];
      length = 0;
    }
  }
  if (lines.length > 0) pieces.push(Buffer.from(`${lines.join('\n')}\n`));
  return pieces;
}

/** Each line of `buffer` parsed as JSON (blank lines skipped); throws, naming `label` and the line, on bad JSON. */
export function decodeJsonLines<T>(buffer: Buffer, label: string): T[] {
  const values: T[] = [];
  let from = 0;
  let lineNumber = 0;
  while (from < buffer.length) {
    // A piece ends at the last newline within PIECE_CHARS bytes (or the line's own end when longer).
    let to = Math.min(buffer.length, from + PIECE_CHARS);
    if (to < buffer.length) {
      const newline = buffer.lastIndexOf(10, to - 1);
      to = newline >= from ? newline + 1 : Math.max(buffer.indexOf(10, to) + 1, 0) || buffer.length;
    }
    for (const line of buffer.toString('utf8', from, to).split('\n')) {
      if (line === '') continue;
      lineNumber++;
      try {
        values.push(JSON.parse(line) as T);
      } catch {
        throw new Error(`store: ${label} line ${lineNumber} is not JSON`);
      }
    }
    from = to;
  }
  return values;
}
