import { describe, expect, it } from 'vitest';
import { compare, describeRatio, formatNumber, singleFigure } from '../../src/benchmark/bench-report.js';

describe('bench report', () => {
  it('divides the figure by the baseline and says how a time ratio reads', () => {
    const faster = compare('open', 'ms', singleFigure(2), 'build', singleFigure(50));
    expect(faster.ratio).toBe(0.04);
    expect(describeRatio(faster)).toBe('0.04× (25× faster)');
    expect(describeRatio(compare('ask', 'ms', singleFigure(3), 'scan', singleFigure(2)))).toBe('1.5× (1.5× slower)');
    expect(describeRatio(compare('rss', 'MB', singleFigure(150), 'lexical', singleFigure(100)))).toBe('1.5×');
    // Nothing to divide by: no ratio rather than "Infinity×".
    expect(describeRatio(compare('rss', 'MB', singleFigure(0.1), 'baseline', singleFigure(0)))).toBe('—');
  });

  it('shows three significant digits, and whole numbers with separators from 1,000 up', () => {
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(9.356)).toBe('9.36');
    expect(formatNumber(21_012.9)).toBe('21,013');
  });
});
