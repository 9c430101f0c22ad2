import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ANSWER_FEATURES } from '../../src/answering/answer-features.js';
import { loadAnswerModel, parseAnswerModel } from '../../src/answering/answer-model.js';
import { SENTENCE_FEATURES } from '../../src/answering/sentence-features.js';

const SHIPPED = readFileSync(new URL('../../src/answering/answer-model.json', import.meta.url), 'utf8');

describe('the fitted answer model', () => {
  it('ships weights for exactly the features the code computes, and every decision constant', () => {
    const model = loadAnswerModel();
    expect(model.sentence.features).toEqual([...SENTENCE_FEATURES]);
    expect(model.answer.features).toEqual([...ANSWER_FEATURES]);
    expect(model.abstainThreshold).toBeGreaterThan(0);
    expect(model.abstainThreshold).toBeLessThan(1);
    expect(model.extraSentenceProbability).toBeGreaterThan(0);
    expect(model.retrieval.candidatePassages).toBeGreaterThan(0);
  });

  it('refuses a model fitted for other features, saying to retrain', () => {
    const stale = JSON.parse(SHIPPED);
    stale.sentence.features = stale.sentence.features.slice(1);
    expect(() => parseAnswerModel(JSON.stringify(stale))).toThrow(/npm run train/);
  });

  it('reads a model fitted before a signal’s features existed, with them at weight 0, unless it uses that signal', () => {
    const older = JSON.parse(SHIPPED);
    for (const part of ['sentence', 'answer'] as const) {
      const keep = older[part].features.map((feature: string) => feature !== 'coverGloss' && feature !== 'coverThesaurus');
      for (const vector of ['features', 'mean', 'scale', 'weights']) older[part][vector] = older[part][vector].filter((_: unknown, i: number) => keep[i]);
    }
    older.signals = older.signals.filter((signal: string) => signal !== 'gloss' && signal !== 'thesaurus');
    const read = parseAnswerModel(JSON.stringify(older));
    expect(read.sentence.features).toEqual([...SENTENCE_FEATURES]);
    expect(read.answer.features).toEqual([...ANSWER_FEATURES]);
    expect(read.sentence.weights[SENTENCE_FEATURES.indexOf('coverGloss')]).toBe(0);
    expect(read.answer.scale[ANSWER_FEATURES.indexOf('coverThesaurus')]).toBe(1);
    expect(() => parseAnswerModel(JSON.stringify({ ...older, signals: [...older.signals, 'gloss'] }))).toThrow(/npm run train/);
  });

  it('refuses a malformed weight vector', () => {
    const broken = JSON.parse(SHIPPED);
    broken.answer.weights[2] = null;
    expect(() => parseAnswerModel(JSON.stringify(broken))).toThrow(/malformed/);
  });

  it('refuses another format version', () => {
    expect(() => parseAnswerModel(JSON.stringify({ ...JSON.parse(SHIPPED), formatVersion: 99 }))).toThrow(/format 99/);
  });
});
