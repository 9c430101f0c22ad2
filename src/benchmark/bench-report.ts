import type { AnnBenchResult } from './bench-ann.js';
import type { IndexBenchResult } from './bench-index.js';
import type { MemoryBenchResult } from './bench-memory.js';
import type { QuestionBenchResult } from './bench-questions.js';
import type { MemorySnapshot } from './memory-probe.js';
import type { Distribution } from './statistics.js';
import { describeDistribution } from './synthetic-vectors.js';

/**
 * Turns benchmark results into comparisons — each figure next to a baseline
 * measured in the same run — and renders them as Markdown or JSON.
 */

export type Unit = 'ms' | 'MB' | 'recall';

/** A measured figure: a distribution (n, median, p95) or one value (p95 null). */
export interface Figure {
  n: number;
  median: number;
  p95: number | null;
}

export interface Comparison {
  measure: string;
  unit: Unit;
  figure: Figure;
  baseline: { label: string; figure: Figure };
  /** figure.median ÷ baseline.median. */
  ratio: number;
}

export interface ReportSection {
  title: string;
  /** What was measured and what the baseline is. */
  note: string;
  rows: Comparison[];
}

export interface BenchMeta {
  startedAt: string;
  seconds: number;
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
}

export interface BenchResults {
  index: IndexBenchResult;
  questions: QuestionBenchResult;
  ann: AnnBenchResult[];
  memory: MemoryBenchResult;
}

export interface BenchReport {
  meta: BenchMeta;
  sections: ReportSection[];
  results: BenchResults;
}

const BYTES_PER_MB = 1024 * 1024;

export function figureOf(distribution: Distribution): Figure {
  return { n: distribution.n, median: distribution.median, p95: distribution.p95 };
}

export function singleFigure(value: number): Figure {
  return { n: 1, median: value, p95: null };
}

export function compare(measure: string, unit: Unit, figure: Figure, baselineLabel: string, baseline: Figure): Comparison {
  return { measure, unit, figure, baseline: { label: baselineLabel, figure: baseline }, ratio: figure.median / baseline.median };
}

/** The comparisons of every benchmark, in the order they are reported. */
export function buildSections(results: BenchResults): ReportSection[] {
  const { index, questions, ann, memory } = results;
  const timed = (label: string, distribution: Distribution, baselineLabel: string, baseline: Distribution): Comparison =>
    compare(label, 'ms', figureOf(distribution), baselineLabel, figureOf(baseline));
  const mb = (bytes: number): Figure => singleFigure(bytes / BYTES_PER_MB);
  const heapDelta = (snapshot: { before: MemorySnapshot; after: MemorySnapshot }): number => snapshot.after.heapUsed - snapshot.before.heapUsed;

  return [
    {
      title: '1. Index: open a saved index vs. build it',
      note:
        `\`openIndex\` over a saved, current index (reads and hashes the corpus, checks every file's checksum, parses JSON, loads HNSW) ` +
        `vs. \`buildIndex\` into a fresh folder; ${index.chunks} chunks. Ratio < 1: opening is faster.`,
      rows: [
        timed('open saved index, lexical-only', index.lexical.loadMs, 'build, lexical-only', index.lexical.coldBuildMs),
        timed('open saved index, hybrid (tiny model)', index.hybrid.loadMs, 'build, hybrid', index.hybrid.coldBuildMs),
      ],
    },
    {
      title: '2. Reindex: embedding cache warm vs. cold',
      note:
        `\`buildIndex\` over the saved hybrid index with nothing changed (all ${index.chunks} embeddings reused from the cache) ` +
        `vs. into a fresh folder (all embedded; the same cold builds as in 1). The tiny model's inference is one Gather, ` +
        `so a cold build here costs far less than with a real model: this ratio is a floor on what the cache saves.`,
      rows: index.hybrid.warmBuildMs ? [timed('reindex, cache warm', index.hybrid.warmBuildMs, 'reindex, cache cold', index.hybrid.coldBuildMs)] : [],
    },
    {
      title: '3. Question latency (`engine.ask`, per turn)',
      note:
        `${questions.questions} questions (${questions.turnsPerRound} turns; each question its own conversation) × ${questions.rounds} rounds. ` +
        `Baseline: a brute-force scan that stems every chunk afresh and picks the one sharing most content terms with the turn — ` +
        `no index, no BM25, no sentence selection: the least work that finds a passage at all. Hybrid is also set against lexical-only, ` +
        `which is the price of embedding the question and searching HNSW; the tiny model embeds almost for free, so with a real model ` +
        `(e.g. MiniLM on a CPU) hybrid costs more.`,
      rows: [
        timed('ask, lexical-only', questions.lexicalMs, 'brute-force term-overlap scan', questions.scanMs),
        timed('ask, hybrid (tiny model)', questions.hybridMs, 'brute-force term-overlap scan', questions.scanMs),
        timed('ask, hybrid (tiny model)', questions.hybridMs, 'ask, lexical-only', questions.lexicalMs),
      ],
    },
    ...ann.map((result, i) => annSection(result, `4${String.fromCharCode(97 + i)}`)),
    {
      title: '5. Memory after starting the engine',
      note:
        'A fresh Node process per mode runs `startEngine` (model load + `openIndex` of the saved index) and reads ' +
        '`process.memoryUsage()` before and after, each after a forced GC. "Before" is the same process with the project\'s modules ' +
        'imported, under the tsx loader as `npm start` runs (which accounts for much of the base RSS).',
      rows: [
        compare('RSS, lexical-only', 'MB', mb(memory.lexical.after.rss), 'RSS before starting', mb(memory.lexical.before.rss)),
        compare('RSS, hybrid (tiny model)', 'MB', mb(memory.hybrid.after.rss), 'RSS, lexical-only', mb(memory.lexical.after.rss)),
        compare('heap used, lexical-only', 'MB', mb(memory.lexical.after.heapUsed), 'heap used before starting', mb(memory.lexical.before.heapUsed)),
        compare('heap used, hybrid (tiny model)', 'MB', mb(memory.hybrid.after.heapUsed), 'heap used, lexical-only', mb(memory.lexical.after.heapUsed)),
        compare('heap delta from starting, hybrid', 'MB', mb(heapDelta(memory.hybrid)), 'heap delta, lexical-only', mb(heapDelta(memory.lexical))),
      ],
    },
  ];
}

function annSection(ann: AnnBenchResult, number: string): ReportSection {
  const defaultSearch = ann.searches.find((search) => search.projectDefault);
  const timed = (label: string, distribution: Distribution): Comparison => compare(label, 'ms', figureOf(distribution), 'exact scan', figureOf(ann.exactLatencyMs));
  const hardness =
    ann.distribution.kind === 'uniform'
      ? `Uniform vectors in ${ann.dimensions} dims are the hardest case for HNSW (every point nearly equidistant): these recalls are a floor.`
      : 'Points near a low-dimensional subspace behave more like real text embeddings (which have a low intrinsic dimension).';
  return {
    title: `${number}. HNSW vs. exact search: ${ann.count.toLocaleString('en-US')} × ${ann.dimensions}-d unit vectors ${describeDistribution(ann.distribution)}, k = ${ann.k}`,
    note:
      `\`buildDenseIndex\` (LangChain HNSWLib; hnswlib-node defaults M = 16, efConstruction = 200) took ${formatNumber(ann.buildMs / 1000)} s; ` +
      `queried through \`searchDense\` vs. an exact cosine scan in plain JS, ${ann.exactLatencyMs.n} seeded random queries from the same distribution. ` +
      `Recall@${ann.k} counts a result as a hit when its true distance is within 1e-3 of the ${ann.k}th exact distance (ann-benchmarks' rule); ` +
      `recall counted by id is shown in brackets. ef = ${defaultSearch?.ef ?? '?'} is what the project searches with (\`HNSW_EF_SEARCH\`; ` +
      `hnswlib uses max(ef, k)); the other rows show the speed/recall trade-off show the speed/recall trade-off. ${hardness}`,
    rows: ann.searches.flatMap((search) => {
      const label = `ef = ${search.ef}${search.projectDefault ? ' (project default)' : ''}`;
      return [
        timed(`HNSW query, ${label}`, search.latencyMs),
        compare(`HNSW recall@${ann.k}, ${label} (by id: ${search.recallById.toFixed(3)})`, 'recall', { n: search.latencyMs.n, median: search.recall, p95: null }, 'exact scan', { n: ann.exactLatencyMs.n, median: 1, p95: null }),
      ];
    }),
  };
}

/** Three significant digits; whole numbers with separators from 1,000 up. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  if (value === 0) return '0';
  return Number(value.toPrecision(3)).toString();
}

/** The ratio, and for times how it reads ("12× faster"). */
export function describeRatio(comparison: Comparison): string {
  const { ratio, unit } = comparison;
  const shown = `${formatNumber(ratio)}×`;
  if (unit !== 'ms' || !Number.isFinite(ratio) || ratio <= 0) return shown;
  if (ratio < 1) return `${shown} (${formatNumber(1 / ratio)}× faster)`;
  if (ratio > 1) return `${shown} (${formatNumber(ratio)}× slower)`;
  return `${shown} (same)`;
}

function formatFigure(value: number | null, unit: Unit): string {
  if (value === null) return '—';
  if (unit === 'recall') return value.toFixed(3);
  return `${formatNumber(value)} ${unit}`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The report as Markdown: a header line, then one table per section. */
export function formatMarkdown(report: BenchReport): string {
  const { meta } = report;
  const lines = [
    '# Verbatim benchmark',
    '',
    `Node ${meta.node} · ${meta.platform} · ${meta.cpus} × ${meta.cpuModel} · ${meta.startedAt} · ran ${formatNumber(meta.seconds)} s`,
    '',
    'Ratio = figure ÷ baseline (medians). Every baseline was measured in the same run; times are `performance.now()` after warm-up.',
  ];
  for (const section of report.sections) {
    if (section.rows.length === 0) continue;
    lines.push('', `## ${section.title}`, '', section.note, '');
    lines.push('| Measure | n | Median | p95 | Baseline | n | Baseline median | Baseline p95 | Ratio |');
    lines.push('|---|--:|--:|--:|---|--:|--:|--:|---|');
    for (const row of section.rows) {
      const { figure, baseline, unit } = row;
      lines.push(
        `| ${escapeCell(row.measure)} | ${figure.n} | ${formatFigure(figure.median, unit)} | ${formatFigure(figure.p95, unit)} | ` +
          `${escapeCell(baseline.label)} | ${baseline.figure.n} | ${formatFigure(baseline.figure.median, unit)} | ${formatFigure(baseline.figure.p95, unit)} | ${describeRatio(row)} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The report as one JSON document (sections and the raw results behind them). */
export function formatJson(report: BenchReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
