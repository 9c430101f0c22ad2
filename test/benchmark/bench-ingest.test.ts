import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchIngest } from '../../src/benchmark/bench-ingest.js';
import { isSupportedFile } from '../../src/corpus/readers/read-document.js';
import { makeTempDir, PROJECT_ROOT } from '../helpers.js';

const LABELLED = path.join(PROJECT_ROOT, 'test', 'fixtures', 'labelled');

describe('the extraction benchmark', () => {
  let temp: { dir: string; cleanup: () => void };
  beforeAll(() => (temp = makeTempDir()));
  afterAll(() => temp.cleanup());

  it('reads every document of each format the registry knows, with the same text as .txt as its baseline', async () => {
    const dir = path.join(temp.dir, 'fixtures', 'nested');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'a.md'), '# A\n\nOne paragraph of text.\n');
    writeFileSync(path.join(dir, 'b.txt'), 'Plain text, read as itself.\n');
    writeFileSync(path.join(dir, 'empty.txt'), '');
    writeFileSync(path.join(dir, 'notes.jsonl'), '{"not":"a document"}\n');
    writeFileSync(path.join(dir, 'SOURCES.md'), 'Where the fixtures came from.\n');
    // A real labelled Markdown document beside the small ones (whatever other formats the folder holds).
    const labelledDocuments = readdirSync(LABELLED).filter((name) => isSupportedFile(name) && name.endsWith('.md') && name !== 'SOURCES.md');
    copyFileSync(path.join(LABELLED, labelledDocuments[0]!), path.join(dir, labelledDocuments[0]!));

    const figures = await benchIngest({ dirs: [path.join(temp.dir, 'fixtures'), path.join(temp.dir, 'missing')], rounds: 1 });
    const byFormat = new Map(figures.map((entry) => [entry.format, entry]));
    const md = byFormat.get('md')!;
    expect(md.files).toBe(2);
    expect(md.ms).toBeGreaterThan(0);
    expect(md.txt.ms).toBeGreaterThan(0);
    // The baseline is the extracted text, not the file: for Markdown, the same bytes.
    expect(md.txt.bytes).toBe(md.bytes);
    const txt = byFormat.get('txt')!;
    expect(txt).toMatchObject({ files: 1, pages: 0 });
    expect(txt.skipped).toEqual([{ file: 'empty.txt', reason: expect.stringMatching(/empty/) }]);
    expect([...byFormat.keys()]).toEqual(['md', 'txt']);
  });
});
