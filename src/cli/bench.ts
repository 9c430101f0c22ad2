import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatJson, formatMarkdown } from '../benchmark/bench-report.js';
import { renderRecallLatencySvg } from '../benchmark/plot-recall-latency.js';
import { type BenchSettings, fullBenchSettings, quickBenchSettings, runBenchmarks } from '../benchmark/run-benchmarks.js';
import { runLoadBenchmark } from '../benchmark/load/bench-load.js';
import { DEFAULT_LOAD_SETTINGS } from '../benchmark/load/load-plan.js';
import { formatLoadJson, formatLoadMarkdown } from '../benchmark/load/load-report.js';
import { ConfigError, loadConfig } from '../config.js';
import { isUserError } from '../errors.js';
import { writeStdout } from './write-stdout.js';

/**
 * `npm run bench`: speed and memory figures, each next to a baseline measured in the
 * same run, as Markdown tables (or `--json`). Works in temporary folders; the project's
 * index/ is never touched. Progress goes to stderr, the report to stdout.
 */

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEFAULT_QUESTIONS_FILE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'questions.jsonl');
const USAGE = `Usage: npm run bench -- [--json] [--quick] [--svg FILE] [--passages N] [--documents N] [--vectors N,N,…] [--questions FILE.jsonl] [--load]
  --json        print the report as JSON (with query, scale[] and corpus[]) instead of Markdown
  --load        instead: ${DEFAULT_LOAD_SETTINGS.interactions} /ask from ${DEFAULT_LOAD_SETTINGS.users} users in ${DEFAULT_LOAD_SETTINGS.guilds} guilds within ${DEFAULT_LOAD_SETTINGS.durationMs / 1000} s through the stand-in for Discord
  --quick       a small run (seconds, as the test suite runs it) instead of the full one (about 15 minutes)
  --svg         also write the recall–latency plot of the vector benchmark to FILE
  --passages    the generated prose corpus holds at least N passages (full run: 100,000)
  --documents   … over at least N documents (full run: 5,000)
  --vectors     HNSW benchmark sizes (full run: 1000,10000,100000)
  --questions   development questions timed on the article (default: test/fixtures/questions.jsonl)`;

class UsageError extends Error {}

function readCount(name: string, raw: string, min: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new UsageError(`bench: --${name} must be a whole number of at least ${min} (got ${JSON.stringify(raw)})`);
  return value;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      svg: { type: 'string' },
      passages: { type: 'string' },
      documents: { type: 'string' },
      vectors: { type: 'string' },
      questions: { type: 'string' },
      load: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  const articleDir = loadConfig().corpusDir;
  const questionsFile = path.resolve(values.questions ?? DEFAULT_QUESTIONS_FILE);
  const base = (values.quick ? quickBenchSettings : fullBenchSettings)(PROJECT_ROOT, articleDir, questionsFile);
  const settings: BenchSettings = {
    ...base,
    corpus: {
      ...base.corpus,
      targetPassages: values.passages === undefined ? base.corpus.targetPassages : readCount('passages', values.passages, 1),
      targetDocuments: values.documents === undefined ? base.corpus.targetDocuments : readCount('documents', values.documents, 1),
    },
    vectors: {
      ...base.vectors,
      counts: values.vectors === undefined ? base.vectors.counts : values.vectors.split(',').map((count) => readCount('vectors', count.trim(), base.vectors.k)),
    },
  };

  // Libraries (LangChain, transformers.js) may print warnings with console.*; the
  // report must be the only thing on stdout, so everything else goes to stderr.
  for (const method of ['log', 'info', 'debug', 'warn'] as const) console[method] = (...args: unknown[]) => console.error(...args);

  let text: string;
  if (values.load) {
    const report = await runLoadBenchmark(DEFAULT_LOAD_SETTINGS, articleDir, questionsFile, (line) => console.error(line));
    text = values.json ? formatLoadJson(report) : formatLoadMarkdown(report);
  } else {
    const started = performance.now();
    const report = await runBenchmarks(settings, (line) => console.error(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`));
    if (values.svg) {
      const largest = report.scale.at(-1);
      writeFileSync(values.svg, renderRecallLatencySvg(report.scale, `HNSW recall@10 vs query time (${largest ? `${largest.dims}-d` : ''}, ${report.meta.cpus} × ${report.meta.cpuModel})`));
      console.error(`bench: wrote ${values.svg}`);
    }
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
