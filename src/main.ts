import { ConfigError, loadConfig } from './config.js';
import { runChat } from './cli/chat.js';
import { type RunningBot, startBot } from './discord/start-bot.js';
import { StartupError } from './discord/startup-errors.js';
import { CorpusManager } from './documents/manage-corpus.js';
import { openConfiguredQuestionLog } from './question-log/open-configured-log.js';
import { startEngine } from './start-engine.js';

/**
 * `npm start`: the Discord bot when DISCORD_TOKEN is set, otherwise an interactive
 * terminal chat over the same engine.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  // The bot follows the index on disk: another shard's /reindex, or `npm run reindex`, swaps in everywhere.
  const followIndex = config.discord.token !== null;
  const { engine, embedderWarning } = await startEngine(config, { warn: (message) => console.error(message) }, undefined, { followIndex });
  if (config.discord.token) {
    let bot: RunningBot | null = null;
    let exiting = false;
    const stopAndExit = (code: number): void => {
      // Once: a second signal (Ctrl-C reaches a cluster's shards twice) must not cut the first shutdown short.
      if (exiting) return;
      exiting = true;
      void (bot?.stop() ?? Promise.resolve()).then(
        () => process.exit(code),
        (error: unknown) => {
          console.error(`main: ${error instanceof Error ? error.message : String(error)}`);
          process.exit(1);
        },
      );
    };
    bot = await startBot({
      engine,
      config,
      embedderWarning,
      onFatal: (error) => {
        console.error(error.message);
        stopAndExit(1);
      },
    });
    const shutdown = (signal: string): void => {
      console.error(`main: ${signal} received, shutting down`);
      stopAndExit(0);
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    if (config.discord.managedByShardingManager) {
      // A shard whose cluster process died would live on unmanaged, and a restarted cluster would log in twice.
      process.once('disconnect', () => {
        console.error('main: the cluster process is gone; shutting down this shard');
        stopAndExit(1);
      });
    }
    return;
  }
  const questionLog = openConfiguredQuestionLog(config, { info: (message) => console.error(message), warn: (message) => console.error(message) });
  const manager = new CorpusManager({ engine, corpusDir: config.corpusDir, dataDir: config.dataDir, maxBytes: config.documentMaxBytes, log: questionLog, warn: (message) => console.error(message) });
  await runChat(engine, { input: process.stdin, output: process.stdout, questionLog, documents: { manager, config } });
  questionLog.close();
  process.exit(0);
}

// A stray rejection in one handler must not take the bot down; it is logged instead.
process.on('unhandledRejection', (reason) => console.error('main: unhandled rejection', reason));

main().catch((error: unknown) => {
  // Mistakes an owner can fix are one sentence; anything else is a bug and keeps its stack.
  console.error(error instanceof ConfigError || error instanceof StartupError ? error.message : error);
  process.exit(1);
});
