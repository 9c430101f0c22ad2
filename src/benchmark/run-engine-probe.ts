import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ENGINE_NODE_FLAGS } from '../node-flags.js';
import type { EngineProbeJob, EngineProbeReport } from './engine-probe.js';

const PROBE_SCRIPT = fileURLToPath(new URL('./engine-probe.ts', import.meta.url));
/** A probe asks up to a few thousand questions; far past this it is stuck, not slow. */
const PROBE_TIMEOUT_MS = 30 * 60_000;

/**
 * Runs `engine-probe.ts` in a fresh Node process (so one mode's memory, and the JIT's
 * warmth, do not leak into another's figures), with the Node flags the bot runs with,
 * and returns its report.
 */
export function runEngineProbe(job: EngineProbeJob): Promise<EngineProbeReport> {
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return new Promise((resolve, reject) => {
    // The child's stdout goes to our stderr: only the report may reach stdout.
    const child = fork(PROBE_SCRIPT, [], { execArgv: ['--import', tsxLoader, '--expose-gc', ...ENGINE_NODE_FLAGS], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    child.stdout?.pipe(process.stderr);
    let settled = false;
    const finish = (error: Error | null, report?: EngineProbeReport): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(report!);
    };
    const timer = setTimeout(() => {
      child.kill();
      finish(new Error(`benchmark: the ${job.mode} engine probe took over ${PROBE_TIMEOUT_MS / 60_000} minutes`));
    }, PROBE_TIMEOUT_MS);
    child.on('message', (message: { report?: EngineProbeReport; error?: string }) => {
      if (message.report) finish(null, message.report);
      else finish(new Error(`benchmark: the ${job.mode} engine probe failed: ${message.error ?? 'no reason given'}`));
    });
    child.on('error', (error) => finish(error));
    // 'close' comes after the IPC channel is drained, so a report sent just before exiting is not lost.
    child.on('close', (code) => finish(new Error(`benchmark: the ${job.mode} engine probe exited (${code}) without a report`)));
    child.send(job);
  });
}
