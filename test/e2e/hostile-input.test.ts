/**
 * What a stale registration (an old deploy's commands) or a hostile client can send the
 * bot, end to end through the stand-in for Discord: unknown commands, options missing or
 * of the wrong type, values of the wrong kind, unknown buttons, menus and forms the bot
 * never sent, context-menu commands, autocomplete without a focused option, and text full
 * of masked links and mentions. Every interaction is answered, politely; the bot's log
 * gets one line for each refusal and never a stack trace; nothing a user typed comes back
 * as live markup.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationCommandOptionType, MessageFlags } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findLiveMarkup, HOSTILE_MARKUP } from '../discord-markup.js';
import { type InteractionRef, isRequest, type RecordedRequest } from './fake-discord.js';
import { newTestUser, startTestBot, type TestBot, textOfRequest } from './start-test-bot.js';

const CALLBACK = { reply: 4, defer: 5, autocomplete: 8 } as const;
const MANAGE_GUILD = '32';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** A line of a printed stack trace ("    at routeInteraction (…)"). */
const STACK_FRAME = /\n\s+at /;

type WireOption = { name: string; type: ApplicationCommandOptionType; value: unknown };
/** Options as a hostile client may send them: any value under any declared type. */
const wire = (...options: WireOption[]): never => options as never;

describe('hostile and stale input through Discord', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
  });
  afterAll(async () => {
    await t?.stop();
  });
  afterEach(() => {
    expect(t.fake.unansweredInteractions(), 'interactions left unanswered').toEqual([]);
    expect(t.logs.printed.filter((line) => STACK_FRAME.test(line)), 'stack traces in the log').toEqual([]);
    // Everything the bot sent: nothing a user typed is live markup in it.
    const sent = t.fake.requests.filter((request) => request.method !== 'GET' && request.body !== undefined && /^\/(interactions|webhooks|channels)\//.test(request.path));
    expect(sent.flatMap((request) => findLiveMarkup(textOfRequest(request)))).toEqual([]);
  });

  /** The reply to an interaction: its callback (and the edit of a deferred reply). */
  async function replyTo(ref: InteractionRef): Promise<{ type: number; ephemeral: boolean; text: string; callback: RecordedRequest }> {
    const callback = await t.fake.waitForRequest(isRequest('POST', ref.callbackPath));
    const { type, data } = callback.body as { type: number; data?: { flags?: number } };
    const ephemeral = ((data?.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
    if (type !== CALLBACK.defer) return { type, ephemeral, text: textOfRequest(callback), callback };
    const edit = await t.fake.waitForRequest(isRequest('PATCH', ref.originalMessagePath));
    return { type, ephemeral, text: textOfRequest(edit), callback };
  }

  /** Runs `send`, waits for the reply, and returns it with the log lines it caused. */
  async function refusalOf(send: () => InteractionRef): Promise<{ type: number; ephemeral: boolean; text: string; logged: string[] }> {
    const before = t.logs.printed.length;
    const reply = await replyTo(send());
    return { ...reply, logged: t.logs.printed.slice(before) };
  }

  function expectOneLogLine(logged: readonly string[], pattern: RegExp): void {
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(pattern);
    expect(logged[0]).not.toContain('\n');
  }

  it('answers an unknown command (an old deploy\'s) politely, with one log line', async () => {
    const { type, ephemeral, text, logged } = await refusalOf(() => t.fake.slashCommand({ name: 'frobnicate', user: newTestUser() }));
    expect({ type, ephemeral }).toEqual({ type: CALLBACK.reply, ephemeral: true });
    expect(text).toMatch(/^I don't know the command \/frobnicate — /);
    expect(text).toContain('/help');
    expectOneLogLine(logged, /^discord: \/frobnicate .*not a command of this bot/);
  });

  it('repeats an unknown command name full of markup as written, and logs it on one line', async () => {
    const { text, logged } = await refusalOf(() => t.fake.slashCommand({ name: `${HOSTILE_MARKUP}\nsecond line`, user: newTestUser() }));
    expect(text).toContain('evil.example/phish');
    expectOneLogLine(logged, /not a command of this bot/);
  });

  it.each([
    ['no options at all', 'ask', wire()],
    ['an option of another type', 'ask', wire({ name: 'question', type: ApplicationCommandOptionType.Integer, value: 5 })],
    ['a text option carrying a number', 'ask', wire({ name: 'question', type: ApplicationCommandOptionType.String, value: 42 })],
    ['a text option carrying an object', 'ask', wire({ name: 'question', type: ApplicationCommandOptionType.String, value: { toString: 'x' } })],
    ['a text option carrying null', 'ask', wire({ name: 'question', type: ApplicationCommandOptionType.String, value: null })],
    ['a true/false option carrying text', 'ask', wire({ name: 'question', type: ApplicationCommandOptionType.String, value: 'Who?' }, { name: 'private', type: ApplicationCommandOptionType.Boolean, value: 'yes' })],
    ['a ref carrying a number', 'source', wire({ name: 'ref', type: ApplicationCommandOptionType.String, value: 1 })],
    ['a query carrying a list', 'search', wire({ name: 'query', type: ApplicationCommandOptionType.String, value: ['press', 'freedom'] })],
  ])('answers /%s with %s politely, with one log line', async (_what, name, options) => {
    const { type, ephemeral, text, logged } = await refusalOf(() => t.fake.slashCommand({ name, options, user: newTestUser() }));
    expect({ type, ephemeral }).toEqual({ type: CALLBACK.reply, ephemeral: true });
    expect(text).toMatch(new RegExp(`^I couldn't read the options of /${name} \\(.+\\)\\. `));
    expectOneLogLine(logged, new RegExp(`^discord: /${name} .*options`));
  });

  it.each([
    ['an unknown kind', 'frobnicate:abc:1'],
    ['a vote that is neither up nor down', 'vote:abc:sideways'],
    ['no parts at all', 'x'],
    ['markup', HOSTILE_MARKUP],
  ])('answers a button with %s politely, with one log line', async (_what, customId) => {
    const { type, ephemeral, text, logged } = await refusalOf(() => t.fake.button({ customId, user: newTestUser() }));
    expect({ type, ephemeral }).toEqual({ type: CALLBACK.reply, ephemeral: true });
    expect(text).toMatch(/^I don't know that button — /);
    expectOneLogLine(logged, /^discord: button .*not a button of this bot/);
  });

  it.each([
    ['a user command', 'user'],
    ['a message command', 'message'],
  ] as const)('answers %s (a context-menu command it never registered) politely, with one log line', async (_what, kind) => {
    const { type, ephemeral, text, logged } = await refusalOf(() => t.fake.contextMenuCommand({ name: 'Translate', kind, user: newTestUser() }));
    expect({ type, ephemeral }).toEqual({ type: CALLBACK.reply, ephemeral: true });
    expect(text).toMatch(/^I don't know the app command "Translate" — /);
    expectOneLogLine(logged, /not a command of this bot/);
  });

  it('answers a select menu and a form it never sent politely, each with one log line', async () => {
    const menu = await refusalOf(() => t.fake.selectMenu({ customId: 'pick', values: ['one'], user: newTestUser() }));
    expect(menu).toMatchObject({ type: CALLBACK.reply, ephemeral: true, text: expect.stringMatching(/^I don't know that menu — /) });
    expectOneLogLine(menu.logged, /^discord: select menu .*not a menu of this bot/);
    const form = await refusalOf(() => t.fake.modalSubmit({ customId: 'feedback', text: HOSTILE_MARKUP, user: newTestUser() }));
    expect(form).toMatchObject({ type: CALLBACK.reply, ephemeral: true, text: expect.stringMatching(/^I don't know that form — /) });
    expectOneLogLine(form.logged, /^discord: form .*not a form of this bot/);
  });

  it.each([
    ['no focused option', () => ({ name: 'source', focused: null, value: '' })],
    ['a focused option carrying a number', () => ({ name: 'source', focused: 'ref', value: 7 as unknown as string })],
    ['a command without autocomplete', () => ({ name: 'ask', focused: 'question', value: 'Who' })],
    ['an unknown command', () => ({ name: 'frobnicate', focused: 'x', value: '' })],
  ])('answers autocomplete with %s with no choices, and one log line', async (_what, options) => {
    const before = t.logs.printed.length;
    const ref = t.fake.autocomplete({ ...options(), user: newTestUser() });
    const callback = await t.fake.waitForRequest(isRequest('POST', ref.callbackPath));
    expect(callback.body).toEqual({ type: CALLBACK.autocomplete, data: { choices: [] } });
    expectOneLogLine(t.logs.printed.slice(before), /^discord: \/\w+ autocomplete/);
  });

  it('repeats a /source ref full of masked links and mentions as written, without logging a normal refusal', async () => {
    const ref = '[click](https://evil.example/phish) <@123456789012345678> @everyone';
    const { type, ephemeral, text, logged } = await refusalOf(() => t.fake.slashCommand({ name: 'source', options: { ref }, user: newTestUser() }));
    expect({ type, ephemeral }).toEqual({ type: CALLBACK.reply, ephemeral: true });
    expect(text).toContain('I could not find a passage for "\\[click](https://evil.example/phish) \\<@123456789012345678> @\u200beveryone"');
    expect(logged).toEqual([]);
  });

  it('escapes a question and a query full of markup in embed titles, cut between whole characters', async () => {
    // "❓ " then 252 characters put Discord's 256-unit cut inside the first emoji.
    const question = `${HOSTILE_MARKUP} ${'a'.repeat(252 - HOSTILE_MARKUP.length - 1)}😀😀 who voted?`;
    const asked = await replyTo(t.fake.slashCommand({ name: 'ask', options: { question }, user: newTestUser() }));
    expect(asked.type).toBe(CALLBACK.defer);
    const title = asked.text.split('\n')[1]!;
    expect(title).toMatch(/^❓ \\\[click\]/);
    expect(title.length).toBeLessThanOrEqual(256);
    expect(title).not.toMatch(LONE_SURROGATE);
    const searched = await replyTo(t.fake.slashCommand({ name: 'search', options: { query: HOSTILE_MARKUP }, user: newTestUser() }));
    // /search shows the query as /ask reads it (a masked link's markup cleaned away), never as a live link.
    expect(searched.text).toContain('🔎 click (https://evil.example/phish)');
    expect(searched.text).not.toContain('[click](');
  });

  it('names a thread after a mention full of markup and emoji without breaking a character, and answers in it as written', async () => {
    const user = newTestUser();
    const since = t.fake.mark();
    // The thread name is cut at Discord's 100 units, here inside the first emoji.
    t.fake.sendMessage({ content: `${'b'.repeat(98)}😀😀 ${HOSTILE_MARKUP} who voted?`, mentionsBot: true, author: user });
    const thread = await t.fake.waitForRequest((request) => request.method === 'POST' && request.path.endsWith('/threads') && request.seq >= since);
    const name = (thread.body as { name: string }).name;
    expect(name).not.toMatch(LONE_SURROGATE);
    expect(name.length).toBeLessThanOrEqual(100);
    const threadId = (thread.response as { id: string }).id;
    await t.fake.waitForRequest(isRequest('POST', `/channels/${threadId}/messages`), { since });
  });

  it('answers a mention holding nothing but mentions and markup with a reply, opening no thread for it', async () => {
    const since = t.fake.mark();
    const messageId = t.fake.sendMessage({ content: '@everyone <#323456789012345678> **', mentionsBot: true, author: newTestUser() });
    const reply = await t.fake.waitForRequest(isRequest('POST', `/channels/${t.fake.channelId}/messages`), { since });
    expect(textOfRequest(reply)).toMatch(/^Please ask a question/);
    expect((reply.body as { message_reference?: { message_id: string } }).message_reference?.message_id).toBe(messageId);
    expect(t.fake.requests.filter((request) => request.seq >= since && request.path.endsWith('/threads'))).toEqual([]);
  });

  it('shows corpus file names in /reindex\'s summary as written: no italics, mentions or @everyone', async () => {
    const name = 'minutes_of_the_<#323456789012345678>_meeting @everyone.txt';
    // An empty file is skipped, and the summary names it.
    writeFileSync(path.join(t.dir, 'corpus', name), '');
    try {
      const ref = t.fake.slashCommand({ name: 'reindex', permissions: MANAGE_GUILD, user: newTestUser() });
      let summary = '';
      for (let since = 0; !summary.includes('Reindex complete'); ) {
        const edit = await t.fake.waitForRequest(isRequest('PATCH', ref.originalMessagePath), { since, timeoutMs: 30_000 });
        since = edit.seq + 1;
        summary = textOfRequest(edit);
      }
      expect(summary).toContain('minutes\\_of\\_the\\_\\<#323456789012345678>\\_meeting @\u200beveryone.txt');
      expect(findLiveMarkup(summary)).toEqual([]);
    } finally {
      rmSync(path.join(t.dir, 'corpus', name));
      await t.engine.reindex();
    }
  });

  it('still answers a valid question after all of that', async () => {
    const answered = await replyTo(t.fake.slashCommand({ name: 'ask', options: { question: 'How many member states voted for Kazakhstan?' }, user: newTestUser() }));
    expect(answered.text).toContain('183 of 193');
  });
});
