/**
 * `npm start` (src/main.ts) as a child process with an explicit environment: only
 * the variables a test names, never the test runner's own (which may hold a
 * DISCORD_TOKEN or settings that would change what is tested).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { childEnv, PROJECT_ROOT } from '../helpers.js';

const TSX_LOADER = pathToFileURL(path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export interface MainProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Starts `src/main.ts` (or another entry point) in `cwd`, lexical-only unless `env` says otherwise. */
export function spawnMain(cwd: string, env: Record<string, string>, entry = path.join(PROJECT_ROOT, 'src', 'main.ts')): MainProcess {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, entry], {
    cwd,
    env: childEnv({ EMBEDDING_MODEL: 'none', ...env }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}
