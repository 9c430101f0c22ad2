/**
 * Node flags for every process that opens an index and answers: the npm scripts that do
 * (`start`, `start:cluster`, `ask`, `reindex`, `bench`, whose command lines give them
 * literally, as a test checks), the shard processes `start:cluster` spawns, and the
 * benchmark's engine probe, so that the figures are those of the bot as it runs.
 *
 * `--max-semi-space-size=32` (MB; V8's default maximum is 16 on 64-bit): at 100,000
 * passages each question allocates about 0.6 MB (mostly the stems of sentences not seen
 * before), so with 16 MB young-generation halves V8 stops for a scavenge every twenty
 * or so questions, 5–8 ms each in a heap of 300–400 MB, and those pauses were the
 * slowest 5% of questions. Twice the space halves how often it stops and lets more
 * short-lived objects die before they are promoted. In alternating runs of the bench's
 * probe (docs/benchmarks.md) hybrid `ask` p95 went from 8.3–10.9 ms to 7.2–7.7 ms and
 * the mean did not rise; p99 moved from 12–19 ms to 14–16 ms, since each pause is
 * longer; RSS grew by 50–100 MB.
 *
 * `--v8-pool-size=1`: one V8 helper thread (compiling optimised code, parallel and
 * concurrent collection) instead of Node's default four. On a two-core machine two busy
 * helpers take both cores, and the kernel then takes the main thread off its core for a
 * whole time slice (about 4 ms): the answering thread waits while the compiler works on
 * code it is about to use. That, not the collector, was the slowest 5% of the article's
 * questions in the first few hundred after a start: in five alternating runs of the
 * bench's article measure (40 turns × 5 rounds after one warm-up round, lexical-only),
 * p95 went from 5.2–6.0 ms with four helpers to 1.2–1.4 ms with one, p50 from 0.86–0.96
 * to 0.76–0.86 ms. With no helper at all (`0`) V8 does that work on the main thread, which
 * was no better than one. On a machine with many cores one helper compiles and collects
 * more slowly than four would; the bot's work is one question at a time on the main
 * thread, so it loses little there.
 */
export const ENGINE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32', '--v8-pool-size=1'];
