import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MemoryProbeReport } from './memory-probe.js';

export interface MemoryBenchResult {
  lexical: MemoryProbeReport;
  hybrid: MemoryProbeReport;
}

const PROBE_SCRIPT = fileURLToPath(new URL('./memory-probe.ts', import.meta.url));
const PROBE_TIMEOUT_MS = 60_000;

/**
 * Memory after starting the engine, lexical-only and hybrid, each in a fresh Node
 * process over the workspace's saved indexes (which must already be built).
 */
export async function benchMemory(workspaceRoot: string): Promise<MemoryBenchResult> {
  const lexical = await runProbe('lexical', workspaceRoot);
  const hybrid = await runProbe('hybrid', workspaceRoot);
  return { lexical, hybrid };
}

function runProbe(mode: 'lexical' | 'hybrid', workspaceRoot: string): Promise<MemoryProbeReport> {
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return new Promise((resolve, reject) => {
    // The child's stdout goes to our stderr: only the report may reach stdout.
    const child = fork(PROBE_SCRIPT, [mode, workspaceRoot], {
      execArgv: ['--import', tsxLoader, '--expose-gc'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    child.stdout?.pipe(process.stderr);
    let settled = false;
    const finish = (error: Error | null, report?: MemoryProbeReport): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(report!);
    };
    const timer = setTimeout(() => {
      child.kill();
      finish(new Error(`benchmark: the ${mode} memory probe took over ${PROBE_TIMEOUT_MS / 1000} s`));
    }, PROBE_TIMEOUT_MS);
    child.on('message', (message: { report?: MemoryProbeReport; error?: string }) => {
      if (message.report) finish(null, message.report);
      else finish(new Error(`benchmark: the ${mode} memory probe failed: ${message.error ?? 'no reason given'}`));
    });
    child.on('error', (error) => finish(error));
    // 'close' comes after the IPC channel is drained, so a report sent just before exiting is not lost.
    child.on('close', (code) => finish(new Error(`benchmark: the ${mode} memory probe exited (${code}) without a report`)));
  });
}
