/**
 * Embedding models that fail the unattended way: weights that output NaN (which used to
 * become zero vectors while /help said "hybrid"), and a download that never answers.
 * Both must leave the bot running lexical-only, saying why; a model that could not be
 * downloaded is tried again at the next reindex.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/chunking/chunk-document.js';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import { loadEmbedder } from '../../src/embeddings/embedder.js';
import { writeTinyModel } from '../../src/embeddings/tiny-model.js';
import { startEngine } from '../../src/start-engine.js';
import { ARTICLE_DIR, makeTempDir, testConfig } from '../helpers.js';

let temp: { dir: string; cleanup: () => void };
let passages: string[];

beforeAll(async () => {
  temp = makeTempDir();
  cpSync(ARTICLE_DIR, path.join(temp.dir, 'corpus'), { recursive: true });
  const { documents } = await loadCorpus(ARTICLE_DIR);
  passages = documents.flatMap(chunkDocument).map((chunk) => chunk.text);
});
afterAll(() => temp?.cleanup());

describe('a model that outputs NaN', () => {
  it('is refused at load when its probe embedding holds NaN, and the engine runs lexical-only saying why', async () => {
    const modelDir = path.join(temp.dir, 'nan-models');
    await writeTinyModel({ dir: modelDir, name: 'nan-everywhere', texts: passages, nanWords: ['the'] });
    const loaded = await loadEmbedder({ modelId: 'nan-everywhere', modelDir, allowRemote: false, cacheDir: path.join(temp.dir, 'cache'), batchSize: 8 });
    expect(loaded.embedder).toBeNull();
    expect(loaded.warning).toBe(
      'embeddings: could not load model "nan-everywhere": it outputs NaN or infinite values (its weights are broken) — retrieval is lexical-only (BM25).',
    );

    const config = testConfig(temp.dir, { EMBEDDING_MODEL: 'nan-everywhere', EMBEDDING_MODEL_DIR: 'nan-models', EMBEDDING_ALLOW_REMOTE: 'false', INDEX_DIR: 'index-nan-load' });
    const warnings: string[] = [];
    const { engine } = await startEngine(config, { warn: (message) => warnings.push(message) });
    expect(engine.status()).toMatchObject({ mode: 'lexical', lexicalReason: loaded.warning });
    expect(warnings).toContain(loaded.warning);
  });

  it('is dropped for lexical-only when NaN first shows while the index is built, and answers still come', async () => {
    const modelDir = path.join(temp.dir, 'nan-models');
    // "seats" is not in the probe, so the model loads; the passage about seats then embeds to NaN.
    await writeTinyModel({ dir: modelDir, name: 'nan-seats', texts: passages, nanWords: ['seats'] });
    const config = testConfig(temp.dir, { EMBEDDING_MODEL: 'nan-seats', EMBEDDING_MODEL_DIR: 'nan-models', EMBEDDING_ALLOW_REMOTE: 'false', INDEX_DIR: 'index-nan-build' });
    const warnings: string[] = [];
    const { engine, embedderWarning } = await startEngine(config, { warn: (message) => warnings.push(message) });
    expect(embedderWarning).toMatch(/^embeddings: model "nan-seats" output NaN or infinite values for \d+ of \d+ text\(s\) \(e\.g\. ".*"\); its weights are broken — retrieval is lexical-only \(BM25\)\.$/);
    expect(warnings).toContain(embedderWarning);
    expect(engine.status()).toMatchObject({ mode: 'lexical', lexicalReason: embedderWarning });
    const answer = await engine.ask('How many seats were available?');
    expect(answer.quotes.map((quote) => quote.text).join(' ')).toContain('18 available seats');
  });
});

describe('a model download that hangs', () => {
  let server: Server;
  let host: string;
  let answering = false;
  const sockets = new Set<Socket>();
  const modelRoot = (): string => path.join(temp.dir, 'mirror');

  beforeAll(async () => {
    await writeTinyModel({ dir: modelRoot(), name: 'verbatim-remote', texts: passages });
    // A mirror that accepts connections and, until told otherwise, never answers.
    server = createServer((request, response) => {
      if (!answering) return;
      const match = /^\/([^/]+)\/resolve\/main\/(.+)$/.exec(request.url ?? '');
      if (!match) {
        response.writeHead(404).end();
        return;
      }
      readFile(path.join(modelRoot(), match[1]!, decodeURIComponent(match[2]!))).then(
        (data) => response.writeHead(200, { 'content-length': data.length }).end(data),
        () => response.writeHead(404).end(),
      );
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  it('gives up after EMBEDDING_LOAD_TIMEOUT_MS, starts lexical-only, and loads the model at the next reindex', async () => {
    const config = testConfig(temp.dir, {
      EMBEDDING_MODEL: 'verbatim-remote',
      EMBEDDING_ALLOW_REMOTE: 'true',
      EMBEDDING_REMOTE_HOST: host,
      EMBEDDING_LOAD_TIMEOUT_MS: '1000',
      MODEL_CACHE_DIR: 'remote-cache',
      INDEX_DIR: 'index-remote',
    });
    const warnings: string[] = [];
    const { engine } = await startEngine(config, { warn: (message) => warnings.push(message) });
    const timedOut = 'embeddings: could not load model "verbatim-remote": no answer within 1 s (EMBEDDING_LOAD_TIMEOUT_MS) — retrieval is lexical-only (BM25).';
    expect(warnings).toContain(timedOut);
    expect(engine.status()).toMatchObject({ mode: 'lexical', lexicalReason: timedOut });
    expect(sockets.size).toBeGreaterThan(0);

    answering = true;
    await engine.reindex();
    expect(warnings).toContain('embeddings: loaded model "verbatim-remote" on retry; this reindex embeds the corpus (hybrid retrieval).');
    expect(engine.status()).toMatchObject({ mode: 'hybrid', modelId: 'verbatim-remote', lexicalReason: null });
    const { hits } = await engine.search('How many seats were available?', 3);
    expect(hits.some((hit) => hit.denseRank !== null)).toBe(true);
  });
});
