import type { QuestionReport } from '../question-log/report-queries.js';

/**
 * `npm run report`: the period's figures, questions per day, what the documents did not
 * answer, votes per answer and the passages cited most, as Markdown.
 */
export function renderReportMarkdown(report: QuestionReport): string {
  const lines = [
    `# Verbatim — ${describePeriod(report)}`,
    '',
    '| | |',
    '|---|---|',
    `| Questions | ${report.questions} |`,
    `| Answered | ${report.answered}${formatShare(report.answeredShare)} |`,
    `| Not answered | ${report.abstained} |`,
    `| Votes | ${report.feedback.up} 👍 · ${report.feedback.down} 👎 |`,
    `| Time to answer | ${formatLatency(report)} |`,
    '',
    '## Questions per day (UTC)',
    '',
    '| Day | Questions | Answered | Not answered |',
    '|---|--:|--:|--:|',
    ...report.days.map((day) => `| ${day.date} | ${day.questions} | ${day.answered} | ${day.abstained} |`),
    '',
    '## Asked but not answered by the documents',
    '',
    ...table(
      ['#', 'Question (most common wording)', 'Times asked', 'Wordings'],
      report.unanswered.map((group, i) => [String(i + 1), group.question, String(group.count), String(group.wordings)]),
      'Every question was answered.',
    ),
    '',
    '## Votes per answer',
    '',
    ...table(
      ['Answer', 'Question', '👍', '👎'],
      report.votedAnswers.map((answer) => [`\`${answer.answerId}\``, answer.question ?? '(not logged)', String(answer.up), String(answer.down)]),
      'No votes in this period.',
    ),
    '',
    '## Passages cited most',
    '',
    ...table(
      ['Passage', 'Citations'],
      report.citedPassages.map((passage) => [`\`${passage.chunkId}\``, String(passage.count)]),
      'No passage was cited.',
    ),
    '',
    '## Documents added, removed and restored',
    '',
    ...table(
      ['When (UTC)', 'Change', 'File', 'By', 'Outcome'],
      report.documentChanges.map((change) => [
        change.at.slice(0, 16).replace('T', ' '),
        change.action,
        change.url ? `${change.file} (${change.url})` : change.file,
        describeActor(change),
        change.detail ? `${change.outcome}: ${change.detail}` : change.outcome,
      ]),
      'No document was changed.',
    ),
    '',
  ];
  return lines.join('\n');
}

/** Who changed a document, as the log knows them: "terminal", or the admin's hashed id (its first 12 characters). */
export function describeActor(change: { frontEnd: string; user: string | null }): string {
  if (change.frontEnd === 'terminal') return 'terminal';
  return change.user ? `user ${change.user.slice(0, 12)}` : 'unknown';
}

/** "questions from 2025-01-01 to 2025-01-07 (UTC), server 123". */
export function describePeriod(report: QuestionReport): string {
  const last = new Date(Date.parse(report.until) - 1).toISOString().slice(0, 10);
  const first = report.since.slice(0, 10);
  const dates = first === last ? `on ${first}` : `from ${first} to ${last}`;
  return `questions ${dates} (UTC)${report.guildId ? `, server ${report.guildId}` : ''}`;
}

/** " (71%)", or nothing when nothing was asked. */
export function formatShare(share: number | null): string {
  return share === null ? '' : ` (${Math.round(share * 100)}%)`;
}

/** "3.1 ms median · 8.2 ms p95", or "—" when nothing was asked. */
export function formatLatency(report: QuestionReport): string {
  return report.latency.p50Ms === null ? '—' : `${report.latency.p50Ms} ms median · ${report.latency.p95Ms} ms p95`;
}

function table(header: string[], rows: string[][], empty: string): string[] {
  if (rows.length === 0) return [`_${empty}_`];
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ];
}

/** A table cell holds one line, and a `|` inside it must not end the cell. */
function escapeCell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|');
}
