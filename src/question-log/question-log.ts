import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Answer } from '../domain.js';
import { deleteOrigin, type DocumentChangeEntry, type DocumentOrigin, findOrigin, insertDocumentChange, type OriginPlace, selectOrigins, upsertOrigin } from './document-log.js';
import { importFeedbackFile } from './import-feedback-file.js';
import { DATABASE_FILE_NAME, openQuestionDatabase } from './open-database.js';
import type { ReportPeriod } from './report-period.js';
import { type QuestionReport, summarizeQuestionLog } from './report-queries.js';
import { hashUserId, readUserHashSalt } from './user-hash.js';

const DAY_MS = 86_400_000;
/** Old rows are pruned at start-up and then at most this often, on a write. */
export const PRUNE_INTERVAL_MS = 3_600_000;
/**
 * After a failure the log is left alone this long before it is tried again: each try
 * on a locked file blocks the process for BUSY_TIMEOUT_MS, which must not happen on
 * every answer. A minute lets an operator's fix (or another process's lock) clear.
 */
export const RETRY_AFTER_FAILURE_MS = 60_000;

export type Vote = 'up' | 'down';

/** Where the log's warnings go (one line per fault, and one when it recovers). */
export interface QuestionLogReporter {
  info: (message: string) => void;
  warn: (message: string) => void;
}

export interface QuestionLogOptions {
  dataDir: string;
  /** False (`QUESTION_LOG=off`): questions are not stored, only votes. */
  logQuestions: boolean;
  /** Rows older than this many days are deleted. */
  retentionDays: number;
  now?: () => number;
  report?: QuestionLogReporter;
}

/** One answered question, as a front end hands it to the log. */
export interface QuestionEntry {
  answer: Answer;
  /** The id the answer's buttons carry; made up when the front end has none. */
  answerId?: string;
  frontEnd: 'discord' | 'terminal';
  guildId?: string | null;
  channelId?: string | null;
  /** The raw user id: only its salted hash is stored. */
  userId?: string | null;
  /** Time the engine took to answer. */
  latencyMs: number;
}

/** What a stored answer's buttons need. */
type StoredAnswer = Pick<Answer, 'question' | 'resolvedQuestion' | 'readAs' | 'abstained' | 'confidence' | 'quotes' | 'related' | 'reason'>;

/**
 * The operators' question log and the 👍/👎 votes, in one SQLite file under DATA_DIR.
 *
 * Logging must never cost an answer: a locked, damaged or read-only database is reported
 * once (and once more when it works again), the failed write is dropped, and the log is
 * retried a minute later. Votes are the exception — `recordVote` throws, so the user is
 * told their vote was not saved rather than thanked for it.
 */
export class QuestionLog {
  /** The SQLite file. */
  readonly file: string;
  private db: Database | null = null;
  private salt = '';
  private failing = false;
  private retryAt = 0;
  private prunedAt = -Infinity;
  private fileIdentity: string | null = null;
  private readonly now: () => number;
  private readonly report: QuestionLogReporter;

  private constructor(private readonly options: QuestionLogOptions) {
    this.file = path.join(options.dataDir, DATABASE_FILE_NAME);
    this.now = options.now ?? Date.now;
    this.report = options.report ?? { info: () => {}, warn: () => {} };
  }

  /**
   * Opens the log, migrating its schema and importing an old `feedback.json`. Never
   * throws: a database that cannot be opened is reported and tried again later.
   */
  static open(options: QuestionLogOptions): QuestionLog {
    const log = new QuestionLog(options);
    log.use(() => undefined, undefined);
    return log;
  }

  /** Whether questions are stored (votes always are). */
  get logsQuestions(): boolean {
    return this.options.logQuestions;
  }

  /** Logs an answered question (unless QUESTION_LOG is off); returns the answer's id. */
  recordQuestion(entry: QuestionEntry): string {
    const answerId = entry.answerId ?? createAnswerId();
    if (!this.options.logQuestions) return answerId;
    const { answer } = entry;
    this.use((db) => {
      this.pruneIfDue(db);
      db.transaction(() => {
        const { lastInsertRowid } = db
          .prepare(
            `INSERT INTO questions (answer_id, asked_at, front_end, guild_id, channel_id, user_hash, question, resolved_question, answered, reason, confidence, latency_ms, answer_json)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            answerId,
            this.now(),
            entry.frontEnd,
            entry.guildId ?? null,
            entry.channelId ?? null,
            entry.userId ? hashUserId(this.salt, entry.userId) : null,
            answer.question,
            answer.resolvedQuestion,
            answer.abstained ? 0 : 1,
            answer.reason,
            answer.confidence,
            entry.latencyMs,
            JSON.stringify(toStoredAnswer(answer)),
          );
        const cite = db.prepare('INSERT INTO cited_passages (question_id, citation, chunk_id) VALUES (?, ?, ?)');
        for (const quote of answer.quotes) cite.run(lastInsertRowid, quote.citation, quote.chunkId);
      })();
    }, undefined);
    return answerId;
  }

  /**
   * Records (or changes) a user's vote on an answer: one per user per answer, the last
   * one wins. Throws when it cannot be saved.
   */
  recordVote(answerId: string, userId: string, vote: Vote): void {
    this.use((db) => {
      db.prepare(
        `INSERT INTO votes (answer_id, user_hash, vote, voted_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (answer_id, user_hash) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at`,
      ).run(answerId, hashUserId(this.salt, userId), vote, this.now());
    }, undefined, { rethrow: true });
  }

  /** A logged answer by its id (for its buttons after a restart), while retention keeps it. */
  findAnswer(answerId: string): Answer | undefined {
    return this.use((db) => {
      const row = db.prepare('SELECT answer_json FROM questions WHERE answer_id = ?').get(answerId) as { answer_json: string } | undefined;
      return row ? { ...(JSON.parse(row.answer_json) as StoredAnswer), retrievedChunkIds: [] } : undefined;
    }, undefined);
  }

  /** Votes kept (within retention), or null when the database cannot be read. */
  countVotes(): { up: number; down: number; answers: number } | null {
    return this.use((db) => {
      const row = db
        .prepare("SELECT coalesce(sum(vote = 'up'), 0) AS up, coalesce(sum(vote = 'down'), 0) AS down, count(DISTINCT answer_id) AS answers FROM votes")
        .get() as { up: number; down: number; answers: number };
      return { up: row.up, down: row.down, answers: row.answers };
    }, null);
  }

  /**
   * Logs an admin's add, remove or restore of a document. Like a question, a write that
   * fails is reported (once) rather than thrown: the change itself has already happened.
   */
  recordDocumentChange(entry: DocumentChangeEntry): void {
    this.use((db) => {
      this.pruneIfDue(db);
      insertDocumentChange(db, entry, entry.actor.userId ? hashUserId(this.salt, entry.actor.userId) : null, this.now());
    }, undefined);
  }

  /** A user id as this log stores it (the salted hash); throws when the log cannot be opened. */
  hashUser(userId: string): string {
    return this.use(() => hashUserId(this.salt, userId), '', { rethrow: true });
  }

  /**
   * Records what is known of a managed file (its link, who added it, where it lived).
   * Throws when it cannot be saved: a document change that cannot be recorded is not made.
   */
  saveOrigin(origin: DocumentOrigin): void {
    this.use((db) => upsertOrigin(db, origin), undefined, { rethrow: true });
  }

  /** Forgets a managed file's record; throws when it cannot. */
  forgetOrigin(place: OriginPlace, name: string): void {
    this.use((db) => deleteOrigin(db, place, name), undefined, { rethrow: true });
  }

  /** What is known of one managed file, or null; throws when the log cannot be read. */
  findOrigin(place: OriginPlace, name: string): DocumentOrigin | null {
    return this.use((db) => findOrigin(db, place, name), null, { rethrow: true });
  }

  /** Every managed file's record, or null when the log cannot be read. */
  listOrigins(): DocumentOrigin[] | null {
    return this.use((db) => selectOrigins(db), null);
  }

  /** The report for a period, or null when the database cannot be read. */
  summarize(period: ReportPeriod): QuestionReport | null {
    return this.use((db) => summarizeQuestionLog(db, period), null);
  }

  /** Deletes questions, votes and document changes older than the retention period; returns how many. */
  prune(): { questions: number; votes: number; documentChanges: number } {
    return this.use((db) => this.pruneNow(db), { questions: 0, votes: 0, documentChanges: 0 });
  }

  close(): void {
    this.db?.close();
    this.db = null;
  }

  /**
   * Runs `action` on the open database (opening it first if needed). On failure: report
   * it unless already reported, back off, and return `fallback` (or rethrow).
   */
  private use<T>(action: (db: Database) => T, fallback: T, options: { rethrow?: boolean } = {}): T {
    const now = this.now();
    if (this.failing && now < this.retryAt && !options.rethrow) return fallback;
    try {
      const result = action(this.currentDatabase());
      if (this.failing) {
        this.failing = false;
        this.report.info(`question-log: ${this.file} works again; questions and votes are being saved`);
      }
      return result;
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.report.warn(describeFault(this.file, error));
      }
      this.retryAt = now + RETRY_AFTER_FAILURE_MS;
      // The next try opens the file afresh: it may have been replaced, moved or repaired.
      this.close();
      if (options.rethrow) throw error;
      return fallback;
    }
  }

  /**
   * The open database — reopened when its file was deleted, moved or replaced meanwhile:
   * SQLite would go on writing to the unlinked file, and every later write would be lost.
   */
  private currentDatabase(): Database {
    if (this.db && this.fileIdentity !== identifyFile(this.file)) this.close();
    return this.db ?? this.openDatabase();
  }

  private openDatabase(): Database {
    const db = openQuestionDatabase(this.file);
    try {
      this.salt = readUserHashSalt(db);
      importFeedbackFile(db, this.options.dataDir, this.salt, this.now(), this.report);
      this.pruneNow(db);
    } catch (error) {
      db.close();
      throw error;
    }
    this.db = db;
    this.fileIdentity = identifyFile(this.file);
    return db;
  }

  private pruneIfDue(db: Database): void {
    if (this.now() - this.prunedAt >= PRUNE_INTERVAL_MS) this.pruneNow(db);
  }

  private pruneNow(db: Database): { questions: number; votes: number; documentChanges: number } {
    const cutoff = this.now() - this.options.retentionDays * DAY_MS;
    const pruned = db.transaction(() => ({
      questions: db.prepare('DELETE FROM questions WHERE asked_at < ?').run(cutoff).changes,
      votes: db.prepare('DELETE FROM votes WHERE voted_at < ?').run(cutoff).changes,
      // The audit trail of document changes carries user hashes too: kept as long as questions.
      documentChanges: db.prepare('DELETE FROM document_changes WHERE changed_at < ?').run(cutoff).changes,
    }))();
    this.prunedAt = this.now();
    return pruned;
  }
}

/** Device and inode of a file (null when it is missing): which file a path names now. */
function identifyFile(file: string): string | null {
  const stats = statSync(file, { throwIfNoEntry: false });
  return stats ? `${stats.dev}:${stats.ino}` : null;
}

/** A short random id for an answer's buttons (`source:<id>:n`, `vote:<id>:up`). */
export function createAnswerId(): string {
  return randomBytes(6).toString('base64url');
}

function toStoredAnswer(answer: Answer): StoredAnswer {
  const { question, resolvedQuestion, readAs, abstained, confidence, quotes, related, reason } = answer;
  return { question, resolvedQuestion, ...(readAs === undefined ? {} : { readAs }), abstained, confidence, quotes, related, reason };
}

/** One sentence an operator can act on, naming the file and the fault. */
function describeFault(file: string, error: unknown): string {
  const code = (error as { code?: string }).code ?? '';
  const detail = (error as Error).message;
  const what = code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')
    ? `is locked by another process (${detail})`
    : code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EROFS' || code === 'EPERM'
      ? `is read-only (${detail}); check the permissions of the file and of DATA_DIR`
      : code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')
        ? `is damaged (${detail}); move it aside to start a new log, or repair it with the sqlite3 tool's .recover`
        : `cannot be used (${detail})`;
  return `question-log: ${file} ${what}. Questions are still answered but not logged, and votes cannot be saved, until it works again (retried every ${RETRY_AFTER_FAILURE_MS / 1000} s).`;
}
