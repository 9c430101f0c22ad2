import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { readerLimits } from '../../../src/corpus/load-corpus.js';
import { readDocument } from '../../../src/corpus/readers/read-document.js';
import type { ExtractedText, SkippedRead } from '../../../src/corpus/readers/reader-types.js';
import { ARTICLE_DIR, PROJECT_ROOT } from '../../helpers.js';

/** The document fixtures (see the README beside them for how each was made). */
export const DOCUMENTS_DIR = path.join(PROJECT_ROOT, 'test', 'fixtures', 'documents');

export function readFixtureBytes(name: string): Buffer {
  return readFileSync(path.join(DOCUMENTS_DIR, name));
}

/** Reads bytes through the registry, as the corpus loader does, with the default limits. */
export function readBytes(bytes: Buffer, fileName: string): Promise<ExtractedText | SkippedRead> {
  return readDocument({ bytes, fileName, limits: readerLimits() });
}

/** Reads a fixture and fails the test when it is skipped. */
export async function readFixture(name: string): Promise<ExtractedText> {
  const result = await readBytes(readFixtureBytes(name), name);
  if ('skip' in result) throw new Error(`test: ${name} was skipped: ${result.skip}`);
  return result;
}

export async function readSkip(name: string, bytes = readFixtureBytes(name)): Promise<string> {
  const result = await readBytes(bytes, name);
  if (!('skip' in result)) throw new Error(`test: ${name} was read, not skipped`);
  return result.skip;
}

/** White space folded to single spaces, as the readers fold it inside a block. */
export function fold(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The article's paragraphs and list items (the `corpus/` text), each as a reader should
 * give it back after folding: the headline, which a page may word differently, left out.
 */
export function articleParagraphs(): string[] {
  const text = readFileSync(path.join(ARTICLE_DIR, 'kazakhstan-un-human-rights-council.txt'), 'utf8');
  return text
    .split('\n')
    .map((line) => fold(line.replace(/^•\s+/, '')))
    .filter((line) => line !== '')
    .slice(1);
}

/** Every paragraph of the article appears in `text`, in the article's order. */
export function expectWholeArticle(text: string): void {
  const folded = fold(text);
  let from = 0;
  for (const paragraph of articleParagraphs()) {
    const at = folded.indexOf(paragraph, from);
    expect(at, `missing or out of order: ${paragraph.slice(0, 80)}`).toBeGreaterThanOrEqual(0);
    from = at + paragraph.length;
  }
}

/** No tag, no entity: nothing of the markup reaches the text. */
export function expectNoMarkup(text: string): void {
  expect(text).not.toMatch(/[<>]/);
  expect(text).not.toMatch(/&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i);
}

/** Each heading's span in the text is exactly its title. */
export function expectHeadingSpans(extracted: ExtractedText): void {
  for (const heading of extracted.headings) expect(extracted.text.slice(heading.start, heading.end)).toBe(heading.title);
}
