import { UserError } from '../errors.js';

/**
 * Normalizes what a user typed before it is searched: invisible characters, Discord
 * mentions and Markdown decoration carry no meaning for the corpus. The original
 * text is kept for display; only this cleaned form is searched.
 */

// Zero-width characters, soft hyphen, BOM, and bidirectional controls (RLO and friends).
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
// <@123>, <@!123>, <@&123>, <#123>, <:emoji:123>, @everyone, @here.
const MENTION = /<(?:@[!&]?|#|a?:\w+:)\d+>|@(?:everyone|here)\b/g;
// Markdown decoration: emphasis, code, quotes, headings, spoilers, links' brackets.
const MARKDOWN = /[*_`~|>#[\]]+/g;

export function cleanQuestion(raw: string): string {
  return raw
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(MENTION, ' ')
    .replace(MARKDOWN, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The cleaned question, or a UserError: `question-too-long` over `maxChars` (counted as
 * typed), `empty-question` when nothing searchable is left.
 */
export function validateQuestion(raw: string, maxChars: number): string {
  if (raw.length > maxChars) throw new UserError('question-too-long', { length: raw.length, max: maxChars });
  const question = cleanQuestion(raw);
  if (!/[\p{L}\p{N}]/u.test(question)) throw new UserError('empty-question');
  return question;
}
