import { describe, expect, it } from 'vitest';
import { analyzeQuestion } from '../../src/answering/analyze-question.js';
import { ANSWER_FORMS } from '../../src/answering/answer-forms.js';
import { listCandidates } from '../../src/answering/answer-question.js';
import { computeSentenceFeatures, measureAssociationReach, SENTENCE_FEATURES, type SentenceFeature } from '../../src/answering/sentence-features.js';
import { DocumentTerms } from '../../src/answering/document-terms.js';
import { StemCache } from '../../src/answering/stem-cache.js';
import { buildLexicalIndex } from '../../src/store/lexical-index.js';
import { TermStatistics } from '../../src/answering/term-statistics.js';
import { contextualize } from '../../src/conversation/contextualize.js';
import type { Chunk, Document, Hit } from '../../src/domain.js';
import { Lexicon } from '../../src/lexicon/lexicon.js';
import { WordNet } from '../../src/lexicon/wordnet.js';
import { GlossAssociations, MAX_GLOSS_FREQUENCY } from '../../src/lexicon/gloss-associations.js';
import { Thesaurus } from '../../src/lexicon/thesaurus.js';
import type { WordAssociations } from '../../src/lexicon/word-associations.js';
import { passageOf } from './passage-fixture.js';

/** One passage of two sentences, under a section heading. */
function passage(first: string, second: string, section: string | null = null): Chunk {
  return passageOf([first, second], { section });
}

/** The terms of a document made of one passage, from its lexical index. */
function documentTermsOf(chunk: Chunk): DocumentTerms {
  return new DocumentTerms(buildLexicalIndex([chunk]), (id) => (id === chunk.documentId ? [0] : []));
}

/** Every feature of the two sentences, for a question, with the signals (and association sources) given. */
function vectorsOf(question: string, chunk: Chunk, signals: readonly string[], lexicon: Lexicon | null = null, associations: readonly WordAssociations[] = []): number[][] {
  const document = { id: 'doc', text: chunk.text, title: 'Doc' } as Document;
  const statistics = new TermStatistics([chunk]);
  const analysis = analyzeQuestion(question, contextualize(question, [], false), statistics, lexicon, associations);
  const hit: Hit = { chunk, score: 1, lexicalRank: 1, lexicalScore: 1, denseRank: null, denseScore: null };
  return computeSentenceFeatures(listCandidates([hit]), { analysis, stems: new StemCache(new Map([['doc', document]])), documentTerms: documentTermsOf(chunk), signals: new Set(signals), lexicon });
}

/** The two sentences' values of a feature, for a question, with the signals given. */
function featureOf(name: SentenceFeature, question: string, chunk: Chunk, signals: readonly string[], lexicon: Lexicon | null = null, associations: readonly WordAssociations[] = []): number[] {
  return vectorsOf(question, chunk, signals, lexicon, associations).map((vector) => vector[SENTENCE_FEATURES.indexOf(name)]!);
}

const FORMS = [...ANSWER_FORMS];

describe('sentence features for the finer answer forms', () => {
  it('marks the sentence that says the age asked for, and the one that does not', () => {
    const chunk = passage('Askar Shakirov was appointed commissioner in 2002.', 'Shakirov was 51 years old at the time.');
    expect(featureOf('specificForm', 'How old was Shakirov when he was appointed?', chunk, FORMS)).toEqual([-1, 1]);
    // Left out, the signal says nothing.
    expect(featureOf('specificForm', 'How old was Shakirov when he was appointed?', chunk, [])).toEqual([0, 0]);
  });

  it.each([
    ['founding', 'When was the commission set up?', 'The commission meets every spring.', 'The commission was established in 1996.'],
    ['duration', 'How long has the commission met?', 'The commission meets in Almaty.', 'The commission has met for twelve years.'],
    ['percentage', 'What share of the recommendations did the commission adopt?', 'The commission adopted recommendations.', 'The commission adopted 90 percent of the recommendations.'],
    ['unit', 'How many seats did the commission hold?', 'The commission held seats.', 'The commission held 18 seats.'],
  ])('marks the sentence that gives the %s asked for', (_form, question, without, withIt) => {
    expect(featureOf('specificForm', question, passage(without, withIt), FORMS)).toEqual([-1, 1]);
  });

  it('marks a sentence giving a cause for a why question', () => {
    const chunk = passage('Human Rights Watch criticised Kazakhstan in November.', 'It criticised Kazakhstan for opposing UN resolutions.');
    expect(featureOf('causeMatch', 'Why did Human Rights Watch criticise Kazakhstan?', chunk, FORMS)).toEqual([0, 1]);
  });

  it('marks a sentence defining what a definition question asks about', () => {
    const chunk = passage('The council met in Geneva.', 'The council is the main body for human rights.');
    expect(featureOf('definesSubject', 'What is the council?', chunk, FORMS)).toEqual([0, 1]);
  });

  it('marks the sentences that settle a yes/no question: every word of it (with its neighbours), or its opposite', () => {
    const lexicon = new Lexicon(new WordNet(), { maxSenses: 3 });
    const opposite = passage('The lobbying campaign against Kazakhstan failed.', 'The vote was held in November.');
    expect(featureOf('settlesYesNo', 'Did the lobbying campaign against Kazakhstan succeed?', opposite, FORMS, lexicon)).toEqual([1, 0]);
    const same = passage('The vote was held in November.', 'The lobbying campaign against Kazakhstan did succeed.');
    // A neighbour of the sentence holding every word counts too, as coverage by window does.
    expect(featureOf('settlesYesNo', 'Did the lobbying campaign against Kazakhstan succeed?', same, FORMS, lexicon)).toEqual([1, 1]);
    expect(featureOf('settlesYesNo', 'Who ran the lobbying campaign against Kazakhstan?', same, FORMS, lexicon)).toEqual([0, 0]);
  });

  it('marks the sentence naming a kind of what a "which X" question asks for, only when the kind signal is on', () => {
    const lexicon = new Lexicon(new WordNet(), { maxSenses: 3 });
    const chunk = passage('The talks were hosted by the United Nations.', 'The talks were held in Geneva, Switzerland.');
    expect(featureOf('kindMatch', 'Which country hosted the talks?', chunk, ['kind'], lexicon)).toEqual([-1, 1]);
    expect(featureOf('kindMatch', 'Which country hosted the talks?', chunk, [], lexicon)).toEqual([0, 0]);
    expect(featureOf('kindMatch', 'Who hosted the talks?', chunk, ['kind'], lexicon)).toEqual([0, 0]);
  });

  it('counts question words in the passage’s section heading only when the section signal is on', () => {
    const chunk = passage('Officials welcomed the result.', 'They thanked the voters.', 'Reactions › The ministry');
    expect(featureOf('sectionCover', 'How did the ministry react?', chunk, ['section'])[0]).toBeGreaterThan(0);
    expect(featureOf('sectionCover', 'How did the ministry react?', chunk, [])).toEqual([0, 0]);
  });
});

describe('names the question gives', () => {
  const chunk = passage('The spokesperson for Kazakhstan’s foreign ministry spoke on Monday.', 'Rights groups were not convinced.');

  it('are held by a document that writes them another way WordNet knows (Kazakstan, Kazakhstan)', () => {
    const lexicon = new Lexicon(new WordNet(), { maxSenses: 3 });
    const question = 'Who is the spokesperson for Kazakstan’s foreign ministry?';
    expect(featureOf('namesMissingInDocument', question, chunk, [], lexicon)).toEqual([0, 0]);
    expect(featureOf('namesMissingInSentence', question, chunk, [], lexicon)).toEqual([0, 1]);
  });

  it('are missing when the document has neither the name nor another of its names', () => {
    const lexicon = new Lexicon(new WordNet(), { maxSenses: 3 });
    const question = 'Who is the spokesperson for Uzbekistan’s foreign ministry?';
    expect(featureOf('namesMissingInDocument', question, chunk, [], lexicon)).toEqual([0.5, 0.5]);
    expect(featureOf('namesMissingInSentence', question, chunk, [], lexicon)).toEqual([1, 1]);
  });
});

describe('sentence features for associations beyond WordNet', () => {
  const lexicon = new Lexicon(new WordNet(), { maxSenses: 3 });
  // Moby Thesaurus lines, cut short: each root lists the other, and "money" lists "gold" one way only.
  const thesaurus = new Thesaurus(['commence,begin,launch,open', 'begin,commence,launch,start', 'money,cash,gold', 'cash,money'].join('\n'));

  it('counts a question word the sentence holds only through the thesaurus, when that signal is on', () => {
    const chunk = passage('The campaign will commence in May.', 'The campaign will end in June.');
    const withIt = featureOf('coverThesaurus', 'When will the campaign begin?', chunk, ['thesaurus'], null, [thesaurus]);
    expect(withIt[0]).toBeGreaterThan(0);
    expect(withIt[1]).toBe(0);
    expect(featureOf('coverThesaurus', 'When will the campaign begin?', chunk, [], null, [thesaurus])).toEqual([0, 0]);
  });

  it('does not count a word WordNet already relates, nor a one-way thesaurus link', () => {
    // WordNet has "begin" and "start" as synonyms: the thesaurus adds nothing there.
    const chunk = passage('The campaign will start in May.', 'Gold was found in the hills.');
    expect(featureOf('coverSynonym', 'When will the campaign begin?', chunk, ['thesaurus'], lexicon, [thesaurus])[0]).toBeGreaterThan(0);
    expect(featureOf('coverThesaurus', 'When will the campaign begin?', chunk, ['thesaurus'], lexicon, [thesaurus])[0]).toBe(0);
    expect(featureOf('coverThesaurus', 'Where was the money found?', chunk, ['thesaurus'], null, [thesaurus])).toEqual([0, 0]);
  });

  it('leaves every other feature as it is, whichever sources the question was read with', () => {
    const chunk = passage('The campaign will commence in May.', 'Its spokesperson spoke for the ministry.');
    const question = 'Who was the spokesman of the campaign when it began?';
    const gloss = new GlossAssociations(new WordNet(), lexicon, { maxSenses: 3, maxGlossFrequency: MAX_GLOSS_FREQUENCY });
    const plain = vectorsOf(question, chunk, ['duration', 'cause'], lexicon);
    expect(vectorsOf(question, chunk, ['duration', 'cause'], lexicon, [gloss, thesaurus])).toEqual(plain);
    const all = vectorsOf(question, chunk, ['duration', 'cause', 'gloss', 'thesaurus'], lexicon, [gloss, thesaurus]);
    const others = SENTENCE_FEATURES.flatMap((name, i) => (name === 'coverGloss' || name === 'coverThesaurus' ? [] : [i]));
    expect(all.map((vector) => others.map((i) => vector[i]))).toEqual(plain.map((vector) => others.map((i) => vector[i])));
  });

  it('finds the questions an association source concerns: a candidate holding a word only through it, and a word only it finds', () => {
    const reach = (question: string, first: string, second: string, source: 'gloss' | 'thesaurus' = 'thesaurus') => {
      const chunk = passage(first, second);
      const document = { id: 'doc', text: chunk.text, title: 'Doc' } as Document;
      const hit: Hit = { chunk, score: 1, lexicalRank: 1, lexicalScore: 1, denseRank: null, denseScore: null };
      const analysis = analyzeQuestion(question, contextualize(question, [], false), new TermStatistics([chunk]), null, [thesaurus]);
      return measureAssociationReach(source, listCandidates([hit]), analysis, new StemCache(new Map([['doc', document]])));
    };
    expect(reach('When will the campaign begin?', 'The campaign will commence in May.', 'The campaign will end in June.')).toEqual({ some: true, only: true });
    // Another candidate says "begin" itself: the thesaurus finds nothing the words as written do not.
    expect(reach('When will the campaign begin?', 'The campaign will commence in May.', 'It may begin in June.')).toEqual({ some: true, only: false });
    expect(reach('When will the campaign end?', 'The campaign will commence in May.', 'The campaign will end in June.')).toEqual({ some: false, only: false });
    expect(reach('When will the campaign begin?', 'The campaign will commence in May.', 'The campaign will end in June.', 'gloss')).toEqual({ some: false, only: false });
  });
});

describe('the passage next to the one the previous answer quoted', () => {
  const chunk = passage('Bunyan joined the Parliamentary army.', 'He was about seventeen then.');
  const statistics = new TermStatistics([chunk]);
  const document = { id: 'doc', text: chunk.text, title: 'Doc' } as Document;
  const adjacentOf = (followsUp: boolean, adjacent: string[], signals: string[]): number[] => {
    const history = [{ question: 'Which army did Bunyan join?', resolvedQuestion: 'Which army did Bunyan join?', quoted: [{ chunkId: 'doc#p0', documentId: 'doc', start: 0, end: 10 }], at: 0 }];
    const analysis = analyzeQuestion('how old was he then?', contextualize('how old was he then?', history, followsUp), statistics, null, []);
    analysis.adjacentChunkIds = new Set(adjacent);
    const hit: Hit = { chunk, score: 1, lexicalRank: 1, lexicalScore: 1, denseRank: null, denseScore: null };
    const vectors = computeSentenceFeatures(listCandidates([hit]), { analysis, stems: new StemCache(new Map([['doc', document]])), documentTerms: documentTermsOf(chunk), signals: new Set(signals) });
    return vectors.map((vector) => vector[SENTENCE_FEATURES.indexOf('adjacentToQuoted')]!);
  };

  it('marks every sentence of a passage next to the quoted one, for a follow-up, with the signal in use', () => {
    expect(adjacentOf(true, ['doc#p1'], ['adjacent'])).toEqual([1, 1]);
  });

  it('says nothing for another passage, a question that does not follow up, or the signal left out', () => {
    expect(adjacentOf(true, ['doc#p7'], ['adjacent'])).toEqual([0, 0]);
    expect(adjacentOf(false, ['doc#p1'], ['adjacent'])).toEqual([0, 0]);
    expect(adjacentOf(true, ['doc#p1'], [])).toEqual([0, 0]);
  });
});

describe('the sentences the previous answer quoted, and those after', () => {
  const sentences = ['Bunyan was born at Elstow, about a mile from Bedford.', 'His father was a tinker.', 'He learned to read at the village school.'];
  const chunk = passageOf(sentences);
  const statistics = new TermStatistics([chunk]);
  const document = { id: 'doc', text: chunk.text, title: 'Doc' } as Document;
  /** Each sentence's [inPreviousQuote, afterPreviousQuote], the previous answer having quoted `quoted` (document offsets). */
  const placeOf = (followsUp: boolean, quoted: { documentId: string; start: number; end: number }[], signals: string[]): number[][] => {
    const history = [{ question: 'Where was Bunyan born?', resolvedQuestion: 'Where was Bunyan born?', quoted: quoted.map((span) => ({ chunkId: 'doc#p1', ...span })), at: 0 }];
    const analysis = analyzeQuestion('how far is that from Bedford?', contextualize('how far is that from Bedford?', history, followsUp), statistics, null, []);
    const hit: Hit = { chunk, score: 1, lexicalRank: 1, lexicalScore: 1, denseRank: null, denseScore: null };
    const vectors = computeSentenceFeatures(listCandidates([hit]), { analysis, stems: new StemCache(new Map([['doc', document]])), documentTerms: documentTermsOf(chunk), signals: new Set(signals) });
    return vectors.map((vector) => [vector[SENTENCE_FEATURES.indexOf('inPreviousQuote')]!, vector[SENTENCE_FEATURES.indexOf('afterPreviousQuote')]!]);
  };
  const first = { documentId: 'doc', start: chunk.sentences[0]!.start, end: chunk.sentences[0]!.end };

  it('marks the quoted sentence, and those after it less the further they stand', () => {
    const [quoted, next, last] = placeOf(true, [first], ['quoted-sentence']);
    expect(quoted).toEqual([1, 0]);
    expect(next![0]).toBe(0);
    expect(next![1]).toBeCloseTo(1 - 1 / 600);
    expect(last![0]).toBe(0);
    expect(last![1]).toBeGreaterThan(0);
    expect(last![1]).toBeLessThan(next![1]!);
  });

  it('marks a sentence that overlaps the quote, however little', () => {
    const tail = { documentId: 'doc', start: chunk.sentences[1]!.end - 3, end: chunk.sentences[2]!.start + 2 };
    expect(placeOf(true, [tail], ['quoted-sentence']).map(([quoted]) => quoted)).toEqual([0, 1, 1]);
  });

  it('says nothing of sentences before the quote, in another document, for a new question, or with the signal left out', () => {
    const last = { documentId: 'doc', start: chunk.sentences[2]!.start, end: chunk.sentences[2]!.end };
    expect(placeOf(true, [last], ['quoted-sentence'])).toEqual([[0, 0], [0, 0], [1, 0]]);
    expect(placeOf(true, [{ ...first, documentId: 'other' }], ['quoted-sentence'])).toEqual([[0, 0], [0, 0], [0, 0]]);
    expect(placeOf(false, [first], ['quoted-sentence'])).toEqual([[0, 0], [0, 0], [0, 0]]);
    expect(placeOf(true, [first], [])).toEqual([[0, 0], [0, 0], [0, 0]]);
  });
});

describe('the sentence before', () => {
  const chunk = passage('The complexity class P is often seen as a mathematical abstraction of efficient algorithms.', 'This hypothesis is called the Cobham–Edmonds thesis.');
  const question = 'What hypothesis is associated with the complexity class P as a mathematical abstraction?';

  it("gives each sentence the BM25 of the one before it, on the scale of the candidates' own BM25, with the signal in use", () => {
    const [first, second] = vectorsOf(question, chunk, ['previous']);
    const at = (name: SentenceFeature): number => SENTENCE_FEATURES.indexOf(name);
    // A passage's first sentence has none before it in the passage.
    expect(first![at('previousBm25')]).toBe(0);
    // The first sentence says the most of the question: its BM25 is the top (1), and the second has it as the one before.
    expect(first![at('sentenceBm25')]).toBe(1);
    expect(second![at('previousBm25')]).toBe(1);
    expect(second![at('sentenceBm25')]).toBeGreaterThan(0);
    expect(second![at('sentenceBm25')]).toBeLessThan(1);
  });

  it('says nothing with the signal left out', () => {
    expect(featureOf('previousBm25', question, chunk, [])).toEqual([0, 0]);
  });
});

describe('the substitution signal: one detail of the sentence changed', () => {
  const lexicon = new Lexicon(new WordNet(), { maxSenses: 3 });
  const chunk = passage('Ground was broken for the east wing in 1871.', 'The west wing followed in 1879.');

  it('is 1 for the sentence that says the question around another word, 0 for the one that says it', () => {
    expect(featureOf('substitutedWord', 'When was ground broken for the west wing?', chunk, ['substitution'], lexicon)).toEqual([1, 0]);
    expect(featureOf('substitutedWord', 'When was ground broken for the east wing?', chunk, ['substitution'], lexicon)).toEqual([0, 1]);
  });

  it('is 0 when the other word is a synonym the sentence holds the question word by, or the signal is not in use', () => {
    const synonym = passage('The court imposed a heavy punishment.', 'The court sat in May.');
    expect(featureOf('substitutedWord', 'Did the court impose a heavy penalty?', synonym, ['substitution'], lexicon)).toEqual([0, 0]);
    expect(featureOf('substitutedWord', 'When was ground broken for the west wing?', chunk, [], lexicon)).toEqual([0, 0]);
    // Without WordNet only numbers contrast.
    expect(featureOf('substitutedWord', 'When was ground broken for the west wing?', chunk, ['substitution'], null)).toEqual([0, 0]);
    const floors = passage('Ten rooms on the first floor went to the Navy.', 'The rest went to the Army.');
    expect(featureOf('substitutedWord', 'How many rooms on the second floor went to the Navy?', floors, ['substitution'], null)).toEqual([1, 0]);
  });
});

describe('the pronoun signal: a name said before, and "he" or "she" for it', () => {
  const chunk = passage('Bunyan did not live to see the Revolution.', 'He came drenched to his lodgings, and died in a few days.');

  it('holds a name the sentence does not say when it has such a pronoun and the passage names it before', () => {
    const question = 'When did Bunyan die?';
    expect(featureOf('namesMissingInSentence', question, chunk, ['pronoun'])).toEqual([0, 0]);
    expect(featureOf('coverExact', question, chunk, ['pronoun'])[1]).toBeGreaterThan(featureOf('coverExact', question, chunk, [])[1]!);
    // Without the signal, the sentence that answers lacks the name.
    expect(featureOf('namesMissingInSentence', question, chunk, [])).toEqual([0, 1]);
  });

  it('does not for a name said only after the sentence, a sentence with no such pronoun, or a name the passage never says', () => {
    const after = passage('He came drenched to his lodgings, and died in a few days.', 'Bunyan did not live to see the Revolution.');
    expect(featureOf('namesMissingInSentence', 'When did Bunyan die?', after, ['pronoun'])).toEqual([1, 0]);
    const noPronoun = passage('Bunyan did not live to see the Revolution.', 'The rain came, and the preacher died in a few days.');
    expect(featureOf('namesMissingInSentence', 'When did Bunyan die?', noPronoun, ['pronoun'])).toEqual([0, 1]);
    expect(featureOf('namesMissingInSentence', 'When did Milton die?', chunk, ['pronoun'])).toEqual([1, 1]);
  });

  it('holds a name the document\'s title says', () => {
    const untitled = passage('The preacher did not live to see the Revolution.', 'He came drenched to his lodgings, and died in a few days.');
    const missing = (title: string): number[] => {
      const document = { id: 'doc', text: untitled.text, title } as Document;
      const question = 'When did Bunyan die?';
      const analysis = analyzeQuestion(question, contextualize(question, [], false), new TermStatistics([untitled]), null, []);
      const hit: Hit = { chunk: untitled, score: 1, lexicalRank: 1, lexicalScore: 1, denseRank: null, denseScore: null };
      const vectors = computeSentenceFeatures(listCandidates([hit]), { analysis, stems: new StemCache(new Map([['doc', document]])), documentTerms: documentTermsOf(untitled), signals: new Set(['pronoun']) });
      return vectors.map((vector) => vector[SENTENCE_FEATURES.indexOf('namesMissingInSentence')]!);
    };
    expect(missing('John Bunyan')).toEqual([1, 0]);
    expect(missing('Doc')).toEqual([1, 1]);
  });
});
