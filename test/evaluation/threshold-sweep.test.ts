import { describe, expect, it } from 'vitest';
import { formatSweepTable, measureAtThreshold, renderSweepSvg, type ScoredRun, sweepThresholds } from '../../src/evaluation/threshold-sweep.js';

const runs: ScoredRun[] = [
  { kind: 'answerable', confidence: 0.9, holdsAnswer: true, quoteChars: 100 },
  { kind: 'answerable', confidence: 0.4, holdsAnswer: true, quoteChars: 200 },
  { kind: 'answerable', confidence: 0.6, holdsAnswer: false, quoteChars: 300 },
  { kind: 'followup', confidence: 0.7, holdsAnswer: true, quoteChars: 100 },
  { kind: 'unanswerable', confidence: 0.5, holdsAnswer: false, quoteChars: 100 },
  { kind: 'unanswerable', confidence: 0.2, holdsAnswer: false, quoteChars: 100 },
  { kind: 'unanswerable', confidence: -1, holdsAnswer: false, quoteChars: 0 },
];

describe('the threshold sweep', () => {
  it('counts what one threshold does: answers right, answerable refused, unanswerable refused, precision and quote length', () => {
    expect(measureAtThreshold(runs, 0.45)).toEqual({
      threshold: 0.45,
      answerable: 4,
      answered: 2,
      wronglyAbstained: 1,
      unanswerable: 3,
      refused: 2,
      precision: 2 / 4,
      meanQuoteChars: (100 + 300 + 100 + 100) / 4,
    });
  });

  it('never counts a refusal (confidence −1) as an answer, even at threshold 0', () => {
    const row = measureAtThreshold(runs, 0);
    expect(row.refused).toBe(1);
    expect(row.answered).toBe(3);
  });

  it('sweeps the usual thresholds plus the chosen one, in order, and marks the chosen one', () => {
    const rows = sweepThresholds(runs, 0.45);
    expect(rows.map((row) => row.threshold)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(formatSweepTable(rows, 0.45)).toContain('| **0.45** | 50.0% (2/4) | 1 | 66.7% (2/3) | 50.0% | 150 |');
  });

  it('draws the trade-off as a self-contained SVG with both curves and the chosen threshold', () => {
    const svg = renderSweepSvg(sweepThresholds(runs, 0.45), 'Test <set>', 0.45);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(3);
    expect(svg).toContain('chosen 0.45');
    expect(svg).toContain('Test &lt;set&gt;');
    expect(svg).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });
});
