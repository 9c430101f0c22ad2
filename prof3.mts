import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadConfig } from './src/config.ts';
import { createEngine } from './src/engine.ts';
const config = loadConfig({ ...process.env, EMBEDDING_MODEL: 'none' } as any, '/work/main');
const engine = await createEngine({ config, embedder: null, embedderWarning: null, warn: () => {} } as any);
const load = (f: string) => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).flatMap((q) => q.turns ?? [q.question]);
const session = new Session(); session.connect();
await session.post('Profiler.enable'); await session.post('Profiler.setSamplingInterval', { interval: 50 }); await session.post('Profiler.start');
const lat: number[] = [];
for (const f of ['../shared/eval/questions.jsonl', 'test/fixtures/blind-paraphrases.jsonl']) for (const q of load(f)) { const s = performance.now(); await engine.ask(q, 'b' + q); lat.push(performance.now() - s); }
const { profile } = await session.post('Profiler.stop');
writeFileSync('/tmp/s/prof/p3.cpuprofile', JSON.stringify(profile));
console.log('asks', lat.reduce((a, b) => a + b).toFixed(0), 'ms over', lat.length, 'first five', lat.slice(0, 5).map((x) => x.toFixed(0)).join(','));
process.exit(0);
