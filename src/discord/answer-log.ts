import { randomBytes } from 'node:crypto';
import type { Answer } from '../domain.js';

/** Answers kept for their buttons and for `/source N`; older ones are forgotten. */
export const ANSWER_LOG_CAPACITY = 1_000;

/**
 * Recent answers by id (buttons carry the id) and the last answer per conversation
 * (so `/source 2` means citation 2 of *your* last answer *here*).
 */
export class AnswerLog {
  private readonly byId = new Map<string, Answer>();
  private readonly lastByConversation = new Map<string, string>();

  add(answer: Answer, conversationKey: string): string {
    const id = randomBytes(6).toString('base64url');
    this.byId.set(id, answer);
    this.lastByConversation.delete(conversationKey);
    this.lastByConversation.set(conversationKey, id);
    while (this.byId.size > ANSWER_LOG_CAPACITY) this.byId.delete(this.byId.keys().next().value as string);
    while (this.lastByConversation.size > ANSWER_LOG_CAPACITY) {
      this.lastByConversation.delete(this.lastByConversation.keys().next().value as string);
    }
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
