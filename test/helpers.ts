import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { type ChatOptions, runChat } from '../src/cli/chat.js';
import { chunkDocument } from '../src/chunking/chunk-document.js';
import { loadConfig, type Config } from '../src/config.js';
import { documentFromText, loadCorpus } from '../src/corpus/load-corpus.js';
import { createEngine } from '../src/engine.js';
import type { Chunk } from '../src/domain.js';
import type { Engine } from '../src/engine-types.js';
import { loadEmbedder } from '../src/embeddings/embedder.js';
import { writeTinyModel } from '../src/embeddings/tiny-model.js';
import type { IndexEmbedder } from '../src/store/dense-index.js';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ARTICLE_DIR = path.join(PROJECT_ROOT, 'corpus');
export const QUESTIONS_FILE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'questions.jsonl');
/** Paraphrased and off-topic questions the team wrote apart from the development set. */
export const PARAPHRASES_FILE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'paraphrases.jsonl');

/**
 * Variables a child Node process needs to start at all. Nothing else of the test
 * runner's environment is passed on: a setting exported in the developer's shell
 * (DISCORD_GUILD_ID, INDEX_DIR, ABSTAIN_THRESHOLD…) must not change what a child does.
 */
const CHILD_BASE_VARIABLES = ['PATH', 'HOME', 'TMPDIR', 'NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS'] as const;

/**
 * The environment for a child process a test spawns (`npm start`, `ask`, `reindex`…):
 * PATH, HOME, TMPDIR and Node's own variables from this process, plus `overrides`.
 * Every test that spawns a child uses it, so children start from a clean, explicit
 * environment. (Their temporary working folders keep a project `.env` out.)
 */
export function childEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of CHILD_BASE_VARIABLES) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...overrides };
}

/**
 * Settings a developer might have exported, at values that would change or break a
 * child that inherited them. Spawning tests stub them (`vi.stubEnv`) so a leak fails
 * on every run, not only on the machine of whoever exports them. The paths lie under
 * /dev/null, where nothing can be created, not even by root.
 */
export const ODD_ENVIRONMENT: Readonly<Record<string, string>> = {
  DISCORD_GUILD_ID: '999999999999999999',
  DISCORD_TOKEN: 'leaked-token-from-the-test-runner',
  INDEX_DIR: '/dev/null/verbatim-leaked-index',
  CORPUS_DIR: '/dev/null/verbatim-leaked-corpus',
  DATA_DIR: '/dev/null/verbatim-leaked-data',
  ABSTAIN_THRESHOLD: '1',
  RATE_LIMIT_QUESTIONS: 'leaked-not-a-number',
  EMBEDDING_MODEL: 'leaked/not-a-model',
  QUESTION_LOG: 'leaked-not-a-boolean',
  DATA_RETENTION_DAYS: '0',
};

/** A fresh temporary folder, removed by the returned cleanup. */
export function makeTempDir(prefix = 'verbatim-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes files (relative path → content) into `dir/corpus` and returns that folder. */
export function writeCorpus(dir: string, files: Record<string, string | Buffer>): string {
  const corpus = path.join(dir, 'corpus');
  mkdirSync(corpus, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(corpus, name)), { recursive: true });
    writeFileSync(path.join(corpus, name), content);
  }
  return corpus;
}

/** Configuration for a temporary project folder (defaults otherwise, no Discord). */
export function testConfig(dir: string, env: Record<string, string> = {}): Config {
  return loadConfig({ CORPUS_DIR: 'corpus', INDEX_DIR: 'index', EMBEDDING_MODEL: 'none', ...env }, dir);
}

/**
 * The generated tiny model, built from the article's passages and loaded through the
 * real transformers.js pipeline.
 */
export async function loadTinyEmbedder(dir: string, corpusDir = ARTICLE_DIR): Promise<IndexEmbedder> {
  const { documents } = await loadCorpus(corpusDir);
  const texts = documents.flatMap(chunkDocument).map((chunk) => chunk.text);
  const modelDir = path.join(dir, 'models');
  await writeTinyModel({ dir: modelDir, name: 'verbatim-tiny', texts });
  const { embedder, warning } = await loadEmbedder({ modelId: 'verbatim-tiny', modelDir, allowRemote: false, cacheDir: path.join(dir, 'cache'), batchSize: 8 });
  if (!embedder) throw new Error(`test: tiny model did not load: ${warning}`);
  return embedder;
}

/** A lexical-only engine (quick to open) over a temporary copy of the article. */
export async function openArticleEngine(): Promise<{ engine: Engine; dir: string; cleanup: () => void }> {
  const temp = makeTempDir();
  cpSync(ARTICLE_DIR, path.join(temp.dir, 'corpus'), { recursive: true });
  const engine = await createEngine({ config: testConfig(temp.dir), embedder: null, embedderWarning: 'no model in this test' });
  return { engine, ...temp };
}

/** A lexical-only engine over a temporary corpus of `files` (as `writeCorpus` takes them). */
export async function openCorpusEngine(files: Record<string, string | Buffer>): Promise<{ engine: Engine; dir: string; cleanup: () => void }> {
  const temp = makeTempDir();
  writeCorpus(temp.dir, files);
  const engine = await createEngine({ config: testConfig(temp.dir), embedder: null, embedderWarning: 'lexical-only in this test' });
  return { engine, ...temp };
}

/** Types `lines` into the terminal chat and returns all it printed. */
export async function chatLines(engine: Engine, lines: readonly string[], options: Omit<ChatOptions, 'input' | 'output'> = {}): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const done = runChat(engine, { ...options, input, output });
  input.end(`${lines.join('\n')}\n`);
  await done;
  return text;
}

/**
 * Passages of real prose: the article's and five package READMEs' (fixed by the lockfile),
 * each README a document of its own, cut at `maxReadmeChars`.
 */
export async function loadProseChunks(maxReadmeChars = Infinity): Promise<Chunk[]> {
  const { documents } = await loadCorpus(ARTICLE_DIR);
  const chunks = documents.flatMap(chunkDocument);
  for (const name of ['minisearch', 'hnswlib-node', 'discord.js', 'vitest', 'ws']) {
    const file = path.join(PROJECT_ROOT, 'node_modules', name, 'README.md');
    const text = readFileSync(file, 'utf8').slice(0, maxReadmeChars);
    chunks.push(...chunkDocument(documentFromText({ id: name, source: `readme/${name}`, path: file, text, title: name })));
  }
  return chunks;
}
