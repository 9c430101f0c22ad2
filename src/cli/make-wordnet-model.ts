import { statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { WORDNET_MODEL_DEFAULT_DIMENSIONS, WORDNET_MODEL_NAME, writeWordNetModel } from '../embeddings/wordnet-model.js';

const USAGE = `Usage: npm run make-wordnet-model -- [--dir models] [--name ${WORDNET_MODEL_NAME}] [--dimensions ${WORDNET_MODEL_DEFAULT_DIMENSIONS}]

Writes a static embedding model derived from WordNet 3.1 (no download, no corpus needed):
  EMBEDDING_MODEL=${WORDNET_MODEL_NAME} EMBEDDING_MODEL_DIR=models EMBEDDING_ALLOW_REMOTE=false npm start`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string', default: 'models' },
      name: { type: 'string', default: WORDNET_MODEL_NAME },
      dimensions: { type: 'string', default: String(WORDNET_MODEL_DEFAULT_DIMENSIONS) },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const dimensions = Number(values.dimensions);
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    console.error(`make-wordnet-model: --dimensions must be a positive whole number (got ${values.dimensions})`);
    return 2;
  }
  const started = performance.now();
  const model = await writeWordNetModel({ dir: path.resolve(values.dir), name: values.name, dimensions });
  const seconds = (performance.now() - started) / 1000;
  const onnxBytes = statSync(path.join(model.modelDir, 'onnx', 'model_quantized.onnx')).size;
  const tokenizerBytes = statSync(path.join(model.modelDir, 'tokenizer.json')).size;
  console.log(
    `make-wordnet-model: wrote ${path.relative(process.cwd(), model.modelDir)} in ${seconds.toFixed(1)} s: ${model.words} words × ${model.dimensions} dimensions, ` +
      `ONNX ${formatMegabytes(onnxBytes)}, tokenizer ${formatMegabytes(tokenizerBytes)}`,
  );
  return 0;
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
