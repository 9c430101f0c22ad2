/**
 * Sharding against the fake Discord advertising two shards, with a guild on each
 * (events go to shard `(guild_id >> 22) % 2`): DISCORD_SHARDS in one process, and
 * `npm run start:cluster` with one process per shard sharing the index on disk and
 * the SQLite question log.
 */
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTICLE_DIR, makeTempDir, PROJECT_ROOT } from '../helpers.js';
import { type FakeDiscord, type InteractionRef, isRequest, startFakeDiscord } from './fake-discord.js';
import { shardOfGuild } from './fake-discord/gateway.js';
import { spawnMain } from './spawn-main.js';
import { newTestUser, startTestBot, type TestBot, textOfRequest } from './start-test-bot.js';

const MANAGE_GUILD = '32';
const TOKEN = 'sharded-bot-token-0123456789';


/** Asks in a channel and resolves with the text of the filled-in reply. */
async function askIn(fake: FakeDiscord, channelId: string, question: string): Promise<string> {
  const ref: InteractionRef = fake.slashCommand({ name: 'ask', options: { question }, channelId, user: newTestUser() });
  const edit = await fake.waitForRequest((r) => isRequest('PATCH', ref.originalMessagePath)(r) && r.status === 200, 20_000);
  return textOfRequest(edit);
}

describe('DISCORD_SHARDS=auto in one process', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot({ fake: { shards: 2, extraGuilds: 1 }, env: { DISCORD_SHARDS: 'auto' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('runs the two shards Discord recommends and answers in a guild on each', async () => {
    const { fake } = t;
    const other = fake.extraGuilds[0]!;
    expect(shardOfGuild(fake.guildId, 2)).not.toBe(shardOfGuild(other.id, 2));
    expect(fake.identifyPayloads.map((identify) => identify.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(await askIn(fake, fake.channelId, 'How many seats were available?')).toContain('18 available seats');
    expect(await askIn(fake, other.channelId, 'How many seats were available?')).toContain('18 available seats');
    expect(fake.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/commands'))).toHaveLength(1);
    expect(t.logs.info.join('\n')).toContain('(shards 0, 1 of 2)');
  });
});

describe('npm run start:cluster', () => {
  let temp: { dir: string; cleanup: () => void };
  let fake: FakeDiscord;
  beforeAll(async () => {
    temp = makeTempDir();
    cpSync(ARTICLE_DIR, path.join(temp.dir, 'corpus'), { recursive: true });
    fake = await startFakeDiscord({ token: TOKEN, shards: 2, extraGuilds: 1 });
  });
  afterAll(async () => {
    await fake?.close();
    temp?.cleanup();
  });

  it('runs one process per shard that share one /reindex and one question log, restarts one that dies, and stops them all on SIGTERM', async () => {
    const cluster = spawnMain(temp.dir, { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, DATA_DIR: 'data' }, path.join(PROJECT_ROOT, 'src', 'cli', 'start-cluster.ts'));
    try {
      await expect.poll(() => cluster.output(), { timeout: 90_000, interval: 200 }).toContain('cluster: 2 shard process(es) ready');
      expect(cluster.output()).toContain('cluster: started shard 1 of 2');
      expect(cluster.output()).toContain('cluster: started shard 2 of 2');
      expect(fake.identifyPayloads.map((identify) => identify.shard).sort()).toEqual([
        [0, 2],
        [1, 2],
      ]);
      expect(fake.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/commands'))).toHaveLength(1);
      const other = fake.extraGuilds[0]!;

      // One /reindex, in the main guild's process…
      writeFileSync(path.join(temp.dir, 'corpus', 'minutes.txt'), 'The council met on a rainy Tuesday in Geneva.');
      const reindex = fake.slashCommand({ name: 'reindex', permissions: MANAGE_GUILD, user: newTestUser() });
      await fake.waitForRequest((r) => isRequest('PATCH', reindex.originalMessagePath)(r) && textOfRequest(r).includes('Reindex complete'), 30_000);
      // …and the other guild's process answers from the new index without one of its own.
      await expect
        .poll(
          async () => {
            // /search defers, then edits its reply with the passages.
            const search = fake.slashCommand({ name: 'search', options: { query: 'rainy Tuesday in Geneva' }, channelId: other.channelId, user: newTestUser() });
            return textOfRequest(await fake.waitForRequest(isRequest('PATCH', search.originalMessagePath), 10_000));
          },
          { timeout: 20_000, interval: 300 },
        )
        .toContain('minutes#p1');
      expect(cluster.output()).toMatch(/store: answering from the index another process built/);

      expect(await askIn(fake, fake.channelId, 'How many seats were available?')).toContain('18 available seats');
      expect(await askIn(fake, other.channelId, 'How many member states voted for Kazakhstan?')).toContain('183 of 193');

      // A shard process that dies is started again, and its guild is answered again.
      const pid = Number(/cluster: started shard 2 of 2 \(process (\d+)\)/.exec(cluster.output())![1]);
      process.kill(pid, 'SIGKILL');
      await expect.poll(() => fake.identifyPayloads.length, { timeout: 60_000, interval: 200 }).toBe(3);
      expect(cluster.output()).toContain('cluster: shard 1 exited (code none); starting it again');
      const onShardOne = shardOfGuild(fake.guildId, 2) === 1 ? fake.channelId : other.channelId;
      expect(await askIn(fake, onShardOne, 'How many seats were available?')).toContain('18 available seats');

      cluster.child.kill('SIGTERM');
      expect(await cluster.exited).toBe(0);
      expect(cluster.output().match(/main: SIGTERM received, shutting down/g)).toHaveLength(2);

      const db = new Database(path.join(temp.dir, 'data', 'verbatim.sqlite'), { readonly: true });
      try {
        const guilds = db.prepare('SELECT DISTINCT guild_id FROM questions ORDER BY guild_id').all() as { guild_id: string }[];
        expect(guilds.map((row) => row.guild_id)).toEqual([fake.guildId, other.id].sort());
      } finally {
        db.close();
      }
    } finally {
      cluster.child.kill('SIGKILL');
    }
  });
});
