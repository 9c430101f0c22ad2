import type { Hit } from '../domain.js';
import { passageSearchText } from '../store/lexical-index.js';
import { isStopWord, stemTerm, tokenize } from '../text/terms.js';
import type { MatchKind, QuestionTerm } from './analyze-question.js';
import { type AnswerOptions, buildLexicalQuery, type KnowledgeBase, retrieveForQuestion } from './answer-question.js';
import { validateQuestion } from './clean-question.js';
import { stemText } from './stem-cache.js';

/**
 * `/search`: the passages `/ask` would consider for the same words — the same question
 * analysis (WordNet alternatives, typo correction), the same fusion, the same candidates —
 * each with its ranks in BM25 and in the dense index and the question words it holds,
 * naming the alternative that matched ("council ← assembly (synonym)").
 */

/** How a passage holds a question word: as typed (`document` null) or through an alternative. */
export interface TermMatch {
  /** The question word as typed (or as the index corrected it). */
  question: string;
  /** The passage's word(s) standing for it, when not the question word itself. */
  document: string | null;
  kind: MatchKind;
  /** The document's word is the question's spelt another way (organisation ← organization). */
  spelling?: boolean;
}

export interface SearchHit extends Hit {
  /** The question words the passage holds, in question order. */
  matches: TermMatch[];
}

export interface SearchResult {
  query: string;
  /** Typed words searched as another corpus word ("kazakstan" → "kazakhstan"). */
  corrections: { typed: string; searched: string }[];
  /** Best first, as many as answering considers (or `limit`). */
  hits: SearchHit[];
}

/** Retrieves as `/ask` does (no conversation: each search stands alone) and says why each passage matched. */
export async function searchAsAsked(
  knowledge: KnowledgeBase,
  query: string,
  options: Pick<AnswerOptions, 'retrievalK' | 'embedder' | 'maxQuestionChars'> & { limit?: number },
): Promise<SearchResult> {
  const question = validateQuestion(query, options.maxQuestionChars);
  const { analysis, hits } = await retrieveForQuestion(knowledge, question, [], options);
  // The alternatives BM25 was asked for, per term (asking buildLexicalQuery keeps its rules in one place).
  const { retrieval } = knowledge.model;
  const stemsSearched = (term: QuestionTerm): Set<string> => new Set(buildLexicalQuery({ ...analysis, terms: [term] }, retrieval).map((weighted) => weighted.term));
  const searched = new Map(
    analysis.terms.map((term) => {
      const all = stemsSearched(term);
      return [term, term.alternatives.filter((alternative) => alternative.stems.every((stem) => all.has(stem) && stemsSearched({ ...term, alternatives: [alternative] }).has(stem)))];
    }),
  );
  const typedByStem = new Map<string, string>();
  const corrections: SearchResult['corrections'] = [];
  const stems = new Set(analysis.terms.map((term) => term.stem));
  // Words typed in the spelling the corpus does not use are shown as typed, matched as the corpus spells them.
  const respelled = new Set<string>();
  for (const term of analysis.terms) {
    if (!term.respelled) continue;
    typedByStem.set(term.stem, term.respelled.typed);
    respelled.add(term.respelled.typed);
  }
  for (const token of tokenize(question)) {
    if (isStopWord(token) || respelled.has(token)) continue;
    const stem = stemTerm(token);
    if (stems.has(stem)) {
      if (!typedByStem.has(stem)) typedByStem.set(stem, token);
      continue;
    }
    // Not searched as typed: the analysis corrected it (the same corpus correction, asked again).
    const corrected = knowledge.statistics.correct(stem);
    if (stems.has(corrected) && !typedByStem.has(corrected)) {
      typedByStem.set(corrected, token);
      corrections.push({ typed: token, searched: corrected });
    }
  }
  const shown = hits.slice(0, options.limit ?? hits.length).map((hit): SearchHit => {
    const text = stemText(passageSearchText(hit.chunk));
    const matches: TermMatch[] = [];
    for (const term of analysis.terms) {
      const word = typedByStem.get(term.stem) ?? term.stem;
      if (text.stems.has(term.stem)) {
        matches.push(term.respelled ? { question: word, document: term.respelled.word, kind: 'exact', spelling: true } : { question: word, document: null, kind: 'exact' });
        continue;
      }
      // The closest alternative the passage holds whole; else one it holds part of (BM25 searches each stem of a phrase).
      const alternatives = searched.get(term)!;
      const whole = alternatives.find((alternative) => alternative.stems.every((stem) => text.stems.has(stem)));
      const part = whole ?? alternatives.find((alternative) => alternative.stems.some((stem) => text.stems.has(stem)));
      if (part) matches.push({ question: word, document: part.words.filter((_, i) => text.stems.has(part.stems[i]!)).join(' '), kind: part.kind, ...(part.sameWord ? { spelling: true } : {}) });
    }
    return { ...hit, matches };
  });
  return { query: question, corrections, hits: shown };
}

/** "council ← assembly (synonym)", or the word alone when the passage holds it as asked. */
export function describeMatch(match: TermMatch): string {
  if (match.document === null || match.document === match.question) return match.question;
  return `${match.document} ← ${match.question} (${match.spelling ? 'spelling' : match.kind === 'exact' ? 'inflection' : match.kind})`;
}
