import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/chunking/chunk-document.js';
import { documentFromText, loadCorpus } from '../../src/corpus/load-corpus.js';
import type { Document } from '../../src/domain.js';
import { encodePassagePack, PassagePack } from '../../src/store/passage-file.js';
import { decodePassageMap, encodePassageMap, planPassagePacks } from '../../src/store/passage-store.js';
import { ARTICLE_DIR } from '../helpers.js';

async function documentsWithAnAwkwardOne(): Promise<Document[]> {
  const { documents } = await loadCorpus(ARTICLE_DIR);
  const awkward: Document = {
    ...documentFromText({ id: 'awkward', source: 'corpus/awkward.md', text: '' }),
    format: 'md',
    pageStarts: [0, 40],
    headings: [{ start: 33, end: 42, level: 1, title: 'Heading' }],
    id: 'awkward',
    source: 'corpus/awkward.md',
    path: '/elsewhere/corpus/awkward.md',
    text: '---\ntitle: "Émoji 🎉 and CRLF"\n---\r\n# Heading\r\n\r\n- one “quoted” item\r\n- two\r\n\r\nTabs\tand\u00a0spaces. A second sentence (Reuters, May 2).\r\n',
    title: 'Émoji 🎉 and CRLF',
    publication: null,
    date: null,
    url: 'https://example.org/a',
    bodyStart: 29,
  };
  const empty = documentFromText({ id: 'no-passages', source: 'corpus/no-passages.txt', text: '   ' });
  return [awkward, ...documents, empty];
}

describe('a pack of passages', () => {
  it('gives back the same documents and chunks (texts, offsets, sentences, attributions, kinds, sections, pages), one document at a time', async () => {
    const all = await documentsWithAnAwkwardOne();
    const chunksOf = all.map(chunkDocument);
    expect(new Set(chunksOf.flat().map((chunk) => chunk.kind))).toEqual(new Set(['header', 'paragraph', 'list']));
    expect(chunksOf.flat().some((chunk) => chunk.sentences.some((sentence) => sentence.attribution !== null))).toBe(true);
    expect(chunksOf.at(-1)).toEqual([]);

    const encoded = encodePassagePack(all, (i) => chunksOf[i]!);
    const docs = Buffer.concat(encoded.docs);
    const texts = Buffer.concat(encoded.texts);
    const records = Buffer.concat(encoded.records);
    const reads = { texts: 0, records: 0 };
    const textSource = { read: (start: number, end: number) => (reads.texts++, texts.subarray(start, end)) };
    const recordSource = { read: (start: number, end: number) => (reads.records++, records.subarray(start, end)) };
    const pack = new PassagePack(docs, recordSource, textSource, '/elsewhere', 'pack.bin');
    // Metadata and chunk counts come without reading a text or a record.
    expect(all.map((_, i) => pack.chunkCount(i))).toEqual(chunksOf.map((chunks) => chunks.length));
    expect(pack.document(2).title).toBe(all[2]!.title);
    expect(reads).toEqual({ texts: 0, records: 0 });
    // A text read alone is checked against the checksum it must have.
    const sha256 = (text: string): Uint8Array => new Uint8Array(createHash('sha256').update(text).digest());
    const checked = new PassagePack(docs, recordSource, textSource, '/elsewhere', 'pack.bin');
    expect(checked.document(1, sha256(all[1]!.text)).text).toBe(all[1]!.text);
    expect(() => checked.document(2, sha256('something else')).text).toThrow(/the text of corpus\/.* in pack.bin does not match its checksum/);
    expect(pack.documentCount).toBe(all.length);
    // The last document first: nothing before it needs decoding.
    for (const i of [all.length - 1, 1, 0]) {
      expect({ ...pack.document(i) }).toEqual({ ...all[i]!, path: `/elsewhere/${all[i]!.source}` });
      expect(pack.chunkCount(i)).toBe(chunksOf[i]!.length);
      expect(pack.textBytes(i)).toBe(Buffer.byteLength(all[i]!.text));
      expect(pack.chunksOf(i)).toEqual(chunksOf[i]);
    }
    for (const chunk of pack.chunksOf(0)) expect(all[0]!.text.slice(chunk.start, chunk.end)).toBe(chunk.text);
    // One read per document whose text or passages were needed, never a whole file.
    expect(reads).toEqual({ texts: 5, records: 4 });
    // A record read alone is checked too: one changed byte and it is refused.
    const damaged = Buffer.from(records);
    damaged[damaged.length - 20]! ^= 0xff;
    const refusing = new PassagePack(docs, { read: (start: number, end: number) => damaged.subarray(start, end) }, texts, '/elsewhere', 'pack.bin');
    expect(() => refusing.chunksOf(all.length - 2)).toThrow(/the passages of corpus\/.* in pack.bin do not match their checksum/);
    // Read whole (as answering reads them), the files give the same chunks.
    const whole = new PassagePack(docs, records, texts, '/elsewhere', 'pack.bin');
    expect(all.map((_, i) => whole.chunksOf(i))).toEqual(chunksOf);
  });

  it('refuses chunks packed with another document', async () => {
    const [first, second] = await documentsWithAnAwkwardOne();
    expect(() => encodePassagePack([first!], () => chunkDocument(second!))).toThrow(/packed with document awkward/);
  });
});

describe('the passage map and its packs', () => {
  it('keeps unchanged documents in their pack, packs changed ones anew, and reads back every slot', async () => {
    const all = await documentsWithAnAwkwardOne();
    const chunksOf = all.map(chunkDocument);
    const slots = Uint32Array.from(chunksOf.flat(), (_, i) => i * 3 + 1);
    const first = planPassagePacks(all.map((document, i) => ({ document, kept: null, chunkCount: chunksOf[i]!.length })), [], slots, (i) => chunksOf[i]!);
    expect(first.linked).toEqual([]);
    expect(first.layout.packs).toHaveLength(1);
    const map = decodePassageMap(Buffer.concat(encodePassageMap(first.layout)), 'passage-map.bin');
    expect(map).toEqual(first.layout);

    // A small document changed: the others stay where they were; it alone is packed anew.
    const changed = { ...all[0]!, text: `${all[0]!.text}One more sentence.\n` };
    const next = planPassagePacks(
      all.map((document, i) => (i === 0 ? { document: changed, kept: null, chunkCount: chunkDocument(changed).length } : { document, kept: map.documents[i]!, chunkCount: chunksOf[i]!.length })),
      map.packs,
      slots,
      (i) => (i === 0 ? chunkDocument(changed) : chunksOf[i]!),
    );
    expect(next.linked).toEqual([first.written!.name]);
    expect(next.layout.packs.map((pack) => pack.name)).toEqual([first.written!.name, next.written!.name]);
    expect(next.layout.documents.map((entry) => [entry.pack, entry.index])).toEqual(all.map((_, i) => (i === 0 ? [1, 0] : [0, i])));
    const encoded = next.written!.encode();
    const written = new PassagePack(Buffer.concat(encoded.docs), Buffer.concat(encoded.records), Buffer.concat(encoded.texts), '/p', 'new.bin');
    expect(written.documentCount).toBe(1);
    expect(written.document(0).text).toBe(changed.text);
    expect(next.layout.documents[0]!.textHash).not.toEqual(map.documents[0]!.textHash);
    expect(next.layout.documents[1]!.textHash).toEqual(map.documents[1]!.textHash);
  });

  it('rewrites the packs as one once dead text is over a quarter of what they hold', async () => {
    const all = await documentsWithAnAwkwardOne();
    const chunksOf = all.map(chunkDocument);
    const slots = Uint32Array.from(chunksOf.flat(), (_, i) => i);
    const first = planPassagePacks(all.map((document, i) => ({ document, kept: null, chunkCount: chunksOf[i]!.length })), [], slots, (i) => chunksOf[i]!);
    // The article, most of the text, is gone: what is left is written into one new pack.
    const left = [0, 2];
    const next = planPassagePacks(left.map((i) => ({ document: all[i]!, kept: first.layout.documents[i]!, chunkCount: chunksOf[i]!.length })), first.layout.packs, new Uint32Array(chunksOf[0]!.length), (k) => chunksOf[left[k]!]!);
    expect(next.linked).toEqual([]);
    expect(next.layout.packs).toHaveLength(1);
    const encoded = next.written!.encode();
    const pack = new PassagePack(Buffer.concat(encoded.docs), Buffer.concat(encoded.records), Buffer.concat(encoded.texts), '/p', 'merged.bin');
    expect(left.map((_, k) => pack.document(k).id)).toEqual(left.map((i) => all[i]!.id));
  });
});
