import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Config, ConfigError, loadConfig } from '../config.js';
import type { Engine } from '../engine-types.js';
import { isUserError } from '../errors.js';
import { quoteHoldsAnswer } from '../evaluation/answer-match.js';
import { type EvalQuestion, type EvalReport, evaluateQuestions, formatEvalReport, readEvalQuestions } from '../evaluation/evaluate-questions.js';
import { readSquadDocuments } from '../evaluation/labelled-documents.js';
import { formatSweepTable, renderSweepSvg, sweepThresholds } from '../evaluation/threshold-sweep.js';
import { loadAnswerModel } from '../answering/answer-model.js';
import { startEngine } from '../start-engine.js';
import { writeStdout } from './write-stdout.js';

const USAGE = `Usage:
  npm run eval -- FILE.jsonl [--json] [--svg PLOT.svg]
  npm run eval -- --squad FILE.json [--json] [--svg PLOT.svg]

A JSONL question file is asked of the configured corpus. A SQuAD 2.0 file is scored as
its README says: each article becomes a one-document corpus (title, blank line,
paragraphs), a question counts as answered when the bot did not abstain and a gold
answer appears in its quotes (SQuAD-normalised), an unanswerable one when it abstained.
Both print the figures at the bot's threshold, then the whole trade-off: what every
threshold would do (--svg also draws it).`;

/** One evaluated set: the report at the bot's threshold and the runs with no threshold (for the sweep). */
interface SetResult {
  label: string;
  report: EvalReport;
  sweepRuns: EvalReport['runs'];
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { json: { type: 'boolean', default: false }, squad: { type: 'string' }, svg: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  const file = values.squad ?? positionals[0];
  if (values.help || !file) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const config = loadConfig();
  const warn = (message: string): void => console.error(message);
  const threshold = config.abstainThreshold ?? loadAnswerModel().abstainThreshold;
  const results: SetResult[] = [];
  let mode = '';
  if (values.squad) {
    for (const article of readSquadDocuments(values.squad)) {
      const temporary = mkdtempSync(path.join(tmpdir(), 'verbatim-eval-'));
      try {
        mkdirSync(path.join(temporary, 'corpus'));
        writeFileSync(path.join(temporary, 'corpus', article.fileName), article.text);
        const articleConfig: Config = { ...config, corpusDir: path.join(temporary, 'corpus'), indexDir: path.join(temporary, 'index') };
        const result = await evaluateSet(articleConfig, article.questions, temporary, article.group.replace(/^squad:/, ''), warn, quoteHoldsAnswer);
        results.push(result.set);
        mode = result.mode;
      } finally {
        rmSync(temporary, { recursive: true, force: true });
      }
    }
  } else {
    const result = await evaluateSet(config, await readEvalQuestions(file), path.dirname(config.corpusDir), path.basename(file), warn);
    results.push(result.set);
    mode = result.mode;
  }
  const allRuns = results.flatMap((result) => result.sweepRuns);
  const sweep = sweepThresholds(allRuns, threshold);
  if (values.svg) writeFileSync(values.svg, renderSweepSvg(sweep, `${path.basename(file)} (${mode}): what each threshold does`, threshold));
  if (values.json) {
    await writeStdout(`${JSON.stringify({ mode, threshold, sets: results.map(({ label, report }) => ({ label, ...report, runs: undefined })), sweep })}\n`);
    return 0;
  }
  const reports = results.map((result) => `${formatEvalReport(result.report, `${result.label} — ${mode}, threshold ${threshold}`)}\n\n`).join('');
  await writeStdout(`${reports}What each threshold would do (${results.length > 1 ? 'all articles' : results[0]!.label}; the bot's in bold):\n\n${formatSweepTable(sweep, threshold)}\n`);
  return 0;
}

/**
 * Asks every question twice: of the engine as configured (the report), and of one that
 * never abstains (the runs behind the threshold sweep).
 */
async function evaluateSet(
  config: Config,
  questions: readonly EvalQuestion[],
  projectRoot: string,
  label: string,
  warn: (message: string) => void,
  holdsAnswer?: (quoted: string, answers: readonly string[]) => boolean,
): Promise<{ set: SetResult; mode: string }> {
  const { engine } = await startEngine(config, { warn });
  const report = await evaluateQuestions(engine, questions, projectRoot, { holdsAnswer });
  const { engine: neverAbstaining } = await startEngine({ ...config, abstainThreshold: 0 }, { warn: () => {} });
  const sweepRuns = (await evaluateQuestions(neverAbstaining, questions, projectRoot, { holdsAnswer })).runs;
  return { set: { label, report, sweepRuns }, mode: describeMode(engine) };
}

function describeMode(engine: Engine): string {
  const status = engine.status();
  return status.mode === 'hybrid' ? `hybrid (${status.modelId})` : 'lexical-only';
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError || isUserError(error) ? error.message : error);
    process.exit(1);
  },
);
