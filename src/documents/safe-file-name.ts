/**
 * File names for documents that arrive from outside (an attachment's name, a link's path, a
 * Content-Disposition header): one plain name to save in the corpus folder, whatever was
 * sent. A name is never a path, never hidden, never a name Windows reserves, and keeps its
 * extension — the reader is chosen by it.
 */

/**
 * Longest name kept, in UTF-8 bytes. File systems allow 255; this leaves room for a clash
 * suffix ("-12") and the timestamp a removed file is kept under (21 bytes).
 */
export const MAX_FILE_NAME_BYTES = 200;
/** Longer "extensions" are part of the name (`notes.2024-draft-final` has none). */
const MAX_EXTENSION_CHARS = 10;
/** Names Windows reserves for devices, with or without an extension (`CON`, `nul.txt`, `COM1.md`). */
const RESERVED_NAME = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
/**
 * Characters never kept: C0 and C1 controls, characters Windows forbids in names, and the
 * Unicode controls that reorder or hide text (bidi overrides and isolates, zero-width
 * characters) — `report\u202Efdp.exe` would show as `reportexe.pdf`.
 */
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f<>:"|?*\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+/g;

/**
 * A safe file name made from `raw`: its last path component only (so `../../etc/passwd`
 * becomes `passwd` and `..\\x` becomes `x`), NFC-normalised, without control or reserved
 * characters, not starting with a dot, not a device name, at most MAX_FILE_NAME_BYTES
 * (the stem is shortened, the extension kept) or `maxBytes`. `fallback` (a stem) names what
 * has no usable name left.
 */
export function makeSafeFileName(raw: string, fallback = 'document', maxBytes = MAX_FILE_NAME_BYTES): string {
  const last = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  const cleaned = last
    .replace(UNSAFE_CHARACTERS, '-')
    .replace(/\s+/g, ' ')
    // No hidden names, and no names Windows would silently change (trailing dots and spaces).
    .replace(/^[\s.-]+/, '')
    .replace(/[\s.]+$/, '');
  let { stem, extension } = splitExtension(cleaned);
  stem = stem.replace(/[\s.]+$/, '');
  if (stem === '') stem = fallback;
  if (RESERVED_NAME.test(stem) || RESERVED_NAME.test(stem.split('.')[0]!)) stem = `${stem}-file`;
  return `${truncateUtf8(stem, maxBytes - Buffer.byteLength(extension))}${extension}`;
}

/**
 * The first of `name`, `name-2.ext`, `name-3.ext`… that `taken` says is free: a clash never
 * overwrites a file. `taken` should answer as the file system does (case-insensitively on
 * one that is).
 */
export function chooseFreeName(name: string, taken: (candidate: string) => boolean, maxBytes = MAX_FILE_NAME_BYTES): string {
  if (!taken(name)) return name;
  const { stem, extension } = splitExtension(name);
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${truncateUtf8(stem, maxBytes - Buffer.byteLength(suffix + extension))}${suffix}${extension}`;
    if (!taken(candidate)) return candidate;
  }
}

/** `report.final.pdf` → `report.final` + `.pdf`; a name without a short extension keeps it all. */
export function splitExtension(name: string): { stem: string; extension: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return { stem: name, extension: '' };
  const extension = name.slice(dot);
  if (extension.length > MAX_EXTENSION_CHARS + 1 || !/^\.[\p{L}\p{N}]+$/u.test(extension)) return { stem: name, extension: '' };
  return { stem: name.slice(0, dot), extension };
}

/** At most `maxBytes` of UTF-8, cut between characters (never inside a surrogate pair). */
function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let kept = '';
  let bytes = 0;
  for (const character of text) {
    const size = Buffer.byteLength(character);
    if (bytes + size > maxBytes) break;
    kept += character;
    bytes += size;
  }
  return kept.replace(/[\s.]+$/, '');
}
