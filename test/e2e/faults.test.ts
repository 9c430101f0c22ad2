/**
 * Running unattended: the bot against the fake Discord when Discord misbehaves the
 * way it does in production — 429s (per route and global), 5xx, dropped and
 * invalidated gateway sessions, a slow API, an interaction token that expires
 * mid-reindex — and when users flood it. Each test injects one fault and checks
 * what the bot did about it, through the REST calls it made and the lines it logged.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexEmbedder } from '../../src/store/dense-index.js';
import { loadTinyEmbedder, makeTempDir } from '../helpers.js';
import { type FakeDiscord, type InteractionRef, isRequest, type RecordedRequest } from './fake-discord.js';
import { newTestUser, startTestBot, type TestBot, textOfRequest } from './start-test-bot.js';

const CALLBACK_DEFER = 5;
const MANAGE_GUILD = '32';


/** Asks a question and resolves with the PATCH that filled in the deferred reply successfully. */
async function askAndWait(fake: FakeDiscord, question: string, timeoutMs = 10_000): Promise<{ ref: InteractionRef; edit: RecordedRequest }> {
  const ref = fake.slashCommand({ name: 'ask', options: { question }, user: newTestUser() });
  const edit = await fake.waitForRequest((r) => isRequest('PATCH', ref.originalMessagePath)(r) && r.status === 200, timeoutMs);
  return { ref, edit };
}

/** Waits until an interaction sent now is answered: everything dispatched before it has been handled. */
async function roundTrip(fake: FakeDiscord): Promise<void> {
  const help = fake.slashCommand({ name: 'help', user: newTestUser() });
  await fake.waitForRequest(isRequest('POST', help.callbackPath));
}

describe('the bot when Discord misbehaves', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('waits out a 429 on a route for its retry-after, then delivers the answer', async () => {
    const { fake } = t;
    fake.injectFault({ kind: 'rate-limit', method: 'PATCH', path: /\/messages\/@original$/, retryAfterMs: 700 });
    const { ref, edit } = await askAndWait(fake, 'How many seats were available?');
    const patches = fake.requests.filter(isRequest('PATCH', ref.originalMessagePath));
    expect(patches.map((r) => r.status)).toEqual([429, 200]);
    expect(patches[0]!.fault).toBe('rate-limit');
    expect(edit.receivedAtMs - patches[0]!.receivedAtMs).toBeGreaterThanOrEqual(700);
    expect(textOfRequest(edit)).toContain('18 available seats');
  });

  it('holds every other route after a global 429 until it resets, but still acknowledges interactions', async () => {
    const { fake } = t;
    fake.injectFault({ kind: 'global-rate-limit', method: 'PATCH', path: /\/messages\/@original$/, retryAfterMs: 800 });
    const first = fake.slashCommand({ name: 'ask', options: { question: 'When was Resolution 60/251 adopted?' }, user: newTestUser() });
    const limited = await fake.waitForRequest(isRequest('PATCH', first.originalMessagePath));
    expect(limited).toMatchObject({ status: 429, fault: 'global-rate-limit' });
    // A second question: its acknowledgement is not bound by the global limit (as on
    // Discord), its answer — another webhook, another bucket — is.
    const second = await askAndWait(fake, 'How many seats were available?');
    const secondCallback = fake.requests.find(isRequest('POST', second.ref.callbackPath))!;
    const retried = await fake.waitForRequest((r) => isRequest('PATCH', first.originalMessagePath)(r) && r.status === 200);
    expect(secondCallback.status).toBe(204);
    expect(second.edit.receivedAtMs - limited.receivedAtMs).toBeGreaterThanOrEqual(800);
    expect(retried.receivedAtMs - limited.receivedAtMs).toBeGreaterThanOrEqual(800);
  });

  it('retries a 5xx from Discord and delivers the answer', async () => {
    const { fake } = t;
    fake.injectFault({ kind: 'server-error', status: 502, method: 'PATCH', path: /\/messages\/@original$/ });
    const { ref, edit } = await askAndWait(fake, 'Who is the spokesperson for the Ministry of Foreign Affairs?');
    expect(fake.requests.filter(isRequest('PATCH', ref.originalMessagePath)).map((r) => r.status)).toEqual([502, 200]);
    expect(textOfRequest(edit)).toContain('Abibullayev');
  });

  it('logs an answer Discord keeps refusing with 5xx instead of dropping it silently', async () => {
    const { fake, logs } = t;
    const errorsBefore = logs.error.length;
    fake.injectFault({ kind: 'server-error', status: 503, method: 'PATCH', path: /\/messages\/@original$/, times: 8 });
    const ref = fake.slashCommand({ name: 'ask', options: { question: 'How many seats were available?' }, user: newTestUser() });
    await expect.poll(() => logs.error.slice(errorsBefore).join('\n'), { timeout: 15_000 }).toMatch(/Discord refused the reply/);
    fake.clearFaults();
    const newErrors = logs.error.slice(errorsBefore).join('\n');
    expect(newErrors).toContain('discord: /ask failed');
    expect(fake.requests.filter(isRequest('PATCH', ref.originalMessagePath)).every((r) => r.status === 503)).toBe(true);
  });

  it('logs an error reply that Discord refuses', async () => {
    const { fake, logs } = t;
    const errorsBefore = logs.error.length;
    fake.injectFault({
      kind: 'status',
      status: 404,
      body: { message: 'Unknown interaction', code: 10062 },
      method: 'POST',
      path: /^\/interactions\/\d+\/[^/]+\/callback$/,
    });
    const ref = fake.slashCommand({ name: 'source', options: { ref: 'nonsense' }, user: newTestUser() });
    await fake.waitForRequest(isRequest('POST', ref.callbackPath));
    await expect.poll(() => logs.error.slice(errorsBefore)).toEqual([
      expect.stringMatching(/^discord: \/source: Discord refused the reply "I could not find a passage for "nonsense".*Unknown interaction$/),
    ]);
  });

  it('resumes its session after a close with 4000, naming the session and the last sequence', async () => {
    const { fake } = t;
    const identifies = fake.identifyPayloads.length;
    const resumes = fake.resumePayloads.length;
    fake.dropConnections(4000);
    await expect.poll(() => fake.resumePayloads.length, { timeout: 10_000 }).toBe(resumes + 1);
    expect(fake.resumePayloads.at(-1)!.session_id).toBe(fake.sessionIds.at(-1));
    expect(fake.resumePayloads.at(-1)!.seq).toBeGreaterThan(0);
    expect(textOfRequest((await askAndWait(fake, 'How many seats were available?')).edit)).toContain('18 available seats');
    expect(fake.identifyPayloads.length).toBe(identifies);
  });

  it('resumes after the connection drops without a close frame (1006)', async () => {
    const { fake } = t;
    const identifies = fake.identifyPayloads.length;
    const resumes = fake.resumePayloads.length;
    fake.terminateConnections();
    await expect.poll(() => fake.resumePayloads.length, { timeout: 10_000 }).toBe(resumes + 1);
    expect(fake.resumePayloads.at(-1)!.session_id).toBe(fake.sessionIds.at(-1));
    expect(textOfRequest((await askAndWait(fake, 'How many seats were available?')).edit)).toContain('18 available seats');
    expect(fake.identifyPayloads.length).toBe(identifies);
  });

  it('identifies afresh after 4007 (invalid sequence) and keeps answering', async () => {
    const { fake } = t;
    const identifies = fake.identifyPayloads.length;
    fake.dropConnections(4007);
    await expect.poll(() => fake.identifyPayloads.length, { timeout: 15_000 }).toBe(identifies + 1);
    expect(textOfRequest((await askAndWait(fake, 'How many seats were available?')).edit)).toContain('18 available seats');
  });

  it('identifies afresh after op 9 Invalid Session (not resumable) and keeps answering', async () => {
    const { fake } = t;
    const identifies = fake.identifyPayloads.length;
    fake.invalidateSessions(false);
    await expect.poll(() => fake.identifyPayloads.length, { timeout: 15_000 }).toBe(identifies + 1);
    expect(textOfRequest((await askAndWait(fake, 'How many seats were available?')).edit)).toContain('18 available seats');
  });

  it('answers a flood of bare mentions with at most the allowed replies and one notice', async () => {
    const { fake, config } = t;
    const user = newTestUser();
    const since = fake.mark();
    for (let i = 0; i < 12; i++) fake.sendMessage({ content: '', mentionsBot: true, author: user });
    const allowed = config.discord.rateLimitQuestions;
    const posts = (): RecordedRequest[] =>
      fake.requests.filter((r) => r.seq >= since && r.method === 'POST' && r.path === `/channels/${fake.channelId}/messages`);
    await expect.poll(() => posts().length).toBeGreaterThanOrEqual(allowed + 1);
    await roundTrip(fake);
    expect(posts()).toHaveLength(allowed + 1);
    expect(posts().filter((r) => textOfRequest(r).includes('Please ask a question'))).toHaveLength(allowed);
    expect(posts().filter((r) => /try again in \d+ s/.test(textOfRequest(r)))).toHaveLength(1);
  });
});

describe('the bot when Discord is slow', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('still defers within Discord’s 3 s when every REST call takes 2 s', async () => {
    const { fake } = t;
    fake.injectFault({ kind: 'latency', path: /.*/, latencyMs: 2_000, times: Number.POSITIVE_INFINITY });
    const { ref, edit } = await askAndWait(fake, 'How many seats were available?', 20_000);
    const callback = fake.requests.find(isRequest('POST', ref.callbackPath))!;
    // The fake refuses an acknowledgement handled after 3 s with 404 Unknown interaction.
    expect(callback).toMatchObject({ status: 204, fault: 'latency' });
    expect((callback.body as { type: number }).type).toBe(CALLBACK_DEFER);
    expect(textOfRequest(edit)).toContain('18 available seats');
    expect(fake.unansweredInteractions()).toEqual([]);
  });
});

describe('a /reindex that outlives its interaction token', () => {
  let t: TestBot;
  let release: () => void = () => {};
  let gate: Promise<void> = Promise.resolve();
  const modelDir = makeTempDir();
  beforeAll(async () => {
    const tiny = await loadTinyEmbedder(modelDir.dir);
    // The real tiny model, held at a gate so the reindex is still running when the token expires.
    const gated: IndexEmbedder = {
      modelId: tiny.modelId,
      dimensions: tiny.dimensions,
      embedQuery: (text) => tiny.embedQuery(text),
      embedDocuments: async (texts) => {
        await gate;
        return tiny.embedDocuments(texts);
      },
    };
    t = await startTestBot({ embedder: gated });
  });
  afterAll(async () => {
    release();
    await t?.stop();
    modelDir.cleanup();
  });

  it('continues its progress as a channel message once the reply token has expired', async () => {
    const { fake, logs } = t;
    writeFileSync(path.join(t.dir, 'corpus', 'minutes.txt'), 'The council met on Tuesday.\n\nIt adjourned on Wednesday.');
    gate = new Promise((resolve) => (release = resolve));
    const ref = fake.slashCommand({ name: 'reindex', permissions: MANAGE_GUILD, user: newTestUser() });
    const progress = await fake.waitForRequest(isRequest('PATCH', ref.originalMessagePath));
    expect(progress.status).toBe(200);
    expect(textOfRequest(progress)).toContain('Reindexing…');

    fake.advanceTime(16 * 60_000);
    // Past the progress interval, so the next step is shown (not skipped) after the expiry.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    release();

    const channelPost = await fake.waitForRequest(isRequest('POST', `/channels/${fake.channelId}/messages`), 15_000);
    const messageId = (channelPost.response as { id: string }).id;
    expect(textOfRequest(channelPost)).toMatch(/Reindexing…|Reindex complete/);
    await expect.poll(() => fake.messages.get(messageId)?.embeds[0]?.title, { timeout: 15_000 }).toBe('Reindex complete');
    expect(fake.messages.get(messageId)!.embeds[0]!.description).toMatch(/Reindexed 2 document\(s\)/);
    expect(fake.requests.filter(isRequest('PATCH', ref.originalMessagePath)).slice(1).every((r) => r.status === 401)).toBe(true);
    expect(logs.info.join('\n')).toContain('outlived its interaction token');
    expect(t.engine.status().documents).toBe(2);
  });
});

describe('a session Discord ends for good', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('reports a token reset while running (close 4004) as a fatal sentence instead of going quiet', async () => {
    t.fake.dropConnections(4004);
    await expect.poll(() => t.logs.error).toEqual([expect.stringMatching(/^discord: Discord rejected DISCORD_TOKEN — /)]);
  });
});
