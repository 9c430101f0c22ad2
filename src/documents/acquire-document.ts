import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { readerLimits } from '../corpus/load-corpus.js';
import { isSupportedFile, readDocument } from '../corpus/readers/read-document.js';
import { UserError } from '../errors.js';
import { fetchDocument, formatBytes } from './fetch-document.js';
import { makeSafeFileName } from './safe-file-name.js';

/**
 * Where a document to add comes from — a link, a Discord attachment, a file on the bot's
 * machine — as one shape the corpus manager takes: what the admin gave (for the log, even
 * when nothing arrives) and how to get the bytes.
 */

/** A document's bytes and the safe name it will be saved under. */
export interface IncomingDocument {
  bytes: Buffer;
  fileName: string;
  /** The link it was fetched from (citations link there); null for a file. */
  url: string | null;
}

export interface DocumentSource {
  /** What the admin gave: a file name or a link. */
  label: string;
  /** The link, when it is one. */
  url: string | null;
  /** The file's own name, as sent (an attachment's, a path's last part); a link's comes with the download. */
  requestedName: string | null;
  /** Gets the document; throws a UserError for each expected fault (nothing is saved yet). */
  acquire(): Promise<IncomingDocument>;
}

/** A Discord attachment, as its interaction describes it. */
export interface AttachmentInfo {
  url: string;
  name: string;
  /** Bytes, as Discord reports them. */
  size: number;
  contentType: string | null;
}

/** A web page or document by link, fetched safely (see `fetchDocument`). */
export function documentFromLink(link: string, config: Pick<Config, 'documentMaxBytes' | 'documentUrlAllowPrivate'>): DocumentSource {
  const url = link.trim();
  return {
    label: url,
    url,
    requestedName: null,
    async acquire() {
      const fetched = await fetchDocument(url, { maxBytes: config.documentMaxBytes, allowPrivate: config.documentUrlAllowPrivate });
      return { bytes: fetched.bytes, fileName: fetched.fileName, url: fetched.url };
    },
  };
}

/**
 * A Discord attachment. Its name and size are checked before anything is downloaded (an
 * unsupported type is refused with the supported list); it is then fetched like a link, with
 * the configured Discord API's own origin trusted (a proxy or test server serving it locally).
 */
export function documentFromAttachment(attachment: AttachmentInfo, config: Pick<Config, 'documentMaxBytes' | 'documentUrlAllowPrivate'> & { discord: Pick<Config['discord'], 'apiUrl'> }): DocumentSource {
  const fileName = makeSafeFileName(attachment.name);
  return {
    label: attachment.name,
    url: null,
    requestedName: attachment.name,
    async acquire() {
      await refuseUnsupported(fileName, config.documentMaxBytes);
      if (attachment.size > config.documentMaxBytes) throw tooLarge(fileName, attachment.size, config.documentMaxBytes);
      const fetched = await fetchDocument(attachment.url, {
        maxBytes: config.documentMaxBytes,
        allowPrivate: config.documentUrlAllowPrivate,
        trustedOrigins: [new URL(config.discord.apiUrl).origin],
        fileName,
      });
      return { bytes: fetched.bytes, fileName, url: null };
    },
  };
}

/** A file on the bot's machine (the terminal chat's `/add PATH`). */
export function documentFromPath(file: string, config: Pick<Config, 'documentMaxBytes'>): DocumentSource {
  const fileName = makeSafeFileName(path.basename(file));
  return {
    label: file,
    url: null,
    requestedName: path.basename(file),
    async acquire() {
      await refuseUnsupported(fileName, config.documentMaxBytes);
      const stats = await stat(file).catch((error: NodeJS.ErrnoException) => {
        throw new UserError('document-refused', { name: file, reason: error.code === 'ENOENT' ? 'there is no such file' : `it cannot be read (${error.code ?? error.message})` });
      });
      if (!stats.isFile()) throw new UserError('document-refused', { name: file, reason: 'it is not a file' });
      if (stats.size > config.documentMaxBytes) throw tooLarge(fileName, stats.size, config.documentMaxBytes);
      return { bytes: await readFile(file), fileName, url: null };
    },
  };
}

/** Refuses a name whose type Verbatim does not read, with the reader registry's own reason (it lists what is read). */
async function refuseUnsupported(fileName: string, maxBytes: number): Promise<void> {
  if (isSupportedFile(fileName)) return;
  const refused = await readDocument({ bytes: Buffer.alloc(0), fileName, limits: readerLimits(maxBytes) });
  throw new UserError('document-refused', { name: fileName, reason: 'skip' in refused ? refused.skip : 'unsupported type' });
}

function tooLarge(name: string, size: number, max: number): UserError {
  return new UserError('document-too-large', { name, size: formatBytes(size), max: formatBytes(max) });
}
