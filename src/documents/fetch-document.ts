import { lookup as lookupHost } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import zlib from 'node:zlib';
import type { DocumentFormat } from '../corpus/readers/reader-types.js';
import { UserError } from '../errors.js';
import { decideDocumentType, describeContentMismatch, formatOfName, sniffDocument } from './document-types.js';
import { describeNonPublicAddress } from './public-address.js';
import { makeSafeFileName } from './safe-file-name.js';

/**
 * Downloads one document by link, safely for a bot anyone may talk to: http and https only;
 * every host resolved here and refused when any of its addresses is not public (unless
 * allowed), the connection then made to the very address checked (a second DNS answer
 * cannot swap it: DNS rebinding); a handful of redirects, each checked the same way; a
 * total and an idle time limit; the size checked against Content-Length first and counted
 * while streaming; the type checked against the name and the bytes.
 */

/** A document as downloaded, not yet read or saved. */
export interface FetchedDocument {
  bytes: Buffer;
  /** A safe file name with the extension of its format. */
  fileName: string;
  format: DocumentFormat;
  /** The link asked for. */
  url: string;
  /** Where the bytes came from after redirects. */
  finalUrl: string;
  contentType: string | null;
}

export interface FetchDocumentOptions {
  /** Largest document accepted, in bytes (DOCUMENT_MAX_BYTES). */
  maxBytes: number;
  /** DOCUMENT_URL_ALLOW_PRIVATE: private, loopback and link-local addresses may be fetched. */
  allowPrivate: boolean;
  /**
   * Origins (`http://127.0.0.1:4000`) trusted whatever their address: the Discord API the
   * bot is configured with (a proxy or a test server) also serves its attachments.
   */
  trustedOrigins?: readonly string[];
  /** The name to save under (an attachment's own), instead of one from the headers or the link. */
  fileName?: string;
  /** Whole download, redirects included. Default TOTAL_TIMEOUT_MS. */
  totalTimeoutMs?: number;
  /** Longest wait for the next bytes. Default IDLE_TIMEOUT_MS. */
  idleTimeoutMs?: number;
  /** Default MAX_REDIRECTS. */
  maxRedirects?: number;
}

/**
 * A 25 MB document at 200 kB/s — a slow but working connection — arrives in two minutes.
 * Discord's interaction token (15 minutes) outlives it with room for the reindex.
 */
export const TOTAL_TIMEOUT_MS = 120_000;
/** A server silent this long has stalled: well-behaved ones send something every few seconds. */
export const IDLE_TIMEOUT_MS = 20_000;
/** Redirects followed at most: http→https, a moved page and a CDN take three. */
export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = 'Verbatim document fetcher';

/** A failure while downloading, in words for the admin. */
class DownloadFault extends Error {}

/**
 * Fetches a document by link. Throws a UserError an admin can act on for every expected
 * fault: a link that is not http(s), a host that is private or does not resolve, a refused
 * or failed connection, an HTTP error, too many redirects, a stalled or cut download, one
 * too large, or one whose type is not a document's (or not the one its name says).
 */
export async function fetchDocument(link: string, options: FetchDocumentOptions): Promise<FetchedDocument> {
  const first = parseLink(link);
  const deadline = Date.now() + (options.totalTimeoutMs ?? TOTAL_TIMEOUT_MS);
  const maxRedirects = options.maxRedirects ?? MAX_REDIRECTS;
  let current = first;
  for (let redirects = 0; ; redirects++) {
    const address = await resolveAllowed(current, options);
    const response = await request(current, address, deadline, options);
    const location = response.headers.location;
    if (REDIRECT_STATUSES.has(response.statusCode ?? 0) && location) {
      response.destroy();
      if (redirects >= maxRedirects) throw new UserError('document-download-failed', { url: link, detail: `more than ${maxRedirects} redirects` });
      current = parseLink(new URL(location, current).toString(), link);
      continue;
    }
    if ((response.statusCode ?? 0) < 200 || (response.statusCode ?? 0) > 299) {
      response.destroy();
      throw new UserError('document-download-failed', { url: link, detail: `the server answered ${response.statusCode} ${response.statusMessage ?? ''}`.trim() });
    }
    const contentType = response.headers['content-type'] ?? null;
    const nameFromServer = options.fileName ?? chooseFileName(response, current);
    const bytes = await readBody(response, link, nameFromServer, deadline, options);
    const decision = options.fileName
      ? decideAttachmentType(options.fileName, bytes)
      : decideDocumentType({ fileName: nameFromServer, contentType, bytes });
    if (!decision.ok) throw new UserError('document-type-mismatch', { url: link, detail: decision.reason });
    return { bytes, fileName: decision.fileName, format: decision.format, url: link, finalUrl: current.toString(), contentType };
  }
}

/** An attachment's name is the user's own: its extension decides; the bytes must fit it. */
function decideAttachmentType(fileName: string, bytes: Buffer): ReturnType<typeof decideDocumentType> {
  const format = formatOfName(fileName);
  if (!format) return { ok: false, reason: 'its name has no extension of a document type' };
  const mismatch = describeContentMismatch(format, sniffDocument(bytes));
  return mismatch ? { ok: false, reason: mismatch } : { ok: true, format, fileName };
}

/** The link as a URL, or why it cannot be fetched. `asked` is the admin's link (for messages about a redirect). */
function parseLink(link: string, asked: string = link): URL {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    throw new UserError('document-url-invalid', { url: asked, detail: 'it is not a complete link' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError('document-url-invalid', { url: asked, detail: `${url.protocol.replace(/:$/, '')} links are not fetched${asked === link ? '' : ` (a redirect led to ${url.protocol}…)`}` });
  }
  if (url.username || url.password) throw new UserError('document-url-invalid', { url: asked, detail: 'links with a user name or password are not accepted' });
  return url;
}

/** The address to connect to: the host's first, after every one of them was checked. */
async function resolveAllowed(url: URL, options: FetchDocumentOptions): Promise<{ address: string; family: number }> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  try {
    addresses = await lookupHost(host, { all: true, verbatim: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError('document-download-failed', { url: url.toString(), detail: code === 'ENOTFOUND' ? `the host ${host} was not found` : `the host ${host} could not be resolved (${code ?? String(error)})` });
  }
  if (addresses.length === 0) throw new UserError('document-download-failed', { url: url.toString(), detail: `the host ${host} has no address` });
  const trusted = options.allowPrivate || (options.trustedOrigins ?? []).includes(url.origin);
  if (!trusted) {
    // Every address: a host answering with one public and one private address would otherwise pick either.
    for (const { address } of addresses) {
      const why = describeNonPublicAddress(address);
      if (why) throw new UserError('document-url-private', { host, address, range: why });
    }
  }
  return addresses[0]!;
}

/** Sends the GET, connecting to `address` only; resolves with the response headers. */
function request(url: URL, address: { address: string; family: number }, deadline: number, options: FetchDocumentOptions): Promise<IncomingMessage> {
  // The checked address, whatever the resolver would answer now.
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    if ((lookupOptions as { all?: boolean }).all) (callback as (error: null, addresses: { address: string; family: number }[]) => void)(null, [address]);
    else callback(null, address.address, address.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  const idleMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      reject(new UserError('document-download-failed', { url: url.toString(), detail: 'it took too long' }));
      return;
    }
    const req = client.get(url, {
      lookup: pinned,
      // A fresh connection: a pooled one would skip the address check made for this request.
      agent: false,
      headers: { 'user-agent': USER_AGENT, accept: 'text/html, application/pdf, text/plain, text/markdown, application/epub+zip, application/vnd.openxmlformats-officedocument.wordprocessingml.document, application/vnd.oasis.opendocument.text, */*;q=0.1', 'accept-encoding': 'gzip, deflate, br' },
      timeout: Math.min(idleMs, remaining),
    });
    req.on('timeout', () => req.destroy(new DownloadFault(`the server did not answer within ${Math.round(Math.min(idleMs, remaining) / 1000)} s`)));
    req.on('error', (error) => reject(new UserError('document-download-failed', { url: url.toString(), detail: describeNetworkError(error) })));
    req.on('response', (response) => {
      // From here on the body's own limits apply (readBody).
      req.setTimeout(0);
      resolve(response);
    });
  });
}

/** The body, decompressed, within the size, idle and total limits. */
async function readBody(response: IncomingMessage, link: string, fileName: string, deadline: number, options: FetchDocumentOptions): Promise<Buffer> {
  const { maxBytes } = options;
  const declared = Number(response.headers['content-length']);
  const encoding = (response.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  if (Number.isFinite(declared) && declared > maxBytes && encoding === 'identity') {
    response.destroy();
    throw new UserError('document-too-large', { name: fileName, size: formatBytes(declared), max: formatBytes(maxBytes) });
  }
  const decoder = encoding === 'gzip' || encoding === 'x-gzip' ? zlib.createGunzip() : encoding === 'deflate' ? zlib.createInflate() : encoding === 'br' ? zlib.createBrotliDecompress() : encoding === 'identity' ? null : undefined;
  if (decoder === undefined) {
    response.destroy();
    throw new UserError('document-download-failed', { url: link, detail: `the server compressed it as "${encoding}", which is not supported` });
  }
  const body = decoder ? response.pipe(decoder) : response;
  const idleMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(idleTimer);
      clearTimeout(totalTimer);
      if (error) {
        response.destroy();
        decoder?.destroy();
        reject(error);
      } else resolve(Buffer.concat(chunks, received));
    };
    const fail = (detail: string): void => finish(new UserError('document-download-failed', { url: link, detail }));
    let idleTimer = setTimeout(() => fail(`it stalled: nothing arrived for ${Math.round(idleMs / 1000)} s after ${formatBytes(received)}`), idleMs);
    const totalTimer = setTimeout(() => fail(`it took longer than ${Math.round((options.totalTimeoutMs ?? TOTAL_TIMEOUT_MS) / 1000)} s`), Math.max(0, deadline - Date.now()));
    // Idle time is the socket's: a decoder sitting on compressed bytes is not a stall.
    response.on('data', () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => fail(`it stalled: nothing arrived for ${Math.round(idleMs / 1000)} s after ${formatBytes(received)}`), idleMs);
    });
    body.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        finish(new UserError('document-too-large', { name: fileName, size: `over ${formatBytes(maxBytes)}`, max: formatBytes(maxBytes) }));
        return;
      }
      chunks.push(chunk);
    });
    response.on('aborted', () => fail(`the connection was cut after ${formatBytes(received)}`));
    response.on('error', (error) => fail(`the connection failed after ${formatBytes(received)} (${describeNetworkError(error)})`));
    decoder?.on('error', (error) => fail(`its compressed content is damaged (${error.message})`));
    body.on('end', () => {
      if (!response.complete) return fail(`the connection was cut after ${formatBytes(received)}`);
      if (encoding === 'identity' && Number.isFinite(declared) && received < declared) return fail(`the connection was cut after ${formatBytes(received)} of ${formatBytes(declared)}`);
      finish(null);
    });
  });
}

/**
 * The name a download is saved under: Content-Disposition's filename (RFC 6266, the
 * `filename*` form first), else the link's last path segment, else its host — made safe.
 */
function chooseFileName(response: IncomingMessage, url: URL): string {
  const disposition = response.headers['content-disposition'];
  const fromHeader = disposition ? parseDispositionFileName(disposition) : null;
  if (fromHeader) return makeSafeFileName(fromHeader, url.hostname);
  const segment = url.pathname.split('/').filter(Boolean).pop();
  let decoded = segment ?? '';
  try {
    decoded = decodeURIComponent(decoded);
  } catch {
    // A malformed escape: the segment as written.
  }
  return makeSafeFileName(decoded, url.hostname);
}

/**
 * The filename of a Content-Disposition header: `filename*=UTF-8''na%C3%AFve.pdf` (RFC 5987)
 * wins over `filename="naive.pdf"`. No npm package here does this; it is the two forms
 * RFC 6266 defines, nothing more.
 */
export function parseDispositionFileName(header: string): string | null {
  const extended = /filename\*\s*=\s*([\w!#$&+.^`|~-]+)'[^']*'([^;\s]+)/i.exec(header);
  if (extended) {
    try {
      const bytes = Buffer.from(extended[2]!.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
      return extended[1]!.toLowerCase() === 'utf-8' ? bytes.toString('utf8') : bytes.toString('latin1');
    } catch {
      // Fall back to the plain form.
    }
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
  if (quoted) return quoted[1]!.replace(/\\(.)/g, '$1');
  const token = /filename\s*=\s*([^;\s]+)/i.exec(header);
  return token ? token[1]! : null;
}

function describeNetworkError(error: Error): string {
  if (error instanceof DownloadFault) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'the server refused the connection';
    case 'ECONNRESET':
      return 'the server closed the connection';
    case 'ETIMEDOUT':
      return 'the connection timed out';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the server cannot be reached';
    default:
      if (code?.startsWith('ERR_TLS') || code?.includes('CERT')) return `its certificate was refused (${code})`;
      return code ? `${error.message} (${code})` : error.message;
  }
}

/** "3.2 MB", "512 KB", "900 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1 << 20) return `${Math.round((bytes / (1 << 20)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
