import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../config.js';
import { startCluster } from '../discord/start-cluster.js';
import { StartupError } from '../discord/startup-errors.js';
import { ENGINE_NODE_FLAGS } from '../node-flags.js';

/**
 * `npm run start:cluster`: the bot as one process per shard (see src/discord/start-cluster.ts).
 * SIGTERM/SIGINT stop every shard (each finishes the answers under way) before this exits.
 */
const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'main.ts');

async function main(): Promise<void> {
  const config = loadConfig();
  const log = { info: (message: string) => console.error(message), error: (message: string) => console.error(message) };
  const cluster = await startCluster({ config, entry: MAIN, execArgv: ['--import', import.meta.resolve('tsx'), ...ENGINE_NODE_FLAGS], log, onGiveUp: () => process.exit(1) });
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.error(`cluster: ${signal} received, stopping ${cluster.totalShards} shard process(es)`);
    void cluster.stop().then((code) => process.exit(code));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof StartupError ? error.message : error);
  process.exit(1);
});
