import type { QuestionReport } from '../question-log/report-queries.js';
import { escapeMarkdown, renderInfo, type DiscordPayload } from './render-discord.js';
import { formatLatency, formatShare } from './render-report-markdown.js';

/** Unanswered question groups shown in `/stats` (the report lists more). */
const STATS_UNANSWERED_SHOWN = 5;
/** Characters of an unanswered question shown on its line. */
const STATS_QUESTION_CHARS = 120;

/**
 * `/stats`: one embed with the period's counts, answered share, votes, latency and the
 * most-asked questions the documents did not answer.
 */
export function renderStatsDiscord(report: QuestionReport, days: number, logsQuestions: boolean): DiscordPayload {
  const lines: string[] = [];
  if (!logsQuestions) lines.push('The question log is off (`QUESTION_LOG=off`): only votes are counted, from every server the bot is in.', '');
  lines.push(
    `**${report.questions}** question(s) · **${report.answered}** answered${formatShare(report.answeredShare)} · **${report.abstained}** not answered`,
    `Votes: ${report.feedback.up} 👍 · ${report.feedback.down} 👎`,
  );
  if (report.latency.p50Ms !== null) lines.push(`Time to answer: ${formatLatency(report)}`);
  if (report.unanswered.length > 0) {
    lines.push('', '**Asked but not answered by the documents**');
    report.unanswered.slice(0, STATS_UNANSWERED_SHOWN).forEach((group, i) => {
      const question = group.question.length > STATS_QUESTION_CHARS ? `${group.question.slice(0, STATS_QUESTION_CHARS - 1)}…` : group.question;
      lines.push(`${i + 1}. ${escapeMarkdown(question)} — ${group.count}×`);
    });
  }
  lines.push('', `Days in UTC, since ${report.since.slice(0, 10)}. \`npm run report\` on the bot's machine gives the full report.`);
  return renderInfo(`📊 The last ${days} days`, lines.join('\n'));
}
