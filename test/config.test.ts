import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DISCORD_API_URL, DEFAULT_EMBEDDING_MODEL, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('has working defaults, resolving paths against the given folder', () => {
    const config = loadConfig({}, '/srv/verbatim');
    expect(config).toMatchObject({
      corpusDir: '/srv/verbatim/corpus',
      indexDir: '/srv/verbatim/index',
      embeddingModel: DEFAULT_EMBEDDING_MODEL,
      embeddingAllowRemote: true,
      abstainThreshold: null,
      modelCacheDir: '/srv/verbatim/.cache/models',
      dataDir: '/srv/verbatim/data',
      // The README's "30 minutes of quiet".
      conversationTtlMs: 30 * 60_000,
      discord: { token: null, guildId: null, apiUrl: DEFAULT_DISCORD_API_URL, adminUserIds: [], adminRoleIds: [] },
    });
  });

  it('reads every kind of setting', () => {
    const config = loadConfig({
      EMBEDDING_MODEL: 'none',
      EMBEDDING_ALLOW_REMOTE: 'no',
      RETRIEVAL_K: '12',
      ABSTAIN_THRESHOLD: '0.4',
      DISCORD_API_URL: 'http://127.0.0.1:8080/api/',
      ADMIN_USER_IDS: '123456789012345678, 223456789012345678',
      DISCORD_GUILD_ID: '323456789012345678',
    }, '/x');
    expect(config.embeddingModel).toBeNull();
    expect(config.embeddingAllowRemote).toBe(false);
    expect(config.retrievalK).toBe(12);
    expect(config.abstainThreshold).toBe(0.4);
    expect(config.discord.apiUrl).toBe('http://127.0.0.1:8080/api');
    expect(config.discord.adminUserIds).toEqual(['123456789012345678', '223456789012345678']);
    expect(config.discord.guildId).toBe('323456789012345678');
  });

  it.each([
    ['RETRIEVAL_K', 'lots', /RETRIEVAL_K must be a whole number from 1 to 100 \(got "lots"\)/],
    ['ABSTAIN_THRESHOLD', '2', /ABSTAIN_THRESHOLD must be a number from 0 to 1/],
    ['EMBEDDING_ALLOW_REMOTE', 'maybe', /EMBEDDING_ALLOW_REMOTE must be true or false/],
    ['DISCORD_API_URL', 'ftp://x', /DISCORD_API_URL must be an http\(s\) URL/],
    ['ADMIN_ROLE_IDS', 'admins', /ADMIN_ROLE_IDS must be a comma-separated list of Discord ids/],
    ['DISCORD_GUILD_ID', 'my server', /DISCORD_GUILD_ID must be a Discord server id/],
  ])('stops on a bad %s, naming it and what it expects', (name, value, message) => {
    expect(() => loadConfig({ [name]: value }, '/x')).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value }, '/x')).toThrow(message);
  });
});
