import { createHmac, randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';

const SALT_KEY = 'user-hash-salt';
/** 256 bits: as long as the HMAC-SHA-256 key it becomes. */
const SALT_BYTES = 32;
/** 128 bits of the digest: collisions are out of reach for any number of users. */
const USER_HASH_HEX_CHARS = 32;

/**
 * The database's salt for user hashes, generated on first use. `INSERT OR IGNORE` then
 * `SELECT` means two processes opening a new database agree on one salt.
 */
export function readUserHashSalt(db: Database): string {
  db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run(SALT_KEY, randomBytes(SALT_BYTES).toString('hex'));
  return (db.prepare('SELECT value FROM settings WHERE key = ?').get(SALT_KEY) as { value: string }).value;
}

/**
 * A user id as the log stores it: an HMAC keyed with the database's salt, so the same
 * person is recognisable within one database (one vote per answer) but the raw id is
 * never written, and hashes from two databases cannot be matched.
 */
export function hashUserId(salt: string, userId: string): string {
  return createHmac('sha256', salt).update(userId).digest('hex').slice(0, USER_HASH_HEX_CHARS);
}
