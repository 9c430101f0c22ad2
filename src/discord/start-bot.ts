import { Client, type ClientOptions, Events, GatewayCloseCodes, type GatewayIntentBits } from 'discord.js';
import type { Config } from '../config.js';
import type { Engine } from '../engine-types.js';
import { AnswerLog } from './answer-log.js';
import { AnswerQueue } from './answer-queue.js';
import type { BotContext } from './bot-context.js';
import { handleInteractions } from './events/interaction-create.js';
import { handleMentions } from './events/message-create.js';
import { FeedbackStore } from './feedback-store.js';
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
}

export interface RunningBot {
  client: Client;
  /** Whether Discord granted the Message Content intent. */
  messageContent: boolean;
  /** Disconnects from Discord and saves what is pending; safe to call twice. Rejects naming what failed. */
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

  const context: BotContext = {
    engine,
    config,
    answers: new AnswerLog(),
    feedback: await FeedbackStore.open(config.dataDir, (message) => log.error(message)),
    questionLimiter: new RateLimiter(config.discord.rateLimitQuestions, config.discord.rateLimitWindowMs),
    answering: new AnswerQueue(),
    embedderWarning: options.embedderWarning,
    messageContent: true,
    log,
  };
  const stage: StartupStage = { apiUrl: config.discord.apiUrl, guildId: config.discord.guildId, applicationId: null, closeCode: null };

  let client: Client<true>;
  try {
    client = await logIn(FULL_INTENTS, context, stage);
  } catch (error) {
    if (stage.closeCode !== GatewayCloseCodes.DisallowedIntents) throw explainStartupError(error, stage) ?? error;
    log.info(MESSAGE_CONTENT_REFUSED_WARNING);
    context.messageContent = false;
    stage.closeCode = null;
    try {
      client = await logIn(INTENTS_WITHOUT_MESSAGE_CONTENT, context, stage);
    } catch (retryError) {
      throw explainStartupError(retryError, stage) ?? retryError;
    }
  }

  try {
    stage.applicationId = client.application.id;
    const count = await registerCommands(client.rest, client.application.id, config.discord.guildId);
    log.info(`discord: logged in as ${client.user.tag}; ${count} commands registered ${config.discord.guildId ? `in server ${config.discord.guildId}` : 'globally'}`);
  } catch (error) {
    await client.destroy();
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
      const failures: string[] = [];
      await client.destroy().catch((error: unknown) => failures.push(`disconnecting from Discord failed: ${String(error)}`));
      await context.feedback.flush().catch((error: unknown) => failures.push(`${(error as Error).message}`));
      if (failures.length > 0) throw new Error(`discord: shutdown incomplete: ${failures.join('; ')}`);
    },
  };
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
function shardOptions(_config: Config): Partial<ClientOptions> {
  return {};
}
