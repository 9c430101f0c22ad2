import type { Answer } from '../domain.js';
import type { BotContext } from './bot-context.js';

/** Where a Discord question came from. */
export interface DiscordQuestion {
  question: string;
  /** Conversation memory key (channel or thread, and user). */
  conversationKey: string;
  guildId: string | null;
  channelId: string;
  userId: string;
}

/**
 * Answers a question from Discord (in turn, through the answer queue), keeps the answer
 * for its buttons and `/source`, and logs it for the operators. Returns the answer and the id its buttons carry.
 */
export async function askAndRecord(context: BotContext, asked: DiscordQuestion): Promise<{ answer: Answer; answerId: string }> {
  let started = 0;
  const answer = await context.answering.run(() => {
    started = performance.now();
    return context.engine.ask(asked.question, asked.conversationKey);
  });
  // The engine's own time: waiting in the queue is Discord-side scheduling, not answering.
  const latencyMs = performance.now() - started;
  const answerId = context.answers.add(answer, asked.conversationKey);
  context.questionLog.recordQuestion({
    answer,
    answerId,
    frontEnd: 'discord',
    guildId: asked.guildId,
    channelId: asked.channelId,
    userId: asked.userId,
    latencyMs,
  });
  return { answer, answerId };
}
