/**
 * The npm scripts that open an index at scale run Node with glibc's malloc asking for
 * transparent huge pages (see README, "Speed"): hnswlib fills the HNSW graph's memory in
 * 2 MB pages instead of 4 KB ones. The prefix must be the same in each, and must keep
 * whatever GLIBC_TUNABLES the user already set. They also give Node the flags in
 * src/node-flags.ts, which the shards and the benchmark's probe get from there. `eval`
 * runs the same way, so the latencies it reports are the ones `ask` and the bot have.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE_NODE_FLAGS } from '../src/node-flags.js';
import { PROJECT_ROOT } from './helpers.js';

const scripts = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const PREFIX = 'GLIBC_TUNABLES=${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}glibc.malloc.hugetlb=1 ';

/** What GLIBC_TUNABLES a command run after the prefix sees, from a shell with `inherited` set (or unset). */
function tunablesSeen(inherited: string | undefined): string {
  const env = { ...process.env };
  delete env.GLIBC_TUNABLES;
  if (inherited !== undefined) env.GLIBC_TUNABLES = inherited;
  return execFileSync('sh', ['-c', `${PREFIX}"${process.execPath}" -p process.env.GLIBC_TUNABLES`], { env, encoding: 'utf8' }).trim();
}

describe('the npm scripts that open an index', () => {
  it.each(['start', 'start:cluster', 'ask', 'reindex', 'eval', 'bench'])('%s runs with huge pages for malloc', (name) => {
    expect(scripts[name]).toBeDefined();
    expect(scripts[name]!.startsWith(PREFIX)).toBe(true);
  });

  it.each(['start', 'start:cluster', 'ask', 'reindex', 'eval', 'bench'])('%s gives Node the engine flags', (name) => {
    expect(scripts[name]!.startsWith(`${PREFIX}tsx ${ENGINE_NODE_FLAGS.join(' ')} `)).toBe(true);
  });

  it('gives flags this Node accepts', () => {
    const seen = execFileSync(process.execPath, [...ENGINE_NODE_FLAGS, '-p', 'JSON.stringify(process.execArgv)'], { encoding: 'utf8' });
    expect((JSON.parse(seen) as string[]).slice(0, ENGINE_NODE_FLAGS.length)).toEqual(ENGINE_NODE_FLAGS);
    expect(() => execFileSync(process.execPath, ['--max-semi-space-size=banana', '-e', '0'], { stdio: 'ignore' })).toThrow();
  });

  it('sets the tunable, keeping any the user set', () => {
    expect(tunablesSeen(undefined)).toBe('glibc.malloc.hugetlb=1');
    expect(tunablesSeen('')).toBe('glibc.malloc.hugetlb=1');
    expect(tunablesSeen('glibc.malloc.arena_max=2')).toBe('glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1');
  });
});
