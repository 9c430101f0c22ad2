import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateQuestions } from '../../src/benchmark/generate-questions.js';
import { buildProseCorpus } from '../../src/benchmark/prose-corpus.js';
import { splitSections } from '../../src/benchmark/split-sections.js';
import { chunkDocument } from '../../src/chunking/chunk-document.js';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import { makeTempDir } from '../helpers.js';

/**
 * Man pages are rendered by groff, which the benchmark needs and the test suite does not:
 * where it is missing, the man-page test is reported as skipped (with this reason in its
 * name) instead of passing over zero man pages.
 */
const HAS_GROFF = ((): boolean => {
  try {
    execFileSync('groff', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const paragraph = (topic: string, n: number): string =>
  `The ${topic} section explains in plain words how the ${topic} feature behaves when it is used for the ${n}th time, ` +
  `which settings change it, and why a careful reader would want to know about it before relying on it in production.`;

describe('splitSections', () => {
  it('cuts Markdown at headings (not inside code fences), merging a heading with too little text into the next', () => {
    const text = [
      '# Title',
      paragraph('intro', 1),
      paragraph('intro', 2),
      '## Options',
      'Short.',
      '### --force',
      paragraph('force', 2),
      paragraph('force', 3),
      '```',
      '# not a heading',
      '```',
      '## Usage',
      paragraph('usage', 3),
      paragraph('usage', 4),
    ].join('\n\n');
    const sections = splitSections(text, 'markdown');
    expect(sections.map((section) => section.heading)).toEqual(['Title', 'Options', 'Usage']);
    expect(sections[1]!.body).toContain('--force');
    expect(sections[1]!.body).toContain('# not a heading');
  });

  it('cuts info manuals at nodes (indexes dropped), man pages at their section lines, and reStructuredText at underlined titles', () => {
    const info = `\u001f\nFile: x.info,  Node: Invoking,  Next: Index\n\n${paragraph('invoking', 1)}\n${paragraph('invoking', 2)}\n\u001f\nFile: x.info,  Node: Concept Index\n\n* foo: bar.\n`;
    expect(splitSections(info, 'info').map((section) => section.heading)).toEqual(['Invoking']);
    // NAME is too short to stand alone: it opens the document its DESCRIPTION is in.
    const man = `NAME\n       tool - does things\n\nDESCRIPTION\n       ${paragraph('description', 1)} ${paragraph('description', 2)}\n\nOPTIONS\n       ${paragraph('options', 2)} ${paragraph('options', 3)}\n`;
    expect(splitSections(man, 'man').map((section) => section.heading)).toEqual(['NAME', 'OPTIONS']);
    const rst = `Install\n=======\n\n${paragraph('install', 1)} ${paragraph('install', 2)}\n\nUse\n---\n\n${paragraph('use', 3)} ${paragraph('use', 4)}\n`;
    expect(splitSections(rst, 'rst').map((section) => section.heading)).toEqual(['Install', 'Use']);
  });

  it('cuts a section longer than a document should be at paragraph boundaries', () => {
    const long = Array.from({ length: 120 }, (_, i) => paragraph('long', i)).join('\n\n');
    const parts = splitSections(`# Long\n\n${long}`, 'markdown');
    expect(parts.length).toBeGreaterThan(1);
    expect(parts[1]!.heading).toBe('Long (part 2)');
    expect(parts.map((part) => part.body).join('\n\n')).toBe(long);
  });
});

describe('buildProseCorpus', () => {
  let temp: { dir: string; cleanup: () => void };
  beforeAll(() => {
    temp = makeTempDir();
  });
  afterAll(() => temp.cleanup());

  function writeSources(root: string): { infoDir: string; manDir: string; docDir: string; npmDir: string } {
    const dirs = { infoDir: path.join(root, 'info'), manDir: path.join(root, 'man'), docDir: path.join(root, 'doc'), npmDir: path.join(root, 'node_modules') };
    for (const dir of [dirs.infoDir, path.join(dirs.manDir, 'man7'), path.join(dirs.docDir, 'pkg'), path.join(dirs.npmDir, 'lib')]) mkdirSync(dir, { recursive: true });
    const nodes = Array.from({ length: 6 }, (_, i) => `\u001f\nFile: t.info,  Node: Node ${i},  Next: x\n\n${paragraph(`node${i}`, i)}\n\n${paragraph(`node${i}`, i + 1)}\n`).join('');
    writeFileSync(path.join(dirs.infoDir, 't.info.gz'), gzipSync(`${nodes}\u001f\nFile: t.info,  Node: Binary\n\n${paragraph('binary', 1)}\u0000\n\n${paragraph('binary', 2)}\n`));
    writeFileSync(path.join(dirs.manDir, 'man7', 'tool.7.gz'), gzipSync(`.TH TOOL 7\n.SH NAME\ntool \\- a tool\n.SH DESCRIPTION\n${paragraph('tool', 1)}\n.PP\n${paragraph('tool', 2)}\n`));
    const twice = `${paragraph('pkg', 1)}\n\n${paragraph('pkg', 2)}`;
    writeFileSync(path.join(dirs.docDir, 'pkg', 'README.md'), `# Pkg\n\n${twice}\n\n## Again\n\n${twice}\n\n## Table\n\n${'| a | b | 1 | 2 |\n'.repeat(30)}`);
    writeFileSync(path.join(dirs.docDir, 'pkg', 'LICENSE.md'), `# License\n\n${paragraph('license', 1)}`);
    writeFileSync(path.join(dirs.npmDir, 'lib', 'README.md'), `# Lib\n\n${paragraph('lib', 1)} ${paragraph('lib', 2)}\n\n# Lib again\n\n${paragraph('lib', 3)} ${paragraph('lib', 4)}`);
    return dirs;
  }

  it('writes each section as a document, drops duplicates, non-prose and licences, and counts passages as the chunker makes them', async () => {
    const dirs = writeSources(path.join(temp.dir, 'sources'));
    const corpusDir = path.join(temp.dir, 'corpus');
    const corpus = await buildProseCorpus({
      dir: corpusDir,
      targetPassages: 1_000,
      targetDocuments: 1_000,
      sources: { infoDir: dirs.infoDir, manDir: dirs.manDir, manSections: ['7'], docDirs: [dirs.docDir], nodeModulesDirs: [dirs.npmDir], renderConcurrency: 2 },
    });
    expect(corpus.reachedTarget).toBe(false);
    expect(corpus.families.info.documents).toBe(6);
    expect(corpus.families.man.documents).toBe(HAS_GROFF ? 1 : 0);
    // The README's second section repeats its first; the table is not prose; the licence is not read.
    expect(corpus.duplicates).toBe(1);
    expect(corpus.families.doc.documents).toBe(1);
    expect(corpus.families.npm.documents).toBe(2);
    expect(corpus.notProse).toBe(2);
    const { documents, skipped } = await loadCorpus(corpusDir);
    expect(skipped).toEqual([]);
    expect(documents).toHaveLength(corpus.documents);
    expect(documents.flatMap(chunkDocument)).toHaveLength(corpus.passages);
    expect(documents.filter((document) => document.source.startsWith('corpus/info/')).map((document) => document.title).sort()).toEqual(
      Array.from({ length: 6 }, (_, i) => `t.info — Node ${i}`),
    );
  });

  it.skipIf(!HAS_GROFF)(`renders a man page with groff into a document of its text${HAS_GROFF ? '' : ' — skipped: groff is not installed'}`, async () => {
    const dirs = writeSources(path.join(temp.dir, 'sources-man'));
    const corpusDir = path.join(temp.dir, 'corpus-man');
    const corpus = await buildProseCorpus({
      dir: corpusDir,
      targetPassages: 1_000,
      targetDocuments: 1_000,
      sources: { infoDir: path.join(temp.dir, 'no-info'), manDir: dirs.manDir, manSections: ['7'], docDirs: [], nodeModulesDirs: [], renderConcurrency: 1 },
    });
    expect(corpus.families.man.documents).toBe(1);
    const { documents } = await loadCorpus(corpusDir);
    expect(documents).toHaveLength(1);
    expect(documents[0]!.text).toContain('The tool section explains in plain words');
  });

  it('stops once both targets are reached', async () => {
    const dirs = writeSources(path.join(temp.dir, 'sources2'));
    const corpus = await buildProseCorpus({
      dir: path.join(temp.dir, 'corpus2'),
      targetPassages: 5,
      targetDocuments: 3,
      sources: { infoDir: dirs.infoDir, manDir: dirs.manDir, manSections: ['7'], docDirs: [dirs.docDir], nodeModulesDirs: [dirs.npmDir], renderConcurrency: 1 },
    });
    expect(corpus.reachedTarget).toBe(true);
    expect(corpus.documents).toBe(3);
    expect(readdirSync(path.join(temp.dir, 'corpus2', 'info'))).toHaveLength(3);
    expect(readFileSync(path.join(temp.dir, 'corpus2', 'info', readdirSync(path.join(temp.dir, 'corpus2', 'info'))[0]!), 'utf8')).toMatch(/^t\.info — Node \d\n\n/);
  });
});

describe('generateQuestions', () => {
  it('makes the same questions for the same seed, half from one sentence, asking about its rarest words', async () => {
    const temp = makeTempDir();
    try {
      mkdirSync(path.join(temp.dir, 'corpus'));
      writeFileSync(path.join(temp.dir, 'corpus', 'a.txt'), 'Zebras graze quietly beside acacia trees.\n\nPenguins huddle together against freezing winds.\n');
      const chunks = (await loadCorpus(path.join(temp.dir, 'corpus'))).documents.flatMap(chunkDocument);
      const rarity = (stem: string): number => (stem.startsWith('z') || stem.startsWith('p') ? 2 : 1);
      const questions = generateQuestions(chunks, 6, 5, rarity);
      expect(generateQuestions(chunks, 6, 5, rarity)).toEqual(questions);
      expect(questions.map((q) => q.fromOneSentence)).toEqual([true, false, true, false, true, false]);
      for (const { question, fromOneSentence } of questions.filter((q) => q.fromOneSentence)) {
        expect(fromOneSentence).toBe(true);
        // The rarest word of its sentence comes first.
        expect(question).toMatch(/(zebras|penguins), /);
      }
    } finally {
      temp.cleanup();
    }
  });
});
