/** One answered turn, as later follow-ups need it. */
export interface Turn {
  question: string;
  resolvedQuestion: string;
  /** Chunks the answer quoted (empty when it abstained). */
  quotedChunkIds: string[];
  at: number;
}

export interface ConversationStoreOptions {
  /** A conversation idle this long is forgotten. */
  ttlMs: number;
  /** Turns remembered per conversation. */
  maxTurns: number;
  /** Conversations remembered at once; the least recently used goes first. */
  maxKeys: number;
  now?: () => number;
}

/**
 * Per-conversation memory of recent turns (key: e.g. `channelId:userId`), bounded in
 * age, turns and number of conversations so a busy server cannot grow it without limit.
 */
export class ConversationStore {
  private readonly conversations = new Map<string, Turn[]>();
  private readonly now: () => number;

  constructor(private readonly options: ConversationStoreOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Recent turns, oldest first; expired conversations are dropped. */
  history(key: string): Turn[] {
    const turns = this.conversations.get(key);
    if (!turns) return [];
    const last = turns.at(-1);
    if (!last || this.now() - last.at > this.options.ttlMs) {
      this.conversations.delete(key);
      return [];
    }
    return [...turns];
  }

  record(key: string, turn: Omit<Turn, 'at'>): void {
    const turns = this.history(key);
    turns.push({ ...turn, at: this.now() });
    // Re-inserting moves the key to the end: Map order doubles as recency order.
    this.conversations.delete(key);
    this.conversations.set(key, turns.slice(-this.options.maxTurns));
    while (this.conversations.size > this.options.maxKeys) {
      const oldest = this.conversations.keys().next().value as string;
      this.conversations.delete(oldest);
    }
  }

  forget(key: string): void {
    this.conversations.delete(key);
  }

  get size(): number {
    return this.conversations.size;
  }
}
