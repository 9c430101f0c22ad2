import { describe, expect, it } from 'vitest';
import { answeredRightAtRefusal, formatComparison, mcnemarExact, type SavedPrediction } from '../../src/training/compare-runs.js';

const prediction = (group: string, id: string, fields: Partial<SavedPrediction>): SavedPrediction => ({
  group,
  setting: 'single',
  id,
  answerable: true,
  confidence: 0.5,
  threshold: 0.2,
  correct: true,
  topCorrect: true,
  reachable: true,
  ...fields,
});

describe('comparing two runs’ held-out predictions', () => {
  it('computes McNemar’s exact two-sided p from the discordant counts', () => {
    // 2 × P(X ≤ 2), X ~ Binomial(12, 1/2) = 2 × (1 + 12 + 66) / 4096.
    expect(mcnemarExact(10, 2)).toBeCloseTo(158 / 4096, 10);
    expect(mcnemarExact(3, 3)).toBe(1);
    expect(mcnemarExact(0, 0)).toBe(1);
  });

  it('compares runs at the same share of unanswerable questions refused', () => {
    const runs = [
      prediction('d', 'u1', { answerable: false, confidence: 0.1 }),
      prediction('d', 'u2', { answerable: false, confidence: 0.3 }),
      prediction('d', 'u3', { answerable: false, confidence: 0.6 }),
      prediction('d', 'u4', { answerable: false, confidence: 0.9 }),
      prediction('d', 'a1', { confidence: 0.2 }),
      prediction('d', 'a2', { confidence: 0.5 }),
      prediction('d', 'a3', { confidence: 0.95, correct: false }),
    ];
    // Refusing half the unanswerable ones means refusing below 0.6: only a3 is given, and it is wrong.
    expect(answeredRightAtRefusal(runs, 0.5)).toBe(0);
    // A quarter: below 0.3, which keeps a2 (right) and a3 (wrong).
    expect(answeredRightAtRefusal(runs, 0.25)).toBeCloseTo(1 / 3);
  });

  it('prints each measure for both runs, the difference, the discordant questions and an interval over documents', () => {
    const base: SavedPrediction[] = [];
    const better: SavedPrediction[] = [];
    for (const group of ['a', 'b', 'c', 'd']) {
      for (let i = 0; i < 10; i++) {
        base.push(prediction(group, `q${i}`, { topCorrect: i < 5 }));
        better.push(prediction(group, `q${i}`, { topCorrect: i < 8 }));
      }
    }
    const table = formatComparison(base, better, ['base', 'better']);
    expect(table).toContain('| best sentence right (answerable) | 50.0% | 80.0% | +30.0 | 12 / 0 | < 0.001 | [+30.0, +30.0] |');
    expect(table).toContain('40 question runs over 4 documents');
  });

  it('compares one setting when asked, and each run’s AUC with an interval over documents', () => {
    const base: SavedPrediction[] = [];
    const better: SavedPrediction[] = [];
    for (const group of ['a', 'b', 'c']) {
      for (const setting of ['single', 'mixed']) {
        // Base ranks a wrong answer above a right one in every document; better orders them.
        base.push(prediction(group, 'right', { setting, confidence: 0.4 }), prediction(group, 'wrong', { setting, confidence: 0.6, correct: false }));
        better.push(prediction(group, 'right', { setting, confidence: 0.7 }), prediction(group, 'wrong', { setting, confidence: 0.3, correct: false }));
      }
    }
    const single = formatComparison(base, better, ['base', 'better'], 'single');
    expect(single).toContain('6 question runs over 3 documents (each document alone in its corpus)');
    expect(single).toContain('| AUC (right answers ranked above the rest; not points) | 0.000 | 1.000 | +1.000 | – | – | [+1.000, +1.000] |');
    expect(formatComparison(base, better, ['base', 'better'])).toContain('12 question runs over 3 documents (both settings)');
    // Nothing to rank when every question is answered right: no AUC, rather than a made-up 0.5.
    const allRight = base.map((p) => ({ ...p, correct: true }));
    expect(formatComparison(allRight, allRight, ['base', 'same'], 'single')).toContain('| AUC (right answers ranked above the rest; not points) | n/a | n/a | n/a | – | – | [n/a, n/a] |');
    expect(() => formatComparison(base.filter((p) => p.setting === 'single'), better, ['base', 'better'], 'mixed')).toThrow(/share no questions asked all documents in one corpus/);
  });
});
