/**
 * The load benchmark's other side, run as its own process so its work does not count
 * against the bot's event loop: the stand-in for Discord from the end-to-end tests,
 * with one guild per planned guild, sending `/ask` interactions on command and
 * reporting how each one went. Talks to the benchmark over IPC (see load-plan.ts).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type FakeDiscord, type InteractionRef, type RecordedRequest, startFakeDiscord } from '../../../test/e2e/fake-discord.js';
import type { DriverCommand, DriverMessage, InteractionOutcome, PlannedAsk } from './load-plan.js';

const CALLBACK_DEFERRED = 5;
const CALLBACK_REPLY = 4;
/** How often pending interactions are checked against the requests received; times come from the requests themselves, so this only bounds how soon a run ends. */
const POLL_INTERVAL_MS = 50;

interface Tracked {
  ref: InteractionRef;
  outcome: InteractionOutcome;
}

function send(message: DriverMessage): void {
  process.send!(message);
}

function channelOfGuild(fake: FakeDiscord, guild: number): string {
  return guild === 0 ? fake.channelId : fake.extraGuilds[guild - 1]!.channelId;
}

/** Fills in outcomes from the requests the stand-in received since index `from`. */
function settle(byPath: Map<string, Tracked>, requests: readonly RecordedRequest[], from: number): void {
  for (let i = from; i < requests.length; i++) {
    const request = requests[i]!;
    const entry = byPath.get(`${request.method} ${request.path}`);
    if (!entry) continue;
    const { outcome, ref } = entry;
    if (request.method === 'POST' && request.path === ref.callbackPath && outcome.ackAtMs === null) {
      outcome.ackAtMs = request.receivedAtMs;
      outcome.ackStatus = request.status;
      const body = request.body as { type?: number; data?: { content?: string } };
      if (request.status < 300 && body.type === CALLBACK_REPLY) {
        outcome.doneAtMs = request.receivedAtMs;
        outcome.outcome = /try again in/.test(body.data?.content ?? '') ? 'rate-limited' : 'other';
      }
    } else if (request.method === 'PATCH' && request.status === 200 && outcome.doneAtMs === null && outcome.ackStatus !== null && outcome.ackStatus < 300) {
      outcome.doneAtMs = request.receivedAtMs;
      outcome.outcome = 'answered';
    }
  }
}

async function run(fake: FakeDiscord, asks: readonly PlannedAsk[], sequential: boolean, settleMs: number, userOffset: number): Promise<InteractionOutcome[]> {
  const tracked: Tracked[] = [];
  const byPath = new Map<string, Tracked>();
  let scanned = fake.requests.length;
  const sendAsk = (ask: PlannedAsk): Tracked => {
    const id = String(700000000000000000n + BigInt(userOffset + ask.user));
    const ref = fake.slashCommand({
      name: 'ask',
      options: { question: ask.question },
      user: { id, username: `load${userOffset + ask.user}` },
      channelId: channelOfGuild(fake, ask.guild),
    });
    const entry: Tracked = {
      ref,
      outcome: { id: ref.id, user: ask.user, sentAtMs: Date.now(), ackAtMs: null, ackStatus: null, doneAtMs: null, outcome: 'lost' },
    };
    tracked.push(entry);
    byPath.set(`POST ${ref.callbackPath}`, entry);
    byPath.set(`PATCH ${ref.originalMessagePath}`, entry);
    return entry;
  };
  const settleFrom = (from: number): number => {
    settle(byPath, fake.requests, from);
    return fake.requests.length;
  };
  const waitUntil = async (done: () => boolean, deadline: number): Promise<void> => {
    while (!done() && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
      scanned = settleFrom(scanned);
    }
  };

  if (sequential) {
    for (const ask of asks) {
      const entry = sendAsk(ask);
      await waitUntil(() => entry.outcome.doneAtMs !== null, Date.now() + settleMs);
    }
  } else {
    const started = Date.now();
    for (const ask of asks) {
      const wait = started + ask.atMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      sendAsk(ask);
      scanned = settleFrom(scanned);
    }
    await waitUntil(() => tracked.every((entry) => entry.outcome.doneAtMs !== null), Date.now() + settleMs);
  }
  settleFrom(scanned);
  return tracked.map((entry) => entry.outcome);
}

async function main(): Promise<void> {
  const guilds = Number(process.argv[2] ?? '1');
  // The stand-in keeps Discord's 3 s acknowledgement window: a late one gets 404.
  const fake = await startFakeDiscord({ extraGuilds: guilds - 1 });
  send({ type: 'ready', apiUrl: fake.apiUrl });
  process.on('message', (command: DriverCommand) => {
    if (command.type === 'close') {
      void fake.close().finally(() => process.exit(0));
      return;
    }
    const delay = monitorEventLoopDelay({ resolution: 10 });
    fake.identified
      .then(() => {
        delay.enable();
        return run(fake, command.asks, command.sequential, command.settleMs, command.userOffset);
      })
      .then(
        (outcomes) => {
          delay.disable();
          send({ type: 'result', outcomes, eventLoopP99Ms: delay.percentile(99) / 1e6 });
        },
        (error: unknown) => send({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
      );
  });
}

main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
