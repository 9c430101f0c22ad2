/**
 * The index on disk shared by several processes (the shards of one bot): one reindex
 * builds it, every engine following it answers from the new generation, and a second
 * build is refused while one holds the lock.
 */
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine.js';
import type { Engine } from '../../src/engine-types.js';
import { withReindexLock } from '../../src/store/reindex-lock.js';
import { ARTICLE_DIR, makeTempDir, testConfig } from '../helpers.js';

describe('an index shared by two engines', () => {
  // Each test gets its own corpus, index and engines: what one test writes never decides another's figures.
  let temp: { dir: string; cleanup: () => void };
  let builder: Engine;
  let follower: Engine;
  let notes: string[];

  beforeEach(async () => {
    notes = [];
    temp = makeTempDir();
    cpSync(ARTICLE_DIR, path.join(temp.dir, 'corpus'), { recursive: true });
    const config = testConfig(temp.dir);
    builder = await createEngine({ config, embedder: null, embedderWarning: null });
    follower = await createEngine({ config, embedder: null, embedderWarning: null, followIndex: true, warn: (message) => notes.push(message) });
  });
  afterEach(() => {
    builder?.close();
    follower?.close();
    temp?.cleanup();
  });

  it('switches the following engine to the generation the other one builds', async () => {
    writeFileSync(path.join(temp.dir, 'corpus', 'minutes.txt'), 'The council met on a rainy Tuesday in Geneva.');
    expect(follower.status().documents).toBe(1);
    await builder.reindex();
    await expect.poll(() => follower.status().documents, { timeout: 10_000 }).toBe(2);
    const [top] = (await follower.search('rainy Tuesday in Geneva', 1)).hits;
    expect(top?.chunk.text).toBe('The council met on a rainy Tuesday in Geneva.');
    expect(notes).toEqual([expect.stringMatching(/^store: answering from the index another process built at .* \(2 documents, \d+ passages\)\.$/)]);
  });

  it('refuses a reindex while another build holds the lock on the index folder', async () => {
    let release!: () => void;
    const held = withReindexLock(testConfig(temp.dir).indexDir, () => new Promise<void>((resolve) => (release = resolve)));
    await expect.poll(() => release !== undefined).toBe(true);
    await expect(follower.reindex()).rejects.toThrow('A reindex is already running. Please wait for it to finish.');
    release();
    expect(await held).toEqual({ result: undefined });
    await expect(follower.reindex()).resolves.toMatchObject({ documents: 1 });
  });
});
