import type { Answer, Quote } from '../domain.js';
import { renderAnswerText } from './render-text.js';

/** One line of `npm run ask -- --json` output, as DESIGN.md's contract fixes it. */
export interface AnswerJson {
  id?: string;
  question: string;
  abstained: boolean;
  confidence: number;
  quotes: QuoteJson[];
  /** When abstaining: the closest passages, shown as related (not an answer), in the same shape. */
  related: QuoteJson[];
  text: string;
}

/** A quote as `ask --json` prints it: `readFileSync(textFile, 'utf8').slice(start, end) === text`. */
export interface QuoteJson {
  citation: number;
  text: string;
  source: string;
  textFile: string;
  paragraph: number;
  /** The list item the quote starts ("10" for "10. …"), or null. */
  item: string | null;
  start: number;
  end: number;
  page: number | null;
  section: string | null;
  attribution: string | null;
  url: string | null;
}

export function renderAnswerJson(answer: Answer, id?: string): AnswerJson {
  return {
    ...(id === undefined ? {} : { id }),
    question: answer.question,
    abstained: answer.abstained,
    confidence: answer.confidence,
    quotes: answer.quotes.map(renderQuoteJson),
    related: answer.abstained ? answer.related.map(renderQuoteJson) : [],
    text: renderAnswerText(answer),
  };
}

function renderQuoteJson(quote: Quote): QuoteJson {
  const { citation, text, source, textFile, paragraph, item, start, end, page, section, attribution, url } = quote;
  return { citation, text, source, textFile, paragraph, item, start, end, page, section, attribution, url };
}
