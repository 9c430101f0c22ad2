import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine-types.js';
import { DATABASE_FILE_NAME } from '../../src/question-log/open-database.js';
import { PRUNE_INTERVAL_MS, QuestionLog, type QuestionLogOptions, RETRY_AFTER_FAILURE_MS } from '../../src/question-log/question-log.js';
import { chatLines, makeTempDir, openArticleEngine } from '../helpers.js';
import { makeAnswer } from './answers.js';

const DAY_MS = 86_400_000;
const RAW_USER_ID = '412345678901234567';

let temps: { cleanup: () => void }[] = [];
afterEach(() => {
  for (const temp of temps) temp.cleanup();
  temps = [];
});

function tempDir(): string {
  const temp = makeTempDir('verbatim-log-');
  temps.push(temp);
  return temp.dir;
}

/** A log over `dir` with a clock the test moves, collecting what it reports. */
function openLog(dir: string, options: Partial<QuestionLogOptions> & { clock?: { now: number } } = {}) {
  const clock = options.clock ?? { now: Date.UTC(2025, 0, 10, 12) };
  const messages = { info: [] as string[], warn: [] as string[] };
  const log = QuestionLog.open({
    dataDir: dir,
    logQuestions: true,
    retentionDays: 90,
    now: () => clock.now,
    report: { info: (m) => messages.info.push(m), warn: (m) => messages.warn.push(m) },
    ...options,
  });
  return { log, clock, messages };
}

function rows(dir: string, sql: string): unknown[] {
  const db = new Database(path.join(dir, DATABASE_FILE_NAME), { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

describe('the question log', () => {
  it('stores what was asked, where, the outcome, confidence, cited passages and latency — and a salted hash, never the raw user id', () => {
    const dir = tempDir();
    const { log } = openLog(dir);
    const answerId = log.recordQuestion({
      answer: makeAnswer('Who chairs the council?', { chunkIds: ['doc#p3', 'doc#p7'], confidence: 0.81 }),
      frontEnd: 'discord',
      guildId: '100000000000000001',
      channelId: '200000000000000002',
      userId: RAW_USER_ID,
      latencyMs: 12.5,
    });
    log.recordQuestion({ answer: makeAnswer('And who else?', { abstained: true }), frontEnd: 'discord', userId: RAW_USER_ID, latencyMs: 3 });
    log.recordVote(answerId, RAW_USER_ID, 'up');
    log.close();

    const [first, second] = rows(dir, 'SELECT * FROM questions ORDER BY id') as Record<string, unknown>[];
    expect(first).toMatchObject({
      answer_id: answerId,
      asked_at: Date.UTC(2025, 0, 10, 12),
      front_end: 'discord',
      guild_id: '100000000000000001',
      channel_id: '200000000000000002',
      question: 'Who chairs the council?',
      answered: 1,
      confidence: 0.81,
      latency_ms: 12.5,
    });
    expect(second).toMatchObject({ answered: 0, reason: 'not-in-sources' });
    expect(rows(dir, 'SELECT citation, chunk_id FROM cited_passages ORDER BY citation')).toEqual([
      { citation: 1, chunk_id: 'doc#p3' },
      { citation: 2, chunk_id: 'doc#p7' },
    ]);
    expect(first!.user_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(second!.user_hash).toBe(first!.user_hash);
    expect(first!.user_hash).not.toContain(RAW_USER_ID);
    const files = readdirSync(dir).filter((name) => name.startsWith(DATABASE_FILE_NAME));
    for (const name of files) expect(readFileSync(path.join(dir, name)).includes(RAW_USER_ID)).toBe(false);

    // Another database has another salt: hashes cannot be matched across logs.
    const other = tempDir();
    const { log: otherLog } = openLog(other);
    otherLog.recordQuestion({ answer: makeAnswer('Who chairs the council?'), frontEnd: 'discord', userId: RAW_USER_ID, latencyMs: 1 });
    otherLog.close();
    expect((rows(other, 'SELECT user_hash FROM questions')[0] as { user_hash: string }).user_hash).not.toBe(first!.user_hash);
  });

  it('keeps one vote per user per answer, the last one winning, across a restart', () => {
    const dir = tempDir();
    const { log } = openLog(dir);
    log.recordVote('a1', 'u1', 'up');
    log.recordVote('a1', 'u1', 'down');
    log.recordVote('a1', 'u2', 'up');
    log.recordVote('a2', 'u1', 'up');
    expect(log.countVotes()).toEqual({ up: 2, down: 1, answers: 2 });
    log.close();
    const { log: reopened } = openLog(dir);
    expect(reopened.countVotes()).toEqual({ up: 2, down: 1, answers: 2 });
    reopened.close();
  });

  it('gives an answer back by its id after a restart, for its buttons', () => {
    const dir = tempDir();
    const { log } = openLog(dir);
    const answer = makeAnswer('Who chairs the council?', { chunkIds: ['doc#p3'] });
    const answerId = log.recordQuestion({ answer, answerId: 'abc123', frontEnd: 'terminal', latencyMs: 1 });
    expect(answerId).toBe('abc123');
    log.close();
    const { log: reopened } = openLog(dir);
    expect(reopened.findAnswer('abc123')).toEqual({ ...answer, retrievedChunkIds: [] });
    expect(reopened.findAnswer('unknown')).toBeUndefined();
    reopened.close();
  });

  it('with QUESTION_LOG off stores votes but no question', () => {
    const dir = tempDir();
    const { log } = openLog(dir, { logQuestions: false });
    const answerId = log.recordQuestion({ answer: makeAnswer('Who?'), frontEnd: 'discord', userId: RAW_USER_ID, latencyMs: 1 });
    log.recordVote(answerId, RAW_USER_ID, 'down');
    log.close();
    expect(rows(dir, 'SELECT count(*) AS n FROM questions')).toEqual([{ n: 0 }]);
    expect(rows(dir, 'SELECT answer_id, vote FROM votes')).toEqual([{ answer_id: answerId, vote: 'down' }]);
  });

  it('deletes questions and votes older than the retention period, at start-up and then hourly', () => {
    const dir = tempDir();
    const start = Date.UTC(2025, 0, 1);
    const { log, clock } = openLog(dir, { retentionDays: 30, clock: { now: start } });
    const old = log.recordQuestion({ answer: makeAnswer('Old question?', { chunkIds: ['doc#p1'] }), frontEnd: 'terminal', latencyMs: 1 });
    log.recordVote(old, 'u1', 'up');
    clock.now = start + 10 * DAY_MS;
    log.recordQuestion({ answer: makeAnswer('Newer question?'), frontEnd: 'terminal', latencyMs: 1 });
    log.close();

    // 31 days on, a restart prunes the first question (and its citations and vote), not the second.
    const later = { now: start + 31 * DAY_MS };
    const { log: reopened } = openLog(dir, { retentionDays: 30, clock: later });
    expect((rows(dir, 'SELECT question FROM questions') as { question: string }[]).map((r) => r.question)).toEqual(['Newer question?']);
    expect(rows(dir, 'SELECT count(*) AS n FROM cited_passages JOIN questions ON questions.id = question_id')).toEqual([{ n: 1 }]);
    expect(rows(dir, 'SELECT count(*) AS n FROM cited_passages')).toEqual([{ n: 1 }]);
    expect(reopened.countVotes()).toEqual({ up: 0, down: 0, answers: 0 });
    expect(reopened.findAnswer(old)).toBeUndefined();

    // While running: the next write after an hour prunes what has aged out meanwhile.
    later.now = start + 41 * DAY_MS + PRUNE_INTERVAL_MS;
    reopened.recordQuestion({ answer: makeAnswer('Latest question?'), frontEnd: 'terminal', latencyMs: 1 });
    expect((rows(dir, 'SELECT question FROM questions') as { question: string }[]).map((r) => r.question)).toEqual(['Latest question?']);
    reopened.close();
  });
});

describe('importing feedback.json', () => {
  it('moves every vote into the database once, hashing user ids, and keeps the file renamed', () => {
    const dir = tempDir();
    const original = JSON.stringify({ votes: { a1: { [RAW_USER_ID]: 'up', '512345678901234567': 'down' }, a2: { [RAW_USER_ID]: 'up' } } });
    writeFileSync(path.join(dir, 'feedback.json'), original);
    const { log, messages } = openLog(dir);
    expect(log.countVotes()).toEqual({ up: 2, down: 1, answers: 2 });
    expect(messages.info).toEqual([expect.stringMatching(/^question-log: imported 3 vote\(s\) on 2 answer\(s\) from .*feedback\.json; the file is kept as .*feedback\.json\.imported-/)]);
    const kept = readdirSync(dir).filter((name) => name.startsWith('feedback.json'));
    expect(kept).toEqual([expect.stringMatching(/^feedback\.json\.imported-/)]);
    expect(readFileSync(path.join(dir, kept[0]!), 'utf8')).toBe(original);
    expect(JSON.stringify(rows(dir, 'SELECT * FROM votes'))).not.toContain(RAW_USER_ID);

    // A vote changed since, then the same file imported again: nothing doubles, the newer vote stays.
    log.recordVote('a1', RAW_USER_ID, 'down');
    log.close();
    writeFileSync(path.join(dir, 'feedback.json'), original);
    const { log: again } = openLog(dir);
    expect(again.countVotes()).toEqual({ up: 1, down: 2, answers: 2 });
    again.close();
  });

  it.each([
    ['has no "votes" object', JSON.stringify({ vote: { a1: { u1: 'up' } } }), /it has no "votes" object/],
    ['is not JSON', '{"votes": {"a1": ', /it is not valid JSON/],
    ['holds a vote that is neither up nor down', JSON.stringify({ votes: { a1: { u1: 'sideways' } } }), /a vote on answer "a1" is "sideways"/],
  ])('keeps a feedback.json that %s aside, unchanged, says so, and never overwrites it', (_, content, reason) => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'feedback.json'), content);
    const { log, messages } = openLog(dir);
    log.recordVote('a9', 'u9', 'up');
    expect(log.countVotes()).toEqual({ up: 1, down: 0, answers: 1 });
    log.close();
    expect(messages.warn).toHaveLength(1);
    expect(messages.warn[0]).toMatch(reason);
    expect(messages.warn[0]).toMatch(/no vote was taken from it\. It is kept, unchanged, as .*feedback\.json\.unreadable-/);
    const kept = readdirSync(dir).filter((name) => name.startsWith('feedback.json'));
    expect(kept).toEqual([expect.stringMatching(/^feedback\.json\.unreadable-/)]);
    expect(readFileSync(path.join(dir, kept[0]!), 'utf8')).toBe(content);
  });
});

describe('a database that cannot be used', () => {
  let temp: { engine: Engine; cleanup: () => void };
  beforeAll(async () => {
    temp = await openArticleEngine();
  });
  afterAll(() => temp.cleanup());

  /** Two questions through the terminal chat: both must be answered whatever the log does. */
  const chat = (log: QuestionLog): Promise<string> =>
    chatLines(temp.engine, ['How many seats were available?', 'Who is the Human Rights Commissioner?', '/quit'], { questionLog: log });

  it('is reported once when locked by another process, answering goes on, and it is used again once free', async () => {
    const dir = tempDir();
    openLog(dir).log.close();
    const other = new Database(path.join(dir, DATABASE_FILE_NAME));
    other.exec('BEGIN EXCLUSIVE');
    const { log, clock, messages } = openLog(dir);
    try {
      const text = await chat(log);
      expect(text).toContain('18 available seats');
      expect(text).toContain('Askar Shakirov');
      expect(messages.warn).toHaveLength(1);
      expect(messages.warn[0]).toMatch(/^question-log: .*verbatim\.sqlite is locked by another process .*Questions are still answered but not logged/);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    clock.now += RETRY_AFTER_FAILURE_MS;
    log.recordQuestion({ answer: makeAnswer('After the lock?'), frontEnd: 'terminal', latencyMs: 1 });
    expect(messages.info).toEqual([expect.stringMatching(/works again/)]);
    expect(messages.warn).toHaveLength(1);
    log.close();
    expect(rows(dir, 'SELECT question FROM questions')).toEqual([{ question: 'After the lock?' }]);
  });

  it('is reported once when damaged, and answering goes on', async () => {
    const dir = tempDir();
    const garbage = 'this is not an SQLite database\n'.repeat(200);
    writeFileSync(path.join(dir, DATABASE_FILE_NAME), garbage);
    const { log, messages } = openLog(dir);
    const text = await chat(log);
    expect(text).toContain('18 available seats');
    expect(text).toContain('Askar Shakirov');
    expect(log.countVotes()).toBeNull();
    expect(() => log.recordVote('a1', 'u1', 'up')).toThrow();
    expect(messages.warn).toHaveLength(1);
    expect(messages.warn[0]).toMatch(/verbatim\.sqlite is damaged \(file is not a database\); move it aside/);
    log.close();
    expect(readFileSync(path.join(dir, DATABASE_FILE_NAME), 'utf8')).toBe(garbage);
  });

  it('is reported once when read-only, and answering goes on', async () => {
    const dir = tempDir();
    openLog(dir).log.close();
    const file = path.join(dir, DATABASE_FILE_NAME);
    // Root ignores permission bits; the immutable attribute stops root too.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) execFileSync('chattr', ['+i', file]);
    else chmodSync(file, 0o444);
    try {
      const { log, messages } = openLog(dir);
      const text = await chat(log);
      expect(text).toContain('18 available seats');
      expect(text).toContain('Askar Shakirov');
      expect(messages.warn).toHaveLength(1);
      expect(messages.warn[0]).toMatch(/verbatim\.sqlite is read-only .*check the permissions/);
      log.close();
    } finally {
      if (asRoot) execFileSync('chattr', ['-i', file]);
      else chmodSync(file, 0o644);
    }
    expect(existsSync(file)).toBe(true);
  });
});
