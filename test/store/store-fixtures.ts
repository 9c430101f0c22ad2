import { readFileSync, writeFileSync } from 'node:fs';
import type { IndexEmbedder } from '../../src/store/dense-index.js';

/** Delegates to the real tiny model and counts what it is asked to embed. */
export class CountingEmbedder implements IndexEmbedder {
  embedded = 0;
  failWith: Error | null = null;
  constructor(private readonly inner: IndexEmbedder) {}
  get modelId(): string {
    return this.inner.modelId;
  }
  get dimensions(): number {
    return this.inner.dimensions;
  }
  async embedDocuments(texts: string[]): Promise<number[][]> {
    if (this.failWith) throw this.failWith;
    this.embedded += texts.length;
    return this.inner.embedDocuments(texts);
  }
  embedQuery(text: string): Promise<number[]> {
    return this.inner.embedQuery(text);
  }
}

/** Changes one byte in the middle of a file, keeping its size. */
export function flipByte(file: string): void {
  const bytes = readFileSync(file);
  const middle = bytes.length >> 1;
  bytes[middle] = bytes[middle]! ^ 0xff;
  writeFileSync(file, bytes);
}
