import path from 'node:path';
import { parseArgs } from 'node:util';
import { chunkDocument } from '../chunking/chunk-document.js';
import { ConfigError, loadConfig } from '../config.js';
import { loadCorpus } from '../corpus/load-corpus.js';
import { writeTinyModel } from '../embeddings/tiny-model.js';

/** The model id the README's tiny-model commands use. */
export const TINY_MODEL_NAME = 'verbatim-tiny';

const USAGE = `Usage: npm run make-tiny-model -- [--dir models] [--name ${TINY_MODEL_NAME}]

Writes a tiny bag-of-words BERT model built from the corpus vocabulary, for running
the real embedding path where no real model can be downloaded:
  EMBEDDING_MODEL=${TINY_MODEL_NAME} EMBEDDING_MODEL_DIR=models EMBEDDING_ALLOW_REMOTE=false npm start`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { dir: { type: 'string', default: 'models' }, name: { type: 'string', default: TINY_MODEL_NAME }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();
  const { documents } = await loadCorpus(config.corpusDir);
  const texts = documents.flatMap(chunkDocument).map((chunk) => chunk.text);
  const folder = await writeTinyModel({ dir: path.resolve(values.dir), name: values.name, texts });
  console.log(`make-tiny-model: wrote ${path.relative(process.cwd(), folder)} (${texts.length} passages of vocabulary)`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
