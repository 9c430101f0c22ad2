import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export type Vote = 'up' | 'down';

interface FeedbackFile {
  /** answer id → user id → vote */
  votes: Record<string, Record<string, Vote>>;
}

/**
 * 👍/👎 votes on answers: one vote per user per answer (the last one wins), saved to
 * `feedback.json` in the data folder after each vote so a restart loses nothing.
 */
export class FeedbackStore {
  private data: FeedbackFile = { votes: {} };
  private writing: Promise<void> = Promise.resolve();
  /** Votes recorded so far, and how many of them the last successful write held. */
  private recorded = 0;
  private saved = 0;

  private constructor(private readonly file: string) {}

  /** Opens the store; a missing file starts empty, an unreadable one is kept aside and reported. */
  static async open(dataDir: string, warn: (message: string) => void = () => {}): Promise<FeedbackStore> {
    const store = new FeedbackStore(path.join(dataDir, 'feedback.json'));
    try {
      const parsed = JSON.parse(await readFile(store.file, 'utf8')) as Partial<FeedbackFile>;
      if (parsed && typeof parsed.votes === 'object' && parsed.votes !== null) store.data = { votes: parsed.votes };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        const aside = `${store.file}.corrupt-${Date.now()}`;
        await rename(store.file, aside).catch(() => {});
        warn(`feedback: ${store.file} was unreadable; kept it as ${aside} and started a new one`);
      }
    }
    return store;
  }

  /** Records (or changes) a user's vote; resolves once it is saved. */
  async record(answerId: string, userId: string, vote: Vote): Promise<void> {
    (this.data.votes[answerId] ??= {})[userId] = vote;
    this.recorded++;
    await this.save();
  }

  /**
   * Waits for pending writes and retries one that failed, so a shutdown loses no vote;
   * rejects saying how many votes are not on disk.
   */
  async flush(): Promise<void> {
    await this.writing.catch(() => undefined);
    const unsaved = this.recorded - this.saved;
    if (unsaved === 0) return;
    await this.save().catch((error: unknown) => {
      throw new Error(`feedback: ${unsaved} vote(s) could not be saved to ${this.file}: ${(error as Error).message}`);
    });
  }

  counts(): { up: number; down: number; answers: number } {
    let up = 0;
    let down = 0;
    for (const voters of Object.values(this.data.votes)) {
      for (const vote of Object.values(voters)) {
        if (vote === 'up') up++;
        else down++;
      }
    }
    return { up, down, answers: Object.keys(this.data.votes).length };
  }

  /** Writes are serialized so two quick votes cannot interleave their files. */
  private save(): Promise<void> {
    const snapshot = JSON.stringify(this.data, null, 1);
    const holds = this.recorded;
    // A failed write must not poison the chain: the next vote tries again.
    this.writing = this.writing.catch(() => {}).then(async () => {
      await mkdir(path.dirname(this.file), { recursive: true });
      const temporary = `${this.file}.tmp-${process.pid}`;
      await writeFile(temporary, snapshot);
      await rename(temporary, this.file);
      this.saved = Math.max(this.saved, holds);
    });
    return this.writing;
  }
}
