import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { loadAnswerModel } from '../src/answering/answer-model.js';
import { loadConfig } from '../src/config.js';
import { PROJECT_ROOT } from './helpers.js';

const README = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');

describe('the README', () => {
  it('invites the bot with exactly the permissions it lists', () => {
    const listed = [
      PermissionFlagsBits.ViewChannel,
      PermissionFlagsBits.SendMessages,
      PermissionFlagsBits.SendMessagesInThreads,
      PermissionFlagsBits.CreatePublicThreads,
      PermissionFlagsBits.EmbedLinks,
      PermissionFlagsBits.ReadMessageHistory,
    ].reduce((all, flag) => all | flag, 0n);
    const integers = [...README.matchAll(/permissions(?: integer `|=)(\d+)/g)].map((match) => BigInt(match[1]!));
    expect(integers).toEqual([listed, listed]);
    expect(README.replace(/\s+/g, ' ')).toContain('View Channels, Send Messages, Send Messages in Threads, Create Public Threads, Embed Links, Read Message History');
  });
});

describe('.env.example', () => {
  const ENV_EXAMPLE = readFileSync(path.join(PROJECT_ROOT, '.env.example'), 'utf8');

  it("gives the fitted model's threshold as ABSTAIN_THRESHOLD's default, as the bot uses when it is unset", () => {
    const threshold = loadAnswerModel().abstainThreshold;
    expect(ENV_EXAMPLE).toContain(`Default: the fitted model's threshold (${threshold} today;`);
    expect(ENV_EXAMPLE).toContain(`# ABSTAIN_THRESHOLD=${threshold}\n`);
    expect(loadConfig({}, PROJECT_ROOT).abstainThreshold).toBeNull();
  });
});
