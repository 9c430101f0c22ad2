import type { AutocompleteInteraction, ChatInputCommandInteraction, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Config } from '../config.js';
import type { Engine } from '../engine-types.js';
import type { AnswerLog } from './answer-log.js';
import type { AnswerQueue } from './answer-queue.js';
import type { FeedbackStore } from './feedback-store.js';
import type { RateLimiter } from './rate-limiter.js';

/** What every handler may use; built once in start-bot.ts. */
export interface BotContext {
  engine: Engine;
  config: Config;
  answers: AnswerLog;
  feedback: FeedbackStore;
  /** Questions per user (slash commands and mentions share one budget). */
  questionLimiter: RateLimiter;
  /** Where answers are computed, one at a time, behind pending Discord events. */
  answering: AnswerQueue;
  embedderWarning: string | null;
  /** Whether Discord granted the Message Content intent (without it, thread follow-ups need a mention). */
  messageContent: boolean;
  log: { info: (message: string) => void; error: (message: string, error?: unknown) => void };
}

/** One slash command: its registration data and its handler (thin: options in, render out). */
export interface Command {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, context: BotContext): Promise<void>;
}

/** Conversation memory is per channel (or thread) and user. */
export function conversationKey(channelId: string, userId: string): string {
  return `${channelId}:${userId}`;
}
