import escapeHtml from 'escape-html';
import type { QuestionReport } from '../question-log/report-queries.js';
import { describeActor, describePeriod, formatLatency } from './render-report-markdown.js';
import { formatCoordinate, renderLine, renderPolyline, renderText } from './svg-chart.js';

/** Chart size in SVG user units; the SVG scales to the page's width. */
const CHART = { width: 880, height: 240, left: 44, right: 12, top: 14, bottom: 34 } as const;
/** At most this many day labels under a chart, so they never overlap. */
const MAX_DAY_LABELS = 14;
const COLOR = { answered: '#2f855a', abstained: '#d69e2e', share: '#2b6cb0', grid: '#e2e8f0', axis: '#718096' } as const;

/**
 * `npm run report -- --html FILE`: the report as one self-contained page — inline CSS and
 * SVG charts drawn here (questions per day, answered share per day), system fonts, no
 * script, nothing fetched — so it opens the same offline, attached to an email or from disk.
 * Figures carry `data-figure` attributes naming the `--json` field they show.
 */
export function renderReportHtml(report: QuestionReport): string {
  const title = `Verbatim — ${describePeriod(report)}`;
  const share = `${Math.round((report.answeredShare ?? 0) * 100)}%`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>Verbatim — questions and answers</h1>
<p class="period">${escapeHtml(describePeriod(report).replace(/^questions /, ''))} · generated ${escapeHtml(report.until.slice(0, 16).replace('T', ' '))} UTC</p>
</header>
<section class="cards">
${card('Questions', `<span data-figure="questions">${report.questions}</span>`)}
${card('Answered', `<span data-figure="answered">${report.answered}</span>`, report.answeredShare === null ? 'nothing asked' : `<span data-figure="answeredShare">${share}</span> of questions`)}
${card('Not answered', `<span data-figure="abstained">${report.abstained}</span>`, 'the documents had no answer')}
${card('Votes', `<span class="up" data-figure="feedback.up">${report.feedback.up}</span> <span class="sep">/</span> <span class="down" data-figure="feedback.down">${report.feedback.down}</span>`, 'helpful / not helpful')}
${card('Time to answer', report.latency.p50Ms === null ? '—' : `<span data-figure="latency.p50Ms">${report.latency.p50Ms}</span> ms`, report.latency.p95Ms === null ? 'nothing asked' : `median · p95 <span data-figure="latency.p95Ms">${report.latency.p95Ms}</span> ms`)}
</section>
<section class="panel">
<h2>Questions per day</h2>
<p class="legend"><i style="background:${COLOR.answered}"></i>answered <i style="background:${COLOR.abstained}"></i>not answered</p>
${renderDailyBars(report.days)}
</section>
<section class="panel">
<h2>Answered share per day</h2>
${renderShareLine(report.days)}
</section>
<section class="panel">
<h2>Asked but not answered by the documents</h2>
<p class="note">Similar questions (the same content words, in any order or form) are counted together under their most common wording.</p>
${renderTable(['Question', 'Times asked', 'Wordings'], report.unanswered.map((group) => [escapeHtml(group.question), `<span data-figure="unanswered.count">${group.count}</span>`, String(group.wordings)]), 'Every question was answered.')}
</section>
<section class="panel two">
<div>
<h2>Votes per answer</h2>
${renderTable(['Question', 'Helpful', 'Not helpful'], report.votedAnswers.map((answer) => [answer.question === null ? `<code>${escapeHtml(answer.answerId)}</code> <span class="muted">(not logged)</span>` : escapeHtml(answer.question), String(answer.up), String(answer.down)]), 'No votes in this period.')}
</div>
<div>
<h2>Passages cited most</h2>
${renderTable(['Passage', 'Citations'], report.citedPassages.map((passage) => [`<code>${escapeHtml(passage.chunkId)}</code>`, String(passage.count)]), 'No passage was cited.')}
</div>
</section>
<section class="panel">
<h2>Documents added, removed and restored</h2>
${renderTable(['Change', 'File', 'By', 'Outcome'], report.documentChanges.map((change) => [`${escapeHtml(change.at.slice(0, 16).replace('T', ' '))} · ${escapeHtml(change.action)}`, `<code>${escapeHtml(change.file)}</code>${change.url ? ` <span class="muted">${escapeHtml(change.url)}</span>` : ''}`, escapeHtml(describeActor(change)), `<span data-figure="documentChanges.outcome">${escapeHtml(change.outcome)}</span>${change.detail ? ` <span class="muted">${escapeHtml(change.detail)}</span>` : ''}`]), 'No document was changed.', true)}
</section>
<footer>Verbatim question log · days in UTC · ${escapeHtml(formatLatency(report))}</footer>
</main>
</body>
</html>
`;
}

function card(label: string, value: string, detail = ''): string {
  return `<div class="card"><div class="label">${label}</div><div class="value">${value}</div><div class="detail">${detail}</div></div>`;
}

/** A table whose columns after the first hold figures (right-aligned) unless `textColumns`. */
function renderTable(header: string[], rows: string[][], empty: string, textColumns = false): string {
  if (rows.length === 0) return `<p class="muted">${empty}</p>`;
  const align = (i: number): string => (i > 0 && !textColumns ? ' class="num"' : '');
  const head = header.map((cell, i) => `<th${align(i)}>${cell}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell, i) => `<td${align(i)}>${cell}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

type Day = QuestionReport['days'][number];

/** Stacked bars: answered below, not answered on top, one bar per day. */
function renderDailyBars(days: readonly Day[]): string {
  const plot = plotArea();
  const top = niceCeiling(Math.max(1, ...days.map((day) => day.questions)));
  const band = plot.width / Math.max(1, days.length);
  const barWidth = Math.min(48, band * 0.7);
  const y = (value: number): number => plot.bottom - (value / top) * plot.height;
  const bars = days.map((day, i) => {
    const x = plot.left + i * band + (band - barWidth) / 2;
    const tip = `<title>${day.date}: ${day.questions} question(s), ${day.answered} answered, ${day.abstained} not answered</title>`;
    const answered = day.answered > 0 ? `<rect x="${formatCoordinate(x)}" y="${formatCoordinate(y(day.answered))}" width="${formatCoordinate(barWidth)}" height="${formatCoordinate(plot.bottom - y(day.answered))}" fill="${COLOR.answered}" rx="2">${tip}</rect>` : '';
    const abstained = day.abstained > 0 ? `<rect x="${formatCoordinate(x)}" y="${formatCoordinate(y(day.questions))}" width="${formatCoordinate(barWidth)}" height="${formatCoordinate(y(day.answered) - y(day.questions))}" fill="${COLOR.abstained}" rx="2">${tip}</rect>` : '';
    const count = day.questions > 0 && band >= 22 ? renderText([x + barWidth / 2, y(day.questions) - 4], String(day.questions), { class: 'count' }) : '';
    return answered + abstained + count;
  });
  return svg('Questions per day, answered and not answered', [...gridLines(niceTicks(top), y, (v) => String(v)), ...dayLabels(days, band), ...bars].join('\n'));
}

/** The answered share per day as a line; days without questions leave a gap. */
function renderShareLine(days: readonly Day[]): string {
  const plot = plotArea();
  const band = plot.width / Math.max(1, days.length);
  const y = (share: number): number => plot.bottom - share * plot.height;
  const segments: [number, number][][] = [[]];
  const points: string[] = [];
  days.forEach((day, i) => {
    if (day.questions === 0) {
      segments.push([]);
      return;
    }
    const share = day.answered / day.questions;
    const x = plot.left + i * band + band / 2;
    segments.at(-1)!.push([x, y(share)]);
    points.push(`<circle cx="${formatCoordinate(x)}" cy="${formatCoordinate(y(share))}" r="4" fill="${COLOR.share}"><title>${day.date}: ${Math.round(share * 100)}% of ${day.questions} answered</title></circle>`);
  });
  const lines = segments.filter((segment) => segment.length > 1).map((segment) => renderPolyline(segment, { colour: COLOR.share, width: 2.5 }));
  const empty = points.length === 0 ? [renderText([plot.left + plot.width / 2, plot.top + plot.height / 2], 'No questions in this period', { class: 'empty' })] : [];
  return svg('Share of questions answered per day', [...gridLines([0, 0.25, 0.5, 0.75, 1], y, (v) => `${v * 100}%`), ...dayLabels(days, band), ...lines, ...points, ...empty].join('\n'));
}

function plotArea(): { left: number; top: number; width: number; height: number; bottom: number } {
  const width = CHART.width - CHART.left - CHART.right;
  const height = CHART.height - CHART.top - CHART.bottom;
  return { left: CHART.left, top: CHART.top, width, height, bottom: CHART.top + height };
}

function gridLines(ticks: readonly number[], y: (value: number) => number, label: (value: number) => string): string[] {
  return ticks.map((tick) => {
    const at = y(tick);
    return renderLine([CHART.left, at], [CHART.width - CHART.right, at], { colour: tick === 0 ? COLOR.axis : COLOR.grid }) + renderText([CHART.left - 8, at], label(tick), { class: 'tick', dy: '0.32em' });
  });
}

function dayLabels(days: readonly Day[], band: number): string[] {
  const every = Math.ceil(days.length / MAX_DAY_LABELS);
  return days.flatMap((day, i) =>
    i % every === 0 ? [renderText([CHART.left + i * band + band / 2, CHART.height - 12], formatDay(day.date), { class: 'day' })] : [],
  );
}

function svg(label: string, body: string): string {
  return `<svg viewBox="0 0 ${CHART.width} ${CHART.height}" role="img" aria-label="${escapeHtml(label)}">\n${body}\n</svg>`;
}

/** "Jan 3" from "2025-01-03" (UTC). */
function formatDay(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/** The smallest 1, 2 or 5 × 10^k at or above `value`. */
function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * magnitude).find((nice) => nice >= value)!;
}

/** Four or five evenly spaced whole-number ticks from 0 to `top`. */
function niceTicks(top: number): number[] {
  const step = [1, 2, 5, 10, 20, 25, 50].map((s) => s * 10 ** Math.max(0, Math.floor(Math.log10(top)) - 1)).find((s) => top / s <= 5) ?? top;
  const ticks: number[] = [];
  for (let tick = 0; tick <= top + 1e-9; tick += step) ticks.push(tick);
  return ticks;
}

const STYLE = `
:root { color-scheme: light; --ink: #1a202c; --muted: #718096; --line: #e2e8f0; --bg: #f7f7f5; --panel: #fff; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 32px 24px 48px; }
header h1 { margin: 0; font-size: 26px; letter-spacing: -0.01em; }
.period { margin: 4px 0 24px; color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(5, 1fr); gap: 12px; margin-bottom: 16px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.06em; }
.card .value { font-size: 26px; font-weight: 650; margin-top: 2px; white-space: nowrap; }
.card .value .sep { color: var(--muted); font-weight: 400; }
.card .value .up { color: #2f855a; }
.card .value .down { color: #c05621; }
.card .detail { color: var(--muted); font-size: 13px; min-height: 1.5em; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; margin-bottom: 16px; }
.panel.two { display: grid; grid-template-columns: 1fr 1fr; gap: 28px; }
h2 { font-size: 16px; margin: 0 0 10px; }
.legend { margin: -4px 0 6px; color: var(--muted); font-size: 13px; }
.legend i { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin: 0 6px 0 14px; vertical-align: -1px; }
.legend i:first-child { margin-left: 0; }
.note { margin: -4px 0 10px; color: var(--muted); font-size: 13px; }
svg { width: 100%; height: auto; display: block; }
svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: #4a5568; }
svg .tick { text-anchor: end; }
svg .day { text-anchor: middle; }
svg .count { text-anchor: middle; font-size: 11px; fill: #2d3748; }
svg .empty { text-anchor: middle; fill: var(--muted); }
table { width: 100%; border-collapse: collapse; font-size: 14px; }
th { text-align: left; color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: 0.05em; border-bottom: 1px solid var(--line); padding: 6px 8px; }
td { border-bottom: 1px solid var(--line); padding: 7px 8px; vertical-align: top; }
tr:last-child td { border-bottom: none; }
.num { text-align: right; white-space: nowrap; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #edf2f7; padding: 1px 5px; border-radius: 4px; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 24px; }
@media (max-width: 760px) { .cards { grid-template-columns: repeat(2, 1fr); } .panel.two { grid-template-columns: 1fr; } }
`;
