import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatJson, formatMarkdown } from '../benchmark/bench-report.js';
import { DEFAULT_BENCH_SETTINGS, runBenchmarks } from '../benchmark/run-benchmarks.js';
import { runLoadBenchmark } from '../benchmark/load/bench-load.js';
import { DEFAULT_LOAD_SETTINGS } from '../benchmark/load/load-plan.js';
import { formatLoadJson, formatLoadMarkdown } from '../benchmark/load/load-report.js';
import { ConfigError, loadConfig } from '../config.js';
import { isUserError } from '../errors.js';
import { writeStdout } from './write-stdout.js';

/**
 * `npm run bench`: speed and memory figures, each next to a baseline measured in
 * the same run, as a Markdown table (or `--json`). Works in a temporary folder;
 * the project's index/ is never touched. Progress goes to stderr, the report to stdout.
 */

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEFAULT_QUESTIONS_FILE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'questions.jsonl');
const USAGE = `Usage: npm run bench -- [--json] [--questions FILE.jsonl] [--vectors N] [--ann-queries N] [--load]
  --json           print the report as JSON instead of Markdown
  --load           instead: ${DEFAULT_LOAD_SETTINGS.interactions} /ask from ${DEFAULT_LOAD_SETTINGS.users} users in ${DEFAULT_LOAD_SETTINGS.guilds} guilds within ${DEFAULT_LOAD_SETTINGS.durationMs / 1000} s through the stand-in for Discord
  --questions      question file whose turns are timed (default: test/fixtures/questions.jsonl)
  --vectors        synthetic vectors in the HNSW benchmark (default: ${DEFAULT_BENCH_SETTINGS.ann.count})
  --ann-queries    timed queries in the HNSW benchmark (default: ${DEFAULT_BENCH_SETTINGS.ann.queries})`;

class UsageError extends Error {}

function readCount(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new UsageError(`bench: --${name} must be a whole number of at least ${min} (got ${JSON.stringify(raw)})`);
  return value;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      questions: { type: 'string' },
      vectors: { type: 'string' },
      'ann-queries': { type: 'string' },
      load: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  const defaults = DEFAULT_BENCH_SETTINGS;
  const k = defaults.ann.k;
  const settings = {
    ...defaults,
    corpusDir: loadConfig().corpusDir,
    questionsFile: path.resolve(values.questions ?? DEFAULT_QUESTIONS_FILE),
    ann: {
      ...defaults.ann,
      count: readCount('vectors', values.vectors, defaults.ann.count, k),
      queries: readCount('ann-queries', values['ann-queries'], defaults.ann.queries, 1),
    },
  };

  // Libraries (LangChain, transformers.js) may print warnings with console.*; the
  // report must be the only thing on stdout, so everything else goes to stderr.
  for (const method of ['log', 'info', 'debug', 'warn'] as const) console[method] = (...args: unknown[]) => console.error(...args);

  let text: string;
  if (values.load) {
    const report = await runLoadBenchmark(DEFAULT_LOAD_SETTINGS, settings.corpusDir, settings.questionsFile, (line) => console.error(line));
    text = values.json ? formatLoadJson(report) : formatLoadMarkdown(report);
  } else {
    const report = await runBenchmarks(settings, (line) => console.error(line));
    text = values.json ? formatJson(report) : formatMarkdown(report);
  }
  await writeStdout(text);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`${error.message}\n${USAGE}`);
      process.exit(2);
    }
    console.error(error instanceof ConfigError || isUserError(error) ? error.message : error);
    process.exit(1);
  },
);
