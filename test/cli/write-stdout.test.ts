import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, makeTempDir, PROJECT_ROOT } from '../helpers.js';

const run = promisify(execFile);
const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const ONE_MEGABYTE = 1_000_000;

describe('writeStdout (how the command-line tools print before they exit)', () => {
  let temp: { dir: string; cleanup: () => void };
  beforeAll(() => {
    temp = makeTempDir();
    // Prints one megabyte in one write, then exits at once, as every CLI's main() does.
    writeFileSync(
      path.join(temp.dir, 'print.mts'),
      `import { writeStdout } from ${JSON.stringify(path.join(PROJECT_ROOT, 'src', 'cli', 'write-stdout.ts'))};\n` +
        `await writeStdout('x'.repeat(${ONE_MEGABYTE}));\nprocess.exit(0);\n`,
    );
  });
  afterAll(() => temp.cleanup());

  it('hands all of a large output to a pipe before the process exits', async () => {
    // A pipe takes 64 KB at a time: an exit without waiting printed 65,536 bytes of `eval --json` and dropped the rest.
    const { stdout } = await run(TSX, [path.join(temp.dir, 'print.mts')], { cwd: temp.dir, env: childEnv(), maxBuffer: 4 * ONE_MEGABYTE });
    expect(stdout.length).toBe(ONE_MEGABYTE);
  });
});
