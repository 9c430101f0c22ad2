import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { attributeSentences, findCitations, stripCitations } from '../../src/chunking/attributions.js';
import { chunkDocument } from '../../src/chunking/chunk-document.js';
import { documentFromText } from '../../src/corpus/load-corpus.js';
import { PROJECT_ROOT } from '../helpers.js';

const whole = (text: string) => ({ start: 0, end: text.length });

/** Every attribution the chunker gives a real README's sentences. */
function attributionsOf(readme: string): string[] {
  const text = readFileSync(path.join(PROJECT_ROOT, 'node_modules', readme), 'utf8');
  const chunks = chunkDocument(documentFromText({ id: 'readme', source: 'corpus/README.md', text, format: 'md' }));
  return chunks.flatMap((chunk) => chunk.sentences.map((sentence) => sentence.attribution).filter((a): a is string => a !== null));
}

describe('in-text citations', () => {
  it('takes a URL in parentheses after words as the citation of its sentence', () => {
    const sentence = 'Reporters Without Borders ranked Kazakhstan 154 out of 179 (https://en.rsf.org/index.html).';
    expect(findCitations(sentence, whole(sentence))).toEqual([{ text: 'https://en.rsf.org/index.html', isUrl: true }]);
  });

  it('does not take a Markdown link or image target for a citation', () => {
    const sentence = 'Install [zlib-sync](https://www.npmjs.com/package/zlib-sync) for compression ![logo](https://example.com/logo.png).';
    expect(findCitations(sentence, whole(sentence))).toEqual([]);
    expect(stripCitations(sentence)).toBe(sentence);
  });

  it('does not take a link in a table cell for a citation, even a bare one', () => {
    const table = '|library|speed|\n|---|---|\n|sqlite (https://www.npmjs.com/package/sqlite)|11.7x slower|';
    expect(attributeSentences(table, [whole(table)])).toEqual([null]);
    // A dated source in a sentence after the table still counts.
    const prose = `${table}\n\nThe figures are from the benchmark (Kazinform, November 13).`;
    expect(findCitations(prose, whole(prose)).map((citation) => citation.text)).toEqual(['Kazinform, November 13']);
  });

  it('gives no passage of real READMEs a link target or a table cell as its attribution', () => {
    // better-sqlite3's README compares libraries in a table of npm links ("— https://www.npmjs.com/…" before this fix);
    // discord.js's lists optional packages as lines of links.
    expect(attributionsOf('better-sqlite3/README.md')).toEqual([]);
    expect(attributionsOf('discord.js/README.md')).toEqual([]);
  });
});
