import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { Config } from '../config.js';
import type { Engine } from '../engine-types.js';
import { openConfiguredQuestionLog } from '../question-log/open-configured-log.js';
import type { QuestionLog } from '../question-log/question-log.js';
import { AnswerLog } from './answer-log.js';
import type { BotContext } from './bot-context.js';
import { handleInteractions } from './events/interaction-create.js';
import { handleMentions } from './events/message-create.js';
import { RateLimiter } from './rate-limiter.js';
import { registerCommands } from './register-commands.js';

export interface StartBotOptions {
  engine: Engine;
  config: Config;
  embedderWarning: string | null;
  log?: BotContext['log'];
  /** The question log to use; by default the bot opens DATA_DIR's and closes it on stop. */
  questionLog?: QuestionLog;
}

export interface RunningBot {
  client: Client;
  /** Disconnects from Discord; safe to call twice. */
  stop(): Promise<void>;
}

const consoleLog: BotContext['log'] = {
  info: (message) => console.error(message),
  error: (message, error) => console.error(message, error),
};

/**
 * Logs in to Discord (REST through DISCORD_API_URL), registers the slash commands
 * (in DISCORD_GUILD_ID when set, globally otherwise) and starts answering.
 * Resolves once the bot is ready and its commands are registered.
 */
export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const { engine, config } = options;
  const log = options.log ?? consoleLog;
  const token = config.discord.token;
  if (!token) throw new Error('discord: DISCORD_TOKEN is not set');

  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    rest: { api: config.discord.apiUrl },
    allowedMentions: { parse: [] },
  });
  const questionLog = options.questionLog ?? openConfiguredQuestionLog(config, { info: log.info, warn: (message) => log.error(message) });
  const context: BotContext = {
    engine,
    config,
    answers: new AnswerLog(),
    questionLog,
    questionLimiter: new RateLimiter(config.discord.rateLimitQuestions, config.discord.rateLimitWindowMs),
    embedderWarning: options.embedderWarning,
    log,
  };
  handleInteractions(client, context);
  handleMentions(client, context);
  // An error event without a listener would crash the process.
  client.on(Events.Error, (error) => log.error('discord: client error', error));

  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  try {
    await client.login(token);
    const readyClient = await ready;
    const count = await registerCommands(client.rest, readyClient.application.id, config.discord.guildId);
    log.info(`discord: logged in as ${readyClient.user.tag}; ${count} commands registered ${config.discord.guildId ? `in server ${config.discord.guildId}` : 'globally'}`);
  } catch (error) {
    await client.destroy();
    if (!options.questionLog) questionLog.close();
    throw error;
  }

  let stopped = false;
  return {
    client,
    async stop() {
      if (stopped) return;
      stopped = true;
      await client.destroy();
      if (!options.questionLog) questionLog.close();
    },
  };
}
