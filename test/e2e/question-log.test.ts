/**
 * The question log end to end: the real discord.js client (through startBot) against the
 * fake Discord, the real engine (lexical) and the real SQLite file — questions logged,
 * buttons working across a restart, /stats and its permissions.
 */
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine.js';
import { type RunningBot, startBot } from '../../src/discord/start-bot.js';
import { DATABASE_FILE_NAME } from '../../src/question-log/open-database.js';
import { ARTICLE_DIR, makeTempDir, testConfig } from '../helpers.js';
import { type FakeDiscord, type InteractionRef, isRequest, startFakeDiscord } from './fake-discord.js';

const EPHEMERAL = 64;
const MANAGE_GUILD = '32';

interface Body {
  content?: string;
  flags?: number;
  embeds?: { title?: string; description: string }[];
  components?: { components: { custom_id: string; label: string }[] }[];
}

let fake: FakeDiscord;
let temp: { dir: string; cleanup: () => void };
let running: RunningBot | null = null;
let userCounter = 0;
const errors: string[] = [];

function newUser(): { id: string; username: string } {
  userCounter++;
  return { id: String(410000000000000000n + BigInt(userCounter)), username: `asker${userCounter}` };
}

/** A bot process over `dataDir`: its own engine and client, as after a restart. */
async function startTestBot(dataDir: string): Promise<RunningBot> {
  const config = testConfig(temp.dir, { DISCORD_TOKEN: 'test-token', DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: fake.guildId, DATA_DIR: dataDir });
  const engine = await createEngine({ config, embedder: null, embedderWarning: 'lexical in this test' });
  running = await startBot({ engine, config, embedderWarning: null, log: { info: () => {}, error: (message) => errors.push(message) } });
  return running;
}

async function stopBot(): Promise<void> {
  await running?.stop();
  running = null;
}

async function askAndWait(question: string, user: { id: string; username: string }): Promise<Body> {
  const ref = fake.slashCommand({ name: 'ask', options: { question }, user });
  return (await fake.waitForRequest(isRequest('PATCH', ref.originalMessagePath))).body as Body;
}

async function directReply(ref: InteractionRef): Promise<Body> {
  const callback = await fake.waitForRequest(isRequest('POST', ref.callbackPath));
  return (callback.body as { data: Body }).data;
}

const textOf = (body: Body): string => [body.content ?? '', ...(body.embeds ?? []).map((e) => `${e.title ?? ''}\n${e.description}`)].join('\n');

beforeAll(async () => {
  temp = makeTempDir();
  cpSync(ARTICLE_DIR, path.join(temp.dir, 'corpus'), { recursive: true });
  fake = await startFakeDiscord();
});
afterEach(stopBot);
afterAll(async () => {
  await stopBot();
  await fake?.close();
  temp?.cleanup();
});

describe('the question log in Discord', () => {
  it('logs slash and mention questions without raw user ids, and serves Source and votes of an earlier answer after a restart', async () => {
    const dataDir = path.join(temp.dir, 'data-restart');
    const asker = newUser();
    const mentioner = newUser();
    await startTestBot(dataDir);
    const edit = await askAndWait("Who is Kazakhstan's Human Rights Commissioner?", asker);
    const [sourceButton] = edit.components![0]!.components;
    const [up, down] = edit.components!.at(-1)!.components;
    expect(textOf(await directReply(fake.button({ customId: up!.custom_id, user: asker })))).toContain('👍');
    const since = fake.mark();
    fake.sendMessage({ content: 'How many seats were available in this round?', mentionsBot: true, author: mentioner });
    const threadCreate = await fake.waitForRequest((r) => r.method === 'POST' && r.path.endsWith('/threads'), { since });
    const threadId = (threadCreate.response as { id: string }).id;
    await fake.waitForRequest(isRequest('POST', `/channels/${threadId}/messages`), { since });

    // A restart: a new engine and a new client over the same DATA_DIR; memory is gone.
    await stopBot();
    await startTestBot(dataDir);
    const source = await directReply(fake.button({ customId: sourceButton!.custom_id, user: asker }));
    expect(source.flags).toBe(EPHEMERAL);
    expect(source.embeds![0]!.description).toContain('**The Human Rights Commissioner of Kazakhstan, Askar Shakirov');
    expect(textOf(await directReply(fake.button({ customId: down!.custom_id, user: asker })))).toContain('Thanks — recorded 👎');
    const help = await directReply(fake.slashCommand({ name: 'help', user: newUser() }));
    expect(textOf(help)).toContain('Feedback so far: 0 👍 · 1 👎 on 1 answer(s).');
    await stopBot();

    const db = new Database(path.join(dataDir, DATABASE_FILE_NAME), { readonly: true });
    const logged = db.prepare('SELECT front_end, guild_id, channel_id, question, answered FROM questions ORDER BY id').all();
    db.close();
    expect(logged).toEqual([
      { front_end: 'discord', guild_id: fake.guildId, channel_id: fake.channelId, question: "Who is Kazakhstan's Human Rights Commissioner?", answered: 1 },
      { front_end: 'discord', guild_id: fake.guildId, channel_id: threadId, question: 'How many seats were available in this round?', answered: 1 },
    ]);
    for (const name of readdirSync(dataDir)) {
      const bytes = readFileSync(path.join(dataDir, name));
      expect(bytes.includes(asker.id)).toBe(false);
      expect(bytes.includes(mentioner.id)).toBe(false);
    }
    expect(errors).toEqual([]);
  });

  it('shows /stats for this server’s last 7 days to an admin only, privately', async () => {
    await startTestBot(path.join(temp.dir, 'data-stats'));
    const user = newUser();
    const answered = await askAndWait('How many seats were available in this round of the election?', user);
    await askAndWait('What is the population of Kazakhstan?', user);
    await askAndWait('what is the population of kazakhstan', newUser());
    const [up] = answered.components!.at(-1)!.components;
    await directReply(fake.button({ customId: up!.custom_id, user }));

    const refused = await directReply(fake.slashCommand({ name: 'stats', permissions: '0', user: newUser() }));
    expect(refused).toMatchObject({ flags: EPHEMERAL, content: 'Only server admins can do that.' });

    const stats = await directReply(fake.slashCommand({ name: 'stats', permissions: MANAGE_GUILD, user: newUser() }));
    expect(stats.flags).toBe(EPHEMERAL);
    const text = textOf(stats);
    expect(text).toContain('📊 The last 7 days');
    expect(text).toContain('**3** question(s) · **1** answered (33%) · **2** not answered');
    expect(text).toContain('Votes: 1 👍 · 0 👎');
    expect(text).toContain('1. What is the population of Kazakhstan? — 2×');
  });
});
