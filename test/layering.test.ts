/**
 * The folders of src/ are layers (text/ and corpus/ at the bottom, discord/ and cli/ at
 * the top): no folder may reach itself again through what it imports, or "one module,
 * one job" turns into modules that can only be understood together. Files directly
 * under src/ (domain, errors, config, engine…) are the shared kernel and wiring, not a layer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './helpers.js';

const SRC = path.join(PROJECT_ROOT, 'src');

/** Folder → folder it imports → the files that do (`from '…'` of a relative path, types included). */
function folderImports(): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  for (const entry of readdirSync(SRC, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.ts')) continue;
    const from = entry.split(path.sep)[0]!;
    if (from === entry) continue;
    const file = path.join(SRC, entry);
    for (const match of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      const target = path.relative(SRC, path.resolve(path.dirname(file), match[1]!)).split(path.sep);
      const to = target.length > 1 ? target[0]! : null;
      if (to === null || to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string[]>();
      graph.set(from, edges);
      edges.set(to, [...(edges.get(to) ?? []), entry]);
    }
  }
  return graph;
}

/** Every folder path that comes back to where it started, as "a → b → a". */
function findCycles(graph: Map<string, Map<string, string[]>>): string[] {
  const cycles: string[] = [];
  const walk = (start: string, at: string, trail: string[]): void => {
    for (const next of graph.get(at)?.keys() ?? []) {
      if (next === start) cycles.push([...trail, start].join(' → '));
      else if (!trail.includes(next) && next > start) walk(start, next, [...trail, next]);
    }
  };
  for (const folder of [...graph.keys()].sort()) walk(folder, folder, [folder]);
  return cycles;
}

describe('the layers of src/', () => {
  it('import each other without cycles: conversation/ needs nothing from answering/, which builds on it', () => {
    const graph = folderImports();
    expect(findCycles(graph)).toEqual([]);
    expect(graph.get('answering')?.has('conversation')).toBe(true);
    expect(graph.get('conversation')?.has('answering') ?? false).toBe(false);
  });
});
