/**
 * Fetching documents by link, against HTTP servers the test starts on 127.0.0.1: redirects,
 * the private-address rule and its override, stalls, cut connections, sizes with and without
 * Content-Length, compression, and types that do not match.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDocument, type FetchDocumentOptions, parseDispositionFileName } from '../../src/documents/fetch-document.js';
import { UserError } from '../../src/errors.js';

const PAGE = '<!doctype html><html><head><title>Guide</title></head><body><p>Hello from the guide.</p></body></html>';
const PDF_BYTES = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server;
let other: Server;
let origin: string;
let otherPort: number;
const routes = new Map<string, Handler>();
/** Requests the main server received, by path (to check nothing was fetched after a refusal). */
const hits: string[] = [];

async function listen(handler: Handler): Promise<Server> {
  const started = createServer(handler);
  await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
  return started;
}

beforeAll(async () => {
  server = await listen((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    hits.push(url.pathname);
    const handler = routes.get(url.pathname);
    if (handler) handler(request, response);
    else response.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  other = await listen((_request, response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('secret from the other server'));
  otherPort = (other.address() as AddressInfo).port;

  const send = (type: string, body: string | Buffer, headers: Record<string, string> = {}): Handler => (_request, response) => {
    response.writeHead(200, { 'content-type': type, 'content-length': String(Buffer.byteLength(body)), ...headers }).end(body);
  };
  routes.set('/guide', send('text/html; charset=utf-8', PAGE));
  routes.set('/start', (_request, response) => response.writeHead(302, { location: '/moved' }).end());
  routes.set('/moved', (_request, response) => response.writeHead(301, { location: `${origin}/guide` }).end());
  routes.set('/loop', (_request, response) => response.writeHead(302, { location: '/loop' }).end());
  routes.set('/to-private', (_request, response) => response.writeHead(302, { location: `http://localhost:${otherPort}/` }).end());
  routes.set('/to-file', (_request, response) => response.writeHead(302, { location: 'file:///etc/passwd' }).end());
  routes.set('/manual.pdf', send('application/pdf', PDF_BYTES));
  routes.set('/download', send('application/octet-stream', PDF_BYTES, { 'content-disposition': 'attachment; filename="old name.pdf"; filename*=UTF-8\'\'na%C3%AFve%20manual.pdf' }));
  routes.set('/escape', send('text/markdown', '# Notes\n\nSome notes.\n', { 'content-disposition': 'attachment; filename="../../.ssh/notes.md"' }));
  routes.set('/login.pdf', send('text/html', '<!DOCTYPE html><html><body>Please log in</body></html>'));
  routes.set('/fake.pdf', send('application/pdf', 'this is not a PDF at all'));
  routes.set('/picture', send('image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47])));
  routes.set('/readme', send('text/plain', 'Plain words.\n'));
  routes.set('/big', send('text/plain', 'x'.repeat(5_000)));
  routes.set('/endless', (_request, response) => {
    // No Content-Length: chunked, and more than any limit if the client kept reading.
    response.writeHead(200, { 'content-type': 'text/plain' });
    const timer = setInterval(() => {
      if (!response.write('y'.repeat(1_024))) return;
    }, 1);
    response.on('close', () => clearInterval(timer));
  });
  routes.set('/stall', (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
    response.write('a few bytes, then silence');
  });
  routes.set('/cut', (request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
    response.write('only part of it', () => request.socket.destroy());
  });
  routes.set('/drip', (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    const timer = setInterval(() => response.write('.'), 20);
    response.on('close', () => clearInterval(timer));
  });
  routes.set('/gzip', send('text/plain', gzipSync('Compressed words.\n'), { 'content-encoding': 'gzip' }));
  routes.set('/bomb', send('text/plain', gzipSync(Buffer.alloc(1 << 20, 'z')), { 'content-encoding': 'gzip' }));
});

afterAll(async () => {
  server.closeAllConnections();
  other.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await new Promise((resolve) => other.close(resolve));
});

/** The local test servers are private addresses: allowed unless a test says otherwise. */
const allowed: FetchDocumentOptions = { maxBytes: 4_096, allowPrivate: true, idleTimeoutMs: 2_000, totalTimeoutMs: 5_000 };

async function refusal(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('fetching a document by link', () => {
  it('follows redirects to a web page and names it after the link, with the extension of its type', async () => {
    const fetched = await fetchDocument(`${origin}/start`, allowed);
    expect(fetched).toMatchObject({ fileName: 'guide.html', format: 'html', url: `${origin}/start`, finalUrl: `${origin}/guide`, contentType: 'text/html; charset=utf-8' });
    expect(fetched.bytes.toString()).toBe(PAGE);
  });

  it('takes the name from Content-Disposition (filename* first), made safe, and decides by the bytes when the type says nothing', async () => {
    expect(await fetchDocument(`${origin}/download`, allowed)).toMatchObject({ fileName: 'naïve manual.pdf', format: 'pdf' });
    expect(await fetchDocument(`${origin}/escape`, allowed)).toMatchObject({ fileName: 'notes.md', format: 'md' });
    expect(await fetchDocument(`${origin}/readme`, allowed)).toMatchObject({ fileName: 'readme.txt', format: 'txt' });
    expect(await fetchDocument(`${origin}/manual.pdf`, allowed)).toMatchObject({ fileName: 'manual.pdf', format: 'pdf' });
  });

  it('refuses a private address without the override, before sending anything, and says how to allow it', async () => {
    const before = hits.length;
    const error = await refusal(fetchDocument(`${origin}/guide`, { ...allowed, allowPrivate: false }));
    expect(error.code).toBe('document-url-private');
    expect(error.message).toContain('a loopback address (this machine) (127.0.0.1)');
    expect(error.message).toContain('DOCUMENT_URL_ALLOW_PRIVATE=true');
    expect(hits.length).toBe(before);
    // Every address of a name is checked: localhost is 127.0.0.1 and ::1.
    expect((await refusal(fetchDocument(`http://localhost:${otherPort}/`, { ...allowed, allowPrivate: false }))).code).toBe('document-url-private');
    expect((await refusal(fetchDocument('http://[::ffff:169.254.169.254]/latest/meta-data/', { ...allowed, allowPrivate: false }))).message).toContain('a cloud metadata service address');
  });

  it('checks every redirect again: a trusted first hop cannot lead to a private address', async () => {
    const error = await refusal(fetchDocument(`${origin}/to-private`, { ...allowed, allowPrivate: false, trustedOrigins: [origin] }));
    expect(error.code).toBe('document-url-private');
    expect(error.params['host']).toBe('localhost');
    const scheme = await refusal(fetchDocument(`${origin}/to-file`, allowed));
    expect(scheme.code).toBe('document-url-invalid');
    expect(scheme.message).toContain('file links are not fetched');
  });

  it('gives up after five redirects', async () => {
    const error = await refusal(fetchDocument(`${origin}/loop`, allowed));
    expect(error.code).toBe('document-download-failed');
    expect(error.message).toContain('more than 5 redirects');
  });

  it('refuses links that are not http(s), carry credentials, or answer with an error', async () => {
    expect((await refusal(fetchDocument('ftp://example.org/file.pdf', allowed))).message).toContain('ftp links are not fetched');
    expect((await refusal(fetchDocument('not a link', allowed))).code).toBe('document-url-invalid');
    expect((await refusal(fetchDocument(`http://user:secret@127.0.0.1:${otherPort}/`, allowed))).message).toContain('user name or password');
    expect((await refusal(fetchDocument(`${origin}/missing`, allowed))).message).toContain('the server answered 404 Not Found');
    expect((await refusal(fetchDocument('http://no-such-host.invalid/', allowed))).message).toContain('was not found');
  });

  it('refuses a document larger than the limit, by Content-Length before reading and by counting without it', async () => {
    const declared = await refusal(fetchDocument(`${origin}/big`, allowed));
    expect(declared.code).toBe('document-too-large');
    expect(declared.message).toBe('Not added: big is 5 KB, over the 4 KB limit (DOCUMENT_MAX_BYTES). Nothing was changed.');
    const started = Date.now();
    const streamed = await refusal(fetchDocument(`${origin}/endless`, allowed));
    expect(streamed.code).toBe('document-too-large');
    expect(Date.now() - started).toBeLessThan(2_000);
    // Decompressed bytes count: a small gzip that unpacks to a megabyte is refused too.
    expect((await refusal(fetchDocument(`${origin}/bomb`, allowed))).code).toBe('document-too-large');
  });

  it('unpacks a compressed response', async () => {
    const fetched = await fetchDocument(`${origin}/gzip`, allowed);
    expect(fetched.bytes.toString()).toBe('Compressed words.\n');
  });

  it('gives up on a download that stalls, one cut off midway, and one that takes too long in all', async () => {
    const stalled = await refusal(fetchDocument(`${origin}/stall`, { ...allowed, idleTimeoutMs: 300 }));
    expect(stalled.message).toMatch(/it stalled: nothing arrived for 0 s after 25 bytes/);
    const cut = await refusal(fetchDocument(`${origin}/cut`, allowed));
    expect(cut.message).toContain('the connection was cut after');
    const slow = await refusal(fetchDocument(`${origin}/drip`, { ...allowed, totalTimeoutMs: 400 }));
    expect(slow.message).toContain('it took longer than 0 s');
  });

  it('refuses a type that is not a document, or not the one its name says', async () => {
    const login = await refusal(fetchDocument(`${origin}/login.pdf`, allowed));
    expect(login.code).toBe('document-type-mismatch');
    expect(login.message).toContain('its name says .pdf but the server sent text/html (a web page — perhaps a login or error page instead of the file)');
    expect((await refusal(fetchDocument(`${origin}/fake.pdf`, allowed))).message).toContain('it should be PDF but its content is text');
    expect((await refusal(fetchDocument(`${origin}/picture`, allowed))).message).toContain('the server sent image/png, which is not a document type Verbatim reads');
  });

  it('keeps an attachment’s own name and checks its bytes against it', async () => {
    expect(await fetchDocument(`${origin}/download`, { ...allowed, fileName: 'mine.pdf' })).toMatchObject({ fileName: 'mine.pdf', format: 'pdf' });
    expect((await refusal(fetchDocument(`${origin}/download`, { ...allowed, fileName: 'mine.docx' }))).message).toContain('it should be DOCX but its content is a PDF');
  });
});

describe('Content-Disposition file names', () => {
  it('reads the RFC 5987 form first, then the quoted and plain forms', () => {
    expect(parseDispositionFileName("attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf")).toBe('€ rates.pdf');
    expect(parseDispositionFileName('attachment; filename="a \\"quoted\\" name.md"')).toBe('a "quoted" name.md');
    expect(parseDispositionFileName('inline; filename=plain.txt')).toBe('plain.txt');
    expect(parseDispositionFileName('inline')).toBeNull();
  });
});
