import os from 'node:os';

/**
 * A binary file of named typed-array sections after a small JSON header, laid out so
 * that a reader views each section in the file's buffer without copying or parsing:
 *
 *   "VBS1" · u32 header length · header JSON · padding · section bytes (each 8-byte aligned)
 *
 * The header lists each section's name, element type, offset and length. Numbers are
 * stored in the machine's byte order, which the header records; a file written on a
 * machine of the other order is refused (and so rebuilt), never misread.
 */

const MAGIC = 'VBS1';
const ALIGNMENT_BYTES = 8;

export type Section = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

const TYPES = {
  Uint8Array,
  Uint16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
} as const;
type TypeName = keyof typeof TYPES;

interface SectionEntry {
  name: string;
  type: TypeName;
  offset: number;
  length: number;
}

interface Header<Meta> {
  endianness: 'LE' | 'BE';
  meta: Meta;
  sections: SectionEntry[];
}

/** The file as a list of buffers to write one after another (nothing is concatenated). */
export function encodeSections<Meta>(meta: Meta, sections: Record<string, Section>): Buffer[] {
  const entries: SectionEntry[] = [];
  const names = Object.keys(sections);
  // Offsets depend on the header's length, which depends on the offsets: repeat until it settles
  // (it only grows, by a digit now and then, so this ends in a few rounds).
  let headerBytes = 0;
  let header = Buffer.alloc(0);
  do {
    headerBytes = Math.max(headerBytes, header.length);
    entries.length = 0;
    let offset = align(8 + headerBytes);
    for (const name of names) {
      const section = sections[name]!;
      entries.push({ name, type: section.constructor.name as TypeName, offset, length: section.length });
      offset = align(offset + section.byteLength);
    }
    header = Buffer.from(JSON.stringify(headerOf(meta, entries)));
  } while (header.length > headerBytes);
  const prefix = Buffer.alloc(8);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(header.length, 4);
  const parts: Buffer[] = [prefix, header];
  let written = 8 + header.length;
  for (const [i, name] of names.entries()) {
    const padding = entries[i]!.offset - written;
    if (padding < 0) throw new Error('store: binary sections overlap (a bug in encodeSections)');
    if (padding > 0) parts.push(Buffer.alloc(padding));
    const section = sections[name]!;
    parts.push(Buffer.from(section.buffer, section.byteOffset, section.byteLength));
    written = entries[i]!.offset + section.byteLength;
  }
  return parts;
}

/**
 * Reads a file written by `encodeSections`. Sections are views into `buffer` (copied only
 * when the buffer is not 8-byte aligned). Throws, naming `label`, on anything malformed.
 */
export function decodeSections<Meta>(buffer: Buffer, label: string): { meta: Meta; sections: Map<string, Section> } {
  if (buffer.length < 8 || buffer.toString('latin1', 0, 4) !== MAGIC) throw new Error(`store: ${label} is not a Verbatim binary file`);
  const headerLength = buffer.readUInt32LE(4);
  if (8 + headerLength > buffer.length) throw new Error(`store: ${label} is truncated`);
  let header: Header<Meta>;
  try {
    header = JSON.parse(buffer.toString('utf8', 8, 8 + headerLength)) as Header<Meta>;
  } catch {
    throw new Error(`store: ${label} has an unreadable header`);
  }
  if (header.endianness !== machineEndianness()) throw new Error(`store: ${label} was written on a machine of the other byte order`);
  const aligned = buffer.byteOffset % ALIGNMENT_BYTES === 0 ? buffer : Buffer.from(buffer);
  const sections = new Map<string, Section>();
  for (const entry of header.sections) {
    const Type = TYPES[entry.type];
    if (!Type) throw new Error(`store: ${label} has a section of unknown type ${entry.type}`);
    const end = entry.offset + entry.length * Type.BYTES_PER_ELEMENT;
    if (entry.offset % ALIGNMENT_BYTES !== 0 || end > aligned.length) throw new Error(`store: ${label} is truncated (section ${entry.name})`);
    sections.set(entry.name, new Type(aligned.buffer as ArrayBuffer, aligned.byteOffset + entry.offset, entry.length));
  }
  return { meta: header.meta, sections };
}

/** A section by name and type; throws, naming the file, when it is missing or of another type. */
export function requireSection<T extends Section>(sections: Map<string, Section>, name: string, type: new (...args: never[]) => T, label: string): T {
  const section = sections.get(name);
  if (!(section instanceof type)) throw new Error(`store: ${label} has no ${name} section`);
  return section;
}

/** A section of an expected length (a column of one value per document, per passage…); throws, naming the file, otherwise. */
export function requireColumn<T extends Section>(sections: Map<string, Section>, name: string, type: new (...args: never[]) => T, length: number, label: string): T {
  const values = requireSection(sections, name, type, label);
  if (values.length !== length) throw new Error(`store: ${label} has ${values.length} ${name} values for ${length}`);
  return values;
}

function headerOf<Meta>(meta: Meta, sections: SectionEntry[]): Header<Meta> {
  return { endianness: machineEndianness(), meta, sections };
}

function machineEndianness(): 'LE' | 'BE' {
  return os.endianness();
}

function align(offset: number): number {
  return Math.ceil(offset / ALIGNMENT_BYTES) * ALIGNMENT_BYTES;
}
