/**
 * `npm start` as a process: with DISCORD_TOKEN it runs the bot against the fake Discord
 * (REST through DISCORD_API_URL), and shuts down cleanly on SIGTERM without printing the
 * token; without it, it is a terminal chat.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTICLE_DIR, makeTempDir, PROJECT_ROOT } from '../helpers.js';
import { type FakeDiscord, isRequest, startFakeDiscord } from './fake-discord.js';

const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = path.join(PROJECT_ROOT, 'src', 'main.ts');
const TOKEN = 'secret-token-value-1234567890';

function startMain(cwd: string, env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(TSX, [MAIN], { cwd, env: { ...process.env, EMBEDDING_MODEL: 'none', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

describe('npm start', () => {
  let temp: { dir: string; cleanup: () => void };
  let fake: FakeDiscord;
  beforeAll(async () => {
    temp = makeTempDir();
    cpSync(ARTICLE_DIR, path.join(temp.dir, 'corpus'), { recursive: true });
    fake = await startFakeDiscord({ token: TOKEN });
  });
  afterAll(async () => {
    await fake.close();
    temp.cleanup();
  });

  it('runs the bot when DISCORD_TOKEN is set, answers, and exits cleanly on SIGTERM without logging the token', async () => {
    const main = startMain(temp.dir, { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl });
    try {
      await fake.waitForRequest(isRequest('PUT', `/applications/${fake.applicationId}/commands`), 30_000);
      const ask = fake.slashCommand({ name: 'ask', options: { question: 'How many seats were available?' } });
      const edit = await fake.waitForRequest(isRequest('PATCH', ask.originalMessagePath), 10_000);
      expect(JSON.stringify(edit.body)).toContain('18 available seats');
      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
      expect(main.output()).toContain('commands registered globally');
      expect(main.output()).toContain('lexical-only');
      expect(main.output()).not.toContain(TOKEN);
    } finally {
      main.child.kill('SIGKILL');
    }
  });

  it('registers the commands in one server with npm run deploy-commands, without starting the bot', async () => {
    const since = fake.mark();
    const deploy = spawn(TSX, [path.join(PROJECT_ROOT, 'src', 'cli', 'deploy-commands.ts')], {
      cwd: temp.dir,
      env: { ...process.env, DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: fake.guildId },
    });
    const code = await new Promise<number | null>((resolve) => deploy.on('exit', resolve));
    expect(code).toBe(0);
    const put = await fake.waitForRequest(isRequest('PUT', `/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`), { since });
    expect((put.body as { name: string }[]).map((c) => c.name)).toEqual(['ask', 'source', 'search', 'reindex', 'help', 'stats']);
  });

  it('warns at start-up about corpus files it had to skip', async () => {
    const { writeFileSync, rmSync } = await import('node:fs');
    const broken = path.join(temp.dir, 'corpus', 'broken.txt');
    writeFileSync(broken, Buffer.from([0x66, 0x00, 0x67]));
    try {
      const main = startMain(temp.dir, { DISCORD_TOKEN: '' });
      main.child.stdin!.end('/quit\n');
      expect(await main.exited).toBe(0);
      expect(main.output()).toContain('corpus: skipped corpus/broken.txt: binary (contains NUL bytes)');
    } finally {
      rmSync(broken);
    }
  });

  it('stops at start-up naming the variable when a setting is invalid', async () => {
    const main = startMain(temp.dir, { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: 'ftp://nope' });
    expect(await main.exited).toBe(1);
    expect(main.output()).toContain('config: DISCORD_API_URL must be an http(s) URL');
  });

  it('opens the terminal chat without DISCORD_TOKEN', async () => {
    const main = startMain(temp.dir, { DISCORD_TOKEN: '' });
    main.child.stdin!.end('How many seats were available?\n/quit\n');
    expect(await main.exited).toBe(0);
    expect(main.output()).toContain('18 available seats');
  });
});
