import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chunkDocument } from '../../../src/chunking/chunk-document.js';
import { loadCorpus } from '../../../src/corpus/load-corpus.js';
import { findPlainTextHeadings } from '../../../src/corpus/readers/plain-text-headings.js';
import { guessTitle } from '../../../src/corpus/readers/plain-text.js';
import type { Document } from '../../../src/domain.js';
import { ARTICLE_DIR, makeTempDir, writeCorpus } from '../../helpers.js';

const outline = (text: string): string[] => findPlainTextHeadings(text).map((heading) => `${heading.level} ${heading.title}`);

/** A novel as Project Gutenberg prints it: a contents page, parts, chapters with titles, hard-wrapped paragraphs. */
const NOVEL = `The Voyage Out

by Virginia Woolf

CONTENTS

 CHAPTER I.     The Quay
 CHAPTER II.    The Ship

PART ONE

CHAPTER I

THE QUAY

As the streets that lead from the Strand to the Embankment are very
narrow, it is better not to walk down them arm-in-arm. If you persist,
lawyers' clerks will have to make flying leaps into the mud.

In the streets of London where beauty goes unregarded, eccentricity
must pay the penalty, and it is better not to be very tall.

CHAPTER II.
The Ship

Uncomfortable as the night, with its rocking movement, and salt smells,
undoubtedly was, and in one case undoubtedly worse, the morning came.

* * *

Early next morning there was a sound like chains being drawn roughly
overhead; the steady heart of the Euphrosyne slowly ceased to beat.

PART TWO

CHAPTER III

Rachel had gone to her room, and was sitting there in the dark when the
door opened.
`;

/** A manual saved as text: capitals for chapters, short lines for sections, lists and addresses that are neither. */
const MANUAL = `User Guide

INSTALLATION

Requirements

You need a computer with at least two gigabytes of memory and a network
connection for the first start.

Ownership Rules

Each value has an owner. There can only be one owner at a time, and when
the owner goes out of scope, the value is dropped.

TROUBLESHOOTING

Write to us at:

Verbatim Support
12 Quay Street
Portsmouth

We answer within two days, or within a week in August when the office
is closed for the summer holidays.
`;

describe('findPlainTextHeadings', () => {
  it("finds a novel's parts and chapters, joins a chapter's title line to it, and leaves its contents page alone", () => {
    expect(outline(NOVEL)).toEqual(['1 PART ONE', '2 CHAPTER I. THE QUAY', '2 CHAPTER II. The Ship', '1 PART TWO', '2 CHAPTER III']);
  });

  it('finds all-capital and short standing lines followed by body text, each deeper than the one before, and nothing in lists or addresses', () => {
    expect(outline(MANUAL)).toEqual(['1 INSTALLATION', '2 Requirements', '2 Ownership Rules', '1 TROUBLESHOOTING']);
  });

  it('spans a heading from where its paragraph starts, so a passage starts under its own heading', () => {
    const text = `${MANUAL}`;
    for (const heading of findPlainTextHeadings(text)) {
      expect(text.slice(heading.start, heading.end)).toBe(heading.title);
      expect(text[heading.start - 1] ?? '\n').toBe('\n');
    }
  });

  it('reads underlined titles as Markdown levels and numbered titles by their depth, over several lines', () => {
    const text = 'Handbook\n========\n\nThe Archive\n-----------\n\nText of the archive part, which runs on for a line or two.\n\n1.1. What is this FAQ?\n\n    It answers questions.\n\n1.2. How does the project fit in or compare with the Free\nSoftware Foundation\'s GNU project?\n\n    It builds on it.\n\n1.2.1. dpkg\n\n    The main package tool.\n';
    expect(outline(text)).toEqual(['1 Handbook', '2 The Archive', '3 1.1. What is this FAQ?', "3 1.2. How does the project fit in or compare with the Free Software Foundation's GNU project?", '4 1.2.1. dpkg']);
  });

  it('does not take a line indented like the body text for a heading', () => {
    const text = '1. Setup\n\n    Do not overwrite /bin/login with your own program, because the\n    package system will not know of it.\n\n    Rather, do\n\n      * divert the file first.\n';
    expect(outline(text)).toEqual(['1 1. Setup']);
  });

  it('does not take a run of short lines, a date before a heading, or a running header for headings', () => {
    const toc = 'Glossary\n\nVerb Doubling\n\nSoundalike Slang\n\nComparatives\n\nThere are some standard methods of jargonification that became established\nquite early, before 1970.\n';
    expect(outline(toc)).toEqual([]);
    const dated = 'January 2021\n\nAbstract\n\nThis document answers questions frequently asked about Debian.\n';
    expect(outline(dated)).toEqual([]);
    const running = Array.from({ length: 3 }, (_, i) => `THE HISTORY OF ENGLAND\n\nPage text number ${i + 1}, which runs over more than one line of this\nbook and ends like a sentence.\n`).join('\n');
    expect(outline(running)).toEqual([]);
  });
});

describe('a plain-text document', () => {
  let cleanup = (): void => {};
  afterEach(() => cleanup());

  async function loadOne(name: string, text: string): Promise<Document> {
    const temp = makeTempDir();
    cleanup = temp.cleanup;
    const corpus = writeCorpus(temp.dir, { [name]: text });
    const [document] = (await loadCorpus(corpus)).documents;
    return document!;
  }

  it('keeps the article as it was: its headline as title, no sections', async () => {
    const text = readFileSync(path.join(ARTICLE_DIR, 'kazakhstan-un-human-rights-council.txt'), 'utf8');
    const document = await loadOne('article.txt', text);
    expect(document.title).toBe('Kazakhstan Elected Member of UN Human Rights Council');
    expect(document.headings).toEqual([]);
    expect(chunkDocument(document).every((chunk) => chunk.section === null)).toBe(true);
  });

  it("gives a hard-wrapped book's passages their section path and keeps its line breaks in quotes, verbatim", async () => {
    const document = await loadOne('voyage.txt', NOVEL);
    expect(document.title).toBe('The Voyage Out');
    const chunks = chunkDocument(document);
    const streets = chunks.find((chunk) => chunk.text.startsWith('As the streets'))!;
    expect(streets.section).toBe('PART ONE › CHAPTER I. THE QUAY');
    expect(streets.kind).toBe('paragraph');
    // A sentence runs over the wrap: the quote is the file's slice, line breaks and all.
    const sentence = streets.sentences[0]!;
    expect(NOVEL.slice(sentence.start, sentence.end)).toBe("As the streets that lead from the Strand to the Embankment are very\nnarrow, it is better not to walk down them arm-in-arm.");
    expect(chunks.find((chunk) => chunk.text.startsWith('Rachel'))!.section).toBe('PART TWO › CHAPTER III');
    // Each heading is a passage of its own, of kind header, under itself.
    const chapter = chunks.find((chunk) => chunk.text.startsWith('CHAPTER II.\nThe Ship'))!;
    expect(chapter).toMatchObject({ kind: 'header', section: 'PART ONE › CHAPTER II. The Ship' });
  });

  it('does not take the first line of a hard-wrapped paragraph for the title', () => {
    expect(guessTitle('As the streets that lead from the Strand to the Embankment are very\nnarrow, it is better.')).toBeNull();
    expect(guessTitle('\n\nThe Voyage Out\n\nby Virginia Woolf')).toBe('The Voyage Out');
  });
});
