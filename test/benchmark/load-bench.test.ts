import { describe, expect, it } from 'vitest';
import { runLoadBenchmark } from '../../src/benchmark/load/bench-load.js';
import { DEFAULT_LOAD_SETTINGS, planLoad } from '../../src/benchmark/load/load-plan.js';
import { formatLoadMarkdown } from '../../src/benchmark/load/load-report.js';
import { ARTICLE_DIR, QUESTIONS_FILE } from '../helpers.js';

describe('the load benchmark', () => {
  it('plans the issue’s load: 500 asks spread over 10 s, 5 from each of 100 users, each user in one of 10 guilds', () => {
    const plan = planLoad(DEFAULT_LOAD_SETTINGS, ['Q1', 'Q2', 'Q3']);
    expect(plan).toHaveLength(500);
    expect(plan.at(-1)!.atMs).toBeLessThan(10_000);
    expect(plan.every((ask, k) => k === 0 || ask.atMs > plan[k - 1]!.atMs)).toBe(true);
    const perUser = new Map<number, Set<number>>();
    for (const ask of plan) perUser.set(ask.user, (perUser.get(ask.user) ?? new Set()).add(ask.guild));
    expect(perUser.size).toBe(100);
    expect([...perUser.values()].every((guilds) => guilds.size === 1)).toBe(true);
    expect(new Set(plan.map((ask) => ask.guild)).size).toBe(10);
    expect(plan.filter((ask) => ask.user === 7)).toHaveLength(5);
  });

  it('runs a small load through the stand-in: everything acknowledged and answered, the limit applied per user', async () => {
    const settings = { ...DEFAULT_LOAD_SETTINGS, interactions: 12, users: 3, guilds: 2, durationMs: 600, rateLimitQuestions: 3, baselineQuestions: 2 };
    const report = await runLoadBenchmark(settings, ARTICLE_DIR, QUESTIONS_FILE);
    expect(report.load).toMatchObject({ interactions: 12, acknowledgedInTime: 12, lost: 0, answered: 9, rateLimited: 3, other: 0 });
    expect(report.baseline).toMatchObject({ interactions: 2, answered: 2, lost: 0 });
    expect(report.expectedRateLimited).toBe(3);
    expect(report.usersLimitedCorrectly).toBe(3);
    expect(report.botErrors).toEqual([]);
    expect(formatLoadMarkdown(report)).toContain('| acknowledged within 3 s | 12 of 12 | 2 of 2 | — |');
  });
});
