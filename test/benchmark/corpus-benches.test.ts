import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMarkdown, type BenchReport } from '../../src/benchmark/bench-report.js';
import { renderRecallLatencySvg } from '../../src/benchmark/plot-recall-latency.js';
import { quickBenchSettings, runBenchmarks } from '../../src/benchmark/run-benchmarks.js';
import { scanByTermOverlap } from '../../src/benchmark/term-overlap-scan.js';
import { ARTICLE_DIR, PROJECT_ROOT, QUESTIONS_FILE } from '../helpers.js';

describe('the quick benchmark run (npm run bench -- --quick)', () => {
  let report: BenchReport;
  const progress: string[] = [];
  beforeAll(async () => {
    report = await runBenchmarks(quickBenchSettings(PROJECT_ROOT, ARTICLE_DIR, QUESTIONS_FILE), (line) => progress.push(line));
  });
  afterAll(() => progress.splice(0));

  it('fills the JSON contract: query, scale[] and corpus[], with figures from this run', () => {
    expect(report.query).toMatchObject({ mode: 'lexical' });
    expect(report.query.p50Ms).toBeGreaterThan(0);
    expect(report.query.p95Ms).toBeGreaterThanOrEqual(report.query.p50Ms);
    expect(report.scale).toHaveLength(1);
    const [vectors] = report.scale;
    expect(vectors).toMatchObject({ n: 400, dims: 32, efSearch: 64 });
    for (const key of ['buildMs', 'diskBytes', 'loadMs', 'hnswP50Ms', 'hnswP95Ms', 'recallAt10', 'bruteP50Ms', 'rawP50Ms'] as const) expect(vectors![key]).toBeGreaterThan(0);
    expect(vectors!.curve.map((point) => point.ef)).toEqual([16, 64, 128]);
    expect(report.corpus.map((entry) => entry.mode)).toEqual(['lexical', 'hybrid']);
    for (const entry of report.corpus) {
      expect(entry.documents).toBeGreaterThanOrEqual(30);
      expect(entry.passages).toBeGreaterThanOrEqual(400);
      expect(entry.questions).toBe(20);
      for (const key of ['reindexColdMs', 'reindexNothingChangedMs', 'reindexOneChangedMs', 'reindexOneChangedInEngineMs', 'openMs', 'askP50Ms', 'askP95Ms', 'askP99Ms', 'rssBytes', 'suggestP95Ms', 'sourceP95Ms'] as const) expect(entry[key]).toBeGreaterThan(0);
      expect(entry.askP95Ms).toBeGreaterThanOrEqual(entry.askP50Ms);
      expect(entry.askP99Ms).toBeGreaterThanOrEqual(entry.askP95Ms);
    }
    // One ingest entry per format among the fixture documents, each with its .txt baseline.
    expect(report.ingest.length).toBeGreaterThan(0);
    expect(report.ingest.map((entry) => entry.format)).toContain('md');
    for (const entry of report.ingest.filter((e) => e.files > 0)) {
      expect(entry).toMatchObject({ files: expect.any(Number), bytes: expect.any(Number), pages: expect.any(Number), rssBytes: expect.any(Number) });
      expect(entry.ms).toBeGreaterThan(0);
      expect(entry.txt.ms).toBeGreaterThan(0);
      expect(entry.txt.bytes).toBeGreaterThan(0);
    }
    // The corpus is real prose from this machine, cut into documents at section boundaries.
    expect(report.results.prose.reachedTarget).toBe(true);
    expect(JSON.parse(JSON.stringify(report))).toMatchObject({ query: report.query, corpus: report.corpus });
  });

  it('reports progress as it goes and renders every section with its baseline', () => {
    expect(progress.some((line) => line.includes('cold build'))).toBe(true);
    expect(progress.some((line) => line.includes('HNSW vs exact'))).toBe(true);
    const markdown = formatMarkdown(report);
    for (const heading of ['## Summary', 'Corpus at scale, lexical-only', 'Corpus at scale, hybrid', 'our mean pooling', 'HNSW vs exact search', 'Extraction per format']) expect(markdown).toContain(heading);
    expect(markdown).toMatch(/\| \/source autocomplete, 1–3 characters typed \(suggestSources\) \| 20 \| .* \| every passage previewed and filtered \| 3 \|/);
    expect(markdown).toMatch(/\| reindex, nothing changed \| \d+ \| .* \| cold build \|/);
    const svg = renderRecallLatencySvg(report.scale, 'quick');
    expect(svg.match(/<polyline/g)).toHaveLength(1);
    expect(svg.match(/<circle/g)).toHaveLength(4);
  });
});

describe('scanByTermOverlap', () => {
  it('picks the chunk sharing the most distinct content terms, or -1 when none shares any', async () => {
    const chunk = (text: string) => ({ id: text, documentId: 'd', source: 's', paragraph: 1, kind: 'paragraph' as const, start: 0, end: text.length, text, sentences: [], section: null, page: null });
    const chunks = [chunk('The council met in Geneva.'), chunk('Kazakhstan was elected to the council in Geneva.'), chunk('Nothing here.')];
    expect(scanByTermOverlap(chunks, 'When was Kazakhstan elected to the council?')).toBe(1);
    expect(scanByTermOverlap(chunks, 'zebras')).toBe(-1);
  });
});
