import { readdirSync } from 'node:fs';
import path from 'node:path';
import { isSupportedFile } from '../corpus/readers/read-document.js';
import { type LabelledDocument, readLabelledDocument, readSquadDocuments } from '../evaluation/labelled-documents.js';

export type { LabelledDocument, LabelledQuestion } from '../evaluation/labelled-documents.js';

/**
 * The labelled data the answer model is fitted on, one group per document so that
 * figures can be held out by document: SQuAD 2.0 articles (test/fixtures/squad/), the
 * article with its development, paraphrase and conversation sets, and the sets written on
 * other public texts (test/fixtures/labelled/).
 */

/** A document's question files: `NAME.jsonl` (questions) and `NAME.chains.jsonl` (conversations). */
const QUESTION_FILE = /^(.+?)(?:\.chains)?\.jsonl$/;

/** The article's question sets the models are fitted to and judged on (held out by document). */
const ARTICLE_TRAINING_SETS = ['questions.jsonl', 'paraphrases.jsonl', 'chains.jsonl'] as const;

/**
 * Every labelled set in the repository, by document. In test/fixtures/labelled/, each
 * `NAME.jsonl` and/or `NAME.chains.jsonl` labels the document beside it, `NAME.<ext>` in
 * any format a reader reads (`.md`, `.txt`, `.pdf`, `.html`…): a new labelled document
 * becomes training and held-out data by being put there.
 */
export async function readAllLabelledDocuments(projectRoot: string): Promise<LabelledDocument[]> {
  const fixtures = path.join(projectRoot, 'test', 'fixtures');
  const squadDir = path.join(fixtures, 'squad');
  const labelledDir = path.join(fixtures, 'labelled');
  const squad = readdirSync(squadDir).filter((name) => name.endsWith('.json')).sort().flatMap((name) => readSquadDocuments(path.join(squadDir, name)));
  const article = await readLabelledDocument(
    path.join(projectRoot, 'corpus', 'kazakhstan-un-human-rights-council.txt'),
    // Not blind-paraphrases.jsonl: written blind and kept out of training, it checks every fit from outside.
    ARTICLE_TRAINING_SETS.map((name) => path.join(fixtures, name)),
    'article',
  );
  const names = readdirSync(labelledDir).sort();
  const bases = [...new Set(names.flatMap((name) => QUESTION_FILE.exec(name)?.[1] ?? []))];
  const sets: LabelledDocument[] = [];
  for (const base of bases) {
    const documentFiles = names.filter((name) => name.startsWith(`${base}.`) && path.parse(name).name === base && isSupportedFile(name));
    if (documentFiles.length !== 1) {
      throw new Error(`training: ${base}.jsonl needs exactly one document beside it named ${base}.<a format Verbatim reads>, found ${documentFiles.length === 0 ? 'none' : documentFiles.join(', ')}`);
    }
    const questionFiles = [`${base}.jsonl`, `${base}.chains.jsonl`].map((name) => path.join(labelledDir, name));
    sets.push(await readLabelledDocument(path.join(labelledDir, documentFiles[0]!), questionFiles, base));
  }
  return [...squad, article, ...sets];
}
