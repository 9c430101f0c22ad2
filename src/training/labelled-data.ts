import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { type LabelledDocument, readLabelledDocument, readSquadDocuments } from '../evaluation/labelled-documents.js';

export type { LabelledDocument, LabelledQuestion } from '../evaluation/labelled-documents.js';

/**
 * The labelled data the answer model is fitted on, one group per document so that
 * figures can be held out by document: SQuAD 2.0 articles (test/fixtures/squad/), the
 * article with its development, paraphrase and conversation-chain sets, and the sets
 * written on other public texts (test/fixtures/labelled/).
 */

/**
 * A document's conversation chains (follow-ups mixed with topic changes) sit beside its
 * question file as `NAME.chains.jsonl`; they belong to the same document, so they are held
 * out with it.
 */
const CHAINS_SUFFIX = '.chains.jsonl';

/** Every labelled set in the repository, by document. */
export function readAllLabelledDocuments(projectRoot: string): LabelledDocument[] {
  const fixtures = path.join(projectRoot, 'test', 'fixtures');
  const squadDir = path.join(fixtures, 'squad');
  const labelledDir = path.join(fixtures, 'labelled');
  const squad = readdirSync(squadDir).filter((name) => name.endsWith('.json')).sort().flatMap((name) => readSquadDocuments(path.join(squadDir, name)));
  const article = readLabelledDocument(
    path.join(projectRoot, 'corpus', 'kazakhstan-un-human-rights-council.txt'),
    [path.join(fixtures, 'questions.jsonl'), path.join(fixtures, 'paraphrases.jsonl'), path.join(fixtures, 'chains.jsonl')].filter((file) => existsSync(file)),
    'article',
  );
  const names = readdirSync(labelledDir);
  const sets = names
    .filter((name) => name.endsWith('.jsonl') && !name.endsWith(CHAINS_SUFFIX))
    .sort()
    .map((name) => {
      const base = name.slice(0, -'.jsonl'.length);
      const text = ['.md', '.txt'].map((extension) => base + extension).find((file) => names.includes(file));
      if (!text) throw new Error(`training: ${name} has no ${base}.md or ${base}.txt beside it`);
      const questionFiles = [name, base + CHAINS_SUFFIX].filter((file) => names.includes(file)).map((file) => path.join(labelledDir, file));
      return readLabelledDocument(path.join(labelledDir, text), questionFiles, base);
    });
  const orphans = names.filter((name) => name.endsWith(CHAINS_SUFFIX) && !names.includes(name.slice(0, -CHAINS_SUFFIX.length) + '.jsonl'));
  if (orphans.length > 0) throw new Error(`training: ${orphans.join(', ')} has no question file of its document beside it`);
  return [...squad, article, ...sets];
}
