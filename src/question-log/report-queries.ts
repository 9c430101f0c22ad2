import type { Database } from 'better-sqlite3';
import { percentile } from '../statistics.js';
import { type DocumentChangeRow, selectDocumentChanges } from './document-log.js';
import { groupSimilarQuestions, type QuestionGroup } from './group-questions.js';
import { listUtcDates, type ReportPeriod } from './report-period.js';

/** Rows shown in each of the report's lists (a page an operator reads, not a dump). */
const LIST_LIMIT = 10;
/** Document changes listed: admins change documents rarely, so a period's changes are shown whole up to this many. */
const DOCUMENT_CHANGE_LIMIT = 100;

/** Questions, answers and votes in one period: what `npm run report` and `/stats` show. */
export interface QuestionReport {
  /** ISO times of the period `[since, until)`. */
  since: string;
  until: string;
  guildId: string | null;
  questions: number;
  answered: number;
  abstained: number;
  /** answered / questions, null when nothing was asked. */
  answeredShare: number | null;
  /** Votes cast in the period. With a guild, only votes on that server's logged answers. */
  feedback: { up: number; down: number };
  /** Time the engine took to answer; null when nothing was asked. */
  latency: { p50Ms: number | null; p95Ms: number | null };
  /** One entry per UTC day of the period, days without questions included. */
  days: { date: string; questions: number; answered: number; abstained: number }[];
  /** What the documents did not answer, similar questions together, most asked first. */
  unanswered: QuestionGroup[];
  /** Answers that got votes, the most 👎 first. `question` is null when it was not logged. */
  votedAnswers: { answerId: string; question: string | null; up: number; down: number }[];
  /** The passages quoted most often. */
  citedPassages: { chunkId: string; count: number }[];
  /** Documents added, removed and restored by admins in the period (with a guild: in that server), newest first. */
  documentChanges: DocumentChangeRow[];
}

interface QuestionRow {
  asked_at: number;
  answered: 0 | 1;
  reason: string | null;
  question: string;
  latency_ms: number;
}

/**
 * A logged question as the bot read it: a follow-up that only named something new ("and a
 * Senator?") as the question it was restated as ("How old must a Senator be?"), which an
 * operator can act on without the conversation; any other question as typed.
 */
const QUESTION_AS_READ = "coalesce(json_extract(q.answer_json, '$.readAs'), q.question)";

/**
 * Reads the report for a period from the question log. Requests that are not questions
 * ("write me a poem") count as abstained but are not listed as unanswered: they are not
 * gaps in the documents.
 */
export function summarizeQuestionLog(db: Database, period: ReportPeriod): QuestionReport {
  const guild = period.guildId === null ? '' : ' AND q.guild_id = @guildId';
  const params = { since: period.since, until: period.until, guildId: period.guildId };
  const rows = db
    .prepare(`SELECT asked_at, answered, reason, ${QUESTION_AS_READ} AS question, latency_ms FROM questions q WHERE asked_at >= @since AND asked_at < @until${guild} ORDER BY asked_at, id`)
    .all(params) as QuestionRow[];

  const byDate = new Map(listUtcDates(period).map((date) => [date, { date, questions: 0, answered: 0, abstained: 0 }]));
  for (const row of rows) {
    const day = byDate.get(new Date(row.asked_at).toISOString().slice(0, 10));
    if (!day) continue;
    day.questions++;
    if (row.answered) day.answered++;
    else day.abstained++;
  }
  const answered = rows.filter((row) => row.answered === 1).length;
  const latencies = rows.map((row) => row.latency_ms);

  // With a guild, a vote counts only when its answer is one of that server's logged questions.
  const votesFrom = period.guildId === null
    ? 'votes v LEFT JOIN questions q ON q.answer_id = v.answer_id'
    : 'votes v JOIN questions q ON q.answer_id = v.answer_id';
  const votesWhere = `v.voted_at >= @since AND v.voted_at < @until${guild}`;
  const feedback = { up: 0, down: 0 };
  for (const { vote, count } of db.prepare(`SELECT v.vote AS vote, count(*) AS count FROM ${votesFrom} WHERE ${votesWhere} GROUP BY v.vote`).all(params) as { vote: 'up' | 'down'; count: number }[]) {
    feedback[vote] = count;
  }
  const votedAnswers = db
    .prepare(
      `SELECT v.answer_id AS answerId, ${QUESTION_AS_READ} AS question,
              sum(v.vote = 'up') AS up, sum(v.vote = 'down') AS down
         FROM ${votesFrom} WHERE ${votesWhere}
        GROUP BY v.answer_id ORDER BY down DESC, up + down DESC, v.answer_id LIMIT ${LIST_LIMIT}`,
    )
    .all(params) as QuestionReport['votedAnswers'];
  const citedPassages = db
    .prepare(
      `SELECT c.chunk_id AS chunkId, count(*) AS count FROM cited_passages c JOIN questions q ON q.id = c.question_id
        WHERE q.asked_at >= @since AND q.asked_at < @until${guild}
        GROUP BY c.chunk_id ORDER BY count DESC, c.chunk_id LIMIT ${LIST_LIMIT}`,
    )
    .all(params) as QuestionReport['citedPassages'];

  return {
    since: new Date(period.since).toISOString(),
    until: new Date(period.until).toISOString(),
    guildId: period.guildId,
    questions: rows.length,
    answered,
    abstained: rows.length - answered,
    answeredShare: rows.length === 0 ? null : answered / rows.length,
    feedback,
    latency: {
      p50Ms: latencies.length === 0 ? null : round(percentile(latencies, 50)),
      p95Ms: latencies.length === 0 ? null : round(percentile(latencies, 95)),
    },
    days: [...byDate.values()],
    unanswered: groupSimilarQuestions(rows.filter((row) => row.answered === 0 && row.reason !== 'not-a-question').map((row) => row.question), LIST_LIMIT),
    votedAnswers,
    citedPassages,
    documentChanges: selectDocumentChanges(db, period, DOCUMENT_CHANGE_LIMIT),
  };
}

/** Milliseconds to a tenth: finer than that is noise in a latency figure. */
function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
