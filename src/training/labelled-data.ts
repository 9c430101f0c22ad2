import { readdirSync } from 'node:fs';
import path from 'node:path';
import { type LabelledDocument, readLabelledDocument, readSquadDocuments } from '../evaluation/labelled-documents.js';

export type { LabelledDocument, LabelledQuestion } from '../evaluation/labelled-documents.js';

/**
 * The labelled data the answer model is fitted on, one group per document so that
 * figures can be held out by document: SQuAD 2.0 articles (test/fixtures/squad/), the
 * article with its development and paraphrase sets, and the sets written on other
 * public texts (test/fixtures/labelled/).
 */

/** Every labelled set in the repository, by document. */
export function readAllLabelledDocuments(projectRoot: string): LabelledDocument[] {
  const fixtures = path.join(projectRoot, 'test', 'fixtures');
  const squadDir = path.join(fixtures, 'squad');
  const labelledDir = path.join(fixtures, 'labelled');
  const squad = readdirSync(squadDir).filter((name) => name.endsWith('.json')).sort().flatMap((name) => readSquadDocuments(path.join(squadDir, name)));
  const article = readLabelledDocument(
    path.join(projectRoot, 'corpus', 'kazakhstan-un-human-rights-council.txt'),
    [path.join(fixtures, 'questions.jsonl'), path.join(fixtures, 'paraphrases.jsonl')],
    'article',
  );
  const sets = readdirSync(labelledDir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .map((name) => {
      const base = name.slice(0, -'.jsonl'.length);
      const text = ['.md', '.txt'].map((extension) => path.join(labelledDir, base + extension)).find((file) => readdirSync(labelledDir).includes(path.basename(file)));
      if (!text) throw new Error(`training: ${name} has no ${base}.md or ${base}.txt beside it`);
      return readLabelledDocument(text, [path.join(labelledDir, name)], base);
    });
  return [...squad, article, ...sets];
}
