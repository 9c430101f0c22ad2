import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import os from 'node:os';
import path from 'node:path';
import { Events } from 'discord.js';
import { loadConfig } from '../../config.js';
import { startBot } from '../../discord/start-bot.js';
import { createEngine } from '../../engine.js';
import type { Engine } from '../../engine-types.js';
import { readEvalQuestions } from '../../evaluation/evaluate-questions.js';
import { prepareWorkspace, workspaceEnv } from '../bench-workspace.js';
import { percentile } from '../../statistics.js';
import type { DriverCommand, DriverMessage, InteractionOutcome, LoadSettings, PlannedAsk } from './load-plan.js';
import { planLoad } from './load-plan.js';

/** Latency figures of one phase, in milliseconds. */
export interface PhaseFigures {
  interactions: number;
  /** Acknowledged (deferred or replied) within Discord's window, and accepted. */
  acknowledgedInTime: number;
  /** Never got a final reply. */
  lost: number;
  answered: number;
  rateLimited: number;
  other: number;
  ackP50Ms: number;
  ackMaxMs: number;
  replyP50Ms: number;
  replyP95Ms: number;
  /** The bot process's event-loop delay during the phase. */
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  /** From the stand-in sending an interaction to the bot receiving it (gateway, both event loops). */
  deliveryP50Ms: number;
  deliveryP95Ms: number;
  /** From the bot receiving an interaction to its acknowledgement reaching the stand-in. */
  handlingP50Ms: number;
  handlingP95Ms: number;
  /** The stand-in's own event-loop delay (a busy stand-in delays everything it measures). */
  standInEventLoopP99Ms: number;
  /** Time inside `engine.ask` per question (retrieval, embedding, scoring). */
  answerP50Ms: number;
  answerP95Ms: number;
  /** Share of the phase the bot's event loop was busy (0..1). */
  eventLoopUtilization: number;
  /** CPU time the bot process used ÷ wall time (1 = one core busy). */
  cpuShare: number;
}

export interface LoadReport {
  settings: LoadSettings;
  /** One question at a time: the unloaded baseline. */
  baseline: PhaseFigures;
  load: PhaseFigures;
  /** Users whose questions were answered up to the limit and refused beyond it, exactly. */
  usersLimitedCorrectly: number;
  /** Refusals expected: every question beyond each user's limit. */
  expectedRateLimited: number;
  /** Errors the bot logged during the run. */
  botErrors: string[];
  meta: { startedAt: string; seconds: number; node: string; cpus: number };
}

const DRIVER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'load-driver.ts');
/**
 * A reply later than this after the last interaction counts as lost. Replies are due
 * within the 15-minute token, but the slowest p95 measured on a busy 2-core machine was
 * about 4 s: 30 s means an answer is stuck, and keeps a failing run short.
 */
const SETTLE_MS = 30_000;

/**
 * `npm run bench -- --load`: runs the bot (real engine, tiny model, real discord.js)
 * in this process and the stand-in for Discord in a child process, sends the
 * baseline questions one at a time and then the load, and reports acknowledgement
 * and reply latency, losses, per-user rate limiting and this process's event-loop delay.
 */
export async function runLoadBenchmark(
  settings: LoadSettings,
  corpusDir: string,
  questionsFile: string,
  log: (line: string) => void = () => {},
): Promise<LoadReport> {
  const startedAt = new Date();
  const started = performance.now();
  const questions = (await readEvalQuestions(questionsFile)).flatMap((question) => (question.question ? [question.question] : []));
  log('bench --load: preparing a workspace (corpus copy, tiny model)…');
  const workspace = await prepareWorkspace(corpusDir);
  const driver = await startDriver(settings.guilds);
  const botErrors: string[] = [];
  try {
    const config = loadConfig(
      {
        ...workspaceEnv('hybrid'),
        DISCORD_TOKEN: 'load-benchmark-token',
        DISCORD_API_URL: driver.apiUrl,
        RATE_LIMIT_QUESTIONS: String(settings.rateLimitQuestions),
        RATE_LIMIT_WINDOW_MS: String(Math.max(60_000, settings.durationMs * 2)),
        DATA_DIR: 'data',
      },
      workspace.root,
    );
    const engine = await createEngine({ config, embedder: workspace.embedder, embedderWarning: null });
    // Times every answer, to tell the engine's share of the bot's time from discord.js's.
    const answerTimes: number[] = [];
    const timedEngine: Engine = {
      ...engine,
      async ask(question, conversationKey) {
        const start = performance.now();
        try {
          return await engine.ask(question, conversationKey);
        } finally {
          answerTimes.push(performance.now() - start);
        }
      },
    };
    const bot = await startBot({
      engine: timedEngine,
      config,
      embedderWarning: null,
      log: { info: () => {}, error: (message, error) => botErrors.push(`${message}${error instanceof Error ? `: ${error.message}` : ''}`) },
    });
    // When each interaction reached the bot, to split latency into delivery and handling.
    const receivedAt = new Map<string, number>();
    bot.client.on(Events.Raw, (packet: { t?: string; d?: { id?: string } }) => {
      if (packet.t === 'INTERACTION_CREATE' && packet.d?.id) receivedAt.set(packet.d.id, Date.now());
    });
    try {
      log(`bench --load: baseline, ${settings.baselineQuestions} questions one at a time (after as many to warm up)…`);
      const baselineAsks = planLoad({ ...settings, interactions: settings.baselineQuestions, users: settings.baselineQuestions }, questions);
      // Once unmeasured first, so the baseline is not the cold start of the JIT and caches.
      await measurePhase(driver, baselineAsks, true, settings, settings.users + settings.baselineQuestions, receivedAt, answerTimes);
      const baseline = await measurePhase(driver, baselineAsks, true, settings, settings.users, receivedAt, answerTimes);
      log(`bench --load: ${settings.interactions} /ask from ${settings.users} users in ${settings.guilds} guilds within ${settings.durationMs / 1000} s…`);
      const loadAsks = planLoad(settings, questions);
      const load = await measurePhase(driver, loadAsks, false, settings, 0, receivedAt, answerTimes);
      const perUser = Math.ceil(settings.interactions / settings.users);
      const allowed = Math.min(perUser, settings.rateLimitQuestions);
      let usersLimitedCorrectly = 0;
      for (let user = 0; user < settings.users; user++) {
        const mine = load.outcomes.filter((outcome) => outcome.user === user);
        const answered = mine.filter((outcome) => outcome.outcome === 'answered').length;
        const refused = mine.filter((outcome) => outcome.outcome === 'rate-limited').length;
        if (answered === Math.min(mine.length, allowed) && refused === mine.length - answered) usersLimitedCorrectly++;
      }
      const expectedRateLimited = Array.from({ length: settings.users }, (_, user) =>
        Math.max(0, loadAsks.filter((ask) => ask.user === user).length - settings.rateLimitQuestions),
      ).reduce((a, b) => a + b, 0);
      return {
        settings,
        baseline: baseline.figures,
        load: load.figures,
        usersLimitedCorrectly,
        expectedRateLimited,
        botErrors,
        meta: { startedAt: startedAt.toISOString(), seconds: (performance.now() - started) / 1000, node: process.version, cpus: os.cpus().length },
      };
    } finally {
      await bot.stop();
    }
  } finally {
    await driver.close();
    await workspace.cleanup();
  }
}

interface Driver {
  apiUrl: string;
  run(command: Extract<DriverCommand, { type: 'run' }>): Promise<{ outcomes: InteractionOutcome[]; eventLoopP99Ms: number }>;
  close(): Promise<void>;
}

/** Forks the driver with the same TypeScript loader this process runs under. */
async function startDriver(guilds: number): Promise<Driver> {
  const child: ChildProcess = fork(DRIVER, [String(guilds)], { execArgv: ['--import', import.meta.resolve('tsx')], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = (): Promise<DriverMessage> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`benchmark: the load driver exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (message: DriverMessage) => {
        child.off('exit', onExit);
        resolve(message);
      });
    });
  const ready = await next();
  if (ready.type !== 'ready') throw new Error(`benchmark: the load driver failed to start: ${ready.type === 'error' ? ready.message : ready.type}`);
  return {
    apiUrl: ready.apiUrl,
    async run(command) {
      const answer = next();
      child.send(command);
      const message = await answer;
      if (message.type !== 'result') throw new Error(`benchmark: the load driver failed: ${message.type === 'error' ? message.message : message.type}`);
      return { outcomes: message.outcomes, eventLoopP99Ms: message.eventLoopP99Ms };
    },
    async close() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      if (child.connected) child.send({ type: 'close' } satisfies DriverCommand);
      else child.kill();
      await exited;
    },
  };
}

async function measurePhase(
  driver: Driver,
  asks: PlannedAsk[],
  sequential: boolean,
  settings: LoadSettings,
  userOffset: number,
  receivedAt: ReadonlyMap<string, number>,
  answerTimes: number[],
): Promise<{ figures: PhaseFigures; outcomes: InteractionOutcome[] }> {
  answerTimes.length = 0;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const utilization = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const wallStart = performance.now();
  const { outcomes, eventLoopP99Ms: standInEventLoopP99Ms } = await driver.run({ type: 'run', asks, sequential, settleMs: SETTLE_MS, userOffset });
  delay.disable();
  const busy = performance.eventLoopUtilization(utilization).utilization;
  const cpuUsed = process.cpuUsage(cpu);
  const cpuShare = (cpuUsed.user + cpuUsed.system) / 1000 / (performance.now() - wallStart);
  const delivery = outcomes.flatMap((outcome) => {
    const at = receivedAt.get(outcome.id);
    return at === undefined ? [] : [at - outcome.sentAtMs];
  });
  const handling = outcomes.flatMap((outcome) => {
    const at = receivedAt.get(outcome.id);
    return at === undefined || outcome.ackAtMs === null ? [] : [outcome.ackAtMs - at];
  });
  const acks = outcomes.flatMap((outcome) => (outcome.ackAtMs === null ? [] : [outcome.ackAtMs - outcome.sentAtMs]));
  const replies = outcomes.flatMap((outcome) => (outcome.doneAtMs === null ? [] : [outcome.doneAtMs - outcome.sentAtMs]));
  const count = (kind: InteractionOutcome['outcome']): number => outcomes.filter((outcome) => outcome.outcome === kind).length;
  const inTime = outcomes.filter(
    (outcome) => outcome.ackAtMs !== null && outcome.ackStatus !== null && outcome.ackStatus < 300 && outcome.ackAtMs - outcome.sentAtMs <= settings.ackWindowMs,
  ).length;
  const quantile = (samples: number[], percent: number): number => (samples.length === 0 ? Number.NaN : percentile(samples, percent));
  return {
    outcomes,
    figures: {
      interactions: outcomes.length,
      acknowledgedInTime: inTime,
      lost: count('lost'),
      answered: count('answered'),
      rateLimited: count('rate-limited'),
      other: count('other'),
      ackP50Ms: quantile(acks, 50),
      ackMaxMs: acks.length === 0 ? Number.NaN : Math.max(...acks),
      replyP50Ms: quantile(replies, 50),
      replyP95Ms: quantile(replies, 95),
      eventLoopP99Ms: delay.percentile(99) / 1e6,
      eventLoopMaxMs: delay.max / 1e6,
      deliveryP50Ms: quantile(delivery, 50),
      deliveryP95Ms: quantile(delivery, 95),
      handlingP50Ms: quantile(handling, 50),
      handlingP95Ms: quantile(handling, 95),
      standInEventLoopP99Ms,
      answerP50Ms: quantile(answerTimes, 50),
      answerP95Ms: quantile(answerTimes, 95),
      eventLoopUtilization: busy,
      cpuShare,
    },
  };
}
