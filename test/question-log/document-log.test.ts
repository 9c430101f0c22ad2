import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { readDocumentUrls } from '../../src/question-log/document-log.js';
import { DATABASE_FILE_NAME } from '../../src/question-log/open-database.js';
import { QuestionLog } from '../../src/question-log/question-log.js';
import { makeTempDir } from '../helpers.js';

const DAY_MS = 86_400_000;
let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function tempDir(): string {
  const temp = makeTempDir('verbatim-document-log-');
  cleanups.push(temp.cleanup);
  return temp.dir;
}

describe('what the log keeps of managed documents', () => {
  it('records where a file came from, follows it aside and back, and gives the links of corpus files to a build', () => {
    const dir = tempDir();
    const log = QuestionLog.open({ dataDir: dir, logQuestions: true, retentionDays: 90 });
    const addedBy = log.hashUser('123456789012345678');
    expect(addedBy).toMatch(/^[0-9a-f]{32}$/);
    log.saveOrigin({ place: 'corpus', name: 'guide.html', corpusName: 'guide.html', url: 'https://example.org/guide', addedAt: 1_000, addedBy, addedVia: 'discord', removedAt: null });
    log.saveOrigin({ place: 'corpus', name: 'notes.md', corpusName: 'notes.md', url: null, addedAt: 2_000, addedBy: null, addedVia: 'terminal', removedAt: null });
    expect(readDocumentUrls(dir)).toEqual(new Map([['guide.html', 'https://example.org/guide']]));

    // Removed: the record moves with the file, so the link is no longer a corpus file's.
    const origin = log.findOrigin('corpus', 'guide.html')!;
    log.forgetOrigin('corpus', 'guide.html');
    log.saveOrigin({ ...origin, place: 'removed', name: '20250101T000000Z-guide.html', removedAt: 3_000 });
    expect(readDocumentUrls(dir)).toEqual(new Map());
    expect(log.listOrigins()!.map((entry) => `${entry.place}:${entry.name}`)).toEqual(['corpus:notes.md', 'removed:20250101T000000Z-guide.html']);
    expect(log.findOrigin('removed', '20250101T000000Z-guide.html')).toMatchObject({ corpusName: 'guide.html', url: 'https://example.org/guide', addedBy, removedAt: 3_000 });
    log.close();
  });

  it('gives a build no links, without failing, when there is no log, an old log, or a damaged file', () => {
    const none = tempDir();
    expect(readDocumentUrls(none)).toEqual(new Map());

    const old = tempDir();
    const db = new Database(path.join(old, DATABASE_FILE_NAME));
    db.exec('CREATE TABLE questions (id INTEGER PRIMARY KEY)');
    db.pragma('user_version = 1');
    db.close();
    const quiet: string[] = [];
    expect(readDocumentUrls(old, (message) => quiet.push(message))).toEqual(new Map());
    expect(quiet).toEqual([]);

    const damaged = tempDir();
    writeFileSync(path.join(damaged, DATABASE_FILE_NAME), 'this is not a database, it is plain text '.repeat(100));
    const warnings: string[] = [];
    expect(readDocumentUrls(damaged, (message) => warnings.push(message))).toEqual(new Map());
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^question-log: the links of added documents could not be read/);
  });

  it('deletes document changes older than the retention period, as it does questions, but keeps where files came from', () => {
    const dir = tempDir();
    const clock = { now: 100 * DAY_MS };
    const log = QuestionLog.open({ dataDir: dir, logQuestions: true, retentionDays: 30, now: () => clock.now });
    const actor = { frontEnd: 'discord' as const, userId: '123456789012345678', guildId: '100000000000000001' };
    log.recordDocumentChange({ action: 'add', actor, file: 'old.txt', url: null, outcome: 'done', detail: null });
    log.saveOrigin({ place: 'corpus', name: 'old.txt', corpusName: 'old.txt', url: 'https://example.org/old', addedAt: clock.now, addedBy: null, addedVia: 'discord', removedAt: null });
    clock.now += 31 * DAY_MS;
    // A write prunes when an hour has passed since the last pruning, as for questions.
    log.recordDocumentChange({ action: 'remove', actor, file: 'new.txt', url: null, outcome: 'refused', detail: 'no such file' });
    expect(log.summarize({ since: 0, until: clock.now + 1, guildId: null })!.documentChanges.map((change) => change.file)).toEqual(['new.txt']);
    expect(readDocumentUrls(dir).get('old.txt')).toBe('https://example.org/old');
    log.close();
  });
});
