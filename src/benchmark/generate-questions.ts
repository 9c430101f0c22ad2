import type { Chunk } from '../domain.js';
import { createSeededRandom } from '../seeded-random.js';
import { isStopWord, stemTerm, tokenize } from '../text/terms.js';

/**
 * Questions for timing `ask` on a large corpus, made from the corpus itself: the rarest
 * words of a sentence asked about together (the sentence answers it), or rare words of
 * two unrelated sentences recombined (usually nothing does). Rare words are what make
 * retrieval work hard: few, scattered postings, fuzzy matches, typo correction.
 */

export interface GeneratedQuestion {
  question: string;
  /** Whether its words come from one sentence (so some passage holds them all). */
  fromOneSentence: boolean;
}

const WORDS_PER_QUESTION = 3;
const TEMPLATES = ['What does the documentation say about {words}?', 'How is {words} described?', 'Where is {words} explained?', 'Which option covers {words}?'];

/**
 * `count` questions, the same for the same chunks and seed. `rarity` tells how rare a word
 * is (higher: rarer), e.g. the index's inverse sentence frequency.
 */
export function generateQuestions(chunks: readonly Chunk[], count: number, seed: number, rarity: (stem: string) => number): GeneratedQuestion[] {
  const random = createSeededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const rareWords = (): string[] => {
    // A sentence with enough words to ask about; a few tries at most.
    for (let attempt = 0; attempt < 20; attempt++) {
      const chunk = pick(chunks);
      const sentence = chunk.sentences.length > 0 ? pick(chunk.sentences) : { start: chunk.start, end: chunk.end };
      const words = [...new Set(tokenize(chunk.text.slice(sentence.start - chunk.start, sentence.end - chunk.start)))].filter(
        (word) => word.length >= 4 && /^\p{L}+$/u.test(word) && !isStopWord(word),
      );
      if (words.length >= WORDS_PER_QUESTION) return words.sort((a, b) => rarity(stemTerm(b)) - rarity(stemTerm(a))).slice(0, WORDS_PER_QUESTION);
    }
    return [];
  };
  const questions: GeneratedQuestion[] = [];
  let misses = 0;
  while (questions.length < count) {
    const fromOneSentence = questions.length % 2 === 0;
    const words = fromOneSentence ? rareWords() : [...rareWords().slice(0, 2), ...rareWords().slice(0, 1)];
    if (words.length === 0) {
      if (++misses > count + 100) throw new Error(`benchmark: the corpus has too few sentences of ${WORDS_PER_QUESTION}+ words to make questions from`);
      continue;
    }
    const list = words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : words[0]!;
    questions.push({ question: pick(TEMPLATES).replace('{words}', list), fromOneSentence });
  }
  return questions;
}
