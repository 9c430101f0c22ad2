import { existsSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { hashUserId } from './user-hash.js';

/** Where votes were kept before the question log (`{"votes": {answerId: {userId: "up"|"down"}}}`). */
export const FEEDBACK_FILE_NAME = 'feedback.json';

export interface FeedbackImportReport {
  info: (message: string) => void;
  warn: (message: string) => void;
}

type Votes = Record<string, Record<string, 'up' | 'down'>>;

/**
 * Moves the votes of an old `feedback.json` into the database, once: each user id is
 * hashed on the way in, a vote already in the database wins (so importing twice changes
 * nothing), and the file is then renamed `feedback.json.imported-<time>`. A file that is
 * not valid JSON of that shape is never imported nor overwritten: it is renamed
 * `feedback.json.unreadable-<time>` and reported, so the operator can mend it and put it
 * back. Returns the number of votes imported.
 */
export function importFeedbackFile(db: Database, dataDir: string, salt: string, now: number, report: FeedbackImportReport): number {
  const file = path.join(dataDir, FEEDBACK_FILE_NAME);
  if (!existsSync(file)) return 0;
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  let votes: Votes;
  try {
    votes = parseFeedback(readFileSync(file, 'utf8'));
  } catch (error) {
    // Another bot process starting at the same moment imported it first.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    const aside = `${file}.unreadable-${stamp}`;
    try {
      renameSync(file, aside);
      report.warn(`question-log: ${file} could not be imported (${(error as Error).message}); no vote was taken from it. It is kept, unchanged, as ${aside}: mend it and rename it back to ${FEEDBACK_FILE_NAME} to import it at the next start.`);
    } catch {
      report.warn(`question-log: ${file} could not be imported (${(error as Error).message}) and could not be renamed aside; it is left as it is and was not changed.`);
    }
    return 0;
  }
  const insert = db.prepare("INSERT OR IGNORE INTO votes (answer_id, user_hash, vote, voted_at) VALUES (?, ?, ?, ?)");
  let count = 0;
  db.transaction(() => {
    // The file kept no times: the import's time starts their retention period.
    for (const [answerId, voters] of Object.entries(votes)) {
      for (const [userId, vote] of Object.entries(voters)) {
        insert.run(answerId, hashUserId(salt, userId), vote, now);
        count++;
      }
    }
  }).immediate();
  const aside = `${file}.imported-${stamp}`;
  try {
    renameSync(file, aside);
    report.info(`question-log: imported ${count} vote(s) on ${Object.keys(votes).length} answer(s) from ${file}; the file is kept as ${aside}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return count;
    report.warn(`question-log: imported ${count} vote(s) from ${file} but could not rename it (${(error as Error).message}); it will be read again at the next start, which adds nothing twice`);
  }
  return count;
}

/** The votes of a feedback file; throws, saying what is wrong, on anything else. */
function parseFeedback(text: string): Votes {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('it is not valid JSON');
  }
  const votes = (parsed as { votes?: unknown } | null)?.votes;
  if (!isRecord(votes)) throw new Error('it has no "votes" object');
  for (const [answerId, voters] of Object.entries(votes)) {
    if (!isRecord(voters)) throw new Error(`the votes of answer ${JSON.stringify(answerId)} are not an object`);
    for (const vote of Object.values(voters)) {
      if (vote !== 'up' && vote !== 'down') throw new Error(`a vote on answer ${JSON.stringify(answerId)} is ${JSON.stringify(vote)}, not "up" or "down"`);
    }
  }
  return votes as Votes;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
