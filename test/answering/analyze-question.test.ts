import { describe, expect, it } from 'vitest';
import { analyzeQuestion, AssociationMatcher, TermMatcher } from '../../src/answering/analyze-question.js';
import { buildLexicalQuery } from '../../src/answering/answer-question.js';
import { Thesaurus } from '../../src/lexicon/thesaurus.js';
import { TermStatistics } from '../../src/answering/term-statistics.js';
import { contextualize } from '../../src/conversation/contextualize.js';
import type { Chunk } from '../../src/domain.js';
import { Lexicon } from '../../src/lexicon/lexicon.js';
import { WordNet } from '../../src/lexicon/wordnet.js';
import { stemText } from '../../src/answering/stem-cache.js';

const lexicon = new Lexicon(new WordNet(), { maxSenses: 1 });
const TEXT = 'The United Nations General Assembly elected Kazakhstan. Its spokesperson supported the election.';
const FIRST_END = TEXT.indexOf('.') + 1;
const chunk = { id: 'd#p1', documentId: 'd', text: TEXT, start: 0, end: TEXT.length, sentences: [{ start: 0, end: FIRST_END }, { start: FIRST_END + 1, end: TEXT.length }] } as unknown as Chunk;
const statistics = new TermStatistics([chunk]);
const analyze = (question: string) => analyzeQuestion(question, contextualize(question, [], false), statistics, lexicon);

describe('analyzeQuestion', () => {
  it('gives each content word its stem, rarity and the other words a document may use for it', () => {
    const analysis = analyze('Who backed the vote in the UN?');
    const backed = analysis.terms.find((term) => term.stem === 'back')!;
    expect(backed.weight).toBe(1);
    expect(backed.alternatives).toContainEqual({ stems: ['support'], words: ['support'], kind: 'synonym' });
    const un = analysis.terms.find((term) => term.stem === 'un')!;
    expect(un.isName).toBe(true);
    expect(un.alternatives).toContainEqual({ stems: ['unit', 'nation'], words: ['united', 'nations'], kind: 'synonym' });
    expect(analysis.form).toBe('who');
  });

  it('reads names from capitals, and in a question whose capitals say nothing from WordNet', () => {
    const names = (question: string) => analyze(question).terms.filter((term) => term.isName).map((term) => term.stem);
    expect(names('How much aid did Japan pledge to Cambodia?')).toEqual(['japan', 'cambodia']);
    expect(names('how much aid did japan pledge to cambodia?')).toEqual(['japan', 'cambodia']);
    // Written with capitals, the question says itself which words are names.
    expect(names('How much aid did japan pledge to Cambodia?')).toEqual(['cambodia']);
    expect(names('why did the turkey cross the road?')).toEqual([]);
    // Capitals on every word say nothing either.
    expect(names('HOW MUCH AID DID JAPAN PLEDGE TO CAMBODIA?')).toEqual(['japan', 'cambodia']);
    expect(names('How Much Aid Did Japan Pledge To Cambodia?')).toEqual(['japan', 'cambodia']);
  });

  it('matches a document word by word, through synonyms and derivations, and through whole phrases', () => {
    const analysis = analyze('When was the vote for Kazakhstan backed by the UN?');
    const matcher = new TermMatcher(analysis.terms);
    const matched = matcher.match(stemText(TEXT));
    const kinds = new Map(analysis.terms.map((term, i) => [term.stem, matched[i]]));
    expect(kinds.get('kazakhstan')).toBe('exact');
    expect(kinds.get('back')).toBe('synonym');
    expect(kinds.get('un')).toBe('synonym');
  });

  it('knows other spellings WordNet lists, and keeps words the corpus never uses as they are', () => {
    const analysis = analyze('Who elected Kazakstan and what is its population?');
    expect(analysis.terms.map((term) => term.stem)).toEqual(expect.arrayContaining(['kazakstan', 'popul']));
    const kazakstan = analysis.terms.findIndex((term) => term.stem === 'kazakstan');
    expect(new TermMatcher(analysis.terms).match(stemText(TEXT))[kazakstan]).toBe('synonym');
  });

  it('carries the previous question’s words into a follow-up at a lower weight, without alternatives', () => {
    const previous = { question: 'Who elected Kazakhstan?', resolvedQuestion: 'Who elected Kazakhstan?', quoted: [{ chunkId: 'd#p1', documentId: 'd', start: 0, end: 10 }], at: 0 };
    const analysis = analyzeQuestion('And when?', contextualize('And when?', [previous], true), statistics, lexicon);
    expect(analysis.isFollowUp).toBe(true);
    expect(analysis.previousChunkIds).toEqual(new Set(['d#p1']));
    expect(analysis.terms.find((term) => term.stem === 'elect')).toMatchObject({ weight: 0.5, alternatives: [] });
  });

  it('matches WordNet’s words by dictionary form, not by Porter stem: "universe" is not in "universal"', () => {
    const question = 'What is the population?';
    const wide = analyzeQuestion(question, contextualize(question, [], false), statistics, new Lexicon(new WordNet(), { maxSenses: 5 }));
    const population = wide.terms.findIndex((term) => term.stem === 'popul');
    expect(wide.terms[population]!.alternatives.map((a) => a.words.join(' '))).toContain('universe');
    const matcher = new TermMatcher(wide.terms);
    expect(matcher.match(stemText('The Universal Periodic Review'))[population]).toBeNull();
    expect(matcher.match(stemText('the universe of voters'))[population]).toBe('synonym');
  });

  it('does not take another word found only inside a name for a common word’s meaning', () => {
    const wide = new Lexicon(new WordNet(), { maxSenses: 3 });
    const question = 'What is the population of Kazakstan?';
    const analysis = analyzeQuestion(question, contextualize(question, [], false), statistics, wide);
    const matcher = new TermMatcher(analysis.terms);
    const population = analysis.terms.findIndex((term) => term.stem === 'popul');
    const kazakstan = analysis.terms.findIndex((term) => term.stem === 'kazakstan');
    expect(analysis.terms[population]!.alternatives).toContainEqual(expect.objectContaining({ words: ['people'], kind: 'hypernym' }));
    // "People" names an assembly here: not the population.
    expect(matcher.match(stemText('Delegates of the Assembly of People of Kazakhstan met.'))[population]).toBeNull();
    // Written as a common word, even in the same text, it is the broader term it is.
    expect(matcher.match(stemText('The people of Kazakhstan voted.'))[population]).toBe('hypernym');
    expect(matcher.match(stemText('The Assembly of People heard the people of Kazakhstan.'))[population]).toBe('hypernym');
    // A name asked for is still held by another of its names, inside a name or not.
    expect(matcher.match(stemText('Delegates of the Republic of Kazakhstan met.'))[kazakstan]).toBe('synonym');
    // The question's own words count wherever they stand.
    expect(matcher.match(stemText('The Population Council of Kazakhstan met.'))[population]).toBe('exact');
  });

  it('works without word meaning: only the words as written match', () => {
    const analysis = analyzeQuestion('Who backed it?', contextualize('Who backed it?', [], false), statistics, null);
    expect(analysis.terms.every((term) => term.alternatives.length === 0)).toBe(true);
  });
});

describe('buildLexicalQuery', () => {
  it('searches a word’s is-a neighbours only when set to and only for a word the corpus never uses', () => {
    const absent = analyze('What did the spokesman say?');
    const spokesman = absent.terms.find((term) => term.stem === 'spokesman')!;
    expect(spokesman.inCorpus).toBe(false);
    const hypernym = spokesman.alternatives.find((alternative) => alternative.kind === 'hypernym' && alternative.words.join(' ') === 'spokesperson')!;
    expect(hypernym).toBeDefined();
    const searched = (analysis: typeof absent, hypernymsOfAbsentWords: boolean) => buildLexicalQuery(analysis, { expansionWeight: 0.4, hypernymsOfAbsentWords });
    expect(searched(absent, true)).toContainEqual({ term: hypernym.stems[0], weight: 0.4 });
    expect(searched(absent, false).map(({ term }) => term)).toEqual(['spokesman']);
    // "elected" is in the corpus: its is-a neighbours stay out of the search either way.
    const present = analyze('Who elected Kazakhstan?');
    const elect = present.terms.find((term) => term.stem === 'elect')!;
    expect(elect.inCorpus).toBe(true);
    const hypernymStems = new Set(elect.alternatives.filter((alternative) => alternative.kind === 'hypernym').flatMap((alternative) => alternative.stems));
    expect(hypernymStems.size).toBeGreaterThan(0);
    expect(searched(present, true).filter(({ term }) => hypernymStems.has(term) && term !== 'elect')).toEqual([]);
  });
});

describe('associations beyond WordNet', () => {
  // Moby Thesaurus lines, cut short.
  const thesaurus = new Thesaurus(['mouthpiece,spokesman,voice', 'spokesman,front man,mouthpiece', 'front man,spokesman'].join('\n'));
  const read = (question: string) => analyzeQuestion(question, contextualize(question, [], false), statistics, lexicon, [thesaurus]);

  it('keeps a source’s words apart from WordNet’s alternatives, phrases with their words', () => {
    const spokesman = read('What did the spokesman say?').terms.find((term) => term.stem === 'spokesman')!;
    expect(spokesman.associations).toEqual(
      expect.arrayContaining([
        { stems: ['mouthpiec'], words: ['mouthpiece'], source: 'thesaurus' },
        { stems: ['front', 'man'], words: ['front', 'man'], source: 'thesaurus' },
      ]),
    );
    expect(spokesman.alternatives.some((alternative) => alternative.words.join(' ') === 'mouthpiece')).toBe(false);
    expect(analyze('What did the spokesman say?').terms.every((term) => term.associations.length === 0)).toBe(true);
  });

  it('matches a text holding a source’s word, or every word of its phrase', () => {
    const terms = read('What did the spokesman say?').terms;
    const matcher = new AssociationMatcher(terms);
    const spokesman = terms.findIndex((term) => term.stem === 'spokesman');
    expect(matcher.holds(stemText('The ministry’s mouthpieces said so.'), 'thesaurus', terms.length)[spokesman]).toBe(true);
    expect(matcher.holds(stemText('A man stood in front.'), 'thesaurus', terms.length)[spokesman]).toBe(true);
    expect(matcher.holds(stemText('A man said so.'), 'thesaurus', terms.length)[spokesman]).toBe(false);
    expect(matcher.holds(stemText('The ministry’s mouthpieces said so.'), 'gloss', terms.length)[spokesman]).toBe(false);
  });

  it('searches a source’s words in BM25 only when retrieval is set to, at its weight', () => {
    const analysis = read('What did the spokesman say?');
    const searched = (expansion?: { sources: ('gloss' | 'thesaurus')[]; weight: number }) => buildLexicalQuery(analysis, { expansionWeight: 0.4, ...(expansion ? { associationExpansion: expansion } : {}) }).filter(({ term }) => term === 'mouthpiec');
    expect(searched()).toEqual([]);
    expect(searched({ sources: ['gloss'], weight: 0.2 })).toEqual([]);
    expect(searched({ sources: ['thesaurus'], weight: 0.2 })).toEqual([{ term: 'mouthpiec', weight: 0.2 }]);
  });
});

describe('typo correction', () => {
  it('corrects words no dictionary knows, and leaves real words alone even when the corpus has a near neighbour', () => {
    const text = 'Experts from the Ministry of Foreign Affairs visited Kazakhstan.';
    const chunks = [{ id: 'e#p1', documentId: 'e', text, start: 0, end: text.length, sentences: [{ start: 0, end: text.length }] } as unknown as Chunk];
    const corpus = new TermStatistics(chunks);
    const question = 'What does the Ministry of Foreign Afairs export?';
    const stems = analyzeQuestion(question, contextualize(question, [], false), corpus, lexicon).terms.map((term) => term.stem);
    expect(stems).toContain('affair');
    expect(stems).toContain('export');
    expect(stems).not.toContain('expert');
  });
});

describe('British and American spellings', () => {
  const corpusOf = (text: string): TermStatistics => new TermStatistics([{ id: 'c#p1', documentId: 'c', text, start: 0, end: text.length, sentences: [{ start: 0, end: text.length }] } as unknown as Chunk]);
  const termsOf = (question: string, corpus: TermStatistics) => analyzeQuestion(question, contextualize(question, [], false), corpus, lexicon).terms.map(({ stem, idf, weight }) => ({ stem, idf, weight }));

  it('reads a word as the corpus spells it, with the corpus’s rarity, whichever side the question spells it', () => {
    const american = corpusOf('Rights groups criticized the election and the organization behind it.');
    expect(termsOf('Who criticised the organisation?', american)).toEqual(termsOf('Who criticized the organization?', american));
    expect(termsOf('Who criticised the organisation?', american).map((term) => term.stem)).toEqual(['critic', 'organ']);
    const british = corpusOf('Rights groups criticised the election and the organisation behind it.');
    expect(termsOf('Who criticized the organization?', british)).toEqual(termsOf('Who criticised the organisation?', british));
  });

  it('keeps the question’s spelling when the corpus has neither', () => {
    const neither = corpusOf('Nothing here is about that.');
    expect(termsOf('Who criticised it?', neither).map((term) => term.stem)).toEqual(['criticis']);
  });
});

