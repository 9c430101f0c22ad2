import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorpusManager } from '../../src/documents/manage-corpus.js';
import { createEngine } from '../../src/engine.js';
import type { Engine } from '../../src/engine-types.js';
import { readDocumentUrls } from '../../src/question-log/document-log.js';
import { QuestionLog } from '../../src/question-log/question-log.js';
import { ARTICLE_DIR, chatLines as chat, makeTempDir, openArticleEngine, testConfig } from '../helpers.js';

/** What the up-arrow key sends in a terminal. */
const UP_ARROW = '\x1b[A';
const count = (text: string, part: string): number => text.split(part).length - 1;

describe('the terminal chat', () => {
  let temp: { engine: Engine; cleanup: () => void };
  let engine: Engine;
  beforeAll(async () => {
    temp = await openArticleEngine();
    engine = temp.engine;
  });
  afterAll(() => temp.cleanup());

  it('answers, follows up, shows the passage behind a citation and searches', async () => {
    const text = await chat(engine, [
      "Who is Kazakhstan's Human Rights Commissioner?",
      'What did he attribute the election to?',
      '/source 1',
      '/search press freedom',
      '/quit',
      'How many seats were available?',
    ]);
    expect(text).toContain('Askar Shakirov');
    expect(text).toContain('methodical and active work');
    expect(text).toMatch(/»The Human Rights Commissioner of Kazakhstan.*«/);
    expect(text).toContain('Previous: kazakhstan-un-human-rights-council#p12');
    expect(text).toMatch(/1\. kazakhstan-un-human-rights-council#p11/);
    // The question typed after /quit is never answered.
    expect(text).not.toContain('18 available seats');
  });

  it('recalls the previous question with the up arrow, as a terminal does', async () => {
    const text = await chat(engine, ['How many seats were available?', UP_ARROW, '/quit'], { terminal: true });
    // Asked once by typing, once more by recalling it: answered twice.
    expect(count(text, '18 available seats')).toBe(2);
  });

  it('starts each chat session as a new conversation: a follow-up has nothing to lean on from an earlier session', async () => {
    const first = await chat(engine, ["Who is the spokesperson for Kazakhstan's Ministry of Foreign Affairs?", 'What did he say?']);
    expect(first).toContain('We are pleased to have been elected');
    const second = await chat(engine, ['What did he say?']);
    expect(second).toContain("The sources don't answer that.");
    expect(second).not.toContain('We are pleased to have been elected');
  });

  it('explains problems instead of failing (unknown citations, empty questions, unknown commands), shows /help and reindexes', async () => {
    const text = await chat(engine, ['/reset', '/source 3', '   ', '/frobnicate', '/help', '/reindex']);
    expect(text).toContain('There is no earlier answer in this channel to take citation 3 from');
    expect(text).toContain('Unknown command /frobnicate');
    expect(text).toContain('Retrieval: lexical-only (BM25) — no model in this test');
    expect(text).toMatch(/Reindexing…\nReindexed 1 document\(s\) into \d+ passage\(s\)/);
  });
});

describe('managing documents in the terminal chat', () => {
  it('adds a file from a path, answers from it, lists, removes and restores it by name', async () => {
    const temp = makeTempDir('verbatim-chat-docs-');
    try {
      cpSync(ARTICLE_DIR, path.join(temp.dir, 'corpus'), { recursive: true });
      const config = testConfig(temp.dir, { DATA_DIR: 'data' });
      const engine = await createEngine({ config, embedder: null, embedderWarning: 'no model in this test', documentUrls: () => readDocumentUrls(config.dataDir) });
      const questionLog = QuestionLog.open({ dataDir: config.dataDir, logQuestions: true, retentionDays: 90 });
      const manager = new CorpusManager({ engine, corpusDir: config.corpusDir, dataDir: config.dataDir, maxBytes: config.documentMaxBytes, log: questionLog });
      const notes = path.join(temp.dir, 'lighthouse.md');
      writeFileSync(notes, '# The lighthouse\n\nThe keeper winds the lighthouse clock every evening at dusk.\n');
      const text = await chat(
        engine,
        [`/add ${notes}`, 'When does the keeper wind the lighthouse clock?', '/documents', '/remove lighthouse.md', 'When does the keeper wind the lighthouse clock?', '/restore lighthouse.md', '/add', '/remove nothing.md', '/add /no/such/file.md'],
        { questionLog, documents: { manager, config } },
      );
      expect(text).toMatch(/Adding .*lighthouse\.md…\nAdded lighthouse\.md: indexed: \d+ passages?\.\nThe index now holds 2 document\(s\)/);
      expect(text).toMatch(/> The keeper winds the lighthouse clock every evening at dusk\. \[1\]/);
      expect(text).toMatch(/lighthouse\.md — indexed: \d+ passages?\n {3}added \d{4}-\d\d-\d\d \d\d:\d\d UTC from the terminal/);
      expect(text).toMatch(/kazakhstan-un-human-rights-council\.txt — indexed: \d+ passages\n {3}placed in the corpus folder/);
      expect(text).toMatch(/Removed lighthouse\.md: answers no longer come from it\. Kept as removed-documents\/\d{8}T\d{6}Z-lighthouse\.md in DATA_DIR/);
      // Between the removal and the restore, no answer comes from the removed file.
      const whileRemoved = text.slice(text.indexOf('Removed lighthouse.md'), text.indexOf('Restoring lighthouse.md'));
      expect(whileRemoved).not.toContain('(corpus/lighthouse.md)');
      expect(text).toMatch(/Restored lighthouse\.md: indexed: \d+ passages?\./);
      expect(text).toContain('Usage: /add PATH|URL');
      expect(text).toContain('There is no document "nothing.md" in the corpus.');
      expect(text).toContain('Not added: /no/such/file.md — there is no such file. Nothing was changed.');
      expect(readFileSync(path.join(config.corpusDir, 'lighthouse.md'), 'utf8')).toContain('dusk');
      questionLog.close();
      engine.close();
    } finally {
      temp.cleanup();
    }
  });

  it('says the document commands are unavailable without a manager', async () => {
    const temp = await openArticleEngine();
    try {
      expect(await chat(temp.engine, ['/documents'])).toContain('Managing documents needs the question log');
    } finally {
      temp.cleanup();
    }
  });
});
