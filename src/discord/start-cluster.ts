import { REST, type RESTGetAPIGatewayBotResult, Routes, ShardingManager } from 'discord.js';
import type { Config } from '../config.js';
import type { BotContext } from './bot-context.js';
import { explainStartupError, StartupError } from './startup-errors.js';

/** Discord allows one IDENTIFY per 5 s per `max_concurrency` bucket; discord.js's default gap between shard processes. */
const SPAWN_GAP_MS = 5_500;
/**
 * A shard that dies this often within the window is not crashing by chance but failing
 * to start (a token reset, intents switched off): restarting it forever would only
 * hammer Discord's login limit (1,000 a day), so the cluster stops instead.
 */
const DEATHS_BEFORE_GIVING_UP = 3;
const DEATH_WINDOW_MS = 60_000;

export interface StartClusterOptions {
  config: Config;
  /** The script each shard process runs (`src/main.ts`). */
  entry: string;
  /** Node options for the shard processes (the TypeScript loader). */
  execArgv: string[];
  log: BotContext['log'];
  /** Called after the cluster stopped itself because a shard kept dying; the caller should exit non-zero. */
  onGiveUp?: () => void;
}

export interface RunningCluster {
  manager: ShardingManager;
  totalShards: number;
  /** Sends SIGTERM to every shard process and waits for them; resolves with 0, or 1 if any exited otherwise. */
  stop(): Promise<number>;
}

/**
 * `npm run start:cluster`: one process per shard with discord.js's ShardingManager, each
 * running `npm start`'s bot on the shards it is given. DISCORD_SHARDS (or Discord's
 * recommendation) sets the total. Shards start one after another, each once the one
 * before is ready, so the first builds the shared index and the others open it; a
 * shard that dies is started again.
 */
export async function startCluster(options: StartClusterOptions): Promise<RunningCluster> {
  const { config, log } = options;
  const token = config.discord.token;
  if (!token) throw new StartupError('start:cluster: DISCORD_TOKEN must be set (see .env.example).');
  let gateway: RESTGetAPIGatewayBotResult;
  try {
    gateway = (await new REST({ api: config.discord.apiUrl }).setToken(token).get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
  } catch (error) {
    throw explainStartupError(error, { apiUrl: config.discord.apiUrl, guildId: config.discord.guildId, applicationId: null, closeCode: null }) ?? error;
  }
  const { shards } = config.discord;
  const totalShards = typeof shards === 'number' ? shards : gateway.shards;
  // No respawning until every shard has started: a start-up mistake would only repeat.
  const manager = new ShardingManager(options.entry, { token, totalShards, mode: 'process', respawn: false, execArgv: options.execArgv });
  const delay = gateway.session_start_limit.max_concurrency >= totalShards ? 0 : SPAWN_GAP_MS;
  try {
    for (let id = 0; id < totalShards; id++) {
      const shard = manager.createShard(id);
      const deaths: number[] = [];
      shard.on('death', (child) => {
        const code = 'exitCode' in child ? child.exitCode : null;
        const now = Date.now();
        deaths.push(now);
        const recent = deaths.filter((at) => now - at < DEATH_WINDOW_MS).length;
        if (manager.respawn && recent >= DEATHS_BEFORE_GIVING_UP) {
          manager.respawn = false;
          log.error(`cluster: shard ${id} exited ${recent} times within ${DEATH_WINDOW_MS / 1000} s (last code ${code ?? 'none'}; its own message is above); stopping the cluster`);
          void stopShards(manager).then(() => options.onGiveUp?.());
          return;
        }
        log.error(`cluster: shard ${id} exited (code ${code ?? 'none'})${manager.respawn ? '; starting it again' : ''}`);
      });
      // Without a listener, a failed respawn would throw from the event emitter and end the cluster.
      shard.on('error', (error) => log.error(`cluster: shard ${id}: ${error.message}`));
      // Each shard bounds its own start-up (EMBEDDING_LOAD_TIMEOUT_MS; a start-up mistake exits
      // with its sentence), so this waits for ready or death rather than a fixed time.
      const ready = new Promise<void>((resolve, reject) => {
        shard.once('ready', () => resolve());
        shard.once('death', () => reject(new Error(`shard ${id} exited before it was ready`)));
      });
      await shard.spawn(-1);
      log.info(`cluster: started shard ${id + 1} of ${totalShards} (process ${shard.process?.pid ?? '?'})`);
      await ready;
      if (delay > 0 && id < totalShards - 1) await new Promise((resolve) => setTimeout(resolve, delay));
    }
  } catch (error) {
    await stopShards(manager);
    throw new StartupError(`cluster: ${(error as Error).message} — its own message is above.`, { cause: error });
  }
  manager.respawn = true;
  log.info(`cluster: ${totalShards} shard process(es) ready`);
  return { manager, totalShards, stop: () => stopShards(manager) };
}

async function stopShards(manager: ShardingManager): Promise<number> {
  manager.respawn = false;
  const exits = [...manager.shards.values()].map((shard) => {
    const child = shard.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child?.exitCode ?? 0);
    return new Promise<number>((resolve) => {
      child.once('exit', (code) => resolve(code ?? 1));
      child.kill('SIGTERM');
    });
  });
  const codes = await Promise.all(exits);
  return codes.every((code) => code === 0) ? 0 : 1;
}
