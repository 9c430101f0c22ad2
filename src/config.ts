import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { DEFAULT_DOCUMENT_MAX_BYTES } from './corpus/load-corpus.js';

/**
 * The only reader of `process.env`. Every setting is validated here; a bad value
 * stops start-up with a message naming the variable and what it expects.
 * Every setting is documented in `.env.example`.
 */
export interface Config {
  corpusDir: string;
  indexDir: string;
  /** Embedding model id, or null for lexical-only retrieval (`EMBEDDING_MODEL=none`). */
  embeddingModel: string | null;
  /** Folder of local models laid out as `NAME/config.json`, `NAME/onnx/…` (null: none). */
  embeddingModelDir: string | null;
  /** Whether transformers.js may download the model (needs the internet). */
  embeddingAllowRemote: boolean;
  /** Where downloaded models are cached. */
  modelCacheDir: string;
  /** Where models are downloaded from (a Hugging Face mirror); null: the Hugging Face Hub. */
  embeddingRemoteHost: string | null;
  /** Loading the model (download included) gives up after this long; retrieval is then lexical-only until a reindex loads it. */
  embeddingLoadTimeoutMs: number;
  embeddingBatchSize: number;
  /** Passages retrieved per question (per retriever, before fusion). */
  retrievalK: number;
  /** Confidence under which an answer abstains (0..1); null uses the fitted model's threshold. */
  abstainThreshold: number | null;
  conversationTtlMs: number;
  conversationMaxTurns: number;
  conversationMaxKeys: number;
  maxQuestionChars: number;
  discord: DiscordConfig;
  /** On SIGTERM/SIGINT, how long answers under way may take to finish before the bot exits anyway. */
  shutdownGraceMs: number;
  /** Where the question log and votes are stored (one SQLite file). */
  dataDir: string;
  /** Whether questions are logged (`QUESTION_LOG=off`: only votes are stored). */
  questionLog: boolean;
  /** Logged questions and votes older than this are deleted. */
  dataRetentionDays: number;
  /** Largest document read or accepted, in bytes (DOCUMENT_MAX_BYTES); larger files are skipped with that reason. */
  documentMaxBytes: number;
  /** DOCUMENT_URL_ALLOW_PRIVATE: documents may be fetched from private, loopback and link-local addresses (intranets, tests). */
  documentUrlAllowPrivate: boolean;
}

export interface DiscordConfig {
  token: string | null;
  /** Guild to register commands in (instant); null registers them globally. */
  guildId: string | null;
  /** REST base, e.g. `https://discord.com/api` or a proxy / test server. */
  apiUrl: string;
  adminUserIds: string[];
  adminRoleIds: string[];
  rateLimitQuestions: number;
  rateLimitWindowMs: number;
  /** Autocomplete requests per user per `rateLimitSuggestionWindowMs`; beyond that a keystroke gets no choices. */
  rateLimitSuggestions: number;
  rateLimitSuggestionWindowMs: number;
  /**
   * DISCORD_SHARDS: how many shards in all, or `auto` (Discord's recommendation); null:
   * one. `npm start` runs them all in one process; `npm run start:cluster` one per process.
   */
  shards: number | 'auto' | null;
  /** Set when discord.js's ShardingManager started this process: it assigns the shards itself. */
  managedByShardingManager: boolean;
}

export const DEFAULT_EMBEDDING_MODEL = 'Xenova/all-MiniLM-L6-v2';
export const DEFAULT_DISCORD_API_URL = 'https://discord.com/api';

/** Thrown for an invalid setting; the message names the variable. */
export class ConfigError extends Error {
  constructor(variable: string, expected: string, got: string) {
    super(`config: ${variable} must be ${expected} (got ${JSON.stringify(got)})`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * The process environment, after loading `.env` from the working folder when there is
 * one (variables already set win, as with dotenv).
 */
export function readProcessEnv(): Env {
  const file = path.resolve('.env');
  if (existsSync(file)) {
    const fromFile = parseEnv(readFileSync(file, 'utf8'));
    for (const [name, value] of Object.entries(fromFile)) process.env[name] ??= value;
  }
  return process.env;
}

/** Reads and validates the configuration; `root` resolves relative paths. */
export function loadConfig(env: Env = readProcessEnv(), root: string = process.cwd()): Config {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const resolvePath = (name: string, fallback: string): string => path.resolve(root, read(name) ?? fallback);
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new ConfigError(name, `a whole number from ${min} to ${max}`, raw);
    }
    return value;
  };
  const fraction = <T extends number | null>(name: string, fallback: T): number | T => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0 || value > 1) throw new ConfigError(name, 'a number from 0 to 1', raw);
    return value;
  };
  const boolean = (name: string, fallback: boolean): boolean => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new ConfigError(name, 'true or false', raw);
  };
  const snowflakes = (name: string): string[] => {
    const raw = read(name);
    if (raw === undefined) return [];
    const ids = raw.split(',').map((id) => id.trim()).filter(Boolean);
    for (const id of ids) if (!/^\d{5,20}$/.test(id)) throw new ConfigError(name, 'a comma-separated list of Discord ids', raw);
    return ids;
  };
  const url = (name: string, fallback: string, example = 'https://discord.com/api'): string => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    try {
      const parsed = new URL(raw);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
    } catch {
      throw new ConfigError(name, `an http(s) URL such as ${example}`, raw);
    }
    return raw.replace(/\/+$/, '');
  };

  const shardCount = (): number | 'auto' | null => {
    const raw = read('DISCORD_SHARDS');
    if (raw === undefined) return null;
    if (raw.toLowerCase() === 'auto') return 'auto';
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > 100_000) throw new ConfigError('DISCORD_SHARDS', '"auto" or a whole number of shards from 1 to 100000', raw);
    return value;
  };

  const model = read('EMBEDDING_MODEL') ?? DEFAULT_EMBEDDING_MODEL;
  const guildId = read('DISCORD_GUILD_ID');
  if (guildId !== undefined && !/^\d{5,20}$/.test(guildId)) throw new ConfigError('DISCORD_GUILD_ID', 'a Discord server id', guildId);
  const modelDir = read('EMBEDDING_MODEL_DIR');

  return {
    corpusDir: resolvePath('CORPUS_DIR', 'corpus'),
    indexDir: resolvePath('INDEX_DIR', 'index'),
    embeddingModel: model.toLowerCase() === 'none' ? null : model,
    embeddingModelDir: modelDir === undefined ? null : path.resolve(root, modelDir),
    embeddingAllowRemote: boolean('EMBEDDING_ALLOW_REMOTE', true),
    modelCacheDir: resolvePath('MODEL_CACHE_DIR', '.cache/models'),
    // transformers.js joins the host and the model path itself, so the host keeps its trailing slash.
    embeddingRemoteHost: read('EMBEDDING_REMOTE_HOST') === undefined ? null : `${url('EMBEDDING_REMOTE_HOST', '', 'https://huggingface.co')}/`,
    // Downloading all-MiniLM-L6-v2 (23 MB quantized) takes seconds on a working connection;
    // two minutes only runs out when the download has stalled.
    embeddingLoadTimeoutMs: integer('EMBEDDING_LOAD_TIMEOUT_MS', 120_000, 1_000, 3_600_000),
    embeddingBatchSize: integer('EMBEDDING_BATCH_SIZE', 16, 1, 1024),
    retrievalK: integer('RETRIEVAL_K', 8, 1, 100),
    abstainThreshold: fraction('ABSTAIN_THRESHOLD', null),
    conversationTtlMs: integer('CONVERSATION_TTL_MS', 30 * 60_000, 1_000, 7 * 24 * 3_600_000),
    conversationMaxTurns: integer('CONVERSATION_MAX_TURNS', 6, 1, 100),
    conversationMaxKeys: integer('CONVERSATION_MAX_KEYS', 1_000, 1, 1_000_000),
    maxQuestionChars: integer('MAX_QUESTION_CHARS', 1_000, 10, 100_000),
    dataDir: resolvePath('DATA_DIR', 'data'),
    // Docker and Kubernetes send SIGKILL 10 s (Kubernetes: 30 s) after SIGTERM; 8 s leaves time to disconnect.
    shutdownGraceMs: integer('SHUTDOWN_GRACE_MS', 8_000, 0, 600_000),
    questionLog: boolean('QUESTION_LOG', true),
    dataRetentionDays: integer('DATA_RETENTION_DAYS', 90, 1, 36_500),
    documentMaxBytes: integer('DOCUMENT_MAX_BYTES', DEFAULT_DOCUMENT_MAX_BYTES, 1_024, 2 ** 31 - 1),
    documentUrlAllowPrivate: boolean('DOCUMENT_URL_ALLOW_PRIVATE', false),
    discord: {
      token: read('DISCORD_TOKEN') ?? null,
      guildId: guildId ?? null,
      apiUrl: url('DISCORD_API_URL', DEFAULT_DISCORD_API_URL),
      adminUserIds: snowflakes('ADMIN_USER_IDS'),
      adminRoleIds: snowflakes('ADMIN_ROLE_IDS'),
      rateLimitQuestions: integer('RATE_LIMIT_QUESTIONS', 5, 1, 10_000),
      rateLimitWindowMs: integer('RATE_LIMIT_WINDOW_MS', 60_000, 1_000, 24 * 3_600_000),
      // Discord sends one autocomplete per keystroke: a fast typist's burst of 20 fits in 5 s; a
      // client sending hundreds a second gets empty lists after 20 (each costs a few ms at most).
      rateLimitSuggestions: integer('RATE_LIMIT_SUGGESTIONS', 20, 1, 10_000),
      rateLimitSuggestionWindowMs: integer('RATE_LIMIT_SUGGESTION_WINDOW_MS', 5_000, 1_000, 3_600_000),
      shards: shardCount(),
      // discord.js's ShardingManager sets SHARDING_MANAGER (with SHARDS and SHARD_COUNT, which discord.js reads itself).
      managedByShardingManager: read('SHARDING_MANAGER') !== undefined,
    },
  };
}
