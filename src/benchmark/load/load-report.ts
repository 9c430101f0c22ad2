import type { LoadReport, PhaseFigures } from './bench-load.js';

/** The load report as JSON (one object) for scripts. */
export function formatLoadJson(report: LoadReport): string {
  return `${JSON.stringify(report)}\n`;
}

/** The load report as a Markdown table: each figure under load next to the one-at-a-time baseline. */
export function formatLoadMarkdown(report: LoadReport): string {
  const { settings, load, baseline } = report;
  const ms = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(value < 10 ? 1 : 0)} ms` : '—');
  const ratio = (a: number, b: number): string => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(1)}×` : '—');
  const row = (measure: string, loaded: string, unloaded: string, times = '—'): string => `| ${measure} | ${loaded} | ${unloaded} | ${times} |`;
  const pct = (value: number): string => `${(value * 100).toFixed(0)}%`;
  const share = (part: number, phase: PhaseFigures): string => `${part} of ${phase.interactions}`;
  return [
    `## Load: ${settings.interactions} /ask from ${settings.users} users in ${settings.guilds} guilds within ${settings.durationMs / 1000} s`,
    '',
    `The bot (real discord.js, engine with the tiny model) in one process; the stand-in for Discord, sending the interactions, in another. Baseline: ${settings.baselineQuestions} questions one at a time. Rate limit for the run: ${settings.rateLimitQuestions} questions per user.`,
    '',
    '| measure | under load | baseline | ratio |',
    '|---|---|---|---|',
    row(`acknowledged within ${settings.ackWindowMs / 1000} s`, share(load.acknowledgedInTime, load), share(baseline.acknowledgedInTime, baseline)),
    row('lost (no reply)', String(load.lost), String(baseline.lost)),
    row('answered / rate-limited / other', `${load.answered} / ${load.rateLimited} / ${load.other}`, `${baseline.answered} / ${baseline.rateLimited} / ${baseline.other}`),
    row('acknowledgement latency p50 / max', `${ms(load.ackP50Ms)} / ${ms(load.ackMaxMs)}`, `${ms(baseline.ackP50Ms)} / ${ms(baseline.ackMaxMs)}`, ratio(load.ackP50Ms, baseline.ackP50Ms)),
    row('reply latency p50', ms(load.replyP50Ms), ms(baseline.replyP50Ms), ratio(load.replyP50Ms, baseline.replyP50Ms)),
    row('reply latency p95', ms(load.replyP95Ms), ms(baseline.replyP95Ms), ratio(load.replyP95Ms, baseline.replyP95Ms)),
    row('delivery to the bot p50 / p95 (stand-in → bot)', `${ms(load.deliveryP50Ms)} / ${ms(load.deliveryP95Ms)}`, `${ms(baseline.deliveryP50Ms)} / ${ms(baseline.deliveryP95Ms)}`, ratio(load.deliveryP50Ms, baseline.deliveryP50Ms)),
    row('handling p50 / p95 (bot → acknowledgement)', `${ms(load.handlingP50Ms)} / ${ms(load.handlingP95Ms)}`, `${ms(baseline.handlingP50Ms)} / ${ms(baseline.handlingP95Ms)}`, ratio(load.handlingP50Ms, baseline.handlingP50Ms)),
    row('event-loop delay p99, stand-in process', ms(load.standInEventLoopP99Ms), ms(baseline.standInEventLoopP99Ms), ratio(load.standInEventLoopP99Ms, baseline.standInEventLoopP99Ms)),
    row('time in engine.ask p50 / p95', `${ms(load.answerP50Ms)} / ${ms(load.answerP95Ms)}`, `${ms(baseline.answerP50Ms)} / ${ms(baseline.answerP95Ms)}`, ratio(load.answerP50Ms, baseline.answerP50Ms)),
    row('bot process: event loop busy / CPU used', `${pct(load.eventLoopUtilization)} / ${load.cpuShare.toFixed(2)} cores`, `${pct(baseline.eventLoopUtilization)} / ${baseline.cpuShare.toFixed(2)} cores`),
    row('event-loop delay p99 / max (bot process)', `${ms(load.eventLoopP99Ms)} / ${ms(load.eventLoopMaxMs)}`, `${ms(baseline.eventLoopP99Ms)} / ${ms(baseline.eventLoopMaxMs)}`, ratio(load.eventLoopP99Ms, baseline.eventLoopP99Ms)),
    '',
    `Rate limits per user: ${load.rateLimited} questions refused (expected ${report.expectedRateLimited}); ${report.usersLimitedCorrectly} of ${settings.users} users answered exactly up to the limit.`,
    `Errors logged by the bot: ${report.botErrors.length}${report.botErrors.length > 0 ? ` (first: ${report.botErrors[0]})` : ''}.`,
    '',
    `_${report.meta.node}, ${report.meta.cpus} CPUs, ${report.meta.seconds.toFixed(1)} s, started ${report.meta.startedAt}._`,
    '',
  ].join('\n');
}
