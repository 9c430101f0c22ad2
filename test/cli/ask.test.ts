import { execFile } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withReindexLock } from '../../src/store/reindex-lock.js';
import { ARTICLE_DIR, childEnv, makeTempDir, ODD_ENVIRONMENT, PROJECT_ROOT } from '../helpers.js';

const run = promisify(execFile);
const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');

// Settings exported in the runner's shell must not reach the children.
beforeAll(() => {
  for (const [name, value] of Object.entries(ODD_ENVIRONMENT)) vi.stubEnv(name, value);
});
afterAll(() => {
  vi.unstubAllEnvs();
});

describe('npm run ask (the JSON contract)', () => {
  let temp: { dir: string; cleanup: () => void };
  const ask = (...args: string[]) =>
    run(TSX, [path.join(PROJECT_ROOT, 'src', 'cli', 'ask.ts'), ...args], {
      cwd: temp.dir,
      env: childEnv({ EMBEDDING_MODEL: 'none' }),
    });

  beforeAll(() => {
    temp = makeTempDir();
    cpSync(ARTICLE_DIR, path.join(temp.dir, 'corpus'), { recursive: true });
  });
  afterAll(() => temp.cleanup());

  it('prints one JSON object per turn, with verbatim quotes whose offsets slice the file', async () => {
    const { stdout } = await ask('--json', 'How did Reporters Without Borders rank Kazakhstan?', 'In which index was that?');
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>);
    expect(lines).toHaveLength(2);
    const file = readFileSync(path.join(temp.dir, 'corpus', 'kazakhstan-un-human-rights-council.txt'), 'utf8');
    for (const line of lines) {
      expect(Object.keys(line).sort()).toEqual(['abstained', 'confidence', 'question', 'quotes', 'related', 'text']);
      expect(line.abstained).toBe(false);
      expect(line.related).toEqual([]);
      for (const quote of line.quotes) {
        expect(Object.keys(quote).sort()).toEqual(['attribution', 'citation', 'end', 'item', 'page', 'paragraph', 'section', 'source', 'start', 'text', 'textFile', 'url']);
        expect(file.slice(quote.start, quote.end)).toBe(quote.text);
        expect(quote.source).toBe('corpus/kazakhstan-un-human-rights-council.txt');
        // A UTF-8 text file is its own text file; it has no pages.
        expect(quote.textFile).toBe(quote.source);
        expect(quote.page).toBeNull();
        expect(quote.item).toBeNull();
        expect(line.text).toContain(quote.text);
      }
    }
    expect(lines[1]!.question).toBe('In which index was that?');
    expect(lines[1]!.quotes[0].text).toContain('Press Freedom Index');
  });

  it('answers each line of a question file on its own and prints the id with the last turn', async () => {
    const file = path.join(temp.dir, 'questions.jsonl');
    writeFileSync(file, [
      JSON.stringify({ id: 'a', question: 'How many seats were available?' }),
      JSON.stringify({ id: 'b', question: 'What did he say?', turns: ["Who is the spokesperson for Kazakhstan's Ministry of Foreign Affairs?", 'What did he say?'] }),
      // Answerable only as b's follow-up: alone, "he" points at nobody.
      JSON.stringify({ id: 'c', question: 'What did he say?' }),
      '',
    ].join('\n'));
    const { stdout } = await ask('--file', file);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>);
    expect(lines.map((l) => l.id)).toEqual(['a', 'b', 'c']);
    expect(lines[0]!.quotes[0].text).toContain('18 available seats');
    expect(lines[1]!.quotes[0].text).toContain('We are pleased to have been elected');
    // Line c stands alone: had line b's conversation leaked into it, it would quote the spokesperson too.
    expect(lines[2]).toMatchObject({ id: 'c', abstained: true, quotes: [] });
  });

  it('reads a plain text file as one question a line, and says in one line what is wrong with a bad file', async () => {
    const file = path.join(temp.dir, 'questions.txt');
    writeFileSync(file, 'How many seats were available?\r\n\r\nWhat did he say?\n');
    const { stdout } = await ask('--file', file);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>);
    expect(lines.map((l) => [l.id, l.question])).toEqual([['1', 'How many seats were available?'], ['3', 'What did he say?']]);
    expect(lines[0]!.quotes[0].text).toContain('18 available seats');

    const bad = path.join(temp.dir, 'bad.jsonl');
    writeFileSync(bad, `${JSON.stringify({ question: 'How many seats were available?' })}\n{"question": "no closing brace"\n`);
    for (const [args, message] of [
      [[bad], /^ask: .*bad\.jsonl line 2 opens like JSON but is not \(.*\); write a plain question, or a JSON object with a "question"\n$/],
      [[path.join(temp.dir, 'missing.txt')], /^ask: cannot read .*missing\.txt: there is no such file\n$/],
    ] as const) {
      const failure = (await ask('--file', ...args).catch((error: unknown) => error)) as { code: number; stdout: string; stderr: string };
      expect(failure.code).toBe(1);
      // Nothing answered, no stack trace: the file is read before the engine starts.
      expect(failure.stdout).toBe('');
      expect(failure.stderr).toMatch(message);
    }
  });

  it('prints readable text without --json, and a polite error (exit 1) for an empty question', async () => {
    const { stdout } = await ask('How many seats were available?');
    expect(stdout).toContain('> ');
    expect(stdout).toMatch(/\[1\] Kazakhstan Elected Member of UN Human Rights Council, paragraph 4/);
    const failure = await ask('--json', '   ').catch((error: { code: number; stdout: string }) => error);
    expect((failure as { code: number }).code).toBe(1);
    expect(JSON.parse((failure as { stdout: string }).stdout)).toMatchObject({ error: { code: 'empty-question' } });
  });
});

describe('npm run reindex', () => {
  it('rebuilds with a summary, and on failure exits non-zero, says why and leaves the previous index', async () => {
    const temp = makeTempDir();
    try {
      cpSync(ARTICLE_DIR, path.join(temp.dir, 'corpus'), { recursive: true });
      const reindex = (corpus: string) =>
        run(TSX, [path.join(PROJECT_ROOT, 'src', 'cli', 'reindex.ts')], {
          cwd: temp.dir,
          env: childEnv({ EMBEDDING_MODEL: 'none', CORPUS_DIR: corpus }),
        });
      const { stdout } = await reindex('corpus');
      expect(stdout).toMatch(/^Reindexed 1 document\(s\) into \d+ passage\(s\) in [\d.]+ s\.\nChanges: \d+ added, 0 changed, 0 removed/);
      const manifest = readFileSync(path.join(temp.dir, 'index', 'manifest.json'), 'utf8');

      const { mkdirSync } = await import('node:fs');
      mkdirSync(path.join(temp.dir, 'empty'));
      const failure = (await reindex('empty').catch((error: unknown) => error)) as { code: number; stderr: string };
      expect(failure.code).toBe(1);
      expect(failure.stderr).toMatch(/reindex: failed — The corpus has no readable documents under .*empty\. The previous index is unchanged\./);
      expect(readFileSync(path.join(temp.dir, 'index', 'manifest.json'), 'utf8')).toBe(manifest);
    } finally {
      temp.cleanup();
    }
  });
});

describe('npm run reindex while another build holds the index', () => {
  it('refuses, saying so, and leaves the index as it was', async () => {
    const temp = makeTempDir();
    try {
      cpSync(ARTICLE_DIR, path.join(temp.dir, 'corpus'), { recursive: true });
      const reindex = () => run(TSX, [path.join(PROJECT_ROOT, 'src', 'cli', 'reindex.ts')], { cwd: temp.dir, env: childEnv({ EMBEDDING_MODEL: 'none' }) });
      await reindex();
      const manifest = readFileSync(path.join(temp.dir, 'index', 'manifest.json'), 'utf8');
      // A running bot's /reindex holds the same lock while it builds.
      const held = await withReindexLock(path.join(temp.dir, 'index'), async () => (await reindex().catch((error: unknown) => error)) as { code: number; stderr: string });
      expect(held?.result.code).toBe(1);
      expect(held?.result.stderr).toMatch(/another process .* is rebuilding .*nothing was changed/);
      expect(readFileSync(path.join(temp.dir, 'index', 'manifest.json'), 'utf8')).toBe(manifest);
    } finally {
      temp.cleanup();
    }
  });
});

describe('npm run make-tiny-model (the README\'s offline recipe)', () => {
  it('writes a model from the corpus that ask then loads, without a network, for hybrid answers', async () => {
    const temp = makeTempDir();
    try {
      cpSync(ARTICLE_DIR, path.join(temp.dir, 'corpus'), { recursive: true });
      const made = await run(TSX, [path.join(PROJECT_ROOT, 'src', 'cli', 'make-tiny-model.ts')], { cwd: temp.dir, env: childEnv() });
      expect(made.stdout).toMatch(/^make-tiny-model: wrote models\/verbatim-tiny \(\d+ passages of vocabulary\)/);
      const env = childEnv({ EMBEDDING_MODEL: 'verbatim-tiny', EMBEDDING_MODEL_DIR: 'models', EMBEDDING_ALLOW_REMOTE: 'false' });
      const { stdout, stderr } = await run(TSX, [path.join(PROJECT_ROOT, 'src', 'cli', 'ask.ts'), '--json', 'How many seats were available?'], { cwd: temp.dir, env });
      // No "lexical-only" warning: the model loaded.
      expect(stderr).not.toContain('lexical-only');
      expect((JSON.parse(stdout) as { quotes: { text: string }[] }).quotes[0]!.text).toContain('18 available seats');
      expect(JSON.parse(readFileSync(path.join(temp.dir, 'index', 'manifest.json'), 'utf8'))).toMatchObject({ embeddingModel: 'verbatim-tiny' });
    } finally {
      temp.cleanup();
    }
  });
});
