import { loadCorpus } from './src/corpus/load-corpus.ts';
import { chunkDocument } from './src/chunking/chunk-document.ts';
const { documents, skipped } = await loadCorpus('/work/main/corpus');
console.log(skipped, documents.map(d => [d.id, d.title, d.publication, d.source]));
for (const c of chunkDocument(documents[0]!)) {
  console.log(c.id, c.kind, c.start, c.end, c.text.length);
  for (const s of c.sentences) console.log('   ', s.paragraph, JSON.stringify(documents[0]!.text.slice(s.start, s.end).slice(0, 90)), '|', s.attribution);
}
