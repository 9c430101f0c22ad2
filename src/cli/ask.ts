import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import type { Engine } from '../engine-types.js';
import { isUserError } from '../errors.js';
import { renderAnswerJson } from '../render/render-json.js';
import { renderAnswerText } from '../render/render-text.js';
import { startEngine } from '../start-engine.js';
import { writeStdout } from './write-stdout.js';

const USAGE = `Usage:
  npm run --silent ask -- [--json] "Question" ["Follow-up" ...]
  npm run --silent ask -- --file questions.jsonl|questions.txt

Several questions are the turns of one conversation. --file answers each line of a
question file on its own and prints one JSON object per line for its last turn: a JSON
object (fields: id, question, optional turns), or a plain question (its id is its line
number).`;

/** A question file that cannot be read as one: said in one line, without a stack trace. */
class QuestionFileError extends Error {}

/** A line of a question file (the format of ../shared/eval/questions.jsonl). */
export interface QuestionLine {
  id: string;
  question: string;
  turns?: string[];
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { json: { type: 'boolean', default: false }, file: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help || (positionals.length === 0 && !values.file)) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  // Read before the engine starts, so that a bad file is reported at once.
  const questionLines = values.file ? await readQuestionFile(values.file) : [];
  const config = loadConfig();
  const { engine } = await startEngine(config, { warn: (message) => console.error(message) });

  if (values.file) {
    for (const line of questionLines) {
      const turns = line.turns && line.turns.length > 0 ? line.turns : [line.question];
      const key = `file:${line.id}`;
      let output: object = {};
      for (const turn of turns) output = await answerTurn(engine, turn, key, true, line.id);
      await writeStdout(`${JSON.stringify(output)}\n`);
    }
    return 0;
  }
  let failed = false;
  for (const question of positionals) {
    const output = await answerTurn(engine, question, 'cli', values.json);
    if ('error' in output) failed = true;
    await writeStdout(`${values.json ? JSON.stringify(output) : `${(output as { text: string }).text}\n`}\n`);
  }
  return failed ? 1 : 0;
}

/** Answers one turn; a UserError becomes `{question, error: {code, message}, text}` rather than a crash. */
async function answerTurn(engine: Engine, question: string, key: string, json: boolean, id?: string): Promise<object> {
  try {
    const answer = await engine.ask(question, key);
    return json ? renderAnswerJson(answer, id) : { text: renderAnswerText(answer) };
  } catch (error) {
    if (!isUserError(error)) throw error;
    return { ...(id === undefined ? {} : { id }), question, error: { code: error.code, message: error.message }, text: error.message };
  }
}

export async function readQuestionFile(file: string): Promise<QuestionLine[]> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (error as Error).message;
    throw new QuestionFileError(`ask: cannot read ${file}: ${reason}`);
  }
  return content.split(/\r?\n/).flatMap((line, i) => {
    const text = line.trim();
    if (text === '') return [];
    const id = String(i + 1);
    // A plain line is a question; a line opening with "{" is one of the evaluation's JSON objects.
    if (!text.startsWith('{')) return [{ id, question: text }];
    let parsed: Partial<QuestionLine>;
    try {
      parsed = JSON.parse(text) as Partial<QuestionLine>;
    } catch (error) {
      throw new QuestionFileError(`ask: ${file} line ${i + 1} opens like JSON but is not (${(error as Error).message}); write a plain question, or a JSON object with a "question"`);
    }
    if (typeof parsed.question !== 'string') throw new QuestionFileError(`ask: ${file} line ${i + 1} has no "question" string`);
    return [{ ...parsed, id: parsed.id ?? id, question: parsed.question } as QuestionLine];
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError || error instanceof QuestionFileError || isUserError(error) ? error.message : error);
    process.exit(1);
  },
);
