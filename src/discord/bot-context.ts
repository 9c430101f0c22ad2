import type { AutocompleteInteraction, ButtonInteraction, ChatInputCommandInteraction, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Config } from '../config.js';
import type { CorpusManager } from '../documents/manage-corpus.js';
import type { Engine } from '../engine-types.js';
import type { QuestionLog } from '../question-log/question-log.js';
import type { AnswerLog } from './answer-log.js';
import type { AnswerQueue } from './answer-queue.js';
import type { InFlight } from './in-flight.js';
import type { RateLimiter } from './rate-limiter.js';

/** What every handler may use; built once in start-bot.ts. */
export interface BotContext {
  engine: Engine;
  config: Config;
  answers: AnswerLog;
  /** Logged questions and votes (SQLite); the source of truth for buttons after a restart. */
  questionLog: QuestionLog;
  /** Adds, removes and restores corpus documents (`/documents`). */
  documents: CorpusManager;
  /** Questions per user (/ask, /search and mentions share one budget). */
  questionLimiter: RateLimiter;
  /** Autocomplete requests per user: one over it gets an empty list (still answered). */
  suggestionLimiter: RateLimiter;
  /** Where answers are computed, one at a time, behind pending Discord events. */
  answering: AnswerQueue;
  /** Handlers still running, for a shutdown that lets them finish. */
  inFlight: InFlight;
  /** Set once shutdown has begun: new events get a "restarting" notice instead of an answer. */
  stopping: boolean;
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
  /** Buttons whose custom id starts with `<command name>:` (e.g. pages of a list). */
  button?(interaction: ButtonInteraction, context: BotContext): Promise<void>;
}

/** Conversation memory is per channel (or thread) and user. */
export function conversationKey(channelId: string, userId: string): string {
  return `${channelId}:${userId}`;
}
