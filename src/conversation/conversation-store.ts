import { LRUCache } from 'lru-cache';
import type { Span } from '../domain.js';

/** What an answer quoted: the passage, and the quoted characters of its document. */
export interface QuotedPlace extends Span {
  chunkId: string;
  documentId: string;
}

/** One answered turn, as later follow-ups need it. */
export interface Turn {
  /**
   * The question as it was read: cleaned of mentions and Markdown, and for a follow-up that
   * only named something new, the earlier question it was restated as. What a later
   * follow-up may be restated against.
   */
  question: string;
  /** The question with the context it was searched with (for a follow-up, the earlier question in brackets). */
  resolvedQuestion: string;
  /** What the answer quoted (empty when it abstained). */
  quoted: QuotedPlace[];
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
 * An LRU cache: reading a conversation makes it recently used (the last to be evicted
 * when full), but only a new turn extends its time-to-live.
 */
export class ConversationStore {
  private readonly conversations: LRUCache<string, Turn[]>;
  private readonly now: () => number;

  constructor(private readonly options: ConversationStoreOptions) {
    this.now = options.now ?? Date.now;
    this.conversations = new LRUCache<string, Turn[]>({
      max: options.maxKeys,
      ttl: options.ttlMs,
      // Read the clock on every check: lru-cache otherwise reuses one reading for 1 ms.
      ttlResolution: 0,
      perf: { now: () => this.now() },
    });
  }

  /** Recent turns, oldest first; an expired conversation is dropped. */
  history(key: string): Turn[] {
    return [...(this.conversations.get(key) ?? [])];
  }

  record(key: string, turn: Omit<Turn, 'at'>): void {
    const turns = this.history(key);
    turns.push({ ...turn, at: this.now() });
    this.conversations.set(key, turns.slice(-this.options.maxTurns));
  }

  forget(key: string): void {
    this.conversations.delete(key);
  }

  get size(): number {
    return this.conversations.size;
  }
}
