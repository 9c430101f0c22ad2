import { ConfigError, loadConfig } from './config.js';
import { runChat } from './cli/chat.js';
import { startBot } from './discord/start-bot.js';
import { openConfiguredQuestionLog } from './question-log/open-configured-log.js';
import { startEngine } from './start-engine.js';

/**
 * `npm start`: the Discord bot when DISCORD_TOKEN is set, otherwise an interactive
 * terminal chat over the same engine.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const { engine, embedderWarning } = await startEngine(config, { warn: (message) => console.error(message) });
  if (config.discord.token) {
    const bot = await startBot({ engine, config, embedderWarning });
    const shutdown = (signal: string): void => {
      console.error(`main: ${signal} received, shutting down`);
      void bot.stop().finally(() => process.exit(0));
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    return;
  }
  const questionLog = openConfiguredQuestionLog(config, { info: (message) => console.error(message), warn: (message) => console.error(message) });
  await runChat(engine, { input: process.stdin, output: process.stdout, questionLog });
  questionLog.close();
  process.exit(0);
}

// A stray rejection in one handler must not take the bot down; it is logged instead.
process.on('unhandledRejection', (reason) => console.error('main: unhandled rejection', reason));

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
