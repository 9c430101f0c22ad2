/**
 * Who may /reindex when ADMIN_USER_IDS / ADMIN_ROLE_IDS are set: exactly the listed users
 * and role holders, Manage Server or not. (Whether Discord *shows* them the command is
 * Discord's decision: it is registered with default_member_permissions = Manage Server,
 * see bot.test.ts, and a server admin can grant it to others under Server Settings →
 * Integrations. What the bot itself decides is tested here.)
 */
import { cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBot, startBot } from '../../src/discord/start-bot.js';
import { createEngine } from '../../src/engine.js';
import { ARTICLE_DIR, makeTempDir, testConfig } from '../helpers.js';
import { type FakeDiscord, type InteractionRef, isRequest, startFakeDiscord } from './fake-discord.js';
import { buildRole } from './fake-discord/payloads.js';

const ADMIN_USER = '500000000000000001';
const ADMIN_ROLE = '600000000000000001';
const NO_PERMISSIONS = '0';
const MANAGE_GUILD = '32';
const CALLBACK_DEFER = 5;

let temp: { dir: string; cleanup: () => void };
let fake: FakeDiscord;
let bot: RunningBot;
const errors: string[] = [];

beforeAll(async () => {
  temp = makeTempDir();
  cpSync(ARTICLE_DIR, path.join(temp.dir, 'corpus'), { recursive: true });
  fake = await startFakeDiscord();
  const config = testConfig(temp.dir, {
    DISCORD_TOKEN: 'test-token',
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_GUILD_ID: fake.guildId,
    ADMIN_USER_IDS: ADMIN_USER,
    ADMIN_ROLE_IDS: ADMIN_ROLE,
    DATA_DIR: 'data',
  });
  const engine = await createEngine({ config, embedder: null, embedderWarning: 'lexical-only in this test' });
  bot = await startBot({ engine, config, embedderWarning: null, log: { info: () => {}, error: (message, error) => errors.push(`${message} ${String(error ?? '')}`) } });
  // The role exists in the server, as on Discord (the bot learns of it from the gateway).
  fake.dispatch('GUILD_ROLE_CREATE', { guild_id: fake.guildId, role: buildRole({ id: ADMIN_ROLE, name: 'index keepers', permissions: 0n, position: 2 }) });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  temp?.cleanup();
});

afterEach(() => {
  expect(errors.splice(0), 'errors the bot logged').toEqual([]);
});

/** Waits until the reindex started by `ref` reports completion. */
async function reindexCompletes(ref: InteractionRef): Promise<void> {
  const callback = await fake.waitForRequest(isRequest('POST', ref.callbackPath));
  expect(callback.body).toMatchObject({ type: CALLBACK_DEFER });
  const done = (request: { method: string; path: string; body: unknown }): boolean =>
    request.method === 'PATCH' && request.path === ref.originalMessagePath && JSON.stringify(request.body).includes('Reindex complete');
  await fake.waitForRequest(done, 30_000);
}

describe('/reindex with ADMIN_USER_IDS and ADMIN_ROLE_IDS set', () => {
  it('is allowed to a listed user without Manage Server', async () => {
    await reindexCompletes(fake.slashCommand({ name: 'reindex', permissions: NO_PERMISSIONS, user: { id: ADMIN_USER, username: 'listed' } }));
  });

  it('is allowed to a member holding a listed role, without Manage Server', async () => {
    await reindexCompletes(fake.slashCommand({ name: 'reindex', permissions: NO_PERMISSIONS, roles: [ADMIN_ROLE], user: { id: '500000000000000002', username: 'role-holder' } }));
  });

  it('is refused to a member with Manage Server who is not listed', async () => {
    const ref = fake.slashCommand({ name: 'reindex', permissions: MANAGE_GUILD, user: { id: '500000000000000003', username: 'manager' } });
    const callback = await fake.waitForRequest(isRequest('POST', ref.callbackPath));
    expect(callback.body).toMatchObject({ type: 4, data: { flags: 64, content: 'Only server admins can do that.' } });
  });
});
