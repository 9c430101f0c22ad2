import { LRUCache } from 'lru-cache';
import type { Span } from '../domain.js';

/** What an answer quoted: the passage, and the quoted characters of its document. */
export interface QuotedPlace extends Span {
  chunkId: string;
  documentId: string;
}

/**
 * Where a turn's follow-ups look back to: what the answer quoted or, when it abstained, the
 * first related passage it showed (what the user reads, and asks about next: "how old was
 * he then?" after an abstention on which army Bunyan joined). The models are fitted the
 * same way: an earlier turn counts as having quoted its best-retrieved passage whether or
 * not it would have answered (training/collect-examples.ts).
 */
export function rememberedPlaces(answer: { quotes: readonly QuotedPlace[]; related: readonly QuotedPlace[] }): QuotedPlace[] {
  const shown = answer.quotes.length > 0 ? answer.quotes : answer.related.slice(0, 1);
  return shown.map(({ chunkId, documentId, start, end }) => ({ chunkId, documentId, start, end }));
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
  /** What the answer quoted; when it abstained, the closest related passage it offered (see `rememberedPlaces`). */
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
