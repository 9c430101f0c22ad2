import yauzl from 'yauzl';

/**
 * Reading the zip containers DOCX, ODT and EPUB are, safely: the archive is checked before
 * anything is unpacked (entry count, declared sizes, compression ratio) and every entry is
 * unpacked with its declared size enforced (yauzl's checks), so a zip bomb is refused with
 * a reason instead of filling memory.
 */

/** Entries read from one archive at most (a real document has tens to a few thousand). */
const MAX_ENTRIES = 10_000;
/**
 * Unpacked size over packed size beyond which an entry is taken for a bomb. Text and XML
 * compress 5–20×; a run of one repeated byte reaches 1,000×, which no document part does.
 */
const MAX_COMPRESSION_RATIO = 200;
/** Entries smaller than this are never judged by their ratio (a tiny file may compress well). */
const RATIO_EXEMPT_BYTES = 1 << 20;

/** Why an archive is refused: a reason a person can act on. */
export class ZipRefusal extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ZipRefusal';
  }
}

export interface ZipArchive {
  /** Entry names (folders left out), as stored. */
  readonly names: readonly string[];
  has(name: string): boolean;
  /** An entry's bytes; throws ZipRefusal when it is missing or breaks a limit. */
  read(name: string): Promise<Buffer>;
  /** An entry as UTF-8 text (a BOM dropped). */
  readText(name: string): Promise<string>;
}

/**
 * Opens a zip archive held in memory. Throws ZipRefusal when it is not a zip, is damaged,
 * is encrypted, or would unpack to more than `maxUnpackedBytes`.
 */
export async function openZip(bytes: Buffer, maxUnpackedBytes: number): Promise<ZipArchive> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false }, (error, file) => {
      if (error || !file) reject(new ZipRefusal(`damaged: not a readable zip archive (${error?.message ?? 'no archive'})`));
      else resolve(file);
    });
  });
  const entries = new Map<string, yauzl.Entry>();
  let declared = 0;
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entries.size >= MAX_ENTRIES) return reject(new ZipRefusal(`too large: the archive holds more than ${MAX_ENTRIES.toLocaleString('en-US')} files`));
      if (!entry.fileName.endsWith('/')) {
        if (entry.isEncrypted()) return reject(new ZipRefusal('encrypted: the file is password-protected; save a copy without a password'));
        declared += entry.uncompressedSize;
        if (declared > maxUnpackedBytes) return reject(new ZipRefusal(`too large: it would unpack to more than ${formatBytes(maxUnpackedBytes)} (a zip bomb, or a document too big to index)`));
        const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
        if (entry.uncompressedSize > RATIO_EXEMPT_BYTES && ratio > MAX_COMPRESSION_RATIO) {
          return reject(new ZipRefusal(`damaged or hostile: ${entry.fileName} unpacks ${Math.round(ratio)}× its packed size (a zip bomb)`));
        }
        entries.set(entry.fileName, entry);
      }
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', (error: Error) => reject(new ZipRefusal(`damaged: ${error.message}`)));
    zip.readEntry();
  }).catch((error: unknown) => {
    zip.close();
    throw error instanceof ZipRefusal ? error : new ZipRefusal(`damaged: ${(error as Error).message}`);
  });

  const read = async (name: string): Promise<Buffer> => {
    const entry = entries.get(name);
    if (!entry) throw new ZipRefusal(`damaged: the archive has no ${name}`);
    return new Promise<Buffer>((resolve, reject) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error || !stream) return reject(new ZipRefusal(`damaged: ${name} cannot be unpacked (${error?.message ?? 'no stream'})`));
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => resolve(Buffer.concat(chunks)));
        stream.on('error', (streamError: Error) => reject(new ZipRefusal(`damaged: ${name} (${streamError.message})`)));
      });
    });
  };
  return {
    names: [...entries.keys()],
    has: (name) => entries.has(name),
    read,
    readText: async (name) => (await read(name)).toString('utf8').replace(/^\uFEFF/, ''),
  };
}

/** 26214400 → "25 MB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1 << 20) return `${Math.round((bytes / (1 << 20)) * 10) / 10} MB`;
  if (bytes >= 1 << 10) return `${Math.round(bytes / (1 << 10))} KB`;
  return `${bytes} bytes`;
}
