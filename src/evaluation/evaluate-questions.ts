import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Answer } from '../domain.js';
import type { Engine } from '../engine-types.js';
import { isUserError } from '../errors.js';
import { summarize } from '../statistics.js';
import type { ScoredRun } from './threshold-sweep.js';

/** A line of a question file: ../shared/eval/questions.jsonl's format. */
export interface EvalQuestion {
  id: string;
  kind: 'answerable' | 'unanswerable' | 'followup';
  question: string;
  turns?: string[];
  /**
   * For each turn, whether it follows up on the turn before (the first never does): what the
   * follow-up decision is judged against. From the file when it says so (a chain's labels, a
   * line's `followup`), otherwise `kind: followup` makes every later turn a follow-up and
   * any other kind none of them (a new topic after an earlier question).
   */
  followUps?: boolean[];
  answers: string[];
  evidence: string;
  /** The 1-based page the evidence is on, for a paged document (PDF). */
  page?: number;
}

type Kind = EvalQuestion['kind'];
const KINDS: readonly Kind[] = ['answerable', 'unanswerable', 'followup'];

/** One turn of a chain line (`{"id", "turns": [{"question", "followup", "answers", "evidence"}, …]}`). */
interface ChainTurn {
  question?: unknown;
  followup?: unknown;
  kind?: unknown;
  answers?: unknown;
  evidence?: unknown;
  page?: unknown;
}

export interface EvalFailure {
  id: string;
  kind: EvalQuestion['kind'];
  question: string;
  problem: string;
}

/** A share of a count; null when there was nothing to count (a share of nothing is no figure, not 100%). */
export type Share = number | null;

export interface EvalReport {
  questions: number;
  /** hit@k and MRR count only the answerable questions that name an evidence span. */
  answerable: { total: number; answerRecall: Share; hitAt1: Share; hitAt3: Share; mrr: Share; wronglyAbstained: number };
  unanswerable: { total: number; abstentionRate: Share };
  followup: { total: number; answerRecall: Share };
  quotes: {
    total: number;
    /** Share of quotes that are exact slices of their files; null when nothing was quoted. */
    fidelity: number | null;
    /** Answers (last turns) that quoted nothing: abstentions, and any answer without a quote. */
    unquotedAnswers: number;
    meanChars: number;
    maxChars: number;
  };
  latencyMs: { mean: number; p95: number; max: number };
  failures: EvalFailure[];
  /** Each question's last answer as the threshold sweep counts it (meaningful for an engine run with threshold 0). */
  runs: ScoredRun[];
}

export interface EvaluateOptions {
  /** Whether quoted text holds one of the gold answers (default: `containsAnswer` with `normalizeAnswerText`). */
  holdsAnswer?: (quoted: string, answers: readonly string[]) => boolean;
  /** The clock latencies are measured on, in milliseconds (default `performance.now`). */
  now?: () => number;
}

/** Reads a question file; throws naming the line that is not valid. */
export async function readEvalQuestions(file: string): Promise<EvalQuestion[]> {
  return parseEvalQuestions(await readFile(file, 'utf8'), file);
}

/** `readEvalQuestions`, synchronously (for training, which reads many small files). */
export function readEvalQuestionsSync(file: string): EvalQuestion[] {
  return parseEvalQuestions(readFileSync(file, 'utf8'), file);
}

/**
 * A question file's lines. Two shapes are read: a question per line
 * (`{"id","kind","question","turns"?,"followup"?,"answers","evidence","page"?}`), and a
 * conversation per line (`{"id","turns":[{"question","followup"?,"kind"?,"answers","evidence"}…]}`),
 * which becomes one question per turn, each asked after the turns before it — follow-ups and
 * changes of topic alike, labelled so the follow-up decision can be measured.
 */
function parseEvalQuestions(text: string, file: string): EvalQuestion[] {
  return text.split(/\r?\n/).flatMap((line, i) => {
    if (!line.trim()) return [];
    const where = `eval: ${file} line ${i + 1}`;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(line) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`${where} is not JSON (${(error as Error).message})`);
    }
    const id = typeof value.id === 'string' ? value.id : `line-${i + 1}`;
    if (Array.isArray(value.turns) && value.turns.some((turn) => typeof turn === 'object' && turn !== null)) return parseChain(value.turns as ChainTurn[], id, where);
    if (typeof value.question !== 'string' || !KINDS.includes(value.kind as Kind)) {
      throw new Error(`${where} needs "question" and a "kind" of answerable, unanswerable or followup`);
    }
    const question = { answers: [], evidence: '', ...value, id } as unknown as EvalQuestion & { followup?: unknown };
    const turns = question.turns ?? [];
    if (turns.length > 1) {
      const last = typeof question.followup === 'boolean' ? question.followup : question.kind === 'followup';
      question.followUps = turns.map((_, t) => t > 0 && (t === turns.length - 1 ? last : question.kind === 'followup'));
    }
    delete question.followup;
    return [question];
  });
}

function parseChain(turns: readonly ChainTurn[], id: string, where: string): EvalQuestion[] {
  const questions: string[] = [];
  const followUps: boolean[] = [];
  return turns.map((turn, t) => {
    if (typeof turn.question !== 'string' || turn.question.trim() === '') throw new Error(`${where}: turn ${t + 1} needs a "question"`);
    const answers = Array.isArray(turn.answers) ? turn.answers.filter((answer): answer is string => typeof answer === 'string') : [];
    const followUp = t > 0 && turn.followup === true;
    questions.push(turn.question);
    followUps.push(followUp);
    const stated = KINDS.includes(turn.kind as Kind) ? (turn.kind as Kind) : null;
    const kind: Kind = stated ?? (answers.length === 0 ? 'unanswerable' : followUp ? 'followup' : 'answerable');
    return {
      id: `${id}-t${t + 1}`,
      kind,
      question: turn.question,
      ...(t > 0 ? { turns: [...questions], followUps: [...followUps] } : {}),
      answers,
      evidence: typeof turn.evidence === 'string' ? turn.evidence : '',
      ...(typeof turn.page === 'number' ? { page: turn.page } : {}),
    };
  });
}

/** Case, dash and quote-mark variants are the same answer ("2013–2015" = "2013-2015"). */
export function normalizeAnswerText(text: string): string {
  return text.toLowerCase().replace(/[‐-―−]/g, '-').replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ');
}

/** Python's `string.punctuation`, which SQuAD's official script removes (ASCII only). */
const SQUAD_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
/** a/an/the as whole words; Python's Unicode `\b` treats letters, digits and `_` as word characters. */
const SQUAD_ARTICLES = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;

/**
 * SQuAD's answer normalisation, as its official evaluation script does it (see
 * ../shared/eval/squad/README.md): lower case, ASCII punctuation removed, the articles
 * a/an/the removed, whitespace collapsed. Gold and quoted text are both normalised
 * before a containment check.
 */
export function normalizeSquadText(text: string): string {
  return text.toLowerCase().replace(SQUAD_PUNCTUATION, '').replace(SQUAD_ARTICLES, ' ').split(/\s+/).filter(Boolean).join(' ');
}

const isWordCharacter = (char: string | undefined): boolean => char !== undefined && /[\p{L}\p{N}]/u.test(char);

/**
 * Whether `gold` appears in `quoted` as whole words once both are normalised: "18" is in
 * "the 18 available seats" but not in "183 of 193". An edge of `gold` that is not a
 * letter or digit ("$5", "(Kazinform") needs no boundary. An empty answer is never found.
 */
export function containsAnswer(quoted: string, gold: string, normalize: (text: string) => string = normalizeAnswerText): boolean {
  const haystack = normalize(quoted);
  const needle = normalize(gold).trim();
  if (needle === '') return false;
  const [first, last] = [needle[0], needle.at(-1)];
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    const joinsBefore = isWordCharacter(first) && isWordCharacter(haystack[at - 1]);
    const joinsAfter = isWordCharacter(last) && isWordCharacter(haystack[at + needle.length]);
    if (!joinsBefore && !joinsAfter) return true;
  }
  return false;
}

/**
 * Runs every question (each on its own; `turns` as one conversation) and measures what
 * the product promises: answers found in the quotes, evidence retrieved, honest
 * abstention, quotes that are exact slices of their files, and quote length.
 */
export async function evaluateQuestions(engine: Engine, questions: readonly EvalQuestion[], projectRoot: string, options: EvaluateOptions = {}): Promise<EvalReport> {
  const holdsAnswer = options.holdsAnswer ?? ((quoted: string, answers: readonly string[]) => answers.some((gold) => containsAnswer(quoted, gold)));
  const now = options.now ?? (() => performance.now());
  const runs: ScoredRun[] = [];
  const failures: EvalFailure[] = [];
  const latencies: number[] = [];
  const quoteLengths: number[] = [];
  let faithful = 0;
  let unquotedAnswers = 0;
  let answerableFound = 0;
  let wronglyAbstained = 0;
  let hit1 = 0;
  let hit3 = 0;
  let reciprocalRanks = 0;
  let unanswerableAbstained = 0;
  let followupFound = 0;
  // A file that cannot be read is kept as its error, so a quote from it is reported as unreadable, not as a wrong slice.
  const fileCache = new Map<string, string | Error>();
  const fail = (q: EvalQuestion, problem: string): void => {
    failures.push({ id: q.id, kind: q.kind, question: q.question, problem });
  };

  for (const [n, q] of questions.entries()) {
    const key = `eval:${n}:${q.id}`;
    const turns = q.turns && q.turns.length > 0 ? q.turns : [q.question];
    let answer: Answer | null = null;
    for (const turn of turns) {
      const started = now();
      try {
        answer = await engine.ask(turn, key);
      } catch (error) {
        if (!isUserError(error)) throw error;
        answer = null;
        fail(q, `refused: ${error.message}`);
      }
      latencies.push(now() - started);
    }
    engine.forget(key);
    if (!answer) continue;

    if (answer.quotes.length === 0) unquotedAnswers++;
    for (const quote of answer.quotes) {
      quoteLengths.push(quote.text.length);
      // The text the offsets index: the corpus file itself, or the extracted text kept with the index.
      const file = path.resolve(projectRoot, quote.textFile);
      if (!fileCache.has(file)) fileCache.set(file, await readFile(file, 'utf8').catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))));
      const content = fileCache.get(file)!;
      if (content instanceof Error) fail(q, `quote [${quote.citation}]: its text file ${quote.textFile} cannot be read (${content.message})`);
      else if (content.slice(quote.start, quote.end) === quote.text) faithful++;
      else fail(q, `quote [${quote.citation}] is not the exact slice ${quote.textFile}[${quote.start}:${quote.end}]`);
    }
    const quotedText = answer.quotes.map((quote) => quote.text).join('\n');
    const found = holdsAnswer(quotedText, q.answers);
    // A refusal is never counted as an answer, whatever the threshold (sweeps run the engine with none).
    runs.push({ kind: q.kind, confidence: answer.abstained ? -1 : answer.confidence, holdsAnswer: q.kind !== 'unanswerable' && found, quoteChars: quotedText.length });

    if (q.kind === 'unanswerable') {
      if (answer.abstained) unanswerableAbstained++;
      else fail(q, `answered (confidence ${answer.confidence}) instead of abstaining: "${answer.quotes[0]?.text.slice(0, 80)}…"`);
      continue;
    }
    if (q.kind === 'followup') {
      if (found) followupFound++;
      else fail(q, answer.abstained ? `abstained (confidence ${answer.confidence})` : `no gold answer in the quotes: "${answer.quotes[0]?.text.slice(0, 80)}…"`);
      continue;
    }
    if (found) answerableFound++;
    else fail(q, answer.abstained ? `abstained (confidence ${answer.confidence})` : `no gold answer in the quotes: "${answer.quotes[0]?.text.slice(0, 80)}…"`);
    if (answer.abstained) wronglyAbstained++;
    if (q.evidence) {
      const evidence = normalizeAnswerText(q.evidence);
      const rank = answer.retrievedChunkIds.findIndex((id) => normalizeAnswerText(engine.getChunk(id)?.text ?? '').includes(evidence)) + 1;
      if (rank === 1) hit1++;
      if (rank >= 1 && rank <= 3) hit3++;
      if (rank > 0) reciprocalRanks += 1 / rank;
    }
  }

  const answerable = questions.filter((q) => q.kind === 'answerable').length;
  const withEvidence = questions.filter((q) => q.kind === 'answerable' && q.evidence).length;
  const unanswerable = questions.filter((q) => q.kind === 'unanswerable').length;
  const followup = questions.filter((q) => q.kind === 'followup').length;
  const share = (count: number, total: number): Share => (total === 0 ? null : count / total);
  return {
    questions: questions.length,
    answerable: {
      total: answerable,
      answerRecall: share(answerableFound, answerable),
      hitAt1: share(hit1, withEvidence),
      hitAt3: share(hit3, withEvidence),
      mrr: share(reciprocalRanks, withEvidence),
      wronglyAbstained,
    },
    unanswerable: { total: unanswerable, abstentionRate: share(unanswerableAbstained, unanswerable) },
    followup: { total: followup, answerRecall: share(followupFound, followup) },
    quotes: {
      total: quoteLengths.length,
      fidelity: quoteLengths.length === 0 ? null : faithful / quoteLengths.length,
      unquotedAnswers,
      meanChars: quoteLengths.length ? quoteLengths.reduce((a, b) => a + b, 0) / quoteLengths.length : 0,
      maxChars: quoteLengths.length ? Math.max(...quoteLengths) : 0,
    },
    latencyMs: describeLatencies(latencies),
    failures,
    runs,
  };
}

/** Mean, p95 (as bench and report compute it) and max of the latencies; zeros when nothing was asked. */
function describeLatencies(latencies: readonly number[]): EvalReport['latencyMs'] {
  if (latencies.length === 0) return { mean: 0, p95: 0, max: 0 };
  const { mean, p95, max } = summarize(latencies);
  return { mean, p95, max };
}

/** What the printed report shows for a share of nothing. */
const NO_FIGURE = '–';

/** Failures listed in the printed report: a SQuAD article has a hundred, which would bury the table. */
const MAX_FAILURES_SHOWN = 25;

/** The report as a Markdown table plus the failures, for a terminal or the README. */
export function formatEvalReport(report: EvalReport, label: string): string {
  const pct = (x: Share): string => (x === null ? NO_FIGURE : `${(x * 100).toFixed(1)}%`);
  const rows: [string, string][] = [
    ['answer recall (answerable)', `${pct(report.answerable.answerRecall)} of ${report.answerable.total}`],
    ['evidence hit@1 / hit@3', `${pct(report.answerable.hitAt1)} / ${pct(report.answerable.hitAt3)}`],
    ['evidence MRR', report.answerable.mrr === null ? NO_FIGURE : report.answerable.mrr.toFixed(3)],
    ['answerable wrongly abstained', String(report.answerable.wronglyAbstained)],
    ['unanswerable abstained', `${pct(report.unanswerable.abstentionRate)} of ${report.unanswerable.total}`],
    ['follow-up answer recall', `${pct(report.followup.answerRecall)} of ${report.followup.total}`],
    ['quote fidelity (exact slices)', report.quotes.fidelity === null ? 'n/a (nothing quoted)' : `${pct(report.quotes.fidelity)} of ${report.quotes.total}`],
    ['answers with no quote (abstentions included)', String(report.quotes.unquotedAnswers)],
    ['quoted characters mean / max', `${report.quotes.meanChars.toFixed(0)} / ${report.quotes.maxChars}`],
    ['latency mean / p95 / max', `${report.latencyMs.mean.toFixed(1)} / ${report.latencyMs.p95.toFixed(1)} / ${report.latencyMs.max.toFixed(1)} ms`],
  ];
  const lines = [`| ${label} | |`, '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)];
  if (report.failures.length > 0) {
    const shown = report.failures.slice(0, MAX_FAILURES_SHOWN);
    const more = report.failures.length - shown.length;
    lines.push('', `Failures (${report.failures.length}${more > 0 ? `; the first ${shown.length} shown, all of them with --json` : ''}):`);
    for (const f of shown) lines.push(`- ${f.id} (${f.kind}) ${f.question} — ${f.problem}`);
  } else {
    lines.push('', 'No failures.');
  }
  return lines.join('\n');
}
