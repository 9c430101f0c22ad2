/**
 * `npm start` as a process, against the fake Discord set up the way first runs go
 * wrong: each mistake an owner can make ends the process non-zero with one sentence
 * saying what is wrong and what to do — no stack trace, never the token. And a
 * shutdown finishes the answers under way, or says what it abandoned and exits non-zero.
 */
import { cpSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { GatewayIntentBits } from 'discord.js';
import { describe, expect, it, type TestContext } from 'vitest';
import { ARTICLE_DIR, makeTempDir } from '../helpers.js';
import { type FakeDiscordOptions, isRequest, startFakeDiscord } from './fake-discord.js';
import { spawnMain } from './spawn-main.js';

const TOKEN = 'start-up-test-token-0123456789';
type Finished = TestContext['onTestFinished'];

function projectFolder(onFinished: Finished): string {
  const temp = makeTempDir();
  onFinished(temp.cleanup);
  cpSync(ARTICLE_DIR, path.join(temp.dir, 'corpus'), { recursive: true });
  return temp.dir;
}

/** A port nothing listens on: bound once, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Runs `npm start` to its end and returns the exit code and what it printed. */
async function runMain(onFinished: Finished, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const main = spawnMain(projectFolder(onFinished), { DISCORD_TOKEN: TOKEN, ...env });
  onFinished(() => void main.child.kill('SIGKILL'));
  const code = await main.exited;
  return { code, output: main.output() };
}

async function runAgainstFake(
  onFinished: Finished,
  fakeOptions: FakeDiscordOptions,
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  const fake = await startFakeDiscord(fakeOptions);
  onFinished(() => fake.close());
  return runMain(onFinished, { DISCORD_API_URL: fake.apiUrl, ...env });
}

function expectOneSentence(result: { code: number | null; output: string }, sentence: RegExp): void {
  expect(result.code).toBe(1);
  const lines = result.output.trim().split('\n');
  expect(lines.at(-1)).toMatch(sentence);
  expect(result.output).not.toMatch(/^\s+at /m);
  expect(result.output).not.toContain(TOKEN);
  expect(result.output).not.toContain('wrong-token');
}

describe.concurrent('npm start with a first-run mistake', () => {
  it('names DISCORD_TOKEN when Discord rejects the token', async ({ onTestFinished }) => {
    const result = await runAgainstFake(onTestFinished, { token: TOKEN }, { DISCORD_TOKEN: 'wrong-token-value-999' });
    expectOneSentence(result, /^discord: Discord rejected DISCORD_TOKEN — copy the bot token again .*Reset Token\) and set DISCORD_TOKEN to it\.$/);
  });

  it('says the application is missing when Discord knows none for the token', async ({ onTestFinished }) => {
    const result = await runAgainstFake(onTestFinished, { token: TOKEN, applicationMissing: true });
    expectOneSentence(result, /^discord: Discord knows no application \d+ for this DISCORD_TOKEN \(Unknown Application\) — check .*Developer Portal\.$/);
  });

  it('names DISCORD_GUILD_ID when the bot is not in that server', async ({ onTestFinished }) => {
    const result = await runAgainstFake(onTestFinished, { token: TOKEN }, { DISCORD_GUILD_ID: '999999999999999999' });
    expectOneSentence(result, /^discord: the bot cannot register its commands in server 999999999999999999 \(DISCORD_GUILD_ID\): .*applications\.commands scope/);
  });

  it('names the Developer Portal setting when Discord refuses intents other than Message Content', async ({ onTestFinished }) => {
    const disallowed = GatewayIntentBits.MessageContent | GatewayIntentBits.GuildMessages;
    const result = await runAgainstFake(onTestFinished, { token: TOKEN, disallowedIntents: disallowed });
    expectOneSentence(result, /^discord: Discord refused the gateway intents the bot asks for \(close 4014\) — allow them under Developer Portal → your application → Bot → Privileged Gateway Intents\.$/);
  });

  it('says Discord cannot be reached when nothing answers at DISCORD_API_URL', async ({ onTestFinished }) => {
    const result = await runMain(onTestFinished, { DISCORD_API_URL: `http://127.0.0.1:${await closedPort()}/api` });
    expectOneSentence(result, /^discord: cannot reach Discord at http:\/\/127\.0\.0\.1:\d+\/api: the connection was refused \(ECONNREFUSED\) — check .*DISCORD_API_URL\.$/);
  });
});

describe('npm start shutting down', () => {
  /** Starts the bot on the fake, asks a question whose answer Discord is slow to accept, and sends SIGTERM once it is deferred. */
  async function stopWhileAnswering(onFinished: Finished, env: Record<string, string>, patchLatencyMs: number): Promise<{ code: number | null; output: string; deliveredBeforeExit: number | undefined }> {
    const fake = await startFakeDiscord({ token: TOKEN });
    onFinished(() => fake.close());
    const main = spawnMain(projectFolder(onFinished), { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, ...env });
    onFinished(() => void main.child.kill('SIGKILL'));
    await fake.waitForRequest(isRequest('PUT', `/applications/${fake.applicationId}/commands`), 60_000);
    fake.injectFault({ kind: 'latency', method: 'PATCH', path: /\/messages\/@original$/, latencyMs: patchLatencyMs });
    const ask = fake.slashCommand({ name: 'ask', options: { question: 'How many seats were available?' } });
    await fake.waitForRequest(isRequest('POST', ask.callbackPath), 10_000);
    main.child.kill('SIGTERM');
    const code = await main.exited;
    // What the fake had answered the edit with by the time the process was gone.
    const deliveredBeforeExit = fake.requests.find(isRequest('PATCH', ask.originalMessagePath))?.status;
    return { code, output: main.output(), deliveredBeforeExit };
  }

  it('delivers an answer already under way before it exits', async ({ onTestFinished }) => {
    const { code, output, deliveredBeforeExit } = await stopWhileAnswering(onTestFinished, {}, 1_500);
    expect(code).toBe(0);
    expect(deliveredBeforeExit).toBe(200);
    expect(output).toContain('main: SIGTERM received, shutting down');
  });

  it('exits non-zero saying what it abandoned when an answer outlasts SHUTDOWN_GRACE_MS', async ({ onTestFinished }) => {
    const { code, output } = await stopWhileAnswering(onTestFinished, { SHUTDOWN_GRACE_MS: '1000' }, 5_000);
    expect(code).toBe(1);
    expect(output.trim().split('\n').at(-1)).toBe(
      'main: discord: shutdown incomplete: 1 question(s) still being answered after 1 s (SHUTDOWN_GRACE_MS) were abandoned',
    );
  });
});
