/**
 * /documents end to end: the real discord.js client (through startBot) against the stand-in
 * for Discord, which serves attachments over HTTP as Discord's CDN does; the real engine
 * (lexical), the real SQLite log, and a web server on 127.0.0.1 for links. An admin adds
 * documents by attachment and by link, lists, removes and restores them; the next /ask
 * answers (or no longer answers) from them.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { describeSupportedExtensions, isSupportedFile } from '../../src/corpus/readers/read-document.js';
import { REMOVED_FOLDER } from '../../src/documents/manage-corpus.js';
import { DATABASE_FILE_NAME } from '../../src/question-log/open-database.js';
import { type FakeDiscord, type InteractionRef, isRequest, type RecordedRequest } from './fake-discord.js';
import { newTestUser, startTestBot, type TestBot, textOfRequest } from './start-test-bot.js';

const EPHEMERAL = 64;
const MANAGE_GUILD = '32';
const NO_PERMISSIONS = '0';
const CALLBACK = { reply: 4, defer: 5, update: 7, autocomplete: 8 } as const;
/** Small, so an oversized file is quick to make; the configuration's minimum is 1 KB. */
const MAX_BYTES = 20_000;

const OTTERS = `# The Otter Handbook

Sea otters hold hands while they sleep so that they do not drift apart. A group of resting otters is called a raft.

## Feeding

An adult sea otter eats about a quarter of its body weight every day, mostly urchins, crabs and clams.
`;
const BEES = `Honeybees

A honeybee colony in summer holds around fifty thousand workers, one queen and a few hundred drones.

Worker bees perform a waggle dance to tell their sisters the direction and distance of flowers.
`;
const HERONS_PAGE = `<!DOCTYPE html>
<html><head><title>Herons of the marsh</title><script>document.write('never run')</script></head>
<body><nav><a href="/">Home</a></nav>
<main><h1>Herons of the marsh</h1>
<p>The grey heron stands motionless in shallow water for minutes before it strikes at a fish.</p>
<p>Herons nest together in colonies called heronries, often high in tall trees.</p></main>
<footer>Cookie settings</footer></body></html>
`;

let bot: TestBot;
let fake: FakeDiscord;
let web: Server;
let webOrigin: string;
const admin = { id: '700000000000000001', username: 'keeper' };

/** The bot's last word on a change: the edit of @original saying what became of it. */
async function changeOutcome(ref: InteractionRef): Promise<string> {
  const callback = await fake.waitForRequest(isRequest('POST', ref.callbackPath));
  expect(callback.body).toMatchObject({ type: CALLBACK.defer, data: { flags: EPHEMERAL } });
  const final = await fake.waitForRequest(
    (request) => request.method === 'PATCH' && request.path === ref.originalMessagePath && /Document (added|removed|restored)|Nothing was changed/.test(JSON.stringify(request.body)),
    30_000,
  );
  expect((final.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ parse: [] });
  return textOfRequest(final);
}

function documentsCommand(subcommand: string, options: { options?: Record<string, string>; attachments?: Record<string, ReturnType<FakeDiscord['addAttachment']>>; permissions?: string; user?: { id: string; username: string } } = {}): InteractionRef {
  return fake.slashCommand({
    name: 'documents',
    subcommand,
    ...(options.options && { options: options.options }),
    ...(options.attachments && { attachments: options.attachments }),
    permissions: options.permissions ?? MANAGE_GUILD,
    user: options.user ?? admin,
  });
}

/** The answer to a question, as a user reads it (a fresh user each time: questions are rate-limited). */
async function ask(question: string, on: TestBot = bot): Promise<string> {
  const ref = on.fake.slashCommand({ name: 'ask', options: { question }, user: newTestUser() });
  return textOfRequest(await on.fake.waitForRequest(isRequest('PATCH', ref.originalMessagePath), 15_000));
}

/** The quoted lines of an answer (block quotes), without the sources. */
function quotedLines(answer: string): string[] {
  return answer.split('\n').filter((line) => line.startsWith('> '));
}

async function directReply(ref: InteractionRef): Promise<{ type: number; data: { content?: string; flags?: number; embeds?: { title?: string; description: string }[]; components?: { components: { custom_id: string; label: string }[] }[]; choices?: { name: string; value: string }[] } }> {
  return (await fake.waitForRequest(isRequest('POST', ref.callbackPath))).body as never;
}

/**
 * otters.md in the corpus, added through /documents as an admin would if a test before
 * has not: each test sets up what it needs, whatever order the tests run in.
 */
async function ensureOtters(): Promise<void> {
  if (existsSync(path.join(bot.config.corpusDir, 'otters.md'))) return;
  const file = fake.addAttachment({ filename: 'otters.md', data: OTTERS, contentType: 'text/markdown; charset=utf-8' });
  expect(await changeOutcome(documentsCommand('add', { attachments: { file } }))).toMatch(/Document added/);
}

function attachmentDownloads(): RecordedRequest[] {
  return fake.requests.filter((request) => request.path.startsWith('/attachments/'));
}

beforeAll(async () => {
  web = createServer((request, response) => {
    if (request.url === '/bees') response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(BEES);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  webOrigin = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  bot = await startTestBot({ env: { DOCUMENT_MAX_BYTES: String(MAX_BYTES) } });
  fake = bot.fake;
});

afterAll(async () => {
  await bot?.stop();
  web?.closeAllConnections();
  await new Promise((resolve) => web?.close(resolve));
});

describe('/documents for an admin', () => {
  it('adds an attached document, and the next /ask quotes it without markup', async () => {
    // Added afresh: another test may have added it already.
    if (existsSync(path.join(bot.config.corpusDir, 'otters.md'))) {
      rmSync(path.join(bot.config.corpusDir, 'otters.md'));
      await bot.engine.reindex();
    }
    const file = fake.addAttachment({ filename: 'otters.md', data: OTTERS, contentType: 'text/markdown; charset=utf-8' });
    const outcome = await changeOutcome(documentsCommand('add', { attachments: { file } }));
    expect(outcome).toMatch(/Document added\n\*\*otters\.md\*\* is indexed: \d+ passages\./);
    expect(readFileSync(path.join(bot.config.corpusDir, 'otters.md'), 'utf8')).toBe(OTTERS);

    const answer = await ask('What is a group of resting otters called?');
    const quotes = quotedLines(answer);
    expect(quotes.join('\n')).toContain('A group of resting otters is called a raft.');
    expect(quotes.join('\n')).not.toMatch(/[<#]/);
    expect(answer).toContain('(corpus/otters.md)');
  });

  it('handles a saved web page by the reader registry: indexed and quoted as text when HTML is read, refused with the supported types when not', async () => {
    const page = fake.addAttachment({ filename: 'herons.html', data: HERONS_PAGE, contentType: 'text/html; charset=utf-8' });
    const outcome = await changeOutcome(documentsCommand('add', { attachments: { file: page } }));
    if (isSupportedFile('herons.html')) {
      expect(outcome).toMatch(/\*\*herons\.html\*\* is indexed: \d+ passages?\./);
      const quotes = quotedLines(await ask('What are colonies of herons called?'));
      expect(quotes.join('\n')).toContain('heronries');
      expect(quotes.join('\n')).not.toMatch(/<\/?[a-z]|never run|Cookie settings|&[a-z]+;/i);
    } else {
      expect(outcome).toContain(`Not added: herons.html — unsupported type (.html): Verbatim reads ${describeSupportedExtensions()}`);
      expect(existsSync(path.join(bot.config.corpusDir, 'herons.html'))).toBe(false);
    }
  });

  it('lists every file with its outcome and who added it when, the article included', async () => {
    await ensureOtters();
    const reply = await directReply(documentsCommand('list'));
    expect(reply.type).toBe(CALLBACK.reply);
    expect(reply.data.flags).toBe(EPHEMERAL);
    const text = `${reply.data.embeds![0]!.title}\n${reply.data.embeds![0]!.description}`;
    expect(text).toMatch(/\*\*\d+\. otters\.md\*\* — indexed: \d+ passages\n {2}added <t:\d+:f> by you/);
    expect(text).toMatch(/\*\*\d+\. kazakhstan-un-human-rights-council\.txt\*\* — indexed: \d+ passages\n {2}placed in the corpus folder \(not added through the bot\)/);
    expect(reply.data.embeds![0]!.description.length).toBeLessThanOrEqual(4_096);
  });

  it('refuses an unsupported type with the supported list, without downloading it', async () => {
    const before = attachmentDownloads().length;
    const tool = fake.addAttachment({ filename: 'setup.exe', data: 'MZ\x90\x00', contentType: 'application/x-msdownload' });
    const outcome = await changeOutcome(documentsCommand('add', { attachments: { file: tool } }));
    expect(outcome).toContain(`Not added: setup.exe — unsupported type (.exe): Verbatim reads ${describeSupportedExtensions()}; convert it to one of those. Nothing was changed.`);
    expect(attachmentDownloads().length).toBe(before);
    expect(existsSync(path.join(bot.config.corpusDir, 'setup.exe'))).toBe(false);
  });

  it('contains a traversal name: the file lands in the corpus folder under its last name only', async () => {
    const sneaky = fake.addAttachment({ filename: '../../../escaped-notes.md', data: '# Notes\n\nThe lighthouse keeper winds the clock every evening at dusk.\n', contentType: 'text/markdown' });
    const outcome = await changeOutcome(documentsCommand('add', { attachments: { file: sneaky } }));
    expect(outcome).toContain('**escaped-notes.md** is indexed');
    expect(outcome).toContain('Sent as “../../../escaped-notes.md”; saved under a safe, free name.');
    expect(readdirSync(bot.config.corpusDir)).toContain('escaped-notes.md');
    for (const outside of [path.dirname(bot.config.corpusDir), path.dirname(path.dirname(bot.config.corpusDir))]) {
      expect(existsSync(path.join(outside, 'escaped-notes.md'))).toBe(false);
    }
  });

  it('refuses an oversized file: by the size Discord reports before downloading, and while downloading when the size lies', async () => {
    const before = attachmentDownloads().length;
    const big = fake.addAttachment({ filename: 'big.txt', data: 'word '.repeat(5_000), contentType: 'text/plain' });
    expect(await changeOutcome(documentsCommand('add', { attachments: { file: big } }))).toContain('Not added: big.txt is 24 KB, over the 20 KB limit (DOCUMENT_MAX_BYTES). Nothing was changed.');
    expect(attachmentDownloads().length).toBe(before);
    const lying = fake.addAttachment({ filename: 'lying.txt', data: 'word '.repeat(5_000), contentType: 'text/plain', size: 100 });
    expect(await changeOutcome(documentsCommand('add', { attachments: { file: lying } }))).toContain('Not added: lying.txt is');
    expect(existsSync(path.join(bot.config.corpusDir, 'big.txt'))).toBe(false);
    expect(existsSync(path.join(bot.config.corpusDir, 'lying.txt'))).toBe(false);
  });

  it('asks for exactly one of a file and a link, at once', async () => {
    expect(await directReply(documentsCommand('add'))).toMatchObject({ type: CALLBACK.reply, data: { flags: EPHEMERAL, content: 'Give me one document: attach a file (file:) or paste a link (url:).' } });
    const file = fake.addAttachment({ filename: 'two.md', data: '# Two\n\nTwo sources.\n' });
    const both = documentsCommand('add', { attachments: { file }, options: { url: `${webOrigin}/bees` } });
    expect(await directReply(both)).toMatchObject({ type: CALLBACK.reply, data: { content: 'Give either a file or a link, not both — one document at a time.' } });
  });

  it('refuses a link to a private address without DOCUMENT_URL_ALLOW_PRIVATE, fetching nothing', async () => {
    const outcome = await changeOutcome(documentsCommand('add', { options: { url: `${webOrigin}/bees` } }));
    expect(outcome).toContain("I won't fetch from 127.0.0.1: it is a loopback address (this machine) (127.0.0.1).");
    expect(outcome).toContain('DOCUMENT_URL_ALLOW_PRIVATE=true');
    expect(readdirSync(bot.config.corpusDir).some((name) => name.startsWith('bees'))).toBe(false);
  });

  it('removes a document: answers stop coming from it and the file is kept under DATA_DIR; restore brings it back', async () => {
    await ensureOtters();
    const choices = await directReply(fake.autocomplete({ name: 'documents', subcommand: 'remove', focused: 'name', value: 'otter', permissions: MANAGE_GUILD, user: admin }));
    expect(choices).toMatchObject({ type: CALLBACK.autocomplete, data: { choices: [{ value: 'otters.md' }] } });

    const removed = await changeOutcome(documentsCommand('remove', { options: { name: 'otters.md' } }));
    expect(removed).toMatch(/Document removed\n\*\*otters\.md\*\* was removed from the corpus: answers no longer come from it\.\nIt is kept as removed-documents\/\d{8}T\d{6}Z-otters\.md/);
    const keptFolder = path.join(bot.config.dataDir, REMOVED_FOLDER);
    const kept = readdirSync(keptFolder);
    expect(kept).toHaveLength(1);
    expect(readFileSync(path.join(keptFolder, kept[0]!), 'utf8')).toBe(OTTERS);
    expect(existsSync(path.join(bot.config.corpusDir, 'otters.md'))).toBe(false);
    const after = await ask('What is a group of resting otters called?');
    expect(after).not.toContain('corpus/otters.md');
    expect(after).not.toContain('raft');

    const restorable = await directReply(fake.autocomplete({ name: 'documents', subcommand: 'restore', focused: 'name', value: 'otters', permissions: MANAGE_GUILD, user: admin }));
    expect(restorable.data.choices).toEqual([{ name: expect.stringMatching(/^otters\.md — removed \d{4}-\d\d-\d\d \d\d:\d\d UTC$/), value: kept[0] }]);
    const restored = await changeOutcome(documentsCommand('restore', { options: { name: kept[0]! } }));
    expect(restored).toMatch(/Document restored\n\*\*otters\.md\*\* is back in the corpus and indexed: \d+ passages\./);
    expect(quotedLines(await ask('What is a group of resting otters called?')).join('\n')).toContain('raft');
    expect(readdirSync(keptFolder)).toEqual([]);
  });

  it('refuses to remove a file that is not in the corpus, naming it', async () => {
    expect(await changeOutcome(documentsCommand('remove', { options: { name: '../data/verbatim.sqlite' } }))).toContain('There is no document "../data/verbatim.sqlite" in the corpus.');
  });

  it('pages a long list with Next and Previous buttons, each page inside Discord’s limits', async () => {
    const notes = Array.from({ length: 9 }, (_, i) => path.join(bot.config.corpusDir, `note-${String(i + 1).padStart(2, '0')}-${'long-name-'.repeat(8)}.txt`));
    notes.forEach((note, i) => writeFileSync(note, `Note ${i + 1}.\n\nThis is note number ${i + 1} about the marsh.\n`));
    await bot.engine.reindex();
    // The notes go again after the test, so the other tests' lists stay on one page.
    onTestFinished(async () => {
      for (const note of notes) rmSync(note, { force: true });
      await bot.engine.reindex();
    });
    const ref = documentsCommand('list');
    const first = await directReply(ref);
    expect(first.data.embeds![0]!.title).toMatch(/page 1 of 2$/);
    expect(first.data.components![0]!.components.map((button) => button.label)).toEqual(['Next']);
    const messageId = fake.interaction(ref.id)!.originalMessageId!;
    const next = fake.button({ customId: first.data.components![0]!.components[0]!.custom_id, messageId, permissions: MANAGE_GUILD, user: admin });
    const second = await directReply(next);
    expect(second.type).toBe(CALLBACK.update);
    expect(second.data.embeds![0]!.title).toMatch(/page 2 of 2$/);
    expect(second.data.components![0]!.components.map((button) => button.label)).toEqual(['Previous']);
    for (const page of [first, second]) expect(page.data.embeds![0]!.description.length).toBeLessThanOrEqual(4_096);
  });
});

describe('/documents for everyone else', () => {
  it('refuses every subcommand, its list buttons and its autocomplete to a member who is not an admin', async () => {
    await ensureOtters();
    const member = { id: '700000000000000002', username: 'member' };
    for (const subcommand of ['add', 'list', 'remove', 'restore']) {
      const ref = fake.slashCommand({ name: 'documents', subcommand, ...(subcommand === 'remove' || subcommand === 'restore' ? { options: { name: 'otters.md' } } : {}), permissions: NO_PERMISSIONS, user: member });
      expect(await directReply(ref)).toMatchObject({ type: CALLBACK.reply, data: { flags: EPHEMERAL, content: 'Only server admins can do that.' } });
    }
    const page = fake.button({ customId: 'documents:list:1', permissions: NO_PERMISSIONS, user: member });
    expect(await directReply(page)).toMatchObject({ type: CALLBACK.reply, data: { content: 'Only server admins can do that.' } });
    const choices = await directReply(fake.autocomplete({ name: 'documents', subcommand: 'remove', focused: 'name', value: '', permissions: NO_PERMISSIONS, user: member }));
    expect(choices.data.choices).toEqual([]);
    expect(existsSync(path.join(bot.config.corpusDir, 'otters.md'))).toBe(true);
  });
});

describe('what the bot keeps of it', () => {
  it('logged every change (users hashed) and no stack trace, error or token', async () => {
    // Changes of its own, done and refused, so the log holds them whatever ran before.
    const ledger = fake.addAttachment({ filename: 'ledger.md', data: '# Ledger\n\nThe heron count was forty-two.\n', contentType: 'text/markdown; charset=utf-8' });
    expect(await changeOutcome(documentsCommand('add', { attachments: { file: ledger } }))).toMatch(/Document added/);
    expect(await changeOutcome(documentsCommand('remove', { options: { name: 'ledger.md' } }))).toMatch(/Document removed/);
    const kept = readdirSync(path.join(bot.config.dataDir, REMOVED_FOLDER)).find((name) => name.endsWith('-ledger.md'))!;
    expect(await changeOutcome(documentsCommand('restore', { options: { name: kept } }))).toMatch(/Document restored/);
    const program = fake.addAttachment({ filename: 'setup.exe', data: 'MZ', contentType: 'application/octet-stream' });
    expect(await changeOutcome(documentsCommand('add', { attachments: { file: program } }))).toMatch(/Not added: setup\.exe/);
    expect(await changeOutcome(documentsCommand('remove', { options: { name: '../data/verbatim.sqlite' } }))).toContain('There is no document');
    expect(await changeOutcome(documentsCommand('add', { options: { url: `${webOrigin}/bees` } }))).toContain("I won't fetch from 127.0.0.1");
    const db = new Database(path.join(bot.config.dataDir, DATABASE_FILE_NAME), { readonly: true });
    const rows = db.prepare('SELECT action, file, url, outcome, user_hash FROM document_changes ORDER BY id').all() as { action: string; file: string; url: string | null; outcome: string; user_hash: string }[];
    db.close();
    expect(rows.filter((row) => row.outcome === 'done').map((row) => `${row.action} ${row.file}`)).toEqual(expect.arrayContaining(['add ledger.md', 'remove ledger.md', 'restore ledger.md']));
    expect(rows.filter((row) => row.outcome === 'refused').map((row) => `${row.action} ${row.file}`)).toEqual(expect.arrayContaining(['add setup.exe', 'remove ../data/verbatim.sqlite']));
    expect(rows).toContainEqual(expect.objectContaining({ action: 'add', url: `${webOrigin}/bees`, outcome: 'refused' }));
    expect(rows.every((row) => /^[0-9a-f]{32}$/.test(row.user_hash))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(admin.id);
    const logged = [...bot.logs.info, ...bot.logs.error].join('\n');
    expect(bot.logs.error).toEqual([]);
    expect(logged).not.toMatch(/\n\s+at /);
    expect(logged).not.toContain('test-token');
  });
});

describe('with DOCUMENT_URL_ALLOW_PRIVATE=true', () => {
  it('fetches a link on the local network, indexes it, and cites it with its link', async () => {
    const intranet = await startTestBot({ env: { DOCUMENT_MAX_BYTES: String(MAX_BYTES), DOCUMENT_URL_ALLOW_PRIVATE: 'true' } });
    try {
      const ref = intranet.fake.slashCommand({ name: 'documents', subcommand: 'add', options: { url: `${webOrigin}/bees` }, permissions: MANAGE_GUILD, user: admin });
      await intranet.fake.waitForRequest(isRequest('POST', ref.callbackPath));
      const final = await intranet.fake.waitForRequest((request) => request.method === 'PATCH' && request.path === ref.originalMessagePath && JSON.stringify(request.body).includes('Document added'), 30_000);
      const outcome = textOfRequest(final);
      expect(outcome).toMatch(/\*\*bees\.txt\*\* is indexed: \d+ passages\.\nFrom <http:\/\/127\.0\.0\.1:\d+\/bees>\./);
      const answer = await ask('How do worker bees tell their sisters where flowers are?', intranet);
      expect(quotedLines(answer).join('\n')).toContain('waggle dance');
      expect(answer).toContain(`(corpus/bees.txt) — <${webOrigin}/bees>`);
      expect(intranet.logs.error).toEqual([]);
    } finally {
      await intranet.stop();
    }
  });
});
