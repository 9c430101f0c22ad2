import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { childEnv, makeTempDir, ODD_ENVIRONMENT, PROJECT_ROOT } from '../helpers.js';

const run = promisify(execFile);
const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');

const CONTEXT = 'The Normans were the people who in the 10th and 11th centuries gave their name to Normandy, a region in France. Their first ruler was Rollo.';
/** One SQuAD 2.0 article: two answerable questions, one unanswerable (with its plausible answer). */
const SQUAD = {
  version: 'v2.0',
  data: [
    {
      title: 'Tiny_Normans',
      paragraphs: [
        {
          context: CONTEXT,
          qas: [
            { id: 'q1', question: 'In what country is Normandy located?', answers: [{ text: 'France', answer_start: CONTEXT.indexOf('France') }], is_impossible: false },
            { id: 'q2', question: 'Who was the first ruler of the Normans?', answers: [{ text: 'Rollo', answer_start: CONTEXT.indexOf('Rollo') }], is_impossible: false },
            { id: 'q3', question: 'Who was the last ruler of the Normans?', answers: [], plausible_answers: [{ text: 'Rollo', answer_start: CONTEXT.indexOf('Rollo') }], is_impossible: true },
          ],
        },
      ],
    },
  ],
};

beforeAll(() => {
  for (const [name, value] of Object.entries(ODD_ENVIRONMENT)) vi.stubEnv(name, value);
});
afterAll(() => vi.unstubAllEnvs());

describe('npm run eval -- --squad', () => {
  let temp: { dir: string; cleanup: () => void };
  beforeAll(() => {
    temp = makeTempDir();
    writeFileSync(path.join(temp.dir, 'tiny.json'), JSON.stringify(SQUAD));
  });
  afterAll(() => temp.cleanup());

  it('scores each article as a one-document corpus and prints the whole threshold trade-off, as JSON and as an SVG plot', async () => {
    const { stdout } = await run(TSX, [path.join(PROJECT_ROOT, 'src', 'cli', 'eval.ts'), '--squad', 'tiny.json', '--json', '--svg', 'plot.svg'], {
      cwd: temp.dir,
      env: childEnv({ EMBEDDING_MODEL: 'none' }),
    });
    const report = JSON.parse(stdout) as Record<string, any>;
    expect(report.mode).toBe('lexical-only');
    expect(report.sets).toHaveLength(1);
    expect(report.sets[0]).toMatchObject({ label: 'Tiny_Normans', answerable: { total: 2 }, unanswerable: { total: 1 } });
    // With no threshold every question is answered: both answerable ones right (SQuAD matching), the unanswerable not refused.
    expect(report.sweep[0]).toMatchObject({ threshold: 0, answerable: 2, answered: 2, unanswerable: 1, refused: 0 });
    expect(report.sweep.map((row: { threshold: number }) => row.threshold)).toContain(report.threshold);
    const svg = readFileSync(path.join(temp.dir, 'plot.svg'), 'utf8');
    expect(svg).toContain('<svg');
    expect(svg).toContain('tiny.json');
  });

  it('says how to use it when given nothing to evaluate', async () => {
    const failure = run(TSX, [path.join(PROJECT_ROOT, 'src', 'cli', 'eval.ts')], { cwd: temp.dir, env: childEnv() });
    await expect(failure).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--squad FILE.json') });
  });
});
