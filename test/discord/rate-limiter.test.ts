import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/discord/rate-limiter.js';

describe('RateLimiter', () => {
  it('allows the limit per window, then says how many seconds until the next is allowed', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 60_000, () => now);
    expect(limiter.check('u')).toBe(0);
    now = 10_000;
    expect(limiter.check('u')).toBe(0);
    now = 20_000;
    expect(limiter.check('u')).toBe(40);
    expect(limiter.check('other')).toBe(0);
    now = 60_000;
    expect(limiter.check('u')).toBe(0);
  });

  it('does not count refused attempts, so spamming does not extend the wait', () => {
    let now = 0;
    const limiter = new RateLimiter(1, 10_000, () => now);
    limiter.check('u');
    for (now = 1_000; now < 10_000; now += 1_000) expect(limiter.check('u')).toBeGreaterThan(0);
    now = 10_000;
    expect(limiter.check('u')).toBe(0);
  });
});
