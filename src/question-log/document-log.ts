import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE_NAME } from './open-database.js';

/**
 * The documents side of the SQLite log: every add, remove and restore an admin asks for
 * (with its outcome), and where each managed file came from — its link, who added it and
 * when. Users are stored as the question log stores them: salted hashes, never raw ids.
 */

export type DocumentAction = 'add' | 'remove' | 'restore';
/** `done`: the corpus changed; `refused`: nothing was changed (bad input); `failed`: tried, undone. */
export type DocumentChangeOutcome = 'done' | 'refused' | 'failed';
export type FrontEnd = 'discord' | 'terminal';

/** Who asked for a change. */
export interface DocumentActor {
  frontEnd: FrontEnd;
  /** The raw user id (only its hash is stored); null in the terminal. */
  userId: string | null;
  guildId: string | null;
}

/** One change as a front end hands it to the log. */
export interface DocumentChangeEntry {
  action: DocumentAction;
  actor: DocumentActor;
  /** The corpus file (relative to CORPUS_DIR), or the name asked for when refused. */
  file: string;
  url: string | null;
  outcome: DocumentChangeOutcome;
  /** What became of it (passages, pages) or why not. */
  detail: string | null;
}

/** Where a file lives: in the corpus, or kept aside under DATA_DIR after a remove. */
export type OriginPlace = 'corpus' | 'removed';

/** What is known of a managed file. */
export interface DocumentOrigin {
  place: OriginPlace;
  /** Relative to CORPUS_DIR (place `corpus`) or the file's name under the removed folder. */
  name: string;
  /** Where it lives (or lived) in the corpus, relative to CORPUS_DIR. */
  corpusName: string;
  /** The link it was added from; null for an attachment or a local file. */
  url: string | null;
  /** When it was added through the bot (ms); null for a file put there by other means. */
  addedAt: number | null;
  /** Who added it, as the log stores users (hash); null when unknown or in the terminal. */
  addedBy: string | null;
  addedVia: FrontEnd | null;
  /** When it was removed (ms), for a file kept aside. */
  removedAt: number | null;
}

/** A change as the report shows it. */
export interface DocumentChangeRow {
  at: string;
  action: DocumentAction;
  frontEnd: FrontEnd;
  /** The admin, as a hash (null in the terminal). */
  user: string | null;
  file: string;
  url: string | null;
  outcome: DocumentChangeOutcome;
  detail: string | null;
}

interface OriginRow {
  place: OriginPlace;
  name: string;
  corpus_name: string;
  url: string | null;
  added_at: number | null;
  added_by: string | null;
  added_via: FrontEnd | null;
  removed_at: number | null;
}

/** Writes one change; `userHash` is the actor's hashed id. */
export function insertDocumentChange(db: Database.Database, entry: DocumentChangeEntry, userHash: string | null, changedAt: number): void {
  db.prepare(
    `INSERT INTO document_changes (changed_at, action, front_end, guild_id, user_hash, file, url, outcome, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(changedAt, entry.action, entry.actor.frontEnd, entry.actor.guildId, userHash, entry.file, entry.url, entry.outcome, entry.detail);
}

/** Records (or replaces) what is known of the file at `origin.place`/`origin.name`. */
export function upsertOrigin(db: Database.Database, origin: DocumentOrigin): void {
  db.prepare(
    `INSERT INTO document_origins (place, name, corpus_name, url, added_at, added_by, added_via, removed_at)
     VALUES (@place, @name, @corpusName, @url, @addedAt, @addedBy, @addedVia, @removedAt)
     ON CONFLICT (place, name) DO UPDATE SET corpus_name = excluded.corpus_name, url = excluded.url, added_at = excluded.added_at,
       added_by = excluded.added_by, added_via = excluded.added_via, removed_at = excluded.removed_at`,
  ).run(origin);
}

export function deleteOrigin(db: Database.Database, place: OriginPlace, name: string): void {
  db.prepare('DELETE FROM document_origins WHERE place = ? AND name = ?').run(place, name);
}

/** What is known of one file, or null. */
export function findOrigin(db: Database.Database, place: OriginPlace, name: string): DocumentOrigin | null {
  const row = db.prepare('SELECT * FROM document_origins WHERE place = ? AND name = ?').get(place, name) as OriginRow | undefined;
  return row ? toOrigin(row) : null;
}

export function selectOrigins(db: Database.Database): DocumentOrigin[] {
  return (db.prepare('SELECT * FROM document_origins ORDER BY place, name').all() as OriginRow[]).map(toOrigin);
}

/** Changes in `[since, until)` (of one guild when given), newest first, at most `limit`. */
export function selectDocumentChanges(db: Database.Database, period: { since: number; until: number; guildId: string | null }, limit: number): DocumentChangeRow[] {
  const guild = period.guildId === null ? '' : ' AND guild_id = @guildId';
  const rows = db
    .prepare(
      `SELECT changed_at, action, front_end, user_hash, file, url, outcome, detail FROM document_changes
        WHERE changed_at >= @since AND changed_at < @until${guild} ORDER BY changed_at DESC, id DESC LIMIT ${limit}`,
    )
    .all(period) as { changed_at: number; action: DocumentAction; front_end: FrontEnd; user_hash: string | null; file: string; url: string | null; outcome: DocumentChangeOutcome; detail: string | null }[];
  return rows.map((row) => ({
    at: new Date(row.changed_at).toISOString(),
    action: row.action,
    frontEnd: row.front_end,
    user: row.user_hash,
    file: row.file,
    url: row.url,
    outcome: row.outcome,
    detail: row.detail,
  }));
}

/**
 * The links corpus files were added from, by path relative to CORPUS_DIR, read from the
 * log in DATA_DIR (for a build: citations of those documents link there). Opened read-only
 * and closed again, so any process that builds the index (a shard, `npm run reindex`) sees
 * the same links; no log yet means no links. A log that cannot be read is reported and
 * treated as having none: the documents are still indexed, their citations without a link.
 */
export function readDocumentUrls(dataDir: string, warn: (message: string) => void = () => {}): Map<string, string> {
  const file = path.join(dataDir, DATABASE_FILE_NAME);
  const urls = new Map<string, string>();
  if (!existsSync(file)) return urls;
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const rows = db.prepare("SELECT corpus_name, url FROM document_origins WHERE place = 'corpus' AND url IS NOT NULL").all() as { corpus_name: string; url: string }[];
    for (const row of rows) urls.set(row.corpus_name, row.url);
  } catch (error) {
    // A log from before documents were managed has no such table: no links to give.
    if (!/no such table/.test((error as Error).message)) {
      warn(`question-log: the links of added documents could not be read from ${file} (${(error as Error).message}); their citations have no link until it can be read`);
    }
  } finally {
    db?.close();
  }
  return urls;
}

function toOrigin(row: OriginRow): DocumentOrigin {
  return {
    place: row.place,
    name: row.name,
    corpusName: row.corpus_name,
    url: row.url,
    addedAt: row.added_at,
    addedBy: row.added_by,
    addedVia: row.added_via,
    removedAt: row.removed_at,
  };
}
