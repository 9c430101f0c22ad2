import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWER_FORMS } from '../../src/answering/answer-forms.js';
import { readLabelledDocument } from '../../src/evaluation/labelled-documents.js';
import { Lexicon } from '../../src/lexicon/lexicon.js';
import { WordNet } from '../../src/lexicon/wordnet.js';
import { collectExamples, provisionalModel, type QuestionExample } from '../../src/training/collect-examples.js';
import { concerns } from '../../src/training/signal-ablation.js';
import { makeTempDir } from '../helpers.js';

const MODEL = provisionalModel({ expansionWeight: 0.4, maxSenses: 3, candidatePassages: 8 }, ANSWER_FORMS);

const DOCUMENT = `# Notes on Thomas Weller

Thomas Weller was born at Elmsby in 1628 and learned the trade of a tinker.

When he was about seventeen he enlisted in the Parliamentary army. The regiment marched north in 1645.

Weller married in 1649 and settled at Bedford, where Weller preached for twenty years.
`;

const QUESTIONS = [
  // Answered by a sentence that says "he" for Weller and not his name: the pronoun signal bears on it.
  { id: 'army', kind: 'answerable', question: 'Which army did Thomas Weller join?', answers: ['the Parliamentary army'], evidence: 'he enlisted in the Parliamentary army' },
  // Answered by a sentence that names him: it does not.
  { id: 'born', kind: 'answerable', question: 'Where was Thomas Weller born?', answers: ['Elmsby'], evidence: 'Thomas Weller was born at Elmsby' },
  // Answered by a sentence with no pronoun, lacking the name: nor does it.
  { id: 'march', kind: 'answerable', question: 'When did the regiment of Thomas Weller march north?', answers: ['1645'], evidence: 'The regiment marched north in 1645' },
  { id: 'preach', kind: 'answerable', question: 'How long did Weller preach at Bedford?', answers: ['twenty years'], evidence: 'preached for twenty years' },
  // The document does not answer it: no sentence holds the answer, so nothing for the signal to find.
  { id: 'death', kind: 'unanswerable', question: 'When did Thomas Weller die?', answers: [] },
];

describe('which questions a signal concerns (signal-ablation)', () => {
  let temp: { dir: string; cleanup: () => void };
  let examples: Map<string, QuestionExample>;

  beforeAll(async () => {
    temp = makeTempDir();
    const documentFile = path.join(temp.dir, 'weller.md');
    const questionFile = path.join(temp.dir, 'weller.jsonl');
    writeFileSync(documentFile, DOCUMENT);
    writeFileSync(questionFile, QUESTIONS.map((q) => JSON.stringify(q)).join('\n'));
    const document = await readLabelledDocument(documentFile, [questionFile], 'weller');
    const collected = await collectExamples([document], [document], 'single', { model: MODEL, lexicon: new Lexicon(new WordNet(), { maxSenses: 3 }), embedder: null, retrievalK: 8 });
    examples = new Map(collected.map((example) => [example.question.id, example]));
  }, 60_000);
  afterAll(() => temp.cleanup());

  it('pronoun: the questions whose answer sentence says he or she for a name of the question it lacks', () => {
    expect(['army', 'born', 'march', 'preach', 'death'].map((id) => concerns('pronoun', examples.get(id)!))).toEqual([true, false, false, false, false]);
  });

  it('an answer form: the questions that ask for it; any other signal: every question', () => {
    expect(['army', 'preach'].map((id) => concerns('duration', examples.get(id)!))).toEqual([false, true]);
    expect(['army', 'death'].map((id) => concerns('section', examples.get(id)!))).toEqual([true, true]);
  });
});
