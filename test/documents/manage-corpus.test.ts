/**
 * Adding, removing and restoring documents with the real engine (lexical) over a temporary
 * copy of the article, the real SQLite log, and real failures: a build that cannot write its
 * texts folder, another process holding the reindex lock, the last document removed.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documentFromPath, type DocumentSource } from '../../src/documents/acquire-document.js';
import { CorpusManager, REMOVED_FOLDER } from '../../src/documents/manage-corpus.js';
import { createEngine } from '../../src/engine.js';
import type { Engine } from '../../src/engine-types.js';
import { UserError } from '../../src/errors.js';
import { readDocumentUrls } from '../../src/question-log/document-log.js';
import { QuestionLog } from '../../src/question-log/question-log.js';
import { buildIndex } from '../../src/store/build-index.js';
import { withReindexLock } from '../../src/store/reindex-lock.js';
import { TEXTS_FOLDER } from '../../src/store/text-files.js';
import { ARTICLE_DIR, makeTempDir, testConfig } from '../helpers.js';

const ARTICLE = 'kazakhstan-un-human-rights-council.txt';
const GUIDE = `# The Otter Handbook

Sea otters hold hands while they sleep so that they do not drift apart. A group of resting otters is called a raft.

## Feeding

An adult sea otter eats about a quarter of its body weight every day, mostly urchins, crabs and clams.
`;
const ADMIN = { frontEnd: 'discord' as const, userId: '123456789012345678', guildId: '100000000000000001' };

let temp: { dir: string; cleanup: () => void };
let engine: Engine;
let log: QuestionLog;
let manager: CorpusManager;
let corpusDir: string;
let dataDir: string;

/** A document as a source hands it over (as a link or an attachment would). */
function source(fileName: string, content: string | Buffer, url: string | null = null): DocumentSource {
  return { label: url ?? fileName, url, requestedName: url ? null : fileName, acquire: async () => ({ bytes: Buffer.from(content), fileName, url }) };
}

async function refusal(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

function changes(): { action: string; file: string; outcome: string; detail: string | null; url: string | null }[] {
  return log.summarize({ since: 0, until: Date.now() + 1, guildId: null })!.documentChanges.reverse();
}

beforeEach(async () => {
  temp = makeTempDir('verbatim-manage-');
  corpusDir = path.join(temp.dir, 'corpus');
  dataDir = path.join(temp.dir, 'data');
  cpSync(ARTICLE_DIR, corpusDir, { recursive: true });
  const config = testConfig(temp.dir, { DATA_DIR: 'data' });
  engine = await createEngine({ config, embedder: null, embedderWarning: 'lexical in this test', documentUrls: () => readDocumentUrls(dataDir) });
  log = QuestionLog.open({ dataDir, logQuestions: true, retentionDays: 90 });
  manager = new CorpusManager({ engine, corpusDir, dataDir, maxBytes: config.documentMaxBytes, log });
});

afterEach(() => {
  engine.close();
  log.close();
  temp.cleanup();
});

describe('adding a document', () => {
  it('saves it, reindexes, answers from it with its link, and records who added it', async () => {
    const progress: string[] = [];
    const result = await manager.addDocument(source('otters.md', GUIDE, 'https://example.org/otters'), ADMIN, (step) => progress.push(step.phase));
    expect(result).toMatchObject({ action: 'add', file: 'otters.md', requestedName: null, url: 'https://example.org/otters', outcome: { outcome: 'indexed', format: 'md' } });
    expect(result.outcome!.passages).toBeGreaterThan(0);
    expect(progress).toContain('save');
    expect(readFileSync(path.join(corpusDir, 'otters.md'), 'utf8')).toBe(GUIDE);

    const answer = await engine.ask('What is a group of resting otters called?');
    expect(answer.abstained).toBe(false);
    expect(answer.quotes[0]).toMatchObject({ source: 'corpus/otters.md', url: 'https://example.org/otters' });
    expect(answer.quotes[0]!.text).toContain('raft');

    // A build from scratch (a new model, `npm run reindex` on an empty INDEX_DIR) keeps the link: it is read from the log.
    const rebuilt = await buildIndex({ corpusDir, indexDir: path.join(temp.dir, 'index-from-scratch'), embedder: null, documentUrls: readDocumentUrls(dataDir) });
    expect(rebuilt.index.documents.find((document) => document.source === 'corpus/otters.md')!.url).toBe('https://example.org/otters');

    const listed = manager.listDocuments().documents.find((entry) => entry.file === 'otters.md')!;
    expect(listed.origin).toMatchObject({ url: 'https://example.org/otters', addedVia: 'discord', addedBy: log.hashUser(ADMIN.userId) });
    expect(listed.origin!.addedAt).toBeGreaterThan(Date.now() - 60_000);
    expect(changes()).toEqual([{ action: 'add', file: 'otters.md', outcome: 'done', detail: expect.stringMatching(/^indexed: \d+ passages$/), url: 'https://example.org/otters', at: expect.any(String), frontEnd: 'discord', user: log.hashUser(ADMIN.userId) }]);
    // Nothing is left where documents are checked or staged.
    expect(existsSync(path.join(dataDir, 'incoming')) ? readdirSync(path.join(dataDir, 'incoming')) : []).toEqual([]);
    expect(readdirSync(corpusDir).sort()).toEqual([ARTICLE, 'otters.md'].sort());
  });

  it('gives a clashing name a number and leaves the file already there as it was', async () => {
    await manager.addDocument(source('otters.md', GUIDE), ADMIN);
    const second = await manager.addDocument(source('otters.md', '# Otters again\n\nRiver otters live in fresh water.\n'), ADMIN);
    expect(second).toMatchObject({ file: 'otters-2.md', requestedName: 'otters.md' });
    expect(readFileSync(path.join(corpusDir, 'otters.md'), 'utf8')).toBe(GUIDE);
    expect(engine.listFiles().map((file) => file.file)).toEqual(['corpus/kazakhstan-un-human-rights-council.txt', 'corpus/otters-2.md', 'corpus/otters.md']);
  });

  it('refuses a file the reader would skip, with the reader’s reason, and never puts it in the corpus', async () => {
    const before = engine.status().builtAt;
    const empty = await refusal(manager.addDocument(source('empty.txt', ''), ADMIN));
    expect(empty.code).toBe('document-refused');
    expect(empty.message).toBe('Not added: empty.txt — empty: the file has no text. Nothing was changed.');
    const binary = await refusal(manager.addDocument(source('data.txt', Buffer.from([0x00, 0x01, 0x02, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x10])), ADMIN));
    expect(binary.code).toBe('document-refused');
    const unsupported = await refusal(manager.addDocument(source('tool.exe', 'MZ'), ADMIN));
    expect(unsupported.message).toMatch(/^Not added: tool\.exe — unsupported type \(\.exe\): Verbatim reads .*\.md.*\.txt/);
    expect(readdirSync(corpusDir)).toEqual([ARTICLE]);
    expect(engine.status().builtAt).toEqual(before);
    expect(changes().map((change) => `${change.action} ${change.file} ${change.outcome}`)).toEqual(['add empty.txt refused', 'add data.txt refused', 'add tool.exe refused']);
  });

  it('undoes the change when the reindex fails after the file was saved: corpus, index and links as they were', async () => {
    // A file where the build keeps converted texts: the build of a Windows-1252 text fails there.
    mkdirSync(path.join(temp.dir, 'index'), { recursive: true });
    writeFileSync(path.join(temp.dir, 'index', TEXTS_FOLDER), 'not a folder');
    const latin1 = Buffer.from('Caf\xe9 notes\n\nThe caf\xe9 opens at seven every morning.\n', 'latin1');
    const error = await refusal(manager.addDocument(source('cafe.txt', latin1, 'https://example.org/cafe'), ADMIN));
    expect(error.code).toBe('document-reindex-failed');
    expect(error.message).toMatch(/^The reindex after adding cafe\.txt failed \(.+\), so the change was undone: the documents and the index are as they were\.$/);
    expect(readdirSync(corpusDir)).toEqual([ARTICLE]);
    expect(readDocumentUrls(dataDir)).toEqual(new Map());
    expect(engine.listFiles().map((file) => file.file)).toEqual([`corpus/${ARTICLE}`]);
    expect((await engine.ask('When does the café open?')).quotes.every((quote) => quote.source !== 'corpus/cafe.txt')).toBe(true);
    expect(changes()).toMatchObject([{ action: 'add', file: 'cafe.txt', outcome: 'failed', url: 'https://example.org/cafe' }]);
  });

  it('refuses politely, changing nothing, while another process holds the reindex lock', async () => {
    let error: unknown;
    await withReindexLock(path.join(temp.dir, 'index'), async () => {
      error = await manager.addDocument(source('otters.md', GUIDE), ADMIN).catch((caught: unknown) => caught);
    });
    expect((error as UserError).code).toBe('reindex-busy');
    expect(readdirSync(corpusDir)).toEqual([ARTICLE]);
    expect(changes()).toMatchObject([{ action: 'add', file: 'otters.md', outcome: 'refused', detail: 'A reindex is already running. Please wait for it to finish.' }]);
  });

  it('refuses before downloading anything while this process is reindexing', async () => {
    let acquired = false;
    const running = engine.reindex();
    const error = await refusal(manager.addDocument({ ...source('otters.md', GUIDE), acquire: async () => ((acquired = true), { bytes: Buffer.from(GUIDE), fileName: 'otters.md', url: null }) }, ADMIN));
    await running;
    expect(error.code).toBe('reindex-busy');
    expect(acquired).toBe(false);
  });

  it('adds a file from a path on the bot’s machine under its own safe name', async () => {
    const outside = path.join(temp.dir, '.hidden notes.md');
    writeFileSync(outside, GUIDE);
    const result = await manager.addDocument(documentFromPath(outside, { documentMaxBytes: 1_000_000 }), { frontEnd: 'terminal', userId: null, guildId: null });
    expect(result).toMatchObject({ file: 'hidden notes.md', requestedName: '.hidden notes.md', url: null });
    const missing = await refusal(manager.addDocument(documentFromPath(path.join(temp.dir, 'nope.md'), { documentMaxBytes: 1_000_000 }), { frontEnd: 'terminal', userId: null, guildId: null }));
    expect(missing.message).toContain('there is no such file');
  });
});

describe('removing and restoring a document', () => {
  it('keeps a removed file under DATA_DIR, stops answering from it, and brings it back with its link on restore', async () => {
    await manager.addDocument(source('otters.md', GUIDE, 'https://example.org/otters'), ADMIN);
    const removed = await manager.removeDocument('otters.md', ADMIN);
    expect(removed.keptAs).toMatch(new RegExp(`^${REMOVED_FOLDER}/\\d{8}T\\d{6}Z-otters\\.md$`));
    expect(readFileSync(path.join(dataDir, removed.keptAs!), 'utf8')).toBe(GUIDE);
    expect(existsSync(path.join(corpusDir, 'otters.md'))).toBe(false);
    expect((await engine.ask('What is a group of resting otters called?')).quotes.some((quote) => quote.source === 'corpus/otters.md')).toBe(false);
    const kept = await manager.listRemoved();
    expect(kept).toMatchObject([{ name: path.basename(removed.keptAs!), corpusName: 'otters.md', origin: { url: 'https://example.org/otters' } }]);

    const restored = await manager.restoreDocument(kept[0]!.name, ADMIN);
    expect(restored).toMatchObject({ action: 'restore', file: 'otters.md', requestedName: null, url: 'https://example.org/otters', outcome: { outcome: 'indexed' } });
    const answer = await engine.ask('What is a group of resting otters called?');
    expect(answer.quotes[0]).toMatchObject({ source: 'corpus/otters.md', url: 'https://example.org/otters' });
    expect(await manager.listRemoved()).toEqual([]);
    expect(changes().map((change) => `${change.action} ${change.outcome}`)).toEqual(['add done', 'remove done', 'restore done']);
  });

  it('restores beside a file that took the name meanwhile, without overwriting it', async () => {
    await manager.addDocument(source('otters.md', GUIDE), ADMIN);
    const removed = await manager.removeDocument('otters.md', ADMIN);
    await manager.addDocument(source('otters.md', '# Other otters\n\nGiant otters live in South America.\n'), ADMIN);
    const restored = await manager.restoreDocument(path.basename(removed.keptAs!), ADMIN);
    expect(restored).toMatchObject({ file: 'otters-2.md', requestedName: 'otters.md' });
    expect(readFileSync(path.join(corpusDir, 'otters-2.md'), 'utf8')).toBe(GUIDE);
    expect(readFileSync(path.join(corpusDir, 'otters.md'), 'utf8')).toContain('Giant otters');
  });

  it('refuses names outside the corpus or not there, and the removal of the last document', async () => {
    for (const name of ['../corpus/kazakhstan-un-human-rights-council.txt', '/etc/passwd', '..', '.hidden', 'missing.md']) {
      expect((await refusal(manager.removeDocument(name, ADMIN))).code).toBe('document-not-found');
    }
    const last = await refusal(manager.removeDocument(ARTICLE, ADMIN));
    expect(last.code).toBe('document-last');
    expect(readdirSync(corpusDir)).toEqual([ARTICLE]);
    expect(existsSync(path.join(dataDir, REMOVED_FOLDER)) ? readdirSync(path.join(dataDir, REMOVED_FOLDER)) : []).toEqual([]);
    expect((await engine.ask("Who is Kazakhstan's Human Rights Commissioner?")).abstained).toBe(false);
    for (const name of ['../x', 'nothing-kept.md', '']) expect((await refusal(manager.restoreDocument(name, ADMIN))).code).toBe('document-not-kept');
  });

  it('removes a file in a subfolder and restores it to the same folder', async () => {
    mkdirSync(path.join(corpusDir, 'animals'));
    writeFileSync(path.join(corpusDir, 'animals', 'otters.md'), GUIDE);
    await engine.reindex();
    const removed = await manager.removeDocument('animals\\otters.md', ADMIN);
    expect(removed.file).toBe('animals/otters.md');
    rmSync(path.join(corpusDir, 'animals'), { recursive: true });
    const restored = await manager.restoreDocument(path.basename(removed.keptAs!), ADMIN);
    expect(restored.file).toBe('animals/otters.md');
    expect(readFileSync(path.join(corpusDir, 'animals', 'otters.md'), 'utf8')).toBe(GUIDE);
  });
});
