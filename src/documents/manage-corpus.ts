import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadCorpus } from '../corpus/load-corpus.js';
import type { CorpusChange, Engine, FileOutcome, ReindexProgress, ReindexSummary } from '../engine-types.js';
import { isUserError, UserError } from '../errors.js';
import type { DocumentAction, DocumentActor, DocumentOrigin } from '../question-log/document-log.js';
import type { QuestionLog } from '../question-log/question-log.js';
import type { DocumentSource } from './acquire-document.js';
import { isTaken, listFiles, moveFileExclusive, resolveCorpusFile, writeNewFile } from './corpus-files.js';
import { chooseFreeName, makeSafeFileName } from './safe-file-name.js';

/**
 * Adding, removing and restoring corpus documents while the bot runs. Every change is one
 * reindex: the file is put in place (or moved aside) holding the reindex lock, the index is
 * rebuilt, and if the build fails the change is undone — the corpus and the index in use
 * stay as they were. A removed file is kept under DATA_DIR, never deleted. Every attempt an
 * admin makes is written to the log with its outcome.
 */

/** Where removed documents are kept, inside DATA_DIR. */
export const REMOVED_FOLDER = 'removed-documents';
/**
 * Longest name a removed file is kept under, in bytes: Discord offers autocomplete values
 * of at most 100 characters, and `/documents restore` offers these names.
 */
const MAX_KEPT_NAME_BYTES = 100;
/** Where a document is checked before it goes into the corpus, inside DATA_DIR. */
const CHECK_FOLDER = 'incoming';

export interface CorpusManagerOptions {
  engine: Engine;
  corpusDir: string;
  dataDir: string;
  /** DOCUMENT_MAX_BYTES. */
  maxBytes: number;
  /** Where changes and where files came from are recorded. */
  log: QuestionLog;
  /** Where failures (a change tried and undone) are reported for the operator. */
  warn?: (message: string) => void;
  now?: () => number;
}

/** What became of a change. */
export interface DocumentChangeResult {
  action: DocumentAction;
  /** The corpus file, relative to CORPUS_DIR. */
  file: string;
  /** The name asked for, when the file got another (a clash, or an unsafe name). */
  requestedName: string | null;
  /** The file's outcome in the new index (null after a remove). */
  outcome: FileOutcome | null;
  url: string | null;
  /** Where a removed file is kept (relative to DATA_DIR), or where a restored one was. */
  keptAs: string | null;
  summary: ReindexSummary;
}

/** A corpus file with its outcome in the index and what is known of where it came from. */
export interface ListedDocument {
  /** Relative to CORPUS_DIR. */
  file: string;
  outcome: FileOutcome;
  origin: DocumentOrigin | null;
}

/** A removed file kept under DATA_DIR. */
export interface RemovedDocument {
  /** Its name in the removed folder (what `restore` takes). */
  name: string;
  /** Where it lived in the corpus. */
  corpusName: string;
  origin: DocumentOrigin | null;
}

type Progress = (progress: ReindexProgress) => void;

export class CorpusManager {
  private readonly corpusDir: string;
  private readonly removedDir: string;
  /** How quote sources name the corpus folder (`corpus/…`). */
  private readonly label: string;
  private readonly now: () => number;

  constructor(private readonly options: CorpusManagerOptions) {
    this.corpusDir = path.resolve(options.corpusDir);
    this.removedDir = path.join(path.resolve(options.dataDir), REMOVED_FOLDER);
    this.label = path.basename(this.corpusDir);
    this.now = options.now ?? Date.now;
  }

  /**
   * Gets a document, checks that it would be indexed (refused with the reader's reason if
   * not — it never reaches the corpus), saves it under a safe, free name and reindexes.
   */
  async addDocument(source: DocumentSource, actor: DocumentActor, onProgress?: Progress): Promise<DocumentChangeResult> {
    const { log } = this.options;
    let file = makeSafeFileName(source.requestedName ?? source.label);
    let url = source.url;
    try {
      // Not worth a download when this process is building already (another process's build is found at the lock).
      this.refuseWhileReindexing();
      const incoming = await source.acquire();
      file = incoming.fileName;
      url = incoming.url;
      await this.checkReadable(incoming.fileName, incoming.bytes);
      let saved = incoming.fileName;
      const change: CorpusChange = {
        apply: async () => {
          saved = chooseFreeName(incoming.fileName, (name) => isTaken(this.corpusDir, name));
          await this.saveNewFile(saved, incoming.bytes);
          await this.recordOrigin(
            () => log.saveOrigin({ place: 'corpus', name: saved, corpusName: saved, url: incoming.url, addedAt: this.now(), addedBy: actor.userId ? log.hashUser(actor.userId) : null, addedVia: actor.frontEnd, removedAt: null }),
            () => rm(path.join(this.corpusDir, saved), { force: true }),
          );
        },
        undo: async () => {
          await rm(path.join(this.corpusDir, saved), { force: true });
          this.forgetQuietly('corpus', saved);
        },
      };
      const summary = await this.reindex('add', () => saved, change, onProgress);
      file = saved;
      const outcome = this.outcomeOf(saved, summary);
      log.recordDocumentChange({ action: 'add', actor, file: saved, url, outcome: 'done', detail: describeOutcome(outcome) });
      const requested = source.requestedName ?? incoming.fileName;
      return { action: 'add', file: saved, requestedName: requested === saved ? null : requested, outcome, url, keptAs: null, summary };
    } catch (error) {
      this.recordFailure('add', actor, file, url, error);
      throw error;
    }
  }

  /** Moves a corpus file aside under DATA_DIR (recoverable) and reindexes. */
  async removeDocument(name: string, actor: DocumentActor, onProgress?: Progress): Promise<DocumentChangeResult> {
    const { log } = this.options;
    let file = name;
    const state: { kept: string; origin: DocumentOrigin | null } = { kept: '', origin: null };
    try {
      this.refuseWhileReindexing();
      const relative = await resolveCorpusFile(this.corpusDir, name);
      if (!relative) throw new UserError('document-not-found', { name });
      file = relative;
      const from = path.join(this.corpusDir, ...relative.split('/'));
      const keptPath = (): string => path.join(this.removedDir, state.kept);
      const change: CorpusChange = {
        apply: async () => {
          await mkdir(this.removedDir, { recursive: true });
          const keptName = makeSafeFileName(`${formatStamp(this.now())}-${path.basename(relative)}`, 'document', MAX_KEPT_NAME_BYTES);
          state.kept = chooseFreeName(keptName, (candidate) => isTaken(this.removedDir, candidate), MAX_KEPT_NAME_BYTES);
          await this.moveOrThrow(from, keptPath(), relative);
          await this.recordOrigin(
            () => {
              state.origin = log.findOrigin('corpus', relative);
              log.saveOrigin({ ...(state.origin ?? blankOrigin(relative)), place: 'removed', name: state.kept, corpusName: relative, removedAt: this.now() });
              log.forgetOrigin('corpus', relative);
            },
            () => moveFileExclusive(keptPath(), from),
          );
        },
        undo: async () => {
          await moveFileExclusive(keptPath(), from);
          this.restoreOriginQuietly(state.origin, 'removed', state.kept);
        },
      };
      const summary = await this.reindex('remove', () => relative, change, onProgress);
      const keptAs = `${REMOVED_FOLDER}/${state.kept}`;
      const url = state.origin?.url ?? null;
      log.recordDocumentChange({ action: 'remove', actor, file: relative, url, outcome: 'done', detail: `kept as ${keptAs}` });
      return { action: 'remove', file: relative, requestedName: null, outcome: null, url, keptAs, summary };
    } catch (error) {
      this.recordFailure('remove', actor, file, state.origin?.url ?? null, error);
      throw error;
    }
  }

  /**
   * Moves a removed file back into the corpus (under a free name) and reindexes. `keptName`
   * is its name in the removed folder, or the name it had in the corpus (the most recently
   * removed file of that name is restored).
   */
  async restoreDocument(keptName: string, actor: DocumentActor, onProgress?: Progress): Promise<DocumentChangeResult> {
    const { log } = this.options;
    let file = keptName;
    let url: string | null = null;
    try {
      this.refuseWhileReindexing();
      const kept = await this.findKept(keptName.trim());
      if (!kept) throw new UserError('document-not-kept', { name: keptName });
      const origin = this.findOriginOrThrow('removed', kept);
      url = origin?.url ?? null;
      const wanted = safeCorpusPath(origin?.corpusName ?? kept.replace(/^\d{8}T\d{6}Z-/, ''));
      file = wanted;
      let restored = wanted;
      const keptPath = path.join(this.removedDir, kept);
      const restoredPath = (): string => path.join(this.corpusDir, ...restored.split('/'));
      const change: CorpusChange = {
        apply: async () => {
          const folder = path.posix.dirname(wanted);
          const folderPath = path.join(this.corpusDir, ...folder.split('/').filter((part) => part !== '.'));
          await mkdir(folderPath, { recursive: true });
          const name = chooseFreeName(path.posix.basename(wanted), (candidate) => isTaken(folderPath, candidate));
          restored = folder === '.' ? name : `${folder}/${name}`;
          await this.moveOrThrow(keptPath, restoredPath(), restored);
          await this.recordOrigin(
            () => {
              log.saveOrigin({ ...(origin ?? blankOrigin(restored)), place: 'corpus', name: restored, corpusName: restored, removedAt: null });
              log.forgetOrigin('removed', kept);
            },
            () => moveFileExclusive(restoredPath(), keptPath),
          );
        },
        undo: async () => {
          await moveFileExclusive(restoredPath(), keptPath);
          this.restoreOriginQuietly(origin, 'corpus', restored);
        },
      };
      const summary = await this.reindex('restore', () => restored, change, onProgress);
      file = restored;
      const outcome = this.outcomeOf(restored, summary);
      log.recordDocumentChange({ action: 'restore', actor, file: restored, url, outcome: 'done', detail: describeOutcome(outcome) });
      return { action: 'restore', file: restored, requestedName: restored === wanted ? null : wanted, outcome, url, keptAs: `${REMOVED_FOLDER}/${kept}`, summary };
    } catch (error) {
      this.recordFailure('restore', actor, file, url, error);
      throw error;
    }
  }

  /** Every corpus file of the index in use, with its outcome and origin (origins empty when the log cannot be read). */
  listDocuments(): { documents: ListedDocument[]; originsReadable: boolean } {
    const origins = this.options.log.listOrigins();
    const byName = new Map((origins ?? []).filter((origin) => origin.place === 'corpus').map((origin) => [origin.corpusName, origin]));
    const prefix = `${this.label}/`;
    const documents = this.options.engine.listFiles().map((outcome) => {
      const file = outcome.file.startsWith(prefix) ? outcome.file.slice(prefix.length) : outcome.file;
      return { file, outcome, origin: byName.get(file) ?? null };
    });
    return { documents, originsReadable: origins !== null };
  }

  /** Removed files kept under DATA_DIR, the most recently removed first. */
  async listRemoved(): Promise<RemovedDocument[]> {
    const origins = this.options.log.listOrigins() ?? [];
    const byName = new Map(origins.filter((origin) => origin.place === 'removed').map((origin) => [origin.name, origin]));
    const names = await listFiles(this.removedDir);
    return names
      .map((name) => ({ name, corpusName: byName.get(name)?.corpusName ?? name.replace(/^\d{8}T\d{6}Z-/, ''), origin: byName.get(name) ?? null }))
      .sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
  }

  private refuseWhileReindexing(): void {
    if (this.options.engine.status().reindexing) throw new UserError('reindex-busy');
  }

  /** The removed file `name` names: its kept name, or the corpus name it had (the latest removed); null when none. */
  private async findKept(name: string): Promise<string | null> {
    if (name === '') return null;
    if (name === makeSafeFileName(name) && isTaken(this.removedDir, name)) return name;
    const byCorpusName = (await this.listRemoved()).find((entry) => entry.corpusName === name.replace(/\\/g, '/'));
    return byCorpusName?.name ?? null;
  }

  /** Refuses, with the reader's reason, a document the index would skip: checked apart from the corpus, by the same loader. */
  private async checkReadable(fileName: string, bytes: Buffer): Promise<void> {
    const folder = path.join(path.resolve(this.options.dataDir), CHECK_FOLDER, randomBytes(8).toString('hex'));
    try {
      await mkdir(folder, { recursive: true });
      await writeFile(path.join(folder, fileName), bytes);
      const checked = await loadCorpus(folder, { maxBytes: this.options.maxBytes });
      const skipped = checked.skipped[0];
      if (skipped) throw new UserError('document-refused', { name: fileName, reason: skipped.reason });
    } catch (error) {
      if (isUserError(error)) throw error;
      throw describeSaveError(fileName, error);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }

  private async saveNewFile(name: string, bytes: Buffer): Promise<void> {
    try {
      await writeNewFile(this.corpusDir, name, bytes);
    } catch (error) {
      throw describeSaveError(name, error);
    }
  }

  private async moveOrThrow(from: string, to: string, name: string): Promise<void> {
    try {
      await moveFileExclusive(from, to);
    } catch (error) {
      throw describeSaveError(name, error);
    }
  }

  /** Records what is known of a file; when the log cannot be written, undoes the move and refuses the change. */
  private async recordOrigin(record: () => void, undoMove: () => Promise<void>): Promise<void> {
    try {
      record();
    } catch {
      // The log has told the operator why; the admin is told that nothing was changed.
      await undoMove();
      throw new UserError('document-log-unavailable');
    }
  }

  /** The reindex that makes a change, its failures in words for the admin. */
  private async reindex(action: DocumentAction, name: () => string, change: CorpusChange, onProgress?: Progress): Promise<ReindexSummary> {
    try {
      return await this.options.engine.reindex(onProgress, change);
    } catch (error) {
      if (isUserError(error)) {
        if (error.code === 'corpus-empty' && action === 'remove') throw new UserError('document-last', { name: name() });
        // Refusals made before anything changed (busy, disk full, log unavailable) are said as they are.
        if (error.code !== 'corpus-empty' && error.code !== 'index-build-failed') throw error;
      }
      const verb = { add: 'adding', remove: 'removing', restore: 'restoring' }[action];
      const detail = describeError(error);
      const undoError = (error as { undoError?: unknown }).undoError;
      if (undoError !== undefined) {
        throw new UserError('document-undo-failed', { action: verb, name: name(), detail, undo: describeError(undoError), path: action === 'remove' ? this.removedDir : this.corpusDir });
      }
      throw new UserError('document-reindex-failed', { action: verb, name: name(), detail });
    }
  }

  private outcomeOf(relative: string, summary: ReindexSummary): FileOutcome | null {
    return summary.files.find((file) => file.file === `${this.label}/${relative}`) ?? null;
  }

  private findOriginOrThrow(place: 'corpus' | 'removed', name: string): DocumentOrigin | null {
    try {
      return this.options.log.findOrigin(place, name);
    } catch {
      throw new UserError('document-log-unavailable');
    }
  }

  private forgetQuietly(place: 'corpus' | 'removed', name: string): void {
    try {
      this.options.log.forgetOrigin(place, name);
    } catch {
      // Reported by the log; a record left for a file that is gone names no corpus file.
    }
  }

  /** Puts a file's record back where it was before a change that is being undone. */
  private restoreOriginQuietly(origin: DocumentOrigin | null, movedPlace: 'corpus' | 'removed', movedName: string): void {
    try {
      this.options.log.forgetOrigin(movedPlace, movedName);
      if (origin) this.options.log.saveOrigin(origin);
    } catch {
      // Reported by the log.
    }
  }

  /** Logs an attempt that changed nothing: refused (bad input, busy) or failed (and undone). */
  private recordFailure(action: DocumentAction, actor: DocumentActor, file: string, url: string | null, error: unknown): void {
    const failed = !isUserError(error) || ['document-download-failed', 'document-reindex-failed', 'document-undo-failed', 'document-disk-full', 'document-save-failed'].includes(error.code);
    this.options.log.recordDocumentChange({ action, actor, file, url, outcome: failed ? 'failed' : 'refused', detail: describeError(error) });
    // A download that failed is the link's business; the rest may need the operator.
    if (failed && !(isUserError(error) && error.code === 'document-download-failed')) this.options.warn?.(`documents: ${action} ${file} failed: ${describeError(error)}`);
  }
}

/** "indexed: 12 passages, 3 pages" or "skipped: why". */
export function describeOutcome(outcome: FileOutcome | null): string {
  if (!outcome) return 'not in the index';
  if (outcome.outcome === 'skipped') return `skipped: ${outcome.reason ?? 'no reason given'}`;
  const pages = outcome.pages !== null ? `, ${outcome.pages} page${outcome.pages === 1 ? '' : 's'}` : '';
  return `indexed: ${outcome.passages} passage${outcome.passages === 1 ? '' : 's'}${pages}`;
}

/**
 * A corpus path from the log, kept inside the corpus whatever the log says: each part a
 * safe name (no `..`, nothing hidden).
 */
function safeCorpusPath(recorded: string): string {
  const parts = recorded.split(/[/\\]+/).filter(Boolean).map((part) => makeSafeFileName(part));
  return parts.length > 0 ? parts.join('/') : 'document';
}

function blankOrigin(corpusName: string): DocumentOrigin {
  return { place: 'corpus', name: corpusName, corpusName, url: null, addedAt: null, addedBy: null, addedVia: null, removedAt: null };
}

/** `20250102T030405Z`: sorts by time, and is safe in a file name on every system. */
function formatStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** A file-system failure while saving or moving, as the admin should read it. */
function describeSaveError(name: string, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new UserError('document-disk-full', { name });
  return new UserError('document-save-failed', { name, detail: describeError(error) });
}

function describeError(error: unknown): string {
  if (isUserError(error)) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'the disk is full';
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\.$/, '');
}
