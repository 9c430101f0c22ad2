import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('the settings for running unattended', () => {
  it('defaults to one shard, a 120 s model load, the Hugging Face Hub and an 8 s shutdown grace', () => {
    const config = loadConfig({}, '/srv');
    expect(config.discord).toMatchObject({ shards: null, managedByShardingManager: false });
    expect(config).toMatchObject({ embeddingLoadTimeoutMs: 120_000, embeddingRemoteHost: null, shutdownGraceMs: 8_000 });
  });

  it('reads DISCORD_SHARDS as auto or a count, a mirror host with its trailing slash, and notices a ShardingManager', () => {
    expect(loadConfig({ DISCORD_SHARDS: 'AUTO' }, '/srv').discord.shards).toBe('auto');
    expect(loadConfig({ DISCORD_SHARDS: '4' }, '/srv').discord.shards).toBe(4);
    expect(loadConfig({ EMBEDDING_REMOTE_HOST: 'http://mirror.local:8080' }, '/srv').embeddingRemoteHost).toBe('http://mirror.local:8080/');
    expect(loadConfig({ SHARDING_MANAGER: 'true', SHARDS: '[1]', SHARD_COUNT: '2' }, '/srv').discord.managedByShardingManager).toBe(true);
  });

  it.each([
    ['DISCORD_SHARDS', 'two', 'config: DISCORD_SHARDS must be "auto" or a whole number of shards from 1 to 100000 (got "two")'],
    ['DISCORD_SHARDS', '0', 'config: DISCORD_SHARDS must be "auto" or a whole number of shards from 1 to 100000 (got "0")'],
    ['EMBEDDING_LOAD_TIMEOUT_MS', '500', 'config: EMBEDDING_LOAD_TIMEOUT_MS must be a whole number from 1000 to 3600000 (got "500")'],
    ['EMBEDDING_REMOTE_HOST', 'mirror.local', 'config: EMBEDDING_REMOTE_HOST must be an http(s) URL such as https://huggingface.co (got "mirror.local")'],
    ['SHUTDOWN_GRACE_MS', '-1', 'config: SHUTDOWN_GRACE_MS must be a whole number from 0 to 600000 (got "-1")'],
  ])('stops at %s=%s naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value }, '/srv')).toThrow(message);
  });
});
