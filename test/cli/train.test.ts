import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { childEnv, PROJECT_ROOT } from '../helpers.js';

const run = promisify(execFile);
const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const TRAIN = path.join(PROJECT_ROOT, 'src', 'cli', 'train.ts');

/** Runs `npm run train -- ARGS`; a bad argument must fail before the minutes of collecting. */
async function train(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(TSX, [TRAIN, ...args], { cwd: PROJECT_ROOT, env: childEnv(), timeout: 30_000 });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe('npm run train, given a bad argument', () => {
  it('says what is wrong in one plain line, without a stack, and fits nothing', async () => {
    for (const [args, message] of [
      [['--dry-run', '--documents-per-fold', '1'], 'training: a fold needs at least two documents to fit on (asked for 1)'],
      [['--documents-per-fold', '4'], 'train: --documents-per-fold is for a learning curve; use it with --dry-run'],
      [['--dry-run', '--documents-per-fold', 'many'], 'train: --documents-per-fold must be a non-negative number (got "many")'],
    ] as const) {
      const { code, stderr } = await train([...args]);
      expect(code, args.join(' ')).toBe(1);
      expect(stderr.trim(), args.join(' ')).toBe(message);
    }
  }, 60_000);
});
