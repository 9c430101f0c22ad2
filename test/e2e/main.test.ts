/**
 * `npm start` as a process: with DISCORD_TOKEN it runs the bot against the fake Discord
 * (REST through DISCORD_API_URL), and shuts down cleanly on SIGTERM and SIGINT without
 * printing the token; without it, it is a terminal chat. Lexical-only (no model) is said
 * once at start-up, and in /help.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LEXICAL_ONLY_WARNING } from '../../src/embeddings/embedder.js';
import { ARTICLE_DIR, childEnv, makeTempDir, ODD_ENVIRONMENT, PROJECT_ROOT } from '../helpers.js';
import { type FakeDiscord, isRequest, startFakeDiscord } from './fake-discord.js';

const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = path.join(PROJECT_ROOT, 'src', 'main.ts');
const TOKEN = 'secret-token-value-1234567890';
/** What /help says about retrieval when there is no model (EMBEDDING_MODEL=none). */
const LEXICAL_HELP = 'Retrieval: lexical-only (BM25) — embeddings: EMBEDDING_MODEL=none';

/** How many lines of `output` are the start-up warning that retrieval is lexical-only. */
const warningLines = (output: string): number => output.split(/\r?\n/).filter((line) => line === LEXICAL_ONLY_WARNING).length;

function startMain(cwd: string, env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(TSX, [MAIN], { cwd, env: childEnv({ EMBEDDING_MODEL: 'none', ...env }), stdio: ['pipe', 'pipe', 'pipe'] });
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
    // Settings exported in the runner's shell must not reach the children.
    for (const [name, value] of Object.entries(ODD_ENVIRONMENT)) vi.stubEnv(name, value);
    temp = makeTempDir();
    cpSync(ARTICLE_DIR, path.join(temp.dir, 'corpus'), { recursive: true });
    fake = await startFakeDiscord({ token: TOKEN });
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await fake.close();
    temp.cleanup();
  });

  it('runs the bot when DISCORD_TOKEN is set, answers, and exits cleanly on SIGTERM without logging the token', async () => {
    const since = fake.mark();
    const main = startMain(temp.dir, { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl });
    try {
      await fake.waitForRequest(isRequest('PUT', `/applications/${fake.applicationId}/commands`), { since, timeoutMs: 30_000 });
      const ask = fake.slashCommand({ name: 'ask', options: { question: 'How many seats were available?' } });
      const edit = await fake.waitForRequest(isRequest('PATCH', ask.originalMessagePath), 10_000);
      expect(JSON.stringify(edit.body)).toContain('18 available seats');
      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
      expect(main.output()).toContain('main: SIGTERM received, shutting down');
      expect(main.output()).toContain('commands registered globally');
      expect(warningLines(main.output())).toBe(1);
      expect(main.output()).not.toContain(TOKEN);
    } finally {
      main.child.kill('SIGKILL');
    }
  });

  it('registers in DISCORD_GUILD_ID, says lexical-only in /help (once in the log), and exits cleanly on SIGINT', async () => {
    const since = fake.mark();
    const main = startMain(temp.dir, { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: fake.guildId });
    try {
      await fake.waitForRequest(isRequest('PUT', `/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`), { since, timeoutMs: 30_000 });
      // Answered only once start-up has finished, signal handlers included.
      const help = fake.slashCommand({ name: 'help' });
      const reply = await fake.waitForRequest(isRequest('POST', help.callbackPath), 10_000);
      expect(JSON.stringify(reply.body)).toContain(LEXICAL_HELP);
      main.child.kill('SIGINT');
      expect(await main.exited).toBe(0);
      expect(main.output()).toContain('main: SIGINT received, shutting down');
      expect(main.output()).toContain(`commands registered in server ${fake.guildId}`);
      expect(warningLines(main.output())).toBe(1);
    } finally {
      main.child.kill('SIGKILL');
    }
  });

  it('registers the commands in one server with npm run deploy-commands, without starting the bot', async () => {
    const since = fake.mark();
    const deploy = spawn(TSX, [path.join(PROJECT_ROOT, 'src', 'cli', 'deploy-commands.ts')], {
      cwd: temp.dir,
      env: childEnv({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: fake.guildId }),
    });
    const code = await new Promise<number | null>((resolve) => deploy.on('exit', resolve));
    expect(code).toBe(0);
    const put = await fake.waitForRequest(isRequest('PUT', `/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`), { since });
    expect((put.body as { name: string }[]).map((c) => c.name)).toEqual(['ask', 'source', 'search', 'reindex', 'help', 'stats']);
  });

  it('warns at start-up about corpus files it had to skip', async () => {
    const { rmSync } = await import('node:fs');
    const broken = path.join(temp.dir, 'corpus', 'broken.txt');
    writeFileSync(broken, Buffer.from([0x66, 0x00, 0x67]));
    try {
      const main = startMain(temp.dir, {});
      main.child.stdin!.end('/quit\n');
      expect(await main.exited).toBe(0);
      expect(main.output()).toContain('corpus: skipped corpus/broken.txt: binary: the file holds NUL bytes');
    } finally {
      rmSync(broken);
    }
  });

  it('reads .env from the working folder, and stops at start-up naming the variable when a setting is invalid', async () => {
    const folder = makeTempDir();
    try {
      writeFileSync(path.join(folder.dir, '.env'), `DISCORD_TOKEN=${TOKEN}\nDISCORD_API_URL=ftp://nope\n`);
      const main = startMain(folder.dir, {});
      // Were .env not read, this would be a terminal chat: end its input so it cannot wait.
      main.child.stdin!.end();
      expect(await main.exited).toBe(1);
      expect(main.output()).toContain('config: DISCORD_API_URL must be an http(s) URL');
    } finally {
      folder.cleanup();
    }
  });

  it('opens the terminal chat without DISCORD_TOKEN', async () => {
    const main = startMain(temp.dir, {});
    main.child.stdin!.end('How many seats were available?\n/help\n/quit\n');
    expect(await main.exited).toBe(0);
    expect(main.output()).toContain('18 available seats');
    // Lexical-only is said once at start-up, and again only when asked for with /help.
    expect(warningLines(main.output())).toBe(1);
    expect(main.output()).toContain(LEXICAL_HELP);
  });
});
