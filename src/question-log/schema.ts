import type { Database } from 'better-sqlite3';

/**
 * The question log's schema, one migration per version. `PRAGMA user_version` holds the
 * version a database is at; a migration is never edited once released — a change is a
 * new entry at the end.
 */
const MIGRATIONS: readonly string[] = [
  // 1: questions with their cited passages, votes, and settings (the user-hash salt).
  `
  CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    answer_id TEXT NOT NULL UNIQUE,
    asked_at INTEGER NOT NULL,
    front_end TEXT NOT NULL CHECK (front_end IN ('discord', 'terminal')),
    guild_id TEXT,
    channel_id TEXT,
    user_hash TEXT,
    question TEXT NOT NULL,
    resolved_question TEXT NOT NULL,
    answered INTEGER NOT NULL CHECK (answered IN (0, 1)),
    reason TEXT,
    confidence REAL NOT NULL,
    latency_ms REAL NOT NULL,
    answer_json TEXT NOT NULL
  );
  CREATE INDEX questions_by_time ON questions (asked_at);
  CREATE TABLE cited_passages (
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    citation INTEGER NOT NULL,
    chunk_id TEXT NOT NULL,
    PRIMARY KEY (question_id, citation)
  );
  CREATE TABLE votes (
    answer_id TEXT NOT NULL,
    user_hash TEXT NOT NULL,
    vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
    voted_at INTEGER NOT NULL,
    PRIMARY KEY (answer_id, user_hash)
  );
  CREATE INDEX votes_by_time ON votes (voted_at);
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // 2: documents added, removed and restored by admins (the audit trail the report shows),
  // and where each managed file came from: its link, who added it and when, and for a
  // removed file (kept aside under DATA_DIR) where it lived in the corpus.
  `
  CREATE TABLE document_changes (
    id INTEGER PRIMARY KEY,
    changed_at INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('add', 'remove', 'restore')),
    front_end TEXT NOT NULL CHECK (front_end IN ('discord', 'terminal')),
    guild_id TEXT,
    user_hash TEXT,
    file TEXT NOT NULL,
    url TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('done', 'refused', 'failed')),
    detail TEXT
  );
  CREATE INDEX document_changes_by_time ON document_changes (changed_at);
  CREATE TABLE document_origins (
    place TEXT NOT NULL CHECK (place IN ('corpus', 'removed')),
    name TEXT NOT NULL,
    corpus_name TEXT NOT NULL,
    url TEXT,
    added_at INTEGER,
    added_by TEXT,
    added_via TEXT CHECK (added_via IN ('discord', 'terminal')),
    removed_at INTEGER,
    PRIMARY KEY (place, name)
  );
  `,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database up to SCHEMA_VERSION. Runs in one IMMEDIATE transaction and reads
 * the version inside it, so two bot processes starting together migrate once. Refuses a
 * database written by a newer version rather than guess at its tables.
 */
export function migrateDatabase(db: Database): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`question-log: the database is at schema version ${version}, newer than this code's ${SCHEMA_VERSION}; update Verbatim`);
    }
    for (let next = version; next < SCHEMA_VERSION; next++) db.exec(MIGRATIONS[next]!);
    if (version !== SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
