import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { groupSimilarQuestions } from '../../src/question-log/group-questions.js';
import { QuestionLog } from '../../src/question-log/question-log.js';
import { parseSince } from '../../src/question-log/report-period.js';
import { renderReportMarkdown } from '../../src/render/render-report-markdown.js';
import { childEnv, makeTempDir, ODD_ENVIRONMENT, PROJECT_ROOT } from '../helpers.js';
import { makeAnswer } from './answers.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const G1 = '100000000000000001';
const G2 = '100000000000000002';

// Settings exported in the runner's shell must not reach the report child.
beforeAll(() => {
  for (const [name, value] of Object.entries(ODD_ENVIRONMENT)) vi.stubEnv(name, value);
});
afterAll(() => {
  vi.unstubAllEnvs();
});

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

/**
 * A log with known contents. `at(dayOffset)` is the time of each row relative to `now`:
 * day -2 holds three questions, day -1 none, day 0 three (at `now`'s midnight plus one
 * hour, or a minute before `now` if that is earlier); one question and one vote fall before
 * the period.
 */
function seedLog(now: number): { dir: string; since: number } {
  const temp = makeTempDir('verbatim-report-');
  cleanups.push(temp.cleanup);
  const midnight = Math.floor(now / DAY_MS) * DAY_MS;
  const clock = { now: 0 };
  // Never after `now`: just past midnight, the report run right after must still see today's rows.
  const at = (day: number, hour: number): void => {
    clock.now = Math.min(midnight + day * DAY_MS + hour * HOUR_MS, now - 60_000);
  };
  const log = QuestionLog.open({ dataDir: temp.dir, logQuestions: true, retentionDays: 90, now: () => clock.now });
  const ask = (answerId: string, question: string, latencyMs: number, guildId: string | null, options: Parameters<typeof makeAnswer>[1] = {}): void => {
    log.recordQuestion({ answer: makeAnswer(question, options), answerId, frontEnd: guildId ? 'discord' : 'terminal', guildId, channelId: guildId ? '300000000000000003' : null, userId: guildId ? 'u0' : null, latencyMs });
  };
  const change = (action: 'add' | 'remove' | 'restore', file: string, guildId: string | null, outcome: 'done' | 'refused' | 'failed', detail: string | null, url: string | null = null): void => {
    log.recordDocumentChange({ action, file, url, outcome, detail, actor: { frontEnd: guildId ? 'discord' : 'terminal', userId: guildId ? 'admin-1' : null, guildId } });
  };
  at(-3, 12);
  ask('q0', 'Before the period?', 999, G1);
  log.recordVote('q0', 'u1', 'up');
  change('add', 'old.txt', G1, 'done', 'indexed: 3 passages');
  at(-2, 9);
  ask('q1', 'Who chairs the council?', 10, G1, { chunkIds: ['doc#p3'] });
  ask('q2', 'What is the population of Kazakhstan?', 20, G1, { abstained: true });
  ask('q3', 'kazakhstan  population?', 30, G2, { abstained: true });
  log.recordVote('q1', 'u1', 'up');
  log.recordVote('q1', 'u2', 'down');
  change('add', 'guide.html', G1, 'done', 'indexed: 12 passages', 'https://example.org/guide');
  change('remove', 'notes | draft.md', G2, 'refused', 'no such file');
  at(0, 1);
  ask('q4', 'Who chairs the council?', 40, G1, { chunkIds: ['doc#p3', 'doc#p5'] });
  ask('q5', 'Write me a poem', 50, G1, { abstained: true, reason: 'not-a-question' });
  ask('q6', 'What about <script>alert(1)</script> & the vote?', 60, null, { abstained: true });
  log.recordVote('q4', 'u1', 'down');
  log.recordVote('imported-answer', 'u3', 'up');
  change('restore', 'guide.html', null, 'done', 'indexed: 12 passages');
  log.close();
  return { dir: temp.dir, since: midnight - 2 * DAY_MS };
}

describe('the report', () => {
  const now = Date.UTC(2025, 0, 10, 12);

  it('counts a seeded log exactly: questions, outcomes, votes, latency, days, gaps, voted answers and cited passages', () => {
    const { dir, since } = seedLog(now);
    const log = QuestionLog.open({ dataDir: dir, logQuestions: true, retentionDays: 90, now: () => now });
    const report = log.summarize({ since, until: now, guildId: null })!;
    log.close();
    expect(report).toEqual({
      since: '2025-01-08T00:00:00.000Z',
      until: '2025-01-10T12:00:00.000Z',
      guildId: null,
      questions: 6,
      answered: 2,
      abstained: 4,
      answeredShare: 2 / 6,
      feedback: { up: 2, down: 2 },
      // Latencies 10…60: the median between 30 and 40, p95 three quarters from 50 to 60.
      latency: { p50Ms: 35, p95Ms: 57.5 },
      days: [
        { date: '2025-01-08', questions: 3, answered: 1, abstained: 2 },
        { date: '2025-01-09', questions: 0, answered: 0, abstained: 0 },
        { date: '2025-01-10', questions: 3, answered: 1, abstained: 2 },
      ],
      // The poem request is no gap in the documents; two wordings of one question count together.
      unanswered: [
        { question: 'What is the population of Kazakhstan?', count: 2, wordings: 2 },
        { question: 'What about <script>alert(1)</script> & the vote?', count: 1, wordings: 1 },
      ],
      votedAnswers: [
        { answerId: 'q1', question: 'Who chairs the council?', up: 1, down: 1 },
        { answerId: 'q4', question: 'Who chairs the council?', up: 0, down: 1 },
        { answerId: 'imported-answer', question: null, up: 1, down: 0 },
      ],
      citedPassages: [
        { chunkId: 'doc#p3', count: 2 },
        { chunkId: 'doc#p5', count: 1 },
      ],
      // Newest first; the admin as the log stores users (a hash, never the raw id).
      documentChanges: [
        { at: '2025-01-10T01:00:00.000Z', action: 'restore', frontEnd: 'terminal', user: null, file: 'guide.html', url: null, outcome: 'done', detail: 'indexed: 12 passages' },
        { at: '2025-01-08T09:00:00.000Z', action: 'remove', frontEnd: 'discord', user: expect.stringMatching(/^[0-9a-f]{32}$/), file: 'notes | draft.md', url: null, outcome: 'refused', detail: 'no such file' },
        { at: '2025-01-08T09:00:00.000Z', action: 'add', frontEnd: 'discord', user: expect.stringMatching(/^[0-9a-f]{32}$/), file: 'guide.html', url: 'https://example.org/guide', outcome: 'done', detail: 'indexed: 12 passages' },
      ],
    });
    expect(JSON.stringify(report)).not.toContain('admin-1');
  });

  it('limits a server’s report to its own questions and the votes on them', () => {
    const { dir, since } = seedLog(now);
    const log = QuestionLog.open({ dataDir: dir, logQuestions: true, retentionDays: 90, now: () => now });
    const report = log.summarize({ since, until: now, guildId: G1 })!;
    log.close();
    expect(report).toMatchObject({ questions: 4, answered: 2, abstained: 2, feedback: { up: 1, down: 2 }, latency: { p50Ms: 30, p95Ms: 48.5 } });
    expect(report.unanswered).toEqual([{ question: 'What is the population of Kazakhstan?', count: 1, wordings: 1 }]);
    expect(report.votedAnswers.map((answer) => answer.answerId)).toEqual(['q1', 'q4']);
    expect(report.documentChanges.map((change) => `${change.action} ${change.file}`)).toEqual(['add guide.html']);
  });

  it('lists a restated follow-up as the question it was read as, which makes sense without the conversation', () => {
    const temp = makeTempDir('verbatim-report-');
    cleanups.push(temp.cleanup);
    const log = QuestionLog.open({ dataDir: temp.dir, logQuestions: true, retentionDays: 90, now: () => now - 60_000 });
    log.recordQuestion({ answer: { ...makeAnswer('and a Senator?', { abstained: true }), readAs: 'How old must a Senator be?' }, answerId: 'r1', frontEnd: 'terminal', latencyMs: 5 });
    log.recordQuestion({ answer: makeAnswer('and the critics?', { abstained: true }), answerId: 'r2', frontEnd: 'terminal', latencyMs: 5 });
    log.recordVote('r1', 'u1', 'down');
    const report = log.summarize({ since: now - DAY_MS, until: now, guildId: null })!;
    log.close();
    expect(report.unanswered.map((group) => group.question)).toEqual(['How old must a Senator be?', 'and the critics?']);
    expect(report.votedAnswers).toEqual([{ answerId: 'r1', question: 'How old must a Senator be?', up: 0, down: 1 }]);
  });

  it('renders Markdown with the figures, a row per day and the gaps, escaping table cells', () => {
    const { dir, since } = seedLog(now);
    const log = QuestionLog.open({ dataDir: dir, logQuestions: true, retentionDays: 90, now: () => now });
    const markdown = renderReportMarkdown(log.summarize({ since, until: now, guildId: null })!);
    log.close();
    expect(markdown).toContain('# Verbatim — questions from 2025-01-08 to 2025-01-10 (UTC)');
    expect(markdown).toContain('| Answered | 2 (33%) |');
    expect(markdown).toContain('| Votes | 2 👍 · 2 👎 |');
    expect(markdown).toContain('| Time to answer | 35 ms median · 57.5 ms p95 |');
    expect(markdown).toContain('| 2025-01-09 | 0 | 0 | 0 |');
    expect(markdown).toContain('| 1 | What is the population of Kazakhstan? | 2 | 2 |');
    expect(markdown).toContain('| `imported-answer` | (not logged) | 1 | 0 |');
    expect(markdown).toContain('## Documents added, removed and restored');
    expect(markdown).toContain('| 2025-01-10 01:00 | restore | guide.html | terminal | done: indexed: 12 passages |');
    expect(markdown).toMatch(/\| 2025-01-08 09:00 \| add \| guide\.html \(https:\/\/example\.org\/guide\) \| user [0-9a-f]{12} \| done: indexed: 12 passages \|/);
    expect(markdown).toContain('notes \\| draft.md');
  });

  it('npm run report writes a page that loads nothing from outside and shows the --json figures', () => {
    const realNow = Date.now();
    const { dir } = seedLog(realNow);
    const page = path.join(dir, 'report.html');
    const run = spawnSync(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), [path.join(PROJECT_ROOT, 'src', 'cli', 'report.ts'), '--since', '7d', '--json', '--html', page], {
      cwd: dir,
      env: childEnv({ DATA_DIR: dir }),
      encoding: 'utf8',
    });
    expect(run.stderr).toContain(`report: wrote ${page}`);
    expect(run.status).toBe(0);
    const json = JSON.parse(run.stdout) as { questions: number; answered: number; abstained: number; feedback: { up: number; down: number }; latency: { p50Ms: number; p95Ms: number }; unanswered: { question: string; count: number }[] };
    // The last 7 days hold every seeded day, -3 included: its question and vote count too.
    expect(json).toMatchObject({ questions: 7, answered: 3, abstained: 4, feedback: { up: 3, down: 2 } });
    expect((json as unknown as { documentChanges: { outcome: string }[] }).documentChanges).toHaveLength(4);

    const html = readFileSync(page, 'utf8');
    expect(html).not.toMatch(/\b(?:src|href|xlink:href|action)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/url\s*\(/i);
    expect(html).not.toMatch(/@import|@font-face|<link\b|<script\b|<iframe\b|<img\b/i);
    const figure = (name: string): string[] => [...html.matchAll(new RegExp(`data-figure="${name.replace('.', '\\.')}">([^<]*)<`, 'g'))].map((match) => match[1]!);
    expect(figure('questions')).toEqual([String(json.questions)]);
    expect(figure('answered')).toEqual([String(json.answered)]);
    expect(figure('abstained')).toEqual([String(json.abstained)]);
    expect(figure('feedback.up')).toEqual([String(json.feedback.up)]);
    expect(figure('feedback.down')).toEqual([String(json.feedback.down)]);
    expect(figure('latency.p50Ms')).toEqual([String(json.latency.p50Ms)]);
    expect(figure('latency.p95Ms')).toEqual([String(json.latency.p95Ms)]);
    expect(figure('unanswered.count')).toEqual(json.unanswered.map((group) => String(group.count)));
    expect(figure('documentChanges.outcome')).toEqual(['done', 'refused', 'done', 'done']);
    expect(html).toContain('https://example.org/guide');
    expect(html).toContain('What about &lt;script&gt;alert(1)&lt;/script&gt; &amp; the vote?');
    expect(html.match(/<svg\b/g)).toHaveLength(2);
  });
});

describe('grouping unanswered questions', () => {
  it('puts rewordings with the same content words together under the most asked wording', () => {
    expect(
      groupSimilarQuestions([
        'Who funds the council?',
        'What is the population of Kazakhstan?',
        "what's the population of kazakhstan",
        'What is the population of Kazakhstan?',
        'Kazakhstan population?',
        'Why?',
        'why',
      ]),
    ).toEqual([
      { question: 'What is the population of Kazakhstan?', count: 4, wordings: 3 },
      { question: 'Why?', count: 2, wordings: 2 },
      { question: 'Who funds the council?', count: 1, wordings: 1 },
    ]);
  });
});

describe('the report period', () => {
  const now = Date.UTC(2025, 0, 10, 12, 30);
  it('reads days from midnight UTC, hours back from now, and dates; refuses anything else', () => {
    expect(new Date(parseSince('7d', now)!).toISOString()).toBe('2025-01-04T00:00:00.000Z');
    expect(new Date(parseSince('1d', now)!).toISOString()).toBe('2025-01-10T00:00:00.000Z');
    expect(new Date(parseSince('12h', now)!).toISOString()).toBe('2025-01-10T00:30:00.000Z');
    expect(new Date(parseSince('2024-12-31', now)!).toISOString()).toBe('2024-12-31T00:00:00.000Z');
    for (const bad of ['0d', 'week', '7 days', '2024-13-45', '']) expect(parseSince(bad, now)).toBeNull();
  });
});
