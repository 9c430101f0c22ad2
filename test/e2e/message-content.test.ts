/**
 * The usual first run: Message Content is a privileged intent, off until the owner
 * turns it on. The fake closes an IDENTIFY that asks for it with 4014, as Discord
 * does; the bot must start without it, say so once, and keep mentions working.
 */
import { GatewayIntentBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRequest } from './fake-discord.js';
import { newTestUser, startTestBot, type TestBot, textOfRequest } from './start-test-bot.js';


describe('a bot whose application has Message Content off', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot({ fake: { disallowedIntents: GatewayIntentBits.MessageContent } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('starts without the intent after Discord closes with 4014, and says once what that costs and where to turn it on', () => {
    const intents = t.fake.identifyPayloads.map((identify) => (identify.intents & GatewayIntentBits.MessageContent) !== 0);
    expect(intents).toEqual([true, false]);
    expect(t.bot.messageContent).toBe(false);
    const notes = t.logs.info.filter((line) => line.includes('Message Content'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('follow-ups in threads need a mention');
    expect(notes[0]).toContain('Developer Portal → your application → Bot → Privileged Gateway Intents → Message Content');
    expect(t.logs.error).toEqual([]);
  });

  it('says in /help that follow-ups need a mention, and where the owner turns the intent on', async () => {
    const help = t.fake.slashCommand({ name: 'help', user: newTestUser() });
    const reply = textOfRequest(await t.fake.waitForRequest(isRequest('POST', help.callbackPath)));
    expect(reply).toContain('mention me again for each follow-up');
    expect(reply).toContain('Privileged Gateway Intents → Message Content');
  });

  it('answers a mention in a thread that tells users to mention it, answers a mentioned follow-up, and ignores the rest', async () => {
    const { fake } = t;
    const user = newTestUser();
    const messageId = fake.sendMessage({ content: 'How many seats were available?', mentionsBot: true, author: user });
    const thread = await fake.waitForRequest(isRequest('POST', `/channels/${fake.channelId}/messages/${messageId}/threads`));
    const threadId = (thread.response as { id: string }).id;
    const first = await fake.waitForRequest(isRequest('POST', `/channels/${threadId}/messages`));
    expect(textOfRequest(first)).toContain('18 available seats');
    expect(textOfRequest(first)).toContain('mention me in this thread');

    // Without the intent Discord blanks this one: the bot must not answer it, nor nag.
    const quiet = fake.mark();
    fake.sendMessage({ content: 'When was Resolution 60/251 adopted?', channelId: threadId, author: user });
    const mentioned = fake.mark();
    fake.sendMessage({ content: 'When was Resolution 60/251 adopted?', mentionsBot: true, channelId: threadId, author: user });
    const followUp = await fake.waitForRequest(isRequest('POST', `/channels/${threadId}/messages`), { since: mentioned });
    expect(textOfRequest(followUp)).toContain('2006');
    const posts = fake.requests.filter((r) => r.seq >= quiet && isRequest('POST', `/channels/${threadId}/messages`)(r));
    expect(posts).toHaveLength(1);
  });
});
