import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chunkDocument } from '../../../src/chunking/chunk-document.js';
import { loadCorpus, readerLimits } from '../../../src/corpus/load-corpus.js';
import { findMarkdownHeadings, plainWords, readMarkdown } from '../../../src/corpus/readers/markdown.js';
import type { ExtractedText } from '../../../src/corpus/readers/reader-types.js';
import { makeTempDir, PROJECT_ROOT, writeCorpus } from '../../helpers.js';

const README = (name: string): string => path.join(PROJECT_ROOT, 'node_modules', name, 'README.md');

async function read(text: string | Buffer): Promise<ExtractedText> {
  const result = await readMarkdown({ bytes: Buffer.isBuffer(text) ? text : Buffer.from(text), fileName: 'README.md', limits: readerLimits() });
  if ('skip' in result) throw new Error(result.skip);
  return result;
}

const outline = (text: string): string[] => findMarkdownHeadings(text).map((heading) => `${heading.level} ${heading.title}`);

describe('findMarkdownHeadings', () => {
  it('records ATX headings without their marks and closing #s, spanning the line as written', () => {
    const text = '# Title #\n\nIntro.\n\n  ## Ownership *rules* ##\r\n\nBody.\n#hashtag is not a heading\n####### nor is this\n';
    const headings = findMarkdownHeadings(text);
    expect(headings.map(({ level, title }) => `${level} ${title}`)).toEqual(['1 Title', '2 Ownership rules']);
    expect(headings.map((heading) => text.slice(heading.start, heading.end))).toEqual(['# Title #', '## Ownership *rules* ##']);
  });

  it('records setext headings (one line or several) and not thematic breaks or lists over a rule', () => {
    const text = 'Guide\n=====\n\nA long\ntitle\n-----\n\nText.\n\n---\n\n- an item\n---\n\n> quoted\n===\n';
    expect(outline(text)).toEqual(['1 Guide', '2 A long title']);
    const [guide] = findMarkdownHeadings(text);
    expect(text.slice(guide!.start, guide!.end)).toBe('Guide');
  });

  it('never takes a line inside fenced code or an HTML comment for a heading', () => {
    const text = '# Real\n\n```sh\n# install it\nnpm i\n```\n\n~~~~\n## still code\n~~~\n## still code, the fence was longer\n~~~~\n\n<!--\n# commented out\n-->\n\n## After\n';
    expect(outline(text)).toEqual(['1 Real', '2 After']);
  });

  it('reads the first line of a file that starts with a byte-order mark', () => {
    const text = '\uFEFF# Title\n\nText.\n';
    expect(findMarkdownHeadings(text)).toEqual([{ start: 1, end: 8, level: 1, title: 'Title' }]);
  });

  it("takes a README's one-line HTML headings, with their words only", () => {
    expect(outline('<h1 align="center">Zod <img src="logo.svg"/></h1>\n\nText.\n')).toEqual(['1 Zod']);
  });
});

describe('plainWords', () => {
  it('keeps the words of links, code and emphasis, drops badges, tags and escapes, decodes entities', () => {
    expect(plainWords('better-sqlite3 [![Build Status](https://github.com/x/badge.svg)](https://github.com/x)')).toBe('better-sqlite3');
    expect(plainWords('Help this project stay strong! &#128170;')).toBe('Help this project stay strong! 💪');
    expect(plainWords('Why use [node-sqlite3](https://github.com/mapbox/node-sqlite3) and `Vec<T>` **now** \\*not\\* <b>later</b>?')).toBe('Why use node-sqlite3 and Vec<T> now *not* later?');
    expect(plainWords('snake_case_name stays')).toBe('snake_case_name stays');
  });
});

describe('readMarkdown', () => {
  it('keeps the file as its text, so quotes slice the raw file', async () => {
    const raw = readFileSync(README('discord.js'));
    const markdown = await read(raw);
    expect(markdown.text).toBe(raw.toString('utf8'));
    expect(markdown).toMatchObject({ format: 'md', verbatimFile: true, encoding: 'utf-8' });
  });

  it("records a real README's sections and takes no badge, image or HTML line for its title", async () => {
    const discord = await read(readFileSync(README('discord.js')));
    // Its first words are a logo and badges in HTML, then "## About": no line names the document.
    expect(discord.title).toBeNull();
    expect(discord.headings.slice(0, 3).map(({ level, title }) => `${level} ${title}`)).toEqual(['2 About', '2 Installation', '3 Optional packages']);
    const sqlite = await read(readFileSync(README('better-sqlite3')));
    expect(sqlite.title).toBe('better-sqlite3');
  });

  it('takes the title from front matter, else the first level-1 heading, else a first line that stands alone', async () => {
    expect((await read('---\ntitle: From front matter\n---\n# Heading one\n\nText.\n')).title).toBe('From front matter');
    expect((await read('Intro line\n\n## Section\n\n# The Name\n\nText.\n')).title).toBe('The Name');
    const badges = '[![npm](https://img.shields.io/npm/v/x.svg)](https://npmjs.com/x) [![build](https://ci/x.svg)](https://ci/x)\n![logo](logo.png)\n<p align="center">\n[Docs](https://x.dev) · [Guide](https://x.dev/guide)\n\n';
    expect((await read(`${badges}**Tiny Tool**\n\nIt does one thing.\n`)).title).toBe('Tiny Tool');
    // The first text is a paragraph or a section heading: no title (the loader names it after the file).
    expect((await read(`${badges}This tool does one thing\nand does it well.\n`)).title).toBeNull();
    expect((await read(`${badges}## Install\n\nnpm i x\n`)).title).toBeNull();
  });

  it("gives a real README's passages their section path", async () => {
    const temp = makeTempDir();
    cleanup = temp.cleanup;
    const corpus = writeCorpus(temp.dir, { 'discord.js.md': readFileSync(README('discord.js')) });
    const [document] = (await loadCorpus(corpus)).documents;
    expect(document!.title).toBe('discord-js');
    expect(document!.textFile).toBe(document!.source);
    const chunks = chunkDocument(document!);
    const zlib = chunks.find((chunk) => chunk.text.includes('zlib-sync'))!;
    expect(zlib.section).toBe('Installation › Optional packages');
    expect(readFileSync(path.join(corpus, 'discord.js.md'), 'utf8').slice(zlib.start, zlib.end)).toBe(zlib.text);
  });
});

let cleanup = (): void => {};
afterEach(() => cleanup());
