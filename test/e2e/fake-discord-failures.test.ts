/**
 * A bug inside the fake Discord must fail the test that met it, naming the route and the
 * exception, instead of becoming a quiet 500 the bot may shrug off.
 */
import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, Routes, type APIMessage } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { isRequest, startFakeDiscord } from './fake-discord.js';

describe('a route that throws inside the fake Discord', () => {
  it('fails pending and later waits and close() with the route and the exception', async () => {
    const fake = await startFakeDiscord();
    // retries: 0, so discord.js does not repeat the 500 with backoff.
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl, retries: 0 } });
    const ready = once(client, Events.ClientReady);
    await client.login('test-token');
    await ready;
    // A stored message the GET route cannot read: the fake's own state is broken.
    const broken = {
      id: '1234567890',
      get channel_id(): string {
        throw new TypeError('a bug in the fake');
      },
    } as unknown as APIMessage;
    (fake.messages as Map<string, APIMessage>).set(broken.id, broken);

    const failure = new RegExp(`GET /channels/${fake.channelId}/messages/1234567890: TypeError: a bug in the fake`);
    const pending = expect(fake.waitForRequest(isRequest('POST', '/never'), 10_000)).rejects.toThrow(failure);
    await expect(client.rest.get(Routes.channelMessage(fake.channelId, broken.id))).rejects.toMatchObject({ status: 500 });

    await pending;
    await expect(fake.waitForRequest(() => true)).rejects.toThrow(failure);
    expect(fake.routeFailures).toHaveLength(1);
    await client.destroy();
    await expect(fake.close()).rejects.toThrow(failure);
  });
});
