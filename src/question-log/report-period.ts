const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A half-open time range `[since, until)` in ms since the epoch, optionally one server's. */
export interface ReportPeriod {
  since: number;
  until: number;
  /** Only this Discord server's questions (null: every server and the terminal). */
  guildId: string | null;
}

/**
 * Reads a report's `--since`: `7d` is today and the six days before (from midnight UTC,
 * so every day in the chart is whole), `12h` the last twelve hours, `2025-01-31` from
 * that day's midnight UTC. Returns null for anything else.
 */
export function parseSince(text: string, now: number): number | null {
  const trimmed = text.trim();
  const relative = /^(\d{1,5})\s*([dh])$/i.exec(trimmed);
  if (relative) {
    const amount = Number(relative[1]);
    if (amount === 0) return null;
    if (relative[2]!.toLowerCase() === 'h') return now - amount * HOUR_MS;
    return startOfUtcDay(now) - (amount - 1) * DAY_MS;
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) {
    const date = Date.parse(`${trimmed}T00:00:00Z`);
    return Number.isNaN(date) ? null : date;
  }
  return null;
}

/** The last `days` days up to now (today included), as `/stats` and a bare report show them. */
export function lastDays(days: number, now: number, guildId: string | null = null): ReportPeriod {
  return { since: startOfUtcDay(now) - (days - 1) * DAY_MS, until: now, guildId };
}

/** Midnight UTC of the day holding `time`. */
export function startOfUtcDay(time: number): number {
  return Math.floor(time / DAY_MS) * DAY_MS;
}

/** Every UTC date (`YYYY-MM-DD`) the period touches, in order. */
export function listUtcDates(period: ReportPeriod): string[] {
  const dates: string[] = [];
  for (let day = startOfUtcDay(period.since); day < period.until; day += DAY_MS) dates.push(new Date(day).toISOString().slice(0, 10));
  return dates;
}
