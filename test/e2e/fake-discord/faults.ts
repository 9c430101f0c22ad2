/**
 * Transient faults the fake Discord can inject into its REST API, the way Discord
 * (or the network in front of it) produces them: 429s with Discord's rate-limit
 * headers, per route or global; 5xx from a route; and slow answers.
 *
 * ```ts
 * const fake = await startFakeDiscord({ faults: [{ kind: 'server-error', method: 'PATCH', path: /\/messages\/@original$/ }] });
 * fake.injectFault({ kind: 'rate-limit', path: /^\/channels\/\d+\/messages$/, retryAfterMs: 800 });
 * ```
 *
 * A fault matches requests by method and path (as the routes see them: decoded,
 * without `/api/v10`) and applies to the first `times` matches (default 1; use
 * `Infinity` for "from now on"). Faults are tried in the order they were added.
 */
import { DiscordErrorCode } from './validation.js';

/** Which requests a fault applies to. */
export interface FaultMatch {
  /** Default: any method. */
  method?: string;
  /** The path exactly, or a pattern it must match. */
  path: string | RegExp;
  /** How many matching requests get the fault. Default 1. */
  times?: number;
}

/**
 * - `rate-limit`: 429 for this route's bucket, with `retry-after`, `x-ratelimit-*`
 *   headers and `x-ratelimit-scope: user`, as Discord sends when a bot outruns a bucket.
 * - `global-rate-limit`: 429 with `x-ratelimit-global: true` and `global: true`:
 *   every route must wait, not just this one.
 * - `server-error`: a 5xx (default 502, what Cloudflare answers when Discord is down).
 * - `latency`: the request is handled only after `latencyMs` (a slow Discord).
 * - `status`: any other answer Discord gives, e.g. 404 Unknown interaction.
 */
export type RestFault = FaultMatch &
  (
    | { kind: 'rate-limit'; retryAfterMs: number; bucket?: string }
    | { kind: 'global-rate-limit'; retryAfterMs: number }
    | { kind: 'server-error'; status?: 500 | 502 | 503 | 504 }
    | { kind: 'latency'; latencyMs: number }
    | { kind: 'status'; status: number; body: { message: string; code: number } }
  );

/** What a fault does to one request: delay it, or answer it instead of the route. */
export interface FaultEffect {
  delayMs: number;
  reply: { status: number; body: unknown; headers: Record<string, string> } | null;
  /** The fault's kind, recorded with the request. */
  kind: RestFault['kind'];
}

interface ActiveFault {
  fault: RestFault;
  remaining: number;
}

/** The faults still to be served, in order. */
export class FaultPlan {
  private readonly active: ActiveFault[] = [];

  constructor(faults: readonly RestFault[] = []) {
    for (const fault of faults) this.add(fault);
  }

  add(fault: RestFault): void {
    const times = fault.times ?? 1;
    if (!(times >= 1)) throw new Error(`fake-discord: a fault's times must be at least 1 (got ${times})`);
    this.active.push({ fault, remaining: times });
  }

  /** Removes every fault not yet served. */
  clear(): void {
    this.active.length = 0;
  }

  /** The effect of the first fault matching this request (using one of its `times`), or null. */
  take(method: string, path: string): FaultEffect | null {
    const index = this.active.findIndex(({ fault }) => matches(fault, method, path));
    if (index < 0) return null;
    const entry = this.active[index]!;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.active.splice(index, 1);
    return effectOf(entry.fault, path);
  }
}

function matches(fault: RestFault, method: string, path: string): boolean {
  if (fault.method !== undefined && fault.method !== method) return false;
  return typeof fault.path === 'string' ? fault.path === path : fault.path.test(path);
}

function effectOf(fault: RestFault, path: string): FaultEffect {
  switch (fault.kind) {
    case 'latency':
      return { kind: fault.kind, delayMs: fault.latencyMs, reply: null };
    case 'rate-limit':
    case 'global-rate-limit': {
      const global = fault.kind === 'global-rate-limit';
      const seconds = fault.retryAfterMs / 1000;
      const headers: Record<string, string> = {
        'retry-after': String(seconds),
        'x-ratelimit-scope': global ? 'global' : 'user',
      };
      if (global) headers['x-ratelimit-global'] = 'true';
      else {
        Object.assign(headers, {
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String((Date.now() + fault.retryAfterMs) / 1000),
          'x-ratelimit-reset-after': String(seconds),
          'x-ratelimit-bucket': fault.kind === 'rate-limit' && fault.bucket ? fault.bucket : bucketOf(path),
        });
      }
      const body = { message: 'You are being rate limited.', retry_after: seconds, global, code: DiscordErrorCode.General };
      return { kind: fault.kind, delayMs: 0, reply: { status: 429, body, headers } };
    }
    case 'server-error': {
      const status = fault.status ?? 502;
      return { kind: fault.kind, delayMs: 0, reply: { status, body: { message: `${status}: Bad Gateway`, code: 0 }, headers: {} } };
    }
    case 'status':
      return { kind: fault.kind, delayMs: 0, reply: { status: fault.status, body: fault.body, headers: {} } };
  }
}

/** A stable made-up bucket hash per route shape (ids replaced), as Discord hashes buckets. */
function bucketOf(path: string): string {
  const shape = path.replace(/\d{15,}/g, ':id').replace(/\/webhooks\/:id\/[^/]+/, '/webhooks/:id/:token');
  return Buffer.from(shape).toString('base64url').slice(0, 32);
}
