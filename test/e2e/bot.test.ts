/**
 * The bot end to end: the real discord.js client (through startBot) against the fake
 * Discord on 127.0.0.1, over the real engine (tiny model, real HNSW + BM25).
 * Events go in over the gateway; assertions are on the REST calls the bot makes.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine.js';
import type { Engine } from '../../src/engine-types.js';
import { type RunningBot, startBot } from '../../src/discord/start-bot.js';
import { ARTICLE_DIR, loadTinyEmbedder, makeTempDir, testConfig } from '../helpers.js';
import { type FakeDiscord, type InteractionRef, isRequest, type RecordedRequest, startFakeDiscord } from './fake-discord.js';

const EPHEMERAL = 64;
const MANAGE_GUILD = '32';
const CALLBACK = { reply: 4, defer: 5, autocomplete: 8 } as const;
/** Autocomplete requests per user in the test's (minute-long) window. */
const SUGGESTIONS_PER_WINDOW = 3;

interface Embed {
  title?: string;
  description: string;
}
interface Body {
  content?: string;
  flags?: number;
  embeds?: Embed[];
  components?: { components: { custom_id: string; label: string }[] }[];
  allowed_mentions?: { parse: string[] };
  name?: string;
  choices?: { name: string; value: string }[];
}

let temp: { dir: string; cleanup: () => void };
let fake: FakeDiscord;
let bot: RunningBot;
let engine: Engine;
/** What the bot logged as errors; a test that provokes one takes it out, so any other fails the test. */
const errors: string[] = [];
let userCounter = 0;

/** A fresh user per test, so the per-user rate limit of one test never touches another. */
function newUser(): { id: string; username: string } {
  userCounter++;
  return { id: String(400000000000000000n + BigInt(userCounter)), username: `user${userCounter}` };
}

const bodyOf = (request: RecordedRequest): Body => request.body as Body;
const dataOf = (request: RecordedRequest): Body => (request.body as { data: Body }).data;
const textOf = (body: Body): string => [body.content ?? '', ...(body.embeds ?? []).map((e) => `${e.title ?? ''}\n${e.description}`)].join('\n');

/** The deferred reply's final content: the callback, then the PATCH of @original. */
async function deferredAnswer(ref: InteractionRef): Promise<{ callback: RecordedRequest; edit: Body }> {
  const callback = await fake.waitForRequest(isRequest('POST', ref.callbackPath));
  const edit = await fake.waitForRequest(isRequest('PATCH', ref.originalMessagePath));
  return { callback, edit: bodyOf(edit) };
}

/** The feedback counts /help reports now. */
async function feedbackCounts(): Promise<{ up: number; down: number; answers: number }> {
  const help = textOf(await directReply(fake.slashCommand({ name: 'help', user: newUser() })));
  const match = /Feedback so far: (\d+) 👍 · (\d+) 👎 on (\d+) answer\(s\)\./.exec(help);
  if (!match) throw new Error(`test: no feedback line in /help: ${help}`);
  return { up: Number(match[1]), down: Number(match[2]), answers: Number(match[3]) };
}

async function directReply(ref: InteractionRef): Promise<Body> {
  const callback = await fake.waitForRequest(isRequest('POST', ref.callbackPath));
  expect((callback.body as { type: number }).type).toBe(CALLBACK.reply);
  return dataOf(callback);
}

beforeAll(async () => {
  temp = makeTempDir();
  cpSync(ARTICLE_DIR, path.join(temp.dir, 'corpus'), { recursive: true });
  const embedder = await loadTinyEmbedder(temp.dir);
  fake = await startFakeDiscord();
  const config = testConfig(temp.dir, {
    EMBEDDING_MODEL: 'verbatim-tiny',
    DISCORD_TOKEN: 'test-token',
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_GUILD_ID: fake.guildId,
    RATE_LIMIT_QUESTIONS: '3',
    RATE_LIMIT_WINDOW_MS: '60000',
    RATE_LIMIT_SUGGESTIONS: String(SUGGESTIONS_PER_WINDOW),
    RATE_LIMIT_SUGGESTION_WINDOW_MS: '60000',
    DATA_DIR: 'data',
  });
  engine = await createEngine({ config, embedder, embedderWarning: null });
  bot = await startBot({ engine, config, embedderWarning: null, log: { info: () => {}, error: (message, error) => errors.push(`${message} ${String(error ?? '')}`.trim()) } });
});

afterEach(() => {
  expect(errors.splice(0), 'errors the bot logged').toEqual([]);
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  temp?.cleanup();
});

describe('the Discord bot', () => {
  it('registers its seven slash commands in the configured server, /reindex, /documents and /stats for Manage Server only', async () => {
    const put = await fake.waitForRequest(isRequest('PUT', `/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`));
    const commands = put.body as { name: string; default_member_permissions?: string | null; options?: { name: string; autocomplete?: boolean }[] }[];
    expect(commands.map((c) => c.name)).toEqual(['ask', 'source', 'search', 'reindex', 'documents', 'help', 'stats']);
    expect(commands.find((c) => c.name === 'stats')!.default_member_permissions).toBe(MANAGE_GUILD);
    expect(commands.find((c) => c.name === 'documents')!.default_member_permissions).toBe(MANAGE_GUILD);
    expect(commands.find((c) => c.name === 'reindex')!.default_member_permissions).toBe(MANAGE_GUILD);
    expect(commands.find((c) => c.name === 'source')!.options![0]).toMatchObject({ name: 'ref', autocomplete: true });
    expect(put.headers.authorization).toBe('Bot test-token');
  });

  it('answers /ask after deferring: block quotes with markers, sources, Source and vote buttons, no pings', async () => {
    const ref = fake.slashCommand({ name: 'ask', options: { question: 'How many seats were available in this round of the election?' }, user: newUser() });
    const { callback, edit } = await deferredAnswer(ref);
    expect(callback.body).toMatchObject({ type: CALLBACK.defer });
    expect(dataOf(callback)?.flags ?? 0).toBe(0);
    const description = edit.embeds![0]!.description;
    expect(description).toMatch(/^> .*18 available seats.* \*\*\[1\]\*\*/m);
    expect(description).toContain('**Sources**\n\\[1] Kazakhstan Elected Member of UN Human Rights Council, paragraph 4');
    const buttons = edit.components!.flatMap((row) => row.components);
    expect(buttons.map((b) => b.label)).toEqual(['Source 1', 'Helpful', 'Not helpful']);
    expect(edit.allowed_mentions).toEqual({ parse: [] });
  });

  it('answers privately when asked to, and abstains honestly on what the article does not say', async () => {
    const ref = fake.slashCommand({ name: 'ask', options: { question: 'What is the population of Kazakhstan?', private: true }, user: newUser() });
    const { callback, edit } = await deferredAnswer(ref);
    expect(dataOf(callback).flags).toBe(EPHEMERAL);
    expect(edit.embeds![0]!.description).toMatch(/^\*\*The sources don't answer that\.\*\*/);
  });

  it('opens the full passage behind a Source button, with the quote highlighted, only for the user', async () => {
    const user = newUser();
    const ask = fake.slashCommand({ name: 'ask', options: { question: "Who is Kazakhstan's Human Rights Commissioner?" }, user });
    const { edit } = await deferredAnswer(ask);
    const sourceButton = edit.components![0]!.components[0]!;
    const click = fake.button({ customId: sourceButton.custom_id, user });
    const reply = await directReply(click);
    expect(reply.flags).toBe(EPHEMERAL);
    expect(reply.embeds![0]!.description).toContain('**The Human Rights Commissioner of Kazakhstan, Askar Shakirov');
    expect(reply.embeds![0]!.description).toContain('Attribution: Kazinform, November 13');
  });

  it('stores one vote per user per answer, the last one winning, and counts them in /help', async () => {
    const before = await feedbackCounts();
    const user = newUser();
    const { edit } = await deferredAnswer(fake.slashCommand({ name: 'ask', options: { question: 'When was Resolution 60/251 adopted?' }, user }));
    const [up, down] = edit.components!.at(-1)!.components;
    expect((await directReply(fake.button({ customId: up!.custom_id, user }))).content).toContain('👍');
    expect((await directReply(fake.button({ customId: down!.custom_id, user }))).content).toContain('👎');
    await directReply(fake.button({ customId: up!.custom_id, user: newUser() }));
    // This answer's votes: the first user's last vote (👎) and another user's 👍.
    expect(await feedbackCounts()).toEqual({ up: before.up + 1, down: before.down + 1, answers: before.answers + 1 });
    const help = await directReply(fake.slashCommand({ name: 'help', user: newUser() }));
    expect(help.flags).toBe(EPHEMERAL);
    expect(textOf(help)).toContain('Retrieval: hybrid (BM25 + embeddings from verbatim-tiny)');
    expect(textOf(help)).toMatch(/Corpus: 1 document\(s\), \d+ passage\(s\)\./);
    expect(textOf(help)).toMatch(/Index built \d+ (s|min) ago\./);
  });

  it('shows /source by citation number from the last answer here, or by passage id, and explains a bad ref', async () => {
    const user = newUser();
    await deferredAnswer(fake.slashCommand({ name: 'ask', options: { question: 'How did Reporters Without Borders rank Kazakhstan?' }, user }));
    const byCitation = await directReply(fake.slashCommand({ name: 'source', options: { ref: '1' }, user }));
    expect(byCitation.flags).toBe(EPHEMERAL);
    expect(byCitation.embeds![0]!.description).toContain('**Reporters Without Borders ranked Kazakhstan 154 out of 179');
    expect(byCitation.embeds![0]!.description).toMatch(/previous `kazakhstan-un-human-rights-council#p10` · next `kazakhstan-un-human-rights-council#p12`/);

    const byId = await directReply(fake.slashCommand({ name: 'source', options: { ref: 'kazakhstan-un-human-rights-council#p2' }, user }));
    expect(byId.embeds![0]!.description).toContain('Publication: Eurasia Daily Monitor');

    const bad = await directReply(fake.slashCommand({ name: 'source', options: { ref: 'nonsense' }, user }));
    expect(bad).toMatchObject({ flags: EPHEMERAL });
    expect(bad.content).toContain('I could not find a passage for "nonsense"');
  });

  it('autocompletes /source with the last answer’s citations and passage ids', async () => {
    const user = newUser();
    await deferredAnswer(fake.slashCommand({ name: 'ask', options: { question: 'Which organizations has Kazakhstan recently chaired?' }, user }));
    const ref = fake.autocomplete({ name: 'source', focused: 'ref', value: '', user });
    const callback = await fake.waitForRequest(isRequest('POST', ref.callbackPath));
    expect((callback.body as { type: number }).type).toBe(CALLBACK.autocomplete);
    const choices = dataOf(callback).choices!;
    expect(choices[0]).toMatchObject({ value: '1', name: expect.stringMatching(/^\[1\] Kazakhstan recently chaired/) });
    expect(choices.some((c) => c.value === 'kazakhstan-un-human-rights-council#p1')).toBe(true);
    expect(choices.length).toBeLessThanOrEqual(25);

    const filtered = fake.autocomplete({ name: 'source', focused: 'ref', value: '#p14', user });
    const narrowed = dataOf(await fake.waitForRequest(isRequest('POST', filtered.callbackPath))).choices!;
    expect(narrowed.map((c) => c.value)).toEqual(['kazakhstan-un-human-rights-council#p14']);
  });

  it('lists in /search, only for the user, exactly the passages /ask retrieves, with ranks and the alternative that matched', async () => {
    const query = 'Which organisations did Kazakhstan chair?';
    const { callback, edit } = await deferredAnswer(fake.slashCommand({ name: 'search', options: { query }, user: newUser() }));
    expect(callback.body).toMatchObject({ type: CALLBACK.defer, data: { flags: EPHEMERAL } });
    const description = edit.embeds![0]!.description;
    const listed = [...description.matchAll(/^\*\*\d+\.\*\* `([^`]+)` — score \d\.\d{4} \((?:BM25 #\d+)?(?:, )?(?:dense #\d+)?\)/gm)].map((match) => match[1]);
    const asked = await engine.ask(query);
    expect(listed).toEqual(asked.retrievedChunkIds);
    expect(description).toContain('organization ← organisations (spelling)');
  });

  it('answers a mention in a new thread, and a follow-up in that thread without a mention', async () => {
    const user = newUser();
    const messageId = fake.sendMessage({ content: "Who is Kazakhstan's Human Rights Commissioner?", mentionsBot: true, author: user });
    const thread = await fake.waitForRequest(isRequest('POST', `/channels/${fake.channelId}/messages/${messageId}/threads`));
    expect(bodyOf(thread).name).toBe("Who is Kazakhstan's Human Rights Commissioner?");
    const threadId = (thread.response as { id: string }).id;
    const first = await fake.waitForRequest(isRequest('POST', `/channels/${threadId}/messages`));
    expect(textOf(bodyOf(first))).toContain('Askar Shakirov');
    expect(bodyOf(first).allowed_mentions).toEqual({ parse: [] });

    const since = fake.mark();
    fake.sendMessage({ content: 'What did he attribute the election to?', channelId: threadId, author: user });
    const followUp = await fake.waitForRequest(isRequest('POST', `/channels/${threadId}/messages`), { since });
    expect(textOf(bodyOf(followUp))).toContain('methodical and active work');
  });

  it('says how it read a follow-up that only names something new', async () => {
    const user = newUser();
    await deferredAnswer(fake.slashCommand({ name: 'ask', options: { question: 'How did Reporters Without Borders rank Kazakhstan?' }, user }));
    const { edit } = await deferredAnswer(fake.slashCommand({ name: 'ask', options: { question: 'and Freedom House?' }, user }));
    expect(textOf(edit)).toMatch(/^\*Read as “How did Freedom House rank\?”\*/m);
    expect(textOf(edit)).toContain('Freedom House ranked Kazakhstan “Not Free,”');
  });

  it('resolves "What did he say?" against the question before it, from the same user only', async () => {
    const user = newUser();
    await deferredAnswer(fake.slashCommand({ name: 'ask', options: { question: "Who is the spokesperson for Kazakhstan's Ministry of Foreign Affairs?" }, user }));
    const { edit } = await deferredAnswer(fake.slashCommand({ name: 'ask', options: { question: 'What did he say?' }, user }));
    expect(textOf(edit)).toContain('We are pleased to have been elected');
    // Conversations are per channel and user: someone else in the channel has no "he".
    const stranger = await deferredAnswer(fake.slashCommand({ name: 'ask', options: { question: 'What did he say?' }, user: newUser() }));
    expect(textOf(stranger.edit)).toMatch(/^\*\*The sources don't answer that\.\*\*/m);
  });

  it("answers a mention inside someone else's thread in that thread, without starting another", async () => {
    const user = newUser();
    const threadId = fake.createUserThread({ name: 'a member’s discussion', ownerId: user.id });
    const since = fake.mark();
    fake.sendMessage({ content: 'How many seats were available in this round?', mentionsBot: true, channelId: threadId, author: user });
    const reply = await fake.waitForRequest(isRequest('POST', `/channels/${threadId}/messages`), { since });
    expect(textOf(bodyOf(reply))).toContain('18 available seats');
    expect(fake.requests.filter((r) => r.seq >= since && r.path.endsWith('/threads'))).toEqual([]);

    // Without a mention, a thread the bot did not start is none of its business.
    const quiet = fake.mark();
    fake.sendMessage({ content: 'What about the vote?', channelId: threadId, author: user });
    await directReply(fake.slashCommand({ name: 'help', user: newUser() }));
    expect(fake.requests.filter((r) => r.seq >= quiet && r.method === 'POST' && r.path.startsWith('/channels/'))).toEqual([]);
  });

  it('ignores channel messages that do not mention it', async () => {
    const since = fake.mark();
    fake.sendMessage({ content: 'just chatting about the council, no question for the bot', author: newUser() });
    // A later interaction is the barrier: once it is answered, the message was handled too.
    await directReply(fake.slashCommand({ name: 'help', user: newUser() }));
    expect(fake.requests.filter((r) => r.seq >= since && r.method === 'POST' && r.path.startsWith('/channels/'))).toEqual([]);
  });

  it('rate-limits a user politely, and answers mention spam with one notice', async () => {
    const user = newUser();
    for (let i = 0; i < 3; i++) {
      await deferredAnswer(fake.slashCommand({ name: 'ask', options: { question: 'How many recommendations came out of the review?' }, user }));
    }
    const limited = await directReply(fake.slashCommand({ name: 'ask', options: { question: 'And one more?' }, user }));
    expect(limited.flags).toBe(EPHEMERAL);
    expect(limited.content).toMatch(/please try again in \d+ s/);
    // /search runs the same retrieval and spends the same budget.
    const search = await directReply(fake.slashCommand({ name: 'search', options: { query: 'recommendations' }, user }));
    expect(search).toMatchObject({ flags: EPHEMERAL, content: expect.stringMatching(/please try again in \d+ s/) });

    const since = fake.mark();
    for (let i = 0; i < 5; i++) fake.sendMessage({ content: `spam ${i}?`, mentionsBot: true, author: user });
    await directReply(fake.slashCommand({ name: 'help', user: newUser() }));
    await fake.waitForRequest(isRequest('POST', `/channels/${fake.channelId}/messages`), { since });
    const posts = fake.requests.filter((r) => r.seq >= since && r.method === 'POST' && r.path.startsWith('/channels/'));
    expect(posts).toHaveLength(1);
    expect(textOf(bodyOf(posts[0]!))).toMatch(/try again in \d+ s/);
  });

  it('answers autocomplete beyond the per-user budget at once, with no choices, and other users as before', async () => {
    const user = newUser();
    const choicesFor = async (who: { id: string; username: string }): Promise<Body['choices']> => {
      const ref = fake.autocomplete({ name: 'source', focused: 'ref', value: '#p1', user: who });
      return dataOf(await fake.waitForRequest(isRequest('POST', ref.callbackPath))).choices;
    };
    for (let i = 0; i < SUGGESTIONS_PER_WINDOW; i++) expect((await choicesFor(user))!.length).toBeGreaterThan(0);
    expect(await choicesFor(user)).toEqual([]);
    expect((await choicesFor(newUser()))!.length).toBeGreaterThan(0);
  });

  it('refuses a question over the length cap, politely and only to the user', async () => {
    const reply = await directReply(fake.slashCommand({ name: 'ask', options: { question: 'why '.repeat(400) }, user: newUser() }));
    expect(reply).toMatchObject({ flags: EPHEMERAL });
    expect(reply.content).toMatch(/too long \(1600 characters\)/);
  });

  it('refuses a mention over the length cap with a reply to the message, opening no public thread for it', async () => {
    const since = fake.mark();
    const messageId = fake.sendMessage({ content: 'why '.repeat(400), mentionsBot: true, author: newUser() });
    const reply = await fake.waitForRequest(isRequest('POST', `/channels/${fake.channelId}/messages`), { since });
    expect(textOf(bodyOf(reply))).toMatch(/too long \(1599 characters\)/);
    expect((bodyOf(reply) as { message_reference?: { message_id: string } }).message_reference?.message_id).toBe(messageId);
    expect(fake.requests.filter((r) => r.seq >= since && r.path.endsWith('/threads'))).toEqual([]);
  });

  it('refuses /reindex to a non-admin even if Discord shows it to them', async () => {
    const reply = await directReply(fake.slashCommand({ name: 'reindex', permissions: '0', user: newUser() }));
    expect(reply).toMatchObject({ flags: EPHEMERAL, content: 'Only server admins can do that.' });
  });

  it('reindexes for an admin with progress, answers questions meanwhile, and refuses a second /reindex', async () => {
    // Enough new text that embedding it keeps the reindex busy while other events arrive.
    const paragraphs = Array.from({ length: 1_500 }, (_, i) => `Paragraph ${i} records session ${i} of a council about topic ${i % 37}.`);
    const minutes = path.join(temp.dir, 'corpus', 'minutes.txt');
    const documentsBefore = engine.status().documents;
    writeFileSync(minutes, paragraphs.join('\n\n'));
    try {
      await reindexAsAdmin(documentsBefore + 1);
    } finally {
      // The tests after this one (in any order) get the one-article index back.
      rmSync(minutes, { force: true });
      await engine.reindex();
    }
    expect(engine.status().documents).toBe(documentsBefore);
  });

  async function reindexAsAdmin(documentsAfter: number): Promise<void> {
    const admin = newUser();
    const first = fake.slashCommand({ name: 'reindex', permissions: MANAGE_GUILD, user: admin });
    const firstCallback = await fake.waitForRequest(isRequest('POST', first.callbackPath));
    expect(firstCallback.body).toMatchObject({ type: CALLBACK.defer, data: { flags: EPHEMERAL } });

    const second = await directReply(fake.slashCommand({ name: 'reindex', permissions: MANAGE_GUILD, user: admin }));
    expect(second).toMatchObject({ flags: EPHEMERAL, content: 'A reindex is already running. Please wait for it to finish.' });
    const during = fake.slashCommand({ name: 'ask', options: { question: 'How many member states voted for Kazakhstan?' }, user: newUser() });
    const answered = await deferredAnswer(during);
    expect(textOf(answered.edit)).toContain('183 of 193');

    const edits: RecordedRequest[] = [];
    for (;;) {
      const edit = await fake.waitForRequest(isRequest('PATCH', first.originalMessagePath), { since: (edits.at(-1)?.seq ?? 0) + 1, timeoutMs: 60_000 });
      edits.push(edit);
      if (textOf(bodyOf(edit)).includes('Reindex complete')) break;
    }
    expect(textOf(bodyOf(edits[0]!))).toContain('Reindexing…');
    expect(textOf(bodyOf(edits.at(-1)!))).toMatch(new RegExp(`Reindexed ${documentsAfter} document\\(s\\) into \\d+ passage\\(s\\)`));
    expect(edits.at(-1)!.seq).toBeGreaterThan(fake.requests.find((r) => r.path === during.originalMessagePath)!.seq);
    expect(engine.status().documents).toBe(documentsAfter);
  }

  it('answers every interaction even when a handler fails, logs it, and keeps running', async () => {
    const user = newUser();
    const { edit } = await deferredAnswer(fake.slashCommand({ name: 'ask', options: { question: 'Who is the spokesperson for the Ministry of Foreign Affairs?' }, user }));
    // A file where the data folder should be makes saving a vote fail for real.
    rmSync(path.join(temp.dir, 'data'), { recursive: true, force: true });
    writeFileSync(path.join(temp.dir, 'data'), 'not a folder');
    try {
      const vote = await directReply(fake.button({ customId: edit.components!.at(-1)!.components[0]!.custom_id, user }));
      expect(vote).toMatchObject({ flags: EPHEMERAL });
      expect(vote.content).toMatch(/^Sorry — something went wrong on my side/);
      // Logged once with the command, and once by the question log that cannot open its file:
      // taken out of the log so the check after each test passes.
      const logged = errors.splice(0);
      expect(logged).toHaveLength(2);
      expect(logged).toEqual(expect.arrayContaining([
        expect.stringMatching(/^discord: button vote failed .*ENOTDIR/),
        expect.stringMatching(/^question-log: .* cannot be used \(ENOTDIR/),
      ]));
    } finally {
      rmSync(path.join(temp.dir, 'data'));
      mkdirSync(path.join(temp.dir, 'data'));
    }
    const help = await directReply(fake.slashCommand({ name: 'help', user: newUser() }));
    expect(textOf(help)).toContain('Verbatim — help');
    expect(fake.unansweredInteractions()).toEqual([]);
    // The store recovers once the folder is back.
    expect((await directReply(fake.button({ customId: edit.components!.at(-1)!.components[0]!.custom_id, user }))).content).toContain('👍');
  });
});
