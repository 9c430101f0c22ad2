import type { AnnBenchResult } from './bench-ann.js';
import type { CorpusBenchResult } from './bench-corpus.js';
import type { IngestFigures } from './bench-ingest.js';
import type { QuestionBenchResult } from './bench-questions.js';
import type { ProseCorpus } from './prose-corpus.js';
import { type Distribution, percentile, summarize } from '../statistics.js';
import { describeDistribution } from './synthetic-vectors.js';

/**
 * Turns benchmark results into the JSON contract (`query`, `scale[]`, `corpus[]`) and into
 * comparisons — each figure next to a baseline measured in the same run — rendered as
 * Markdown or JSON.
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
  /** The 1-minute load average at the end: other work on the machine slows every figure. */
  loadAverage: number;
}

export interface BenchResults {
  articleQuestions: QuestionBenchResult;
  prose: ProseCorpus & { buildMs: number };
  corpus: CorpusBenchResult;
  vectors: AnnBenchResult[];
  ingest: IngestFigures[];
}

/** `query` of the JSON contract: `ask` per turn on the article's development questions. */
export interface QueryFigures {
  p50Ms: number;
  p95Ms: number;
  mode: 'lexical';
  turns: number;
  hybridP50Ms: number;
  hybridP95Ms: number;
}

/** One entry of `scale[]`: an HNSW index of `n` synthetic vectors. */
export interface ScaleFigures {
  n: number;
  dims: number;
  buildMs: number;
  diskBytes: number;
  loadMs: number;
  rssBytes: number;
  /** Through the project's search path (LangChain's vector store over hnswlib-node), at its default ef. */
  hnswP50Ms: number;
  hnswP95Ms: number;
  recallAt10: number;
  bruteP50Ms: number;
  /** hnswlib-node's `searchKnn` alone, same queries and ef. */
  rawP50Ms: number;
  efSearch: number;
  /** Recall against latency over efSearch. */
  curve: { ef: number; p50Ms: number; p95Ms: number; recall: number }[];
}

/** One entry of `corpus[]`: the prose corpus in one retrieval mode. */
export interface CorpusFigures {
  mode: 'lexical' | 'hybrid';
  documents: number;
  passages: number;
  bytes: number;
  reindexColdMs: number;
  documentsPerSecond: number;
  passagesPerSecond: number;
  /** Medians of the timed runs. */
  reindexNothingChangedMs: number;
  /** `npm run reindex` (the saved index read from disk). */
  reindexOneChangedMs: number;
  /** A running engine's /reindex (its loaded index reused). */
  reindexOneChangedInEngineMs: number;
  /** Index open in a fresh process, until the engine can answer (process start and model load excluded). */
  openMs: number;
  /** Then its passage directory, built in the next turn of the event loop (every passage decoded). */
  directoryMs: number;
  /** Loading the embedding model in that process (0 lexical-only). */
  modelLoadMs: number;
  askP50Ms: number;
  askP95Ms: number;
  /** And p99: where the young-generation collections' pauses show (see src/node-flags.ts). */
  askP99Ms: number;
  questions: number;
  answered: number;
  /** RSS after the questions (and after opening). */
  rssBytes: number;
  rssAfterOpenBytes: number;
  /** `/source` autocomplete (`suggestSources`, 1–3 typed characters), per keystroke. */
  suggestP50Ms: number;
  suggestP95Ms: number;
  /** `/source` itself (`resolveSource`: the passage, its document and its neighbours). */
  sourceP50Ms: number;
  sourceP95Ms: number;
}

export interface BenchReport {
  meta: BenchMeta;
  query: QueryFigures;
  scale: ScaleFigures[];
  corpus: CorpusFigures[];
  /** Extraction per format, each with the same texts read as `.txt` as its baseline. */
  ingest: IngestFigures[];
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

/** The JSON contract's figures and the comparisons, from the results. */
export function buildReport(meta: BenchMeta, results: BenchResults): BenchReport {
  const { articleQuestions } = results;
  return {
    meta,
    query: {
      p50Ms: articleQuestions.lexicalMs.median,
      p95Ms: articleQuestions.lexicalMs.p95,
      mode: 'lexical',
      turns: articleQuestions.lexicalMs.n,
      hybridP50Ms: articleQuestions.hybridMs.median,
      hybridP95Ms: articleQuestions.hybridMs.p95,
    },
    scale: results.vectors.map(scaleFigures),
    corpus: results.corpus.modes.map((mode) => corpusFigures(mode, results.prose.bytes)),
    ingest: results.ingest,
    sections: buildSections(results),
    results,
  };
}

function scaleFigures(ann: AnnBenchResult): ScaleFigures {
  const atDefault = ann.searches.find((search) => search.projectDefault)!;
  return {
    n: ann.count,
    dims: ann.dimensions,
    buildMs: ann.buildMs,
    diskBytes: ann.diskBytes,
    loadMs: ann.loadMs,
    rssBytes: ann.rssBytes,
    hnswP50Ms: atDefault.latencyMs.median,
    hnswP95Ms: atDefault.latencyMs.p95,
    recallAt10: atDefault.recall,
    bruteP50Ms: ann.exactLatencyMs.median,
    rawP50Ms: ann.rawLatencyMs.median,
    efSearch: atDefault.ef,
    curve: [...ann.searches].sort((a, b) => a.ef - b.ef).map((search) => ({ ef: search.ef, p50Ms: search.latencyMs.median, p95Ms: search.latencyMs.p95, recall: search.recall })),
  };
}

function corpusFigures(mode: CorpusBenchResult['modes'][number], bytes: number): CorpusFigures {
  const ask = summarize(mode.probe.askMs);
  const suggest = summarize(mode.probe.suggestMs);
  const source = summarize(mode.probe.sourceMs);
  return {
    mode: mode.mode,
    documents: mode.documents,
    passages: mode.passages,
    bytes,
    reindexColdMs: mode.coldMs,
    documentsPerSecond: mode.documents / (mode.coldMs / 1000),
    passagesPerSecond: mode.passages / (mode.coldMs / 1000),
    reindexNothingChangedMs: mode.nothingChangedMs.median,
    reindexOneChangedMs: mode.oneChangedMs.median,
    reindexOneChangedInEngineMs: mode.oneChangedInEngineMs.median,
    openMs: mode.probe.openMs,
    directoryMs: mode.probe.directoryMs,
    modelLoadMs: mode.probe.modelMs,
    askP50Ms: ask.median,
    askP95Ms: ask.p95,
    askP99Ms: percentile(mode.probe.askMs, 99),
    questions: ask.n,
    answered: mode.probe.answered,
    rssBytes: mode.probe.afterQuestions.rss,
    rssAfterOpenBytes: mode.probe.afterOpen.rss,
    suggestP50Ms: suggest.median,
    suggestP95Ms: suggest.p95,
    sourceP50Ms: source.median,
    sourceP95Ms: source.p95,
  };
}

/** The comparisons of every benchmark, in the order they are reported. */
export function buildSections(results: BenchResults): ReportSection[] {
  const { articleQuestions: questions, prose, corpus, vectors } = results;
  const timed = (label: string, distribution: Distribution, baselineLabel: string, baseline: Distribution): Comparison =>
    compare(label, 'ms', figureOf(distribution), baselineLabel, figureOf(baseline));
  const mb = (bytes: number): Figure => singleFigure(bytes / BYTES_PER_MB);
  const sections: ReportSection[] = [
    {
      title: '1. Question latency on the article (`engine.ask`, per turn)',
      note:
        `${questions.questions} development questions (${questions.turnsPerRound} turns; each question its own conversation) × ${questions.rounds} rounds. ` +
        'Baseline: a brute-force scan that stems every chunk afresh and picks the one sharing most content terms with the turn — ' +
        'no index, no BM25, no sentence selection. Hybrid is also set against lexical-only: the price of embedding the question and searching HNSW.',
      rows: [
        timed('ask, lexical-only', questions.lexicalMs, 'brute-force term-overlap scan', questions.scanMs),
        timed('ask, hybrid (tiny model)', questions.hybridMs, 'brute-force term-overlap scan', questions.scanMs),
        timed('ask, hybrid (tiny model)', questions.hybridMs, 'ask, lexical-only', questions.lexicalMs),
      ],
    },
  ];
  const families = Object.entries(prose.families)
    .filter(([, family]) => family.documents > 0)
    .map(([name, family]) => `${name} ${family.documents.toLocaleString('en-US')}`)
    .join(', ');
  for (const mode of corpus.modes) {
    const cold = singleFigure(mode.coldMs);
    sections.push({
      title: `2${mode.mode === 'lexical' ? 'a' : 'b'}. Corpus at scale, ${mode.mode === 'lexical' ? 'lexical-only' : 'hybrid (tiny model)'}: reindex and open`,
      note:
        `${mode.documents.toLocaleString('en-US')} documents (${families}), ${mode.passages.toLocaleString('en-US')} passages, ${formatNumber(prose.bytes / 1e6)} MB of real prose. ` +
        `The cold build (into an empty folder) ran at ${formatNumber(mode.documents / (mode.coldMs / 1000))} documents/s, ${formatNumber(mode.passages / (mode.coldMs / 1000))} passages/s. ` +
        'Reindexes over the saved index: nothing changed, then one document changed (a sentence inserted, a different document each run), ' +
        'read from disk as `npm run reindex` does, and with the index already loaded as a running engine\'s /reindex has it. ' +
        `Open: \`createEngine\` over the saved index in a fresh process until it can answer (process start excluded; loading the model took ${formatNumber(mode.probe.modelMs)} ms more; ` +
        `the passage directory, built in the next turn of the event loop, took ${formatNumber(mode.probe.directoryMs)} ms more). ` +
        `Then, in that process, ${mode.probe.suggestMs.length.toLocaleString('en-US')} \`/source\` autocompletes (the first 1, 2 or 3 characters of a random passage id) and as many \`/source\` look-ups of random passage ids, ` +
        `${mode.probe.suggestScanMs.length} of each also the way \`/source\` worked before the passage directory (every passage scanned).`,
      rows: [
        compare('reindex, nothing changed', 'ms', figureOf(mode.nothingChangedMs), 'cold build', cold),
        compare('reindex, one document changed (npm run reindex)', 'ms', figureOf(mode.oneChangedMs), 'cold build', cold),
        compare('reindex, one document changed (running engine)', 'ms', figureOf(mode.oneChangedInEngineMs), 'cold build', cold),
        compare('open the saved index (fresh process)', 'ms', singleFigure(mode.probe.openMs), 'cold build', cold),
        timed('/source autocomplete, 1–3 characters typed (suggestSources)', summarize(mode.probe.suggestMs), 'every passage previewed and filtered', summarize(mode.probe.suggestScanMs)),
        timed('/source (resolveSource, with neighbours)', summarize(mode.probe.sourceMs), 'neighbours by scanning every passage', summarize(mode.probe.sourceScanMs)),
      ],
    });
  }
  const [lexical, hybrid] = corpus.modes;
  if (lexical && hybrid) {
    const ask = (mode: typeof lexical): Distribution => summarize(mode.probe.askMs);
    sections.push({
      title: '3. Corpus at scale: questions and memory',
      note:
        `${ask(lexical).n.toLocaleString('en-US')} generated questions (rare words of one sentence, or of two unrelated sentences recombined) asked in the fresh process after ` +
        `untimed warm-up questions; answered ${lexical.probe.answered} (lexical) and ${hybrid.probe.answered} (hybrid). ` +
        `The lexical search step alone is set against MiniSearch configured as this project had it (the index it replaced; built in ${formatNumber(corpus.lexicalSearch.miniSearchBuildMs / 1000)} s) ` +
        `on ${corpus.lexicalSearch.questions} of the same questions. Memory is RSS after a forced GC.`,
      rows: [
        timed('lexical search, our index', corpus.lexicalSearch.oursMs, 'MiniSearch', corpus.lexicalSearch.miniSearchMs),
        timed('ask, hybrid', ask(hybrid), 'ask, lexical-only', ask(lexical)),
        compare(`RSS after ${ask(lexical).n} questions, lexical-only`, 'MB', mb(lexical.probe.afterQuestions.rss), 'RSS after opening', mb(lexical.probe.afterOpen.rss)),
        compare(`RSS after ${ask(hybrid).n} questions, hybrid`, 'MB', mb(hybrid.probe.afterQuestions.rss), 'RSS after opening', mb(hybrid.probe.afterOpen.rss)),
        compare('RSS after opening, lexical-only', 'MB', mb(lexical.probe.afterOpen.rss), 'RSS of the process before', mb(lexical.probe.before.rss)),
      ],
    });
  }
  sections.push({
    title: '4. Embedding: our mean pooling vs transformers.js\'s',
    note:
      `${corpus.pooling.passages.toLocaleString('en-US')} passages of the corpus embedded with the tiny model in batches, alternating between the embedder with our pooling ` +
      'and one letting transformers.js pool (its `mean_pooling` + `normalize`); time per batch. The tiny model\'s inference is one Gather, so pooling is most of the work here.',
    rows: [timed('embed a batch, our pooling', corpus.pooling.oursMs, "transformers.js's pooling", corpus.pooling.transformersMs)],
  });
  vectors.forEach((ann, i) => sections.push(annSection(ann, `5${String.fromCharCode(97 + i)}`)));
  const ingested = results.ingest.filter((entry) => entry.files > 0);
  if (ingested.length > 0) {
    const skipped = results.ingest.flatMap((entry) => entry.skipped.map((skip) => `${skip.file} (${skip.reason})`));
    sections.push({
      title: '6. Extraction per format',
      note:
        'Every fixture document of `test/fixtures/documents/` and `test/fixtures/labelled/` in a format the reader registry knows, read through `readDocument` ' +
        '(bytes from disk, then the reader) as a reindex reads it, median of the rounds; the baseline reads the same extracted texts as UTF-8 `.txt` files. ' +
        `RSS is the most the reading added over the process's RSS before it (after a forced GC).${skipped.length > 0 ? ` Skipped by their reader: ${skipped.join('; ')}.` : ''}`,
      rows: ingested.flatMap((entry) => {
        const label = `${entry.format}: ${entry.files} file(s), ${formatNumber(entry.bytes / 1024)} KB${entry.pages > 0 ? `, ${entry.pages} pages` : ''}`;
        return [
          compare(`read ${label}`, 'ms', singleFigure(entry.ms), `the same text as .txt (${formatNumber(entry.txt.bytes / 1024)} KB)`, singleFigure(entry.txt.ms)),
          compare(`RSS added reading ${entry.format}`, 'MB', mb(entry.rssBytes), 'reading the same text as .txt', mb(entry.txt.rssBytes)),
        ];
      }),
    });
  }
  return sections;
}

function annSection(ann: AnnBenchResult, number: string): ReportSection {
  const defaultSearch = ann.searches.find((search) => search.projectDefault)!;
  const exact = figureOf(ann.exactLatencyMs);
  return {
    title: `${number}. HNSW vs exact search: ${ann.count.toLocaleString('en-US')} × ${ann.dimensions}-d unit vectors ${describeDistribution(ann.distribution)}, k = ${ann.k}`,
    note:
      `\`buildDenseIndex\` (hnswlib-node, M = 16, efConstruction = 200) took ${formatNumber(ann.buildMs / 1000)} s; the saved index is ${formatNumber(ann.diskBytes / BYTES_PER_MB)} MB ` +
      `and loads in ${formatNumber(ann.loadMs)} ms, adding ${formatNumber(ann.rssBytes / BYTES_PER_MB)} MB of RSS. Queried through \`searchDense\` (LangChain's vector store) ` +
      `vs. an exact cosine scan in plain JS and vs. hnswlib-node's own \`searchKnn\`, ${ann.exactLatencyMs.n} seeded queries from the same distribution. ` +
      `Recall@${ann.k} counts a result as a hit when its true distance is within 1e-3 of the ${ann.k}th exact distance (ann-benchmarks' rule); by id in brackets. ` +
      `ef = ${defaultSearch.ef} is what the project searches with (\`HNSW_EF_SEARCH\`; hnswlib uses max(ef, k)); the other rows are the recall–latency curve.`,
    rows: [
      compare(`HNSW query via searchDense, ef = ${defaultSearch.ef}`, 'ms', figureOf(defaultSearch.latencyMs), 'raw hnswlib-node searchKnn', figureOf(ann.rawLatencyMs)),
      compare('load the saved index', 'ms', singleFigure(ann.loadMs), 'build it', singleFigure(ann.buildMs)),
      ...[...ann.searches]
        .sort((a, b) => a.ef - b.ef)
        .flatMap((search) => {
          const label = `ef = ${search.ef}${search.projectDefault ? ' (project default)' : ''}`;
          return [
            compare(`HNSW query, ${label}`, 'ms', figureOf(search.latencyMs), 'exact scan', exact),
            compare(`HNSW recall@${ann.k}, ${label} (by id: ${search.recallById.toFixed(3)})`, 'recall', { n: search.latencyMs.n, median: search.recall, p95: null }, 'exact scan', { n: exact.n, median: 1, p95: null }),
          ];
        }),
    ],
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
  // A baseline of zero (no RSS added, say) has no ratio; JSON turns the Infinity into null.
  if (ratio === null || !Number.isFinite(ratio)) return '—';
  const shown = `${formatNumber(ratio)}×`;
  if (unit !== 'ms' || ratio <= 0) return shown;
  if (ratio < 1) return `${shown} (${formatNumber(1 / ratio)}× faster)`;
  if (ratio > 1) return `${shown} (${formatNumber(ratio)}× slower)`;
  return `${shown} (same)`;
}

function formatPercent(share: number): string {
  return `${formatNumber(share * 100)}%`;
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
    `Node ${meta.node} · ${meta.platform} · ${meta.cpus} × ${meta.cpuModel} · ${meta.startedAt} · ran ${formatNumber(meta.seconds)} s · load average ${meta.loadAverage.toFixed(1)} at the end`,
    '',
    'Ratio = figure ÷ baseline (medians). Every baseline was measured in the same run; times are `performance.now()` after warm-up.',
    '',
    '## Summary',
    '',
    '| corpus | documents | passages | cold reindex | nothing changed | one changed | open | ask p50 / p95 / p99 | /source autocomplete / look-up p95 | RSS after questions |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...report.corpus.map(
      (c) =>
        `| ${c.mode} | ${c.documents.toLocaleString('en-US')} | ${c.passages.toLocaleString('en-US')} | ${formatNumber(c.reindexColdMs / 1000)} s | ` +
        `${formatNumber(c.reindexNothingChangedMs / 1000)} s (${formatPercent(c.reindexNothingChangedMs / c.reindexColdMs)} of cold) | ` +
        `${formatNumber(c.reindexOneChangedMs / 1000)} s (${formatNumber(c.reindexColdMs / c.reindexOneChangedMs)}× faster; in a running engine ${formatNumber(c.reindexOneChangedInEngineMs / 1000)} s) | ${formatNumber(c.openMs / 1000)} s | ` +
        `${formatNumber(c.askP50Ms)} / ${formatNumber(c.askP95Ms)} / ${formatNumber(c.askP99Ms)} ms | ${formatNumber(c.suggestP95Ms)} / ${formatNumber(c.sourceP95Ms)} ms | ${formatNumber(c.rssBytes / BYTES_PER_MB)} MB after ${c.questions.toLocaleString('en-US')} |`,
    ),
    '',
    '| vectors | build | disk | load | RSS added | HNSW p50 / p95 | recall@10 | exact p50 | HNSW vs exact | raw searchKnn p50 | ours ÷ raw |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...report.scale.map(
      (v) =>
        `| ${v.n.toLocaleString('en-US')} × ${v.dims} | ${formatNumber(v.buildMs / 1000)} s | ${formatNumber(v.diskBytes / BYTES_PER_MB)} MB | ${formatNumber(v.loadMs)} ms | ` +
        `${formatNumber(v.rssBytes / BYTES_PER_MB)} MB | ${formatNumber(v.hnswP50Ms)} / ${formatNumber(v.hnswP95Ms)} ms | ${v.recallAt10.toFixed(3)} | ${formatNumber(v.bruteP50Ms)} ms | ` +
        `${formatNumber(v.bruteP50Ms / v.hnswP50Ms)}× faster | ${formatNumber(v.rawP50Ms)} ms | ${formatNumber(v.hnswP50Ms / v.rawP50Ms)}× |`,
    ),
    '',
    `Article (development questions, per turn): ask p50 ${formatNumber(report.query.p50Ms)} ms, p95 ${formatNumber(report.query.p95Ms)} ms lexical-only; ` +
      `${formatNumber(report.query.hybridP50Ms)} / ${formatNumber(report.query.hybridP95Ms)} ms hybrid.`,
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
