import { Client, type ClientOptions, Events, GatewayCloseCodes, type GatewayIntentBits } from 'discord.js';
import type { Config } from '../config.js';
import { CorpusManager } from '../documents/manage-corpus.js';
import type { Engine } from '../engine-types.js';
import { openConfiguredQuestionLog } from '../question-log/open-configured-log.js';
import type { QuestionLog } from '../question-log/question-log.js';
import { AnswerLog } from './answer-log.js';
import { AnswerQueue } from './answer-queue.js';
import { InFlight } from './in-flight.js';
import type { BotContext } from './bot-context.js';
import { handleInteractions } from './events/interaction-create.js';
import { handleMentions } from './events/message-create.js';
import { FULL_INTENTS, INTENTS_WITHOUT_MESSAGE_CONTENT, MESSAGE_CONTENT_REFUSED_WARNING } from './intents.js';
import { RateLimiter } from './rate-limiter.js';
import { registerCommands } from './register-commands.js';
import { explainStartupError, type StartupError, type StartupStage } from './startup-errors.js';

export interface StartBotOptions {
  engine: Engine;
  config: Config;
  embedderWarning: string | null;
  log?: BotContext['log'];
  /**
   * Called when Discord ends the session for good after start-up (a revoked token,
   * intents switched off): the bot can no longer receive anything and should exit.
   * Default: log it.
   */
  onFatal?: (error: StartupError | Error) => void;
  /** The question log to use; by default the bot opens DATA_DIR's and closes it on stop. */
  questionLog?: QuestionLog;
}

export interface RunningBot {
  client: Client;
  /** Whether Discord granted the Message Content intent. */
  messageContent: boolean;
  /**
   * Finishes the answers under way (up to SHUTDOWN_GRACE_MS), then disconnects and closes
   * the question log; safe to call twice. Rejects saying how many answers it abandoned.
   */
  stop(): Promise<void>;
}

const consoleLog: BotContext['log'] = {
  info: (message) => console.error(message),
  error: (message, error) => console.error(message, error),
};

/**
 * Logs in to Discord (REST through DISCORD_API_URL), registers the slash commands
 * (in DISCORD_GUILD_ID when set, globally otherwise) and starts answering.
 * Resolves once the bot is ready and its commands are registered. When Discord
 * refuses the Message Content intent, logs in again without it (and says so once).
 * Failures an owner can fix reject with a one-sentence StartupError.
 */
export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const { engine, config } = options;
  const log = options.log ?? consoleLog;
  if (!config.discord.token) throw new Error('discord: DISCORD_TOKEN is not set');

  const questionLog = options.questionLog ?? openConfiguredQuestionLog(config, { info: log.info, warn: (message) => log.error(message) });
  const closeQuestionLog = (): void => {
    if (!options.questionLog) questionLog.close();
  };
  const context: BotContext = {
    engine,
    config,
    answers: new AnswerLog(),
    questionLog,
    documents: new CorpusManager({ engine, corpusDir: config.corpusDir, dataDir: config.dataDir, maxBytes: config.documentMaxBytes, log: questionLog, warn: (message) => log.error(message) }),
    questionLimiter: new RateLimiter(config.discord.rateLimitQuestions, config.discord.rateLimitWindowMs),
    suggestionLimiter: new RateLimiter(config.discord.rateLimitSuggestions, config.discord.rateLimitSuggestionWindowMs),
    answering: new AnswerQueue(),
    inFlight: new InFlight(),
    stopping: false,
    embedderWarning: options.embedderWarning,
    messageContent: true,
    log,
  };
  const stage: StartupStage = { apiUrl: config.discord.apiUrl, guildId: config.discord.guildId, applicationId: null, closeCode: null };

  let client: Client<true>;
  try {
    client = await logInAllowingForMessageContent(context, stage);
  } catch (error) {
    closeQuestionLog();
    throw explainStartupError(error, stage) ?? error;
  }

  try {
    stage.applicationId = client.application.id;
    const shards = describeShards(client);
    if (holdsShardZero(client)) {
      const count = await registerCommands(client.rest, client.application.id, config.discord.guildId);
      log.info(`discord: logged in as ${client.user.tag}${shards}; ${count} commands registered ${config.discord.guildId ? `in server ${config.discord.guildId}` : 'globally'}`);
    } else {
      log.info(`discord: logged in as ${client.user.tag}${shards}; the process with shard 0 registers the commands`);
    }
  } catch (error) {
    await client.destroy();
    closeQuestionLog();
    throw explainStartupError(error, stage) ?? error;
  }

  let stopped = false;
  // After start-up discord.js reconnects by itself; these close codes end the session for good.
  client.on(Events.ShardDisconnect, (event) => {
    if (stopped) return;
    const fatal = explainStartupError(new Error(`gateway closed with ${event.code}`), { ...stage, closeCode: event.code });
    const error = fatal ?? new Error(`discord: the gateway closed with ${event.code} and will not reconnect`);
    (options.onFatal ?? ((failure) => log.error(failure.message)))(error);
  });

  return {
    client,
    messageContent: context.messageContent,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Answers already under way are finished and delivered; new events are turned away.
      context.stopping = true;
      const abandoned = await context.inFlight.settle(config.shutdownGraceMs);
      await client.destroy();
      closeQuestionLog();
      if (abandoned > 0) {
        throw new Error(`discord: shutdown incomplete: ${abandoned} question(s) still being answered after ${config.shutdownGraceMs / 1000} s (SHUTDOWN_GRACE_MS) were abandoned`);
      }
    },
  };
}

/** Logs in with every intent; when Discord refuses Message Content (4014), says so once and logs in without it. */
async function logInAllowingForMessageContent(context: BotContext, stage: StartupStage): Promise<Client<true>> {
  try {
    return await logIn(FULL_INTENTS, context, stage);
  } catch (error) {
    if (stage.closeCode !== GatewayCloseCodes.DisallowedIntents) throw error;
    context.log.info(MESSAGE_CONTENT_REFUSED_WARNING);
    context.messageContent = false;
    stage.closeCode = null;
    return logIn(INTENTS_WITHOUT_MESSAGE_CONTENT, context, stage);
  }
}

/** One login with these intents; rejects (after cleaning up) with the gateway close code noted in `stage`. */
async function logIn(intents: readonly GatewayIntentBits[], context: BotContext, stage: StartupStage): Promise<Client<true>> {
  const { config, log } = context;
  const client = new Client({
    intents: [...intents],
    rest: { api: config.discord.apiUrl },
    allowedMentions: { parse: [] },
    ...shardOptions(config),
  });
  handleInteractions(client, context);
  handleMentions(client, context);
  // An error event without a listener would crash the process.
  client.on(Events.Error, (error) => log.error('discord: client error', error));
  client.on(Events.ShardDisconnect, (event) => {
    stage.closeCode = event.code;
  });
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  try {
    await client.login(config.discord.token!);
    return await ready;
  } catch (error) {
    await client.destroy();
    throw error;
  }
}

/** discord.js sharding options from DISCORD_SHARDS (none under a ShardingManager, which sets them itself). */
function shardOptions(config: Config): Partial<ClientOptions> {
  const { shards, managedByShardingManager } = config.discord;
  if (managedByShardingManager || shards === null) return {};
  // discord.js runs shards 0 … N-1 of N in this process (internal sharding).
  return shards === 'auto' ? { shards: 'auto' } : { shardCount: shards };
}

/** " (shards 0, 1 of 2)" when sharded, else nothing. */
function describeShards(client: Client<true>): string {
  const ids = client.shard?.ids ?? [...client.ws.shards.keys()];
  const count = client.shard?.count ?? client.options.shardCount ?? 1;
  return count > 1 ? ` (shard${ids.length > 1 ? 's' : ''} ${ids.join(', ')} of ${count})` : '';
}

/** Commands are registered once per bot: by the process that holds shard 0. */
function holdsShardZero(client: Client<true>): boolean {
  return client.shard === null || client.shard.ids.includes(0);
}
