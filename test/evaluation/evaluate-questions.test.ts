import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine.js';
import type { Engine } from '../../src/engine-types.js';
import { containsAnswer, type EvalQuestion, evaluateQuestions, formatEvalReport, normalizeSquadText, readEvalQuestions } from '../../src/evaluation/evaluate-questions.js';
import { percentile } from '../../src/statistics.js';
import { ARTICLE_DIR, makeTempDir, testConfig } from '../helpers.js';

const VOTES = 'How many member states voted for Kazakhstan?';
const question = (id: string, kind: EvalQuestion['kind'], text: string, answers: string[] = []): EvalQuestion => ({ id, kind, question: text, answers, evidence: '' });

describe('evaluateQuestions', () => {
  let temp: { dir: string; cleanup: () => void };
  let engine: Engine;
  beforeAll(async () => {
    temp = makeTempDir();
    cpSync(ARTICLE_DIR, path.join(temp.dir, 'corpus'), { recursive: true });
    engine = await createEngine({ config: testConfig(temp.dir), embedder: null, embedderWarning: 'lexical-only in this test' });
  });
  afterAll(() => temp.cleanup());

  it('counts an expected answer only as whole words: "18" is not found in "183 of 193"', async () => {
    const report = await evaluateQuestions(engine, [question('partial', 'answerable', VOTES, ['18']), question('whole', 'answerable', VOTES, ['183 of 193'])], temp.dir);
    expect(report.answerable.answerRecall).toBe(0.5);
    expect(report.failures.map((f) => f.id)).toEqual(['partial']);
  });

  it('reports no fidelity figure when nothing was quoted, and counts the answers without quotes', async () => {
    const report = await evaluateQuestions(engine, [question('u1', 'unanswerable', 'What is the population of Kazakhstan?')], temp.dir);
    expect(report.unanswerable.abstentionRate).toBe(1);
    expect(report.quotes).toMatchObject({ total: 0, fidelity: null, unquotedAnswers: 1 });
  });

  it('gives no share of nothing: with no evidence spans and no follow-ups, hit@k, MRR and follow-up recall are "–", not 100%', async () => {
    const report = await evaluateQuestions(engine, [question('a', 'answerable', VOTES, ['183'])], temp.dir);
    expect(report.answerable).toMatchObject({ hitAt1: null, hitAt3: null, mrr: null });
    expect(report.followup).toEqual({ total: 0, answerRecall: null });
    expect(report.unanswerable).toEqual({ total: 0, abstentionRate: null });
    const printed = formatEvalReport(report, 'test');
    expect(printed).toContain('| evidence hit@1 / hit@3 | – / – |');
    expect(printed).toContain('| evidence MRR | – |');
    expect(printed).toContain('| follow-up answer recall | – of 0 |');
    expect(printed).toContain('| unanswerable abstained | – of 0 |');
  });

  it('reports a quote whose source file is missing as missing, not as "not the exact slice"', async () => {
    const elsewhere = makeTempDir();
    try {
      const report = await evaluateQuestions(engine, [question('a', 'answerable', VOTES, ['183'])], elsewhere.dir);
      expect(report.quotes.fidelity).toBe(0);
      expect(report.failures).toEqual([
        expect.objectContaining({ id: 'a', problem: expect.stringMatching(/^quote \[1\]: its text file corpus\/kazakhstan-un-human-rights-council\.txt cannot be read \(ENOENT/) }),
      ]);
      expect(report.failures[0]!.problem).not.toContain('exact slice');
    } finally {
      elsewhere.cleanup();
    }
  });

  it('gives the same p95 latency as bench and report: interpolated between closest ranks', async () => {
    // A clock that makes the two questions take 10 ms and 20 ms.
    const ticks = [0, 10, 100, 120];
    const report = await evaluateQuestions(engine, [question('a', 'answerable', VOTES, ['183']), question('b', 'answerable', VOTES, ['183'])], temp.dir, { now: () => ticks.shift()! });
    expect(report.latencyMs).toEqual({ mean: 15, p95: percentile([10, 20], 95), max: 20 });
    expect(report.latencyMs.p95).toBeCloseTo(19.5, 10);
  });

  it('reports fidelity over the quotes given', async () => {
    const report = await evaluateQuestions(engine, [question('a', 'answerable', VOTES, ['183']), question('u', 'unanswerable', 'What is the population of Kazakhstan?')], temp.dir);
    expect(report.quotes.total).toBeGreaterThan(0);
    expect(report.quotes).toMatchObject({ fidelity: 1, unquotedAnswers: 1 });
  });
});

describe('containsAnswer', () => {
  it.each([
    ['18', 'the 18 available seats', true],
    ['18', '183 of 193 member states', false],
    ['183', 'voted by 183 of 193', true],
    ['Shakirov', 'Askar Shakirov, attributed', true],
    ['elect', 'was elected', false],
    ['2013-2015', 'for 2013–2015.', true],
    ['Kazakhstan’s', "kazakhstan's election", true],
    ['(Kazinform', 'work” (Kazinform, November 13)', true],
    ['', 'anything', false],
  ])('finds %j in %j: %s', (gold, quoted, expected) => {
    expect(containsAnswer(quoted, gold)).toBe(expected);
  });

  it('takes another normaliser, such as SQuAD’s', () => {
    expect(containsAnswer('The Normans, in 911.', 'the normans', normalizeSquadText)).toBe(true);
    expect(containsAnswer('in 9110', '911', normalizeSquadText)).toBe(false);
  });
});

describe('normalizeSquadText', () => {
  // Expected values printed by the official SQuAD script's normalize_answer (Python 3).
  it.each([
    ['The Normans (Norman: Nourmands; French: Normands)', 'normans norman nourmands french normands'],
    ['  An apple—the end  ', 'apple— end'],
    ['the_theory, A.D. 1066\'s "theme"', 'thetheory ad 1066s theme'],
    ['Thé café an état', 'thé café état'],
    ['O(n log n) [the] {an} time\\space\tand\nmore', 'on log n timespace and more'],
    ['Ånother A cat', 'ånother cat'],
  ])('normalises %j as SQuAD does', (text, expected) => {
    expect(normalizeSquadText(text)).toBe(expected);
  });
});

describe('readEvalQuestions', () => {
  it('reads a conversation line as one question per turn, each asked after the turns before it and labelled follow-up or new topic', async () => {
    const temp = makeTempDir();
    try {
      const file = path.join(temp.dir, 'chains.jsonl');
      const chain = {
        id: 'c1',
        turns: [
          { question: 'Who speaks for the ministry?', answers: ['Altay Abibullayev'], evidence: 'Altay Abibullayev' },
          { question: 'What did he say?', followup: true, answers: ['We are pleased'] },
          { question: 'What is the population of Kazakhstan?', followup: false, answers: [] },
        ],
      };
      const topicChange = { id: 'q1', kind: 'answerable', turns: ['Who speaks for the ministry?', 'How many seats were available?'], question: 'How many seats were available?', answers: ['18'], evidence: '' };
      writeFileSync(file, [JSON.stringify(chain), JSON.stringify(topicChange), ''].join('\n'));
      const questions = await readEvalQuestions(file);
      expect(questions.map((q) => [q.id, q.kind, q.turns?.length ?? 1, q.followUps])).toEqual([
        ['c1-t1', 'answerable', 1, undefined],
        ['c1-t2', 'followup', 2, [false, true]],
        ['c1-t3', 'unanswerable', 3, [false, true, false]],
        ['q1', 'answerable', 2, [false, false]],
      ]);
      expect(questions[1]!.turns).toEqual(['Who speaks for the ministry?', 'What did he say?']);
    } finally {
      temp.cleanup();
    }
  });

  it('names the line of a conversation turn without a question', async () => {
    const temp = makeTempDir();
    try {
      const file = path.join(temp.dir, 'bad.jsonl');
      writeFileSync(file, `${JSON.stringify({ id: 'c', turns: [{ question: 'Who?' }, { answers: ['x'] }] })}\n`);
      await expect(readEvalQuestions(file)).rejects.toThrow(/bad\.jsonl line 1: turn 2 needs a "question"/);
    } finally {
      temp.cleanup();
    }
  });
});
