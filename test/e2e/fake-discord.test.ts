/**
 * Runs the real discord.js client against the fake Discord: the fake must speak
 * the gateway and REST API well enough for discord.js, record what the client
 * sends, and refuse what Discord refuses.
 */
import { once } from 'node:events';
import {
  ApplicationCommandOptionType,
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  InteractionResponseType,
  MessageFlags,
  type ClientEvents,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { isRequest, startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from './fake-discord.js';

const TOKEN = 'test-token';
const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent];

const started: { fake: FakeDiscord; client: Client }[] = [];

/** Starts a fake and a real discord.js client logged in to it, ready to use. */
async function connect(
  options: FakeDiscordOptions = {},
  intents: GatewayIntentBits[] = INTENTS,
): Promise<{ fake: FakeDiscord; client: Client<true> }> {
  const fake = await startFakeDiscord(options);
  const client = new Client({ intents, rest: { api: fake.apiUrl } });
  started.push({ fake, client });
  const ready = once(client, Events.ClientReady);
  await client.login(TOKEN);
  await ready;
  if (!client.isReady()) throw new Error('test: client not ready after clientReady');
  return { fake, client };
}

afterEach(async () => {
  for (const { fake, client } of started.splice(0)) {
    await client.destroy();
    await fake.close();
  }
});

/** How long a test waits for the client to see an event before failing (rather than the 60 s test timeout). */
const EVENT_TIMEOUT_MS = 5_000;

/**
 * Runs `handle` on the next `event` that `accept` takes and resolves with its
 * result, so a failure inside the bot-side handler fails the test instead of
 * vanishing into an event listener.
 */
function handleNext<E extends keyof ClientEvents, T>(
  client: Client,
  event: E,
  handle: (...args: ClientEvents[E]) => Promise<T>,
  accept: (...args: ClientEvents[E]) => boolean = () => true,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(event, listener);
      reject(new Error(`test: the client emitted no matching ${event} within ${EVENT_TIMEOUT_MS} ms`));
    }, EVENT_TIMEOUT_MS);
    const listener = (...args: ClientEvents[E]): void => {
      if (!accept(...args)) return;
      clearTimeout(timer);
      client.off(event, listener);
      handle(...args).then(resolve, reject);
    };
    client.on(event, listener);
  });
}

describe('fake Discord with a real discord.js client', () => {
  it('serves the gateway: READY and GUILD_CREATE leave the guild and its text channel cached', async () => {
    const { fake, client } = await connect();

    expect(client.user.id).toBe(fake.botUser.id);
    expect(client.application.id).toBe(fake.applicationId);
    const guild = client.guilds.cache.get(fake.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.members.me?.id).toBe(fake.botUser.id);
    expect(client.channels.cache.get(fake.channelId)?.type).toBe(ChannelType.GuildText);
    expect(fake.identifyPayloads[0]?.intents).toBe(client.options.intents.bitfield);
    const gatewayRequest = await fake.waitForRequest(isRequest('GET', '/gateway/bot'));
    expect(gatewayRequest.headers.authorization).toBe(`Bot ${TOKEN}`);
  });

  it('records deferReply, editReply and followUp of a slash command as Discord receives them', async () => {
    const { fake, client } = await connect();
    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error(`unexpected interaction type ${interaction.type}`);
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const edited = await interaction.editReply('hi');
      const followUp = await interaction.followUp('more');
      return { question: interaction.options.getString('question'), edited, followUp };
    });

    const ask = fake.slashCommand({ name: 'ask', options: { question: 'Who won?' } });
    const result = await handled;

    const callback = await fake.waitForRequest(isRequest('POST', ask.callbackPath));
    expect(callback.body).toEqual({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral },
    });
    expect(callback.status).toBe(204);
    // Interaction routes carry no bot token.
    expect(callback.headers.authorization).toBeUndefined();
    const edit = await fake.waitForRequest(isRequest('PATCH', ask.originalMessagePath));
    expect(edit.body).toMatchObject({ content: 'hi' });
    const followUp = await fake.waitForRequest(isRequest('POST', ask.followUpPath));
    expect(followUp.query).toMatchObject({ wait: 'true' });
    expect(followUp.body).toMatchObject({ content: 'more' });

    expect(result.question).toBe('Who won?');
    expect(result.edited.content).toBe('hi');
    // Filling in the deferred reply clears "thinking…" and keeps it ephemeral.
    expect(result.edited.flags.has(MessageFlags.Loading)).toBe(false);
    expect(result.edited.flags.has(MessageFlags.Ephemeral)).toBe(true);
    expect(result.followUp.content).toBe('more');
    expect(fake.unansweredInteractions()).toEqual([]);
  });

  it('records a reply to a button click as callback type 4 carrying the message', async () => {
    const { fake, client } = await connect();
    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isButton()) throw new Error(`unexpected interaction type ${interaction.type}`);
      await interaction.reply({ content: 'clicked', allowedMentions: { parse: [] } });
      return { customId: interaction.customId, messageId: interaction.message.id };
    });

    const click = fake.button({ customId: 'source:3' });
    const result = await handled;

    const callback = await fake.waitForRequest(isRequest('POST', click.callbackPath));
    expect(callback.body).toMatchObject({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content: 'clicked', allowed_mentions: { parse: [] } },
    });
    expect(result).toEqual({ customId: 'source:3', messageId: click.payload.message?.id });
  });

  it('answers a reply asking for with_response with the callback response and the message', async () => {
    const { fake, client } = await connect();
    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      const response = await interaction.reply({ content: 'quoted', withResponse: true });
      return { interactionId: response.interaction.id, message: response.resource?.message };
    });

    const ask = fake.slashCommand({ name: 'ask' });
    const result = await handled;

    const callback = await fake.waitForRequest(isRequest('POST', ask.callbackPath));
    expect(callback.query).toEqual({ with_response: 'true' });
    expect(callback.status).toBe(200);
    expect(result.interactionId).toBe(ask.id);
    expect(result.message?.content).toBe('quoted');
    expect(result.message?.author.id).toBe(fake.botUser.id);
  });

  it('records an autocomplete response as callback type 8 with the choices', async () => {
    const { fake, client } = await connect();
    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isAutocomplete()) throw new Error(`unexpected interaction type ${interaction.type}`);
      const focused = interaction.options.getFocused(true);
      await interaction.respond([{ name: 'Paragraph 3', value: 'p3' }]);
      return focused;
    });

    const typing = fake.autocomplete({ name: 'source', focused: 'ref', value: 'par' });
    const focused = await handled;

    const callback = await fake.waitForRequest(isRequest('POST', typing.callbackPath));
    expect(callback.body).toMatchObject({
      type: InteractionResponseType.ApplicationCommandAutocompleteResult,
      data: { choices: [{ name: 'Paragraph 3', value: 'p3' }] },
    });
    expect(focused).toMatchObject({ name: 'ref', value: 'par' });
  });

  it('delivers a mention of the bot and lets it start a thread and post in it', async () => {
    const { fake, client } = await connect();
    const handled = handleNext(
      client,
      Events.MessageCreate,
      async (message) => {
        await message.channel.sendTyping();
        const thread = await message.startThread({ name: 'Who won?' });
        const sent = await thread.send({ content: 'x', allowedMentions: { parse: [] } });
        return { content: message.content, mentionsBot: message.mentions.has(client.user), thread, sent };
      },
      (message) => !message.author.bot,
    );

    const messageId = fake.sendMessage({ content: 'who won?', mentionsBot: true });
    const result = await handled;

    expect(result.content).toBe(`<@${fake.botUser.id}> who won?`);
    expect(result.mentionsBot).toBe(true);
    const start = await fake.waitForRequest(
      isRequest('POST', `/channels/${fake.channelId}/messages/${messageId}/threads`),
    );
    expect(start.body).toMatchObject({ name: 'Who won?' });
    expect((await fake.waitForRequest(isRequest('POST', `/channels/${fake.channelId}/typing`))).status).toBe(204);
    // Discord gives a thread started from a message the message's id.
    expect(result.thread.id).toBe(messageId);
    expect(result.thread.parentId).toBe(fake.channelId);
    expect(fake.channels.get(messageId)?.type).toBe(ChannelType.PublicThread);
    const post = await fake.waitForRequest(isRequest('POST', `/channels/${messageId}/messages`));
    expect(post.body).toMatchObject({ content: 'x' });
    expect(post.headers.authorization).toBe(`Bot ${TOKEN}`);
    expect(result.sent.channelId).toBe(messageId);
  });

  it('keeps command ids from a bulk overwrite and types slash options by the registered command', async () => {
    const { fake, client } = await connect();
    const registered = await client.application.commands.set(
      [
        {
          name: 'ask',
          description: 'Ask the corpus',
          options: [
            {
              name: 'question',
              description: 'Your question',
              type: ApplicationCommandOptionType.String,
              required: true,
            },
            { name: 'private', description: 'Only you see it', type: ApplicationCommandOptionType.Boolean },
          ],
        },
      ],
      fake.guildId,
    );
    const put = await fake.waitForRequest(
      isRequest('PUT', `/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`),
    );
    expect(put.status).toBe(200);
    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
      return { commandId: interaction.commandId, private: interaction.options.getBoolean('private') };
    });

    fake.slashCommand({ name: 'ask', options: { question: 'Who?', private: true } });

    expect(await handled).toEqual({ commandId: registered.first()?.id, private: true });
  });

  it('refuses a second acknowledgement, an invalid command name and a 2,001-character message', async () => {
    const { fake, client } = await connect();
    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await interaction.deferReply();
      // Bypass discord.js's own "already replied" guard to reach the API.
      return client.rest
        .post(`/interactions/${interaction.id}/${interaction.token}/callback`, {
          body: { type: InteractionResponseType.ChannelMessageWithSource, data: { content: 'again' } },
          auth: false,
        })
        .catch((error: unknown) => error);
    });
    fake.slashCommand({ name: 'ask' });
    const second = await handled;
    expect(second).toBeInstanceOf(DiscordAPIError);
    expect((second as DiscordAPIError).code).toBe(40060);

    const badName = client.application.commands.set([{ name: 'Ask', description: 'Capitalised' }]);
    await expect(badName).rejects.toMatchObject({ code: 50035 });

    const channel = client.channels.cache.get(fake.channelId);
    if (!channel?.isSendable()) throw new Error('test: channel not sendable');
    await expect(channel.send('x'.repeat(2001))).rejects.toMatchObject({ code: 50035, status: 400 });
    await expect(channel.send('x'.repeat(2000))).resolves.toMatchObject({ content: 'x'.repeat(2000) });
  });

  it('refuses a message history query whose before or after is not a snowflake with 400, as Discord does', async () => {
    const { fake, client } = await connect();
    const since = fake.mark();
    await expect(client.rest.get(`/channels/${fake.channelId}/messages`, { query: new URLSearchParams({ before: 'abc' }) })).rejects.toMatchObject({ status: 400, code: 50035 });
    const refused = await fake.waitForRequest(isRequest('GET', `/channels/${fake.channelId}/messages`), { since });
    expect(refused.response).toMatchObject({ errors: { before: { _errors: [{ code: 'NUMBER_TYPE_COERCE', message: 'Value "abc" is not snowflake.' }] } } });
    await expect(client.rest.get(`/channels/${fake.channelId}/messages`, { query: new URLSearchParams({ after: '1.5' }) })).rejects.toMatchObject({ status: 400 });
    await expect(client.rest.get(`/channels/${fake.channelId}/messages`, { query: new URLSearchParams({ before: '99999999999999999999' }) })).resolves.toEqual([]);
  });

  it('answers an interaction acknowledged too late with 404 Unknown interaction', async () => {
    const { fake, client } = await connect({ interactionAckTimeoutMs: 50 });
    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await new Promise((resolve) => setTimeout(resolve, 120));
      return interaction.deferReply().catch((error: unknown) => error);
    });
    const ask = fake.slashCommand({ name: 'ask' });
    const error = await handled;
    expect(error).toMatchObject({ code: 10062, status: 404 });
    expect(fake.unansweredInteractions().map((payload) => payload.id)).toEqual([ask.id]);
  });

  it('withholds message content without the MessageContent intent unless the bot is mentioned', async () => {
    const { fake, client } = await connect({}, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]);
    const contents: string[] = [];
    const collect = (message: { content: string }): Promise<void> => {
      contents.push(message.content);
      return Promise.resolve();
    };
    const first = handleNext(client, Events.MessageCreate, collect);

    fake.sendMessage({ content: 'just chatting' });
    await first;
    const second = handleNext(client, Events.MessageCreate, collect);
    fake.sendMessage({ content: 'a question', mentionsBot: true });
    await second;

    expect(contents).toEqual(['', `<@${fake.botUser.id}> a question`]);
  });

  it('lets a dropped client resume its session and keeps delivering events', async () => {
    const { fake, client } = await connect();
    const resumed = once(client, Events.ShardResume);

    fake.dropConnections();
    await resumed;
    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await interaction.reply({ content: 'still here', flags: MessageFlags.Ephemeral });
      return interaction.commandName;
    });
    fake.slashCommand({ name: 'help' });

    expect(await handled).toBe('help');
    // A resume, not a second IDENTIFY.
    expect(fake.identifyPayloads).toHaveLength(1);
  });

  it('records unknown routes with 404 and lists what it saw when a wait times out', async () => {
    const { fake, client } = await connect();
    const since = fake.mark();

    await expect(client.rest.get('/nowhere/at/all')).rejects.toMatchObject({ status: 404, code: 0 });

    const unknown = await fake.waitForRequest(isRequest('GET', '/nowhere/at/all'), { since });
    expect(unknown.response).toEqual({ message: 'Unknown route', code: 0 });
    await expect(fake.waitForRequest(isRequest('DELETE', '/never'), { timeoutMs: 50, since })).rejects.toThrow(
      /GET \/nowhere\/at\/all → 404/,
    );
  });
});
