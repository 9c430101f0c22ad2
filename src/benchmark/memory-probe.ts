/**
 * Child process of the memory benchmark: starts the engine the way the bot does
 * (`startEngine`) over a benchmark workspace and reports `process.memoryUsage()`
 * before and after, each after a full garbage collection. A fresh process per
 * mode keeps one mode's native allocations (ONNX Runtime) out of the other's figures.
 *
 * Run as `node --import tsx --expose-gc memory-probe.ts <lexical|hybrid> <workspace>`
 * with an IPC channel; it sends one `MemoryProbeReport` and exits.
 */
import { loadConfig } from '../config.js';
import { startEngine } from '../start-engine.js';
import { workspaceEnv } from './bench-workspace.js';

export interface MemorySnapshot {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export interface MemoryProbeReport {
  mode: 'lexical' | 'hybrid';
  before: MemorySnapshot;
  after: MemorySnapshot;
}

function snapshot(): MemorySnapshot {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('benchmark: the memory probe needs node --expose-gc');
  gc();
  gc();
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, heapTotal, external, arrayBuffers };
}

async function probe(): Promise<MemoryProbeReport> {
  const [mode, root] = process.argv.slice(2);
  if ((mode !== 'lexical' && mode !== 'hybrid') || !root) throw new Error('benchmark: usage: memory-probe.ts <lexical|hybrid> <workspace>');
  const config = loadConfig(workspaceEnv(mode), root);
  const before = snapshot();
  const { engine } = await startEngine(config, { warn: (message) => console.error(message) });
  if (engine.status().mode !== mode) throw new Error(`benchmark: the engine started ${engine.status().mode}, expected ${mode}`);
  const after = snapshot();
  return { mode, before, after };
}

if (!process.send) {
  console.error('benchmark: memory-probe.ts is started by the benchmark with an IPC channel');
  process.exit(2);
}
probe().then(
  (report) => process.send!({ report }, () => process.exit(0)),
  (error: unknown) => process.send!({ error: error instanceof Error ? error.message : String(error) }, () => process.exit(1)),
);
