import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { isUserError } from '../errors.js';
import { evaluateQuestions, formatEvalReport, readEvalQuestions } from '../evaluation/evaluate-questions.js';
import { startEngine } from '../start-engine.js';

const USAGE = 'Usage: npm run eval -- FILE.jsonl [--json]';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { json: { type: 'boolean', default: false } }, allowPositionals: true });
  const file = positionals[0];
  if (!file) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const questions = await readEvalQuestions(file);
  const { engine } = await startEngine(config, { warn: (message) => console.error(message) });
  const report = await evaluateQuestions(engine, questions, path.dirname(config.corpusDir));
  const status = engine.status();
  const label = `${path.basename(file)} — ${status.mode === 'hybrid' ? `hybrid (${status.modelId})` : 'lexical-only'}`;
  console.log(values.json ? JSON.stringify({ mode: status.mode, model: status.modelId, ...report }) : formatEvalReport(report, label));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError || isUserError(error) ? error.message : error);
    process.exit(1);
  },
);
