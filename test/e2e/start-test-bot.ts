/**
 * One bot for a fault test: a temporary copy of the article, the real engine
 * (lexical-only unless an embedder is given), the fake Discord with the given
 * options, and `startBot` logging into it with every log line kept.
 */
import { cpSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../src/config.js';
import { type RunningBot, startBot } from '../../src/discord/start-bot.js';
import { createEngine } from '../../src/engine.js';
import type { Engine } from '../../src/engine-types.js';
import { readDocumentUrls } from '../../src/question-log/document-log.js';
import type { IndexEmbedder } from '../../src/store/dense-index.js';
import { ARTICLE_DIR, makeTempDir, testConfig } from '../helpers.js';
import { type FakeDiscord, type FakeDiscordOptions, type RecordedRequest, startFakeDiscord } from './fake-discord.js';

export interface TestBot {
  fake: FakeDiscord;
  bot: RunningBot;
  engine: Engine;
  config: Config;
  dir: string;
  /**
   * Every line the bot logged, errors with their error's message appended; and `printed`:
   * every entry as the bot's console logger would print it, an error with its stack trace.
   */
  logs: { info: string[]; error: string[]; printed: string[] };
  /** Stops the bot, closes the fake, removes the folder. */
  stop(): Promise<void>;
}

export interface StartTestBotOptions {
  fake?: FakeDiscordOptions;
  /** Settings on top of the test defaults (token, API URL, rate limit 3 per minute). */
  env?: Record<string, string>;
  embedder?: IndexEmbedder | null;
}

/** What a user would read in a message the bot sent: the content and its embeds' titles and descriptions (callbacks: their `data`). */
export function textOfRequest(request: RecordedRequest): string {
  const body = ((request.body as { data?: unknown }).data ?? request.body) as { content?: string; embeds?: { title?: string; description: string }[] };
  return [body.content ?? '', ...(body.embeds ?? []).map((embed) => `${embed.title ?? ''}\n${embed.description}`)].join('\n');
}

let userCounter = 0;

/** A fresh user, so one test's rate limit never touches another's. */
export function newTestUser(): { id: string; username: string } {
  userCounter++;
  return { id: String(500000000000000000n + BigInt(userCounter)), username: `faulty${userCounter}` };
}

export async function startTestBot(options: StartTestBotOptions = {}): Promise<TestBot> {
  const temp = makeTempDir();
  cpSync(ARTICLE_DIR, path.join(temp.dir, 'corpus'), { recursive: true });
  const fake = await startFakeDiscord(options.fake);
  const logs = { info: [] as string[], error: [] as string[], printed: [] as string[] };
  try {
    const embedder = options.embedder ?? null;
    const config = testConfig(temp.dir, {
      DISCORD_TOKEN: options.fake?.token ?? 'test-token',
      DISCORD_API_URL: fake.apiUrl,
      RATE_LIMIT_QUESTIONS: '3',
      RATE_LIMIT_WINDOW_MS: '60000',
      DATA_DIR: 'data',
      ...(embedder && { EMBEDDING_MODEL: embedder.modelId }),
      ...options.env,
    });
    // As startEngine does: documents added by link keep their link.
    const engine = await createEngine({ config, embedder, embedderWarning: embedder ? null : 'test: lexical-only', documentUrls: () => readDocumentUrls(config.dataDir) });
    const bot = await startBot({
      engine,
      config,
      embedderWarning: null,
      log: {
        info: (message) => {
          logs.info.push(message);
          logs.printed.push(message);
        },
        error: (message, error) => {
          logs.error.push(error instanceof Error ? `${message}: ${error.message}` : message);
          // As console.error(message, error) prints it: an Error with its stack.
          logs.printed.push(error === undefined ? message : `${message} ${error instanceof Error ? error.stack : String(error)}`);
        },
      },
    });
    return {
      fake,
      bot,
      engine,
      config,
      dir: temp.dir,
      logs,
      async stop() {
        await bot.stop();
        await fake.close();
        temp.cleanup();
      },
    };
  } catch (error) {
    await fake.close();
    temp.cleanup();
    throw error;
  }
}
