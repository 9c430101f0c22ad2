/**
 * What the load benchmark sends, and the messages between the benchmark (which runs
 * the bot) and the driver process (which runs the stand-in for Discord and sends the
 * interactions). Kept apart so both sides agree on one shape.
 */

export interface LoadSettings {
  /** `/ask` interactions sent under load. */
  interactions: number;
  /** Distinct users they come from, in turn. */
  users: number;
  /** Guilds the users are spread over. */
  guilds: number;
  /** The interactions are spread evenly over this long. */
  durationMs: number;
  /** The bot's per-user limit for the run (RATE_LIMIT_QUESTIONS); below interactions ÷ users, so every user meets it. */
  rateLimitQuestions: number;
  /** Questions asked one at a time first, as the unloaded baseline. */
  baselineQuestions: number;
  /** Discord's window to acknowledge an interaction. */
  ackWindowMs: number;
}

/**
 * The load: 500 `/ask` from 100 users across 10 guilds within 10 s. Each user
 * asks 5 times against a limit of 4, so exactly one question per user must be refused.
 */
export const DEFAULT_LOAD_SETTINGS: LoadSettings = {
  interactions: 500,
  users: 100,
  guilds: 10,
  durationMs: 10_000,
  rateLimitQuestions: 4,
  baselineQuestions: 20,
  ackWindowMs: 3_000,
};

/** One `/ask` to send: when (after the start), from whom, where, what. */
export interface PlannedAsk {
  atMs: number;
  user: number;
  guild: number;
  question: string;
}

/**
 * Interactions spread evenly over the duration, users taking turns (user k asks
 * every `users`-th time), each user always in the same guild, questions cycling.
 */
export function planLoad(settings: LoadSettings, questions: readonly string[]): PlannedAsk[] {
  if (questions.length === 0) throw new Error('benchmark: the load plan needs at least one question');
  return Array.from({ length: settings.interactions }, (_, k) => {
    const user = k % settings.users;
    return { atMs: (k * settings.durationMs) / settings.interactions, user, guild: user % settings.guilds, question: questions[k % questions.length]! };
  });
}

/** How one interaction went, as the stand-in for Discord saw it (times from `Date.now()`). */
export interface InteractionOutcome {
  /** The interaction's id. */
  id: string;
  user: number;
  sentAtMs: number;
  /** When the acknowledgement (defer or reply) arrived, and the status the stand-in gave it (404 when late). */
  ackAtMs: number | null;
  ackStatus: number | null;
  /** When the user saw the final text: the filled-in deferred reply, or the direct reply. */
  doneAtMs: number | null;
  outcome: 'answered' | 'rate-limited' | 'other' | 'lost';
}

/** Benchmark → driver. */
export type DriverCommand =
  | { type: 'run'; asks: PlannedAsk[]; sequential: boolean; settleMs: number; userOffset: number }
  | { type: 'close' };

/** Driver → benchmark. */
export type DriverMessage =
  | { type: 'ready'; apiUrl: string }
  | { type: 'result'; outcomes: InteractionOutcome[]; eventLoopP99Ms: number }
  | { type: 'error'; message: string };
