import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { WORDNET_MODEL_NAME, type WordNetModelOptions, writeWordNetModel, type WrittenWordNetModel } from './wordnet-model.js';

/**
 * The WordNet model kept in the model cache folder: generated on first use, once, and
 * reused by every later start (and by every process sharing the folder).
 */

export interface CachedWordNetModel {
  /** Load it with `loadEmbedder({ modelId, modelDir: cacheDir, … })`. */
  modelId: string;
  /** What was generated now, with how long it took; null when the cache already held it. */
  generated: (WrittenWordNetModel & { ms: number }) | null;
}

/**
 * Makes sure `cacheDir/verbatim-wordnet-v1` holds the complete model. It is written to a
 * temporary folder beside it and renamed into place, so a generation that is interrupted,
 * or runs in two processes at once, never leaves a half-written model where one is looked
 * for.
 */
export async function ensureWordNetModel(
  cacheDir: string,
  options: { name?: string; model?: Omit<WordNetModelOptions, 'dir' | 'name'> } = {},
): Promise<CachedWordNetModel> {
  const name = options.name ?? WORDNET_MODEL_NAME;
  const target = path.join(cacheDir, name);
  if (existsSync(target)) return { modelId: name, generated: null };
  await mkdir(cacheDir, { recursive: true });
  const temporary = await mkdtemp(path.join(cacheDir, `.${path.basename(name)}-`));
  try {
    const started = performance.now();
    const written = await writeWordNetModel({ ...options.model, dir: temporary, name: 'model' });
    const ms = performance.now() - started;
    await mkdir(path.dirname(target), { recursive: true });
    try {
      await rename(path.join(temporary, 'model'), target);
    } catch (error) {
      // Another process finished first: its model is the same bytes, keep it.
      if (!existsSync(target)) throw error;
      return { modelId: name, generated: null };
    }
    return { modelId: name, generated: { ...written, modelDir: target, ms } };
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
}
