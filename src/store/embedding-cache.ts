import { createHash } from 'node:crypto';

/**
 * Vectors of chunk texts already embedded, keyed by model id + text hash, so a
 * reindex re-embeds only chunks whose text (or model) changed.
 */
export class EmbeddingCache {
  private readonly vectors = new Map<string, number[]>();

  static key(modelId: string, text: string): string {
    return createHash('sha256').update(modelId).update('\0').update(text).digest('hex');
  }

  get(modelId: string, text: string): number[] | undefined {
    return this.vectors.get(EmbeddingCache.key(modelId, text));
  }

  set(modelId: string, text: string, vector: number[]): void {
    this.vectors.set(EmbeddingCache.key(modelId, text), vector);
  }

  /** Only the entries for these texts, so the saved cache does not grow without bound. */
  pick(modelId: string, texts: readonly string[]): EmbeddingCache {
    const kept = new EmbeddingCache();
    for (const text of texts) {
      const vector = this.get(modelId, text);
      if (vector) kept.set(modelId, text, vector);
    }
    return kept;
  }

  get size(): number {
    return this.vectors.size;
  }

  toJSON(): Record<string, number[]> {
    return Object.fromEntries(this.vectors);
  }

  /** Restores a saved cache; malformed entries are dropped (they only cost a re-embed). */
  static fromJSON(value: unknown): EmbeddingCache {
    const cache = new EmbeddingCache();
    if (value && typeof value === 'object') {
      for (const [key, vector] of Object.entries(value)) {
        if (Array.isArray(vector) && vector.every((x) => typeof x === 'number')) cache.vectors.set(key, vector);
      }
    }
    return cache;
  }
}
