import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Document } from '../domain.js';

/**
 * The extracted text of every converted or re-encoded document, kept with the index as a
 * UTF-8 file so that every quote is a checkable slice of a file:
 * `readFileSync(textFile, 'utf8').slice(start, end) === quote.text`. Files are named by
 * document id and text hash, so an index generation never sees its text change under it
 * and an unchanged document keeps its file (and its citations' path) from build to build.
 */

/** The folder under INDEX_DIR that holds the texts. */
export const TEXTS_FOLDER = 'texts';

/** Where a document's extracted text lives, absolute. */
export function textFilePath(indexDir: string, document: Pick<Document, 'id' | 'text'>): string {
  const hash = createHash('sha256').update(document.text).digest('hex').slice(0, 12);
  return path.join(path.resolve(indexDir), TEXTS_FOLDER, `${document.id}.${hash}.txt`);
}

/**
 * Writes (atomically, once) the text file of each document that is not its own UTF-8 file
 * and sets its `textFile`, relative to the corpus folder's parent like `source`.
 */
export async function saveTextFiles(indexDir: string, corpusDir: string, documents: Document[]): Promise<void> {
  const corpusParent = path.dirname(path.resolve(corpusDir));
  let made = false;
  for (const document of documents) {
    if (document.verbatimFile) {
      document.textFile = document.source;
      continue;
    }
    const file = textFilePath(indexDir, document);
    if (!existsSync(file)) {
      if (!made) await mkdir(path.dirname(file), { recursive: true });
      made = true;
      const temporary = `${file}.tmp-${process.pid}`;
      await writeFile(temporary, document.text, 'utf8');
      await rename(temporary, file);
    }
    document.textFile = path.relative(corpusParent, file).split(path.sep).join('/');
  }
}

/** Removes text files no document of the live index uses; returns warnings for any that could not be removed. */
export async function pruneTextFiles(indexDir: string, documents: readonly Document[]): Promise<string[]> {
  const folder = path.join(path.resolve(indexDir), TEXTS_FOLDER);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const used = new Set(documents.filter((document) => !document.verbatimFile).map((document) => path.basename(textFilePath(indexDir, document))));
  const warnings: string[] = [];
  for (const name of names) {
    if (used.has(name)) continue;
    await rm(path.join(folder, name), { force: true }).catch((error: Error) => warnings.push(`store: the old text file ${name} could not be removed (${error.message}); delete it by hand.`));
  }
  return warnings;
}
