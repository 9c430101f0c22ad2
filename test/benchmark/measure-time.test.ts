import { describe, expect, it } from 'vitest';
import { timeRuns } from '../../src/benchmark/measure-time.js';

describe('timeRuns', () => {
  it('returns one sample per timed run, leaving warm-ups out, and prepares every run', async () => {
    const prepared: number[] = [];
    const ran: number[] = [];
    const samples = await timeRuns((run) => ran.push(run), { warmup: 2, runs: 3, before: (run) => void prepared.push(run) });
    expect(samples).toHaveLength(3);
    expect(samples.every((ms) => ms >= 0)).toBe(true);
    expect(ran).toEqual([0, 1, 2, 3, 4]);
    expect(prepared).toEqual([0, 1, 2, 3, 4]);
  });
});
