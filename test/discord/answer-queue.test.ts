import { describe, expect, it } from 'vitest';
import { AnswerQueue } from '../../src/discord/answer-queue.js';

describe('AnswerQueue', () => {
  it('runs one answer at a time, in the order they were queued', async () => {
    const queue = new AnswerQueue();
    const events: string[] = [];
    let releaseFirst!: () => void;
    const first = queue.run(async () => {
      events.push('start 1');
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      events.push('end 1');
      return 1;
    });
    const second = queue.run(async () => {
      events.push('start 2');
      return 2;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events).toEqual(['start 1']);
    expect(queue.length).toBe(1);
    releaseFirst();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(events).toEqual(['start 1', 'end 1', 'start 2']);
    expect(queue.length).toBe(0);
  });

  it('keeps answering after one answer fails, and hands the failure to its caller', async () => {
    const queue = new AnswerQueue();
    const failed = queue.run(() => Promise.reject(new Error('engine: broken')));
    const next = queue.run(async () => 'answered');
    await expect(failed).rejects.toThrow('engine: broken');
    expect(await next).toBe('answered');
  });
});
