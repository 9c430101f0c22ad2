import { readdirSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { FeedbackStore } from '../../src/discord/feedback-store.js';
import { makeTempDir } from '../helpers.js';

describe('FeedbackStore', () => {
  let cleanup = (): void => {};
  afterEach(() => cleanup());

  it('keeps one vote per user per answer, the last one winning, across a restart', async () => {
    const temp = makeTempDir();
    cleanup = temp.cleanup;
    const store = await FeedbackStore.open(temp.dir);
    await store.record('a1', 'u1', 'up');
    await store.record('a1', 'u1', 'down');
    await store.record('a1', 'u2', 'up');
    await store.record('a2', 'u1', 'up');
    expect(store.counts()).toEqual({ up: 2, down: 1, answers: 2 });
    const reopened = await FeedbackStore.open(temp.dir);
    expect(reopened.counts()).toEqual({ up: 2, down: 1, answers: 2 });
  });

  it('sets an unreadable file aside with a warning instead of failing or losing it', async () => {
    const temp = makeTempDir();
    cleanup = temp.cleanup;
    writeFileSync(`${temp.dir}/feedback.json`, '{broken');
    const warnings: string[] = [];
    const store = await FeedbackStore.open(temp.dir, (w) => warnings.push(w));
    expect(store.counts()).toEqual({ up: 0, down: 0, answers: 0 });
    expect(warnings[0]).toMatch(/^feedback: .*unreadable/);
    expect(readdirSync(temp.dir).some((name) => name.startsWith('feedback.json.corrupt-'))).toBe(true);
  });
});
