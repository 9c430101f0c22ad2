import type { Answer } from '../domain.js';
import { renderAnswerText } from './render-text.js';

/** One line of `npm run ask -- --json` output, as DESIGN.md's contract fixes it. */
export interface AnswerJson {
  id?: string;
  question: string;
  abstained: boolean;
  confidence: number;
  quotes: {
    citation: number;
    text: string;
    source: string;
    paragraph: number;
    start: number;
    end: number;
    attribution: string | null;
  }[];
  text: string;
}

export function renderAnswerJson(answer: Answer, id?: string): AnswerJson {
  return {
    ...(id === undefined ? {} : { id }),
    question: answer.question,
    abstained: answer.abstained,
    confidence: answer.confidence,
    quotes: answer.quotes.map(({ citation, text, source, paragraph, start, end, attribution }) => ({
      citation,
      text,
      source,
      paragraph,
      start,
      end,
      attribution,
    })),
    text: renderAnswerText(answer),
  };
}
