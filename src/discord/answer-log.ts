import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Answer } from '../domain.js';

/** Answers kept for their buttons and for `/source N`; the least recently used are forgotten. */
export const ANSWER_LOG_CAPACITY = 1_000;

/**
 * Recent answers by id (buttons carry the id) and the last answer per conversation
 * (so `/source 2` means citation 2 of *your* last answer *here*). Both are LRU caches:
 * an answer whose buttons are still being clicked stays.
 */
export class AnswerLog {
  private readonly byId = new LRUCache<string, Answer>({ max: ANSWER_LOG_CAPACITY });
  private readonly lastByConversation = new LRUCache<string, string>({ max: ANSWER_LOG_CAPACITY });

  add(answer: Answer, conversationKey: string): string {
    const id = randomBytes(6).toString('base64url');
    this.byId.set(id, answer);
    this.lastByConversation.set(conversationKey, id);
    return id;
  }

  get(id: string): Answer | undefined {
    return this.byId.get(id);
  }

  last(conversationKey: string): Answer | null {
    const id = this.lastByConversation.get(conversationKey);
    return (id && this.byId.get(id)) || null;
  }
}
