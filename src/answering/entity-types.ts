import winkNLP, { type ItemEntity, type ItemToken, type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { stemTerm, tokenize } from '../text/terms.js';
import { remember } from '../remember.js';
import type { AnswerForm } from './answer-forms.js';
import type { QuestionForm } from './question-form.js';

/**
 * Entity types from wink-nlp's English model: the dates, durations, amounts, percentages
 * and counts a sentence states (its named-entity recogniser), and its proper nouns (its
 * part-of-speech tagger) — what a when, how-long, how-many, who or where question needs
 * a sentence to offer. The model has no person or organisation types, so names are
 * proper nouns. Read once per sentence and remembered: the same passages come back
 * question after question.
 */

export type EntityType = 'DATE' | 'TIME' | 'DURATION' | 'CARDINAL' | 'ORDINAL' | 'MONEY' | 'PERCENT' | 'NAME';

/** An entity a sentence states: its type and the stems of its words (to tell it from what the question says). */
export interface FoundEntity {
  type: EntityType;
  stems: string[];
}

const KNOWN_TYPES = new Set<string>(['DATE', 'TIME', 'DURATION', 'CARDINAL', 'ORDINAL', 'MONEY', 'PERCENT']);
/** What a question's head noun after which/what names: an organisation, a place, a person — answered by a proper noun. */
const NAMED_HEAD = /\b(?:which|what)\s+(?:\w+\s+)?(?:organi[sz]ations?|compan(?:y|ies)|countr(?:y|ies)|cit(?:y|ies)|states?|part(?:y|ies)|groups?|agenc(?:y|ies)|bod(?:y|ies)|persons?|people|man|woman|newspapers?|universit(?:y|ies)|teams?|institutions?|ministr(?:y|ies)|department|firms?|banks?|nations?|towns?|rivers?|islands?|regions?|provinces?|publications?|index|book|king|queen|president|official|leader)\b/i;

let nlp: WinkMethods | null = null;
const entityCache = new Map<string, FoundEntity[]>();
/** Sentences whose entities are remembered (a few megabytes). */
const ENTITY_CACHE_SIZE = 20_000;

/** The entities a sentence states, and its runs of proper nouns as names. */
export function findEntities(sentence: string): FoundEntity[] {
  return remember(entityCache, sentence, ENTITY_CACHE_SIZE, () => {
    nlp ??= winkNLP(model);
    const its = nlp.its;
    const doc = nlp.readDoc(sentence);
    const found: FoundEntity[] = [];
    doc.entities().each((entity: ItemEntity) => {
      const detail = entity.out(its.detail) as { value: string; type: string };
      if (KNOWN_TYPES.has(detail.type)) found.push({ type: detail.type as EntityType, stems: toStems(detail.value) });
    });
    // Runs of proper nouns after the first word (a capital there says nothing): names.
    let run: string[] = [];
    doc.tokens().each((token: ItemToken, index: number) => {
      if (index > 0 && token.out(its.pos) === 'PROPN') {
        run.push(token.out());
        return;
      }
      if (run.length > 0) found.push({ type: 'NAME', stems: toStems(run.join(' ')) });
      run = [];
    });
    if (run.length > 0) found.push({ type: 'NAME', stems: toStems(run.join(' ')) });
    return found;
  });
}

/**
 * The entity types that would answer a question, from its form (and finer forms in use),
 * or null when its answer is not an entity of a known type.
 */
export function expectedEntityTypes(question: string, form: QuestionForm, forms: readonly AnswerForm[]): ReadonlySet<EntityType> | null {
  if (forms.includes('percentage')) return new Set(['PERCENT']);
  if (forms.includes('duration')) return new Set(['DURATION', 'DATE']);
  if (forms.includes('age')) return new Set(['CARDINAL', 'DURATION', 'DATE']);
  if (forms.includes('founding')) return new Set(['DATE']);
  switch (form) {
    case 'when':
      return new Set(['DATE', 'TIME']);
    case 'quantity':
      return new Set(['CARDINAL', 'ORDINAL', 'MONEY', 'PERCENT', 'DURATION']);
    case 'who':
    case 'where':
      return new Set(['NAME']);
    case 'which':
      return NAMED_HEAD.test(question) ? new Set(['NAME']) : null;
    default:
      return null;
  }
}

/**
 * Whether a sentence offers an entity of an expected type that the question does not
 * already say: +1 it does, −1 it has none, 0 when the question expects no entity.
 */
export function matchEntityType(expected: ReadonlySet<EntityType> | null, sentence: string, questionStems: ReadonlySet<string>): number {
  if (expected === null) return 0;
  const offered = findEntities(sentence).some((entity) => expected.has(entity.type) && entity.stems.some((stem) => !questionStems.has(stem)));
  return offered ? 1 : -1;
}

function toStems(text: string): string[] {
  return tokenize(text).map(stemTerm);
}
