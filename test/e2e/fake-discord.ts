/**
 * A local stand-in for Discord that end-to-end tests start, so the real
 * discord.js `Client` (and the bot built on it) runs unmodified against it:
 *
 * ```ts
 * const fake = await startFakeDiscord();
 * const client = new Client({ intents, rest: { api: fake.apiUrl } });
 * await client.login('test-token');
 * const ask = fake.slashCommand({ name: 'ask', options: { question: 'Who?' } });
 * const edit = await fake.waitForRequest(isRequest('PATCH', ask.originalMessagePath));
 * ```
 *
 * One HTTP server on 127.0.0.1 serves both the REST API under `/api/v10` and the
 * gateway (WebSocket upgrade on the same port). Every REST request is recorded.
 * The fake answers like Discord, refusals included: see `fake-discord/rest.ts`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationCommandOptionType, ChannelType, GatewayCloseCodes, ThreadAutoArchiveDuration } from 'discord.js';
import type {
  APIApplicationCommand,
  APIApplicationCommandInteractionDataOption,
  APIAttachment,
  APIMessage,
  APIUser,
  GatewayIdentifyData,
} from 'discord.js';
import { FakeGateway, type DispatchEventName } from './fake-discord/gateway.js';
import {
  buildAttachment,
  buildAutocompleteInteraction,
  buildButtonInteraction,
  buildButtonRow,
  buildContextMenuInteraction,
  buildMessage,
  buildModalSubmitInteraction,
  buildSelectMenuInteraction,
  buildSelectMenuRow,
  buildSlashCommandInteraction,
  buildThreadChannel,
  createSnowflake,
  nestInSubcommand,
  toInteractionOptions,
  type FakeChannel,
  type SimpleOptionValues,
} from './fake-discord/payloads.js';
import { createRestApi, type RecordedFile, type RestReply, type RestRequest } from './fake-discord/rest.js';
import { DiscordErrorCode } from './fake-discord/validation.js';
import { FaultPlan, type RestFault } from './fake-discord/faults.js';
import {
  DEFAULT_IDENTITY,
  FakeWorld,
  type FakeInteractionPayload,
  type InteractionState,
  type MemberOptions,
} from './fake-discord/world.js';

export type { RecordedFile } from './fake-discord/rest.js';
export type { FakeInteractionPayload, InteractionState, MemberOptions } from './fake-discord/world.js';
export type { FakeChannel, SimpleOptionValues } from './fake-discord/payloads.js';
export type { DispatchEventName } from './fake-discord/gateway.js';
export type { RestFault } from './fake-discord/faults.js';

/** How to start a fake; every option has a default. */
export interface FakeDiscordOptions {
  applicationId?: string;
  botUsername?: string;
  guildId?: string;
  guildName?: string;
  channelId?: string;
  channelName?: string;
  /** When set, REST calls and IDENTIFY must use this token (401 / close 4004 otherwise); by default any token works. */
  token?: string;
  /** HELLO's heartbeat interval. Default 41,250 ms, Discord's. */
  heartbeatIntervalMs?: number;
  /**
   * How long the bot has to acknowledge an interaction before its callback gets
   * 404 "Unknown interaction". Default 3,000 ms, Discord's rule; 0 disables it.
   */
  interactionAckTimeoutMs?: number;
  /** Send messages the bot creates back over the gateway as MESSAGE_CREATE, as Discord does. Default true. */
  echoBotMessages?: boolean;
  /** Receives one line per gateway event and per REST request, for debugging a test. Default: silent. */
  log?: (message: string) => void;
  /** REST faults to serve from the start (429s, 5xx, latency); more with `injectFault`. See `fake-discord/faults.ts`. */
  faults?: readonly RestFault[];
  /**
   * How long an interaction's token works for its webhook routes (editReply, followUp),
   * measured on the fake's clock (see `advanceTime`); after it they answer 401
   * "Invalid Webhook Token" as Discord does. Default 15 minutes, Discord's.
   */
  interactionTokenLifetimeMs?: number;
  /**
   * Intents the application may not use, e.g. `GatewayIntentBits.MessageContent` for the
   * usual first run (a privileged intent not yet enabled in the Developer Portal): an
   * IDENTIFY asking for any of them is closed with 4014, as Discord does. Default: none.
   */
  disallowedIntents?: number;
  /** Answer every `/applications/{id}/…` route with 404 Unknown Application (a deleted application). */
  applicationMissing?: boolean;
  /**
   * Guilds the bot is in besides the main one, each with one text channel (see
   * `extraGuilds`). Their ids follow the main guild's in the bits that pick a shard,
   * so with N shards guild k lands on shard (main's shard + k) mod N. Default 0.
   */
  extraGuilds?: number;
  /** The shard count `GET /gateway/bot` recommends. Events go to the shard that holds their guild. Default 1. */
  shards?: number;
}

/** One REST request the fake received: the request as the routes saw it, and the answer. */
export interface RecordedRequest extends RestRequest {
  /** Position over the fake's whole life; unlike an index into `requests`, `clearRequests()` does not reset it. */
  seq: number;
  /** The status the fake answered with. */
  status: number;
  /** When the request arrived (`Date.now()`), before any injected latency. */
  receivedAtMs: number;
  /** The injected fault that shaped the answer, if any. */
  fault: RestFault['kind'] | null;
  /** The JSON the fake answered with, if any. */
  response: unknown;
}

/**
 * A bug in the fake itself: a route (or the request handling around it) threw instead
 * of answering as Discord would. The bot got a 500, but the test must fail, not the bot.
 */
export interface RouteFailure {
  method: string;
  path: string;
  error: unknown;
}

/** Options of `waitForRequest`. */
export interface WaitForRequestOptions {
  /** Default 5,000 ms. */
  timeoutMs?: number;
  /** Only requests with `seq >= since` count; pass `fake.mark()` taken before acting to wait for a new one. */
  since?: number;
}

/** A sent interaction and the REST paths the bot's answers to it will use. */
export interface InteractionRef {
  id: string;
  token: string;
  payload: FakeInteractionPayload;
  /** `/interactions/{id}/{token}/callback` (reply, defer, respond). */
  callbackPath: string;
  /** `/webhooks/{app}/{token}/messages/@original` (editReply, fetchReply, deleteReply). */
  originalMessagePath: string;
  /** `/webhooks/{app}/{token}` (followUp). */
  followUpPath: string;
}

/** Options of `slashCommand`. */
export interface SlashCommandOptions extends MemberOptions {
  name: string;
  /** The subcommand (`/documents add`): the options go under it, as Discord sends them. */
  subcommand?: string;
  /** `{ question: 'Who?' }` (types from the registered command, else from the values) or wire-form options. */
  options?: SimpleOptionValues | readonly APIApplicationCommandInteractionDataOption[];
  /** Attachment options, by option name: files made with `addAttachment`, sent in `data.resolved.attachments`. */
  attachments?: Record<string, APIAttachment>;
  channelId?: string;
}

/** A file for `addAttachment`. */
export interface AttachmentFile {
  filename: string;
  data: Buffer | string;
  /** The type Discord would report (from the extension); sent as the download's Content-Type too. Default: none. */
  contentType?: string;
  /** The size the attachment claims (default: the data's). */
  size?: number;
}

/** Options of `autocomplete`. */
export interface AutocompleteOptions extends MemberOptions {
  name: string;
  /** The subcommand whose option is being typed in. */
  subcommand?: string;
  /** The option being typed in; null sends no focused option (which only a broken or hostile client does). */
  focused: string | null;
  /** What has been typed so far. */
  value: string;
  /** The other options already filled in. */
  options?: SimpleOptionValues | readonly APIApplicationCommandInteractionDataOption[];
  channelId?: string;
}

/** Options of `button`. */
export interface ButtonOptions extends MemberOptions {
  customId: string;
  /** The message the button is on; a bot message carrying the button is made up if the fake does not hold it. */
  messageId?: string;
  channelId?: string;
}

/** Options of `contextMenuCommand`. */
export interface ContextMenuOptions extends MemberOptions {
  name: string;
  /** A user command on a user, or a message command on a message. */
  kind: 'user' | 'message';
  channelId?: string;
}

/** Options of `selectMenu`. */
export interface SelectMenuOptions extends MemberOptions {
  customId: string;
  values: string[];
  channelId?: string;
}

/** Options of `modalSubmit`. */
export interface ModalSubmitOptions extends MemberOptions {
  customId: string;
  /** What was typed into the form's one text field. */
  text: string;
  channelId?: string;
}

/** Options of `sendMessage`. */
export interface SendMessageOptions {
  content: string;
  /** Default: the guild's text channel; a thread's id works too. */
  channelId?: string;
  author?: Partial<APIUser>;
  roles?: readonly string[];
  /** Prefix the content with `<@BOTID>` (unless it already mentions the bot). */
  mentionsBot?: boolean;
}

/** A running fake Discord. */
export interface FakeDiscord {
  /** What the bot passes as `rest: { api }` (`DISCORD_API_URL`): `http://127.0.0.1:PORT/api`. */
  readonly apiUrl: string;
  /** The `ws://` URL `GET /gateway/bot` hands out. */
  readonly gatewayUrl: string;
  readonly applicationId: string;
  readonly botUser: APIUser;
  readonly guildId: string;
  /** The guild's text channel. */
  readonly channelId: string;
  /** The guilds added with the `extraGuilds` option, each with its text channel. */
  readonly extraGuilds: readonly { id: string; channelId: string }[];
  /** The user interactions and messages come from unless a test says otherwise. */
  readonly defaultUser: APIUser;
  /** Every REST request so far (emptied in place by `clearRequests`). */
  readonly requests: readonly RecordedRequest[];
  /**
   * Bugs in the fake so far. Once there is one, every pending and later
   * `waitForRequest` rejects naming the route and the exception, and `close()` rejects.
   */
  readonly routeFailures: readonly RouteFailure[];
  /** Resolves once a client has sent IDENTIFY and been sent READY and GUILD_CREATE. */
  readonly identified: Promise<void>;
  /** Every IDENTIFY received (to assert the intents a bot asks for). */
  readonly identifyPayloads: readonly GatewayIdentifyData[];
  /** Channels the fake holds: the text channel and threads created since. */
  readonly channels: ReadonlyMap<string, FakeChannel>;
  /** Messages the fake holds, by id (sent by tests or the bot, edits applied). */
  readonly messages: ReadonlyMap<string, APIMessage>;
  /** Commands as the last bulk overwrite left them. */
  readonly globalCommands: readonly APIApplicationCommand[];
  readonly guildCommands: readonly APIApplicationCommand[];

  /**
   * Resolves with the first request matching `predicate` — recorded already or
   * still to come — and rejects after the timeout listing the requests seen.
   * A number as second argument is the timeout in milliseconds.
   */
  waitForRequest(
    predicate: (request: RecordedRequest) => boolean,
    options?: number | WaitForRequestOptions,
  ): Promise<RecordedRequest>;
  /** The `seq` the next request will get: pass it as `since` to wait only for newer requests. */
  mark(): number;
  clearRequests(): void;

  /** Dispatches INTERACTION_CREATE with a complete payload; the fake then honours its callback and webhook routes. */
  sendInteraction(payload: FakeInteractionPayload): InteractionRef;
  /** Sends a slash command (interaction type 2). */
  slashCommand(options: SlashCommandOptions): InteractionRef;
  /**
   * A file a user attached, served over HTTP by the fake at the attachment's `url` (as
   * Discord's CDN does), for `slashCommand({ attachments })`. Every download is recorded.
   */
  addAttachment(file: AttachmentFile): APIAttachment;
  /** Sends an autocomplete request (interaction type 4). */
  autocomplete(options: AutocompleteOptions): InteractionRef;
  /** Sends a button click (interaction type 3). */
  button(options: ButtonOptions): InteractionRef;
  /** Sends a user or message context-menu command (interaction type 2, command type 2 or 3). */
  contextMenuCommand(options: ContextMenuOptions): InteractionRef;
  /** Sends a choice in a string select menu (interaction type 3) on a bot message carrying the menu. */
  selectMenu(options: SelectMenuOptions): InteractionRef;
  /** Sends a filled-in form (interaction type 5). */
  modalSubmit(options: ModalSubmitOptions): InteractionRef;
  /** What the fake knows of an interaction: how (and whether) the bot answered it. */
  interaction(id: string): InteractionState | undefined;
  /** Interactions the bot has not acknowledged (yet): for "no interaction left unanswered" checks. */
  unansweredInteractions(): FakeInteractionPayload[];
  /**
   * Dispatches MESSAGE_CREATE from a user (filtered by the client's intents as
   * Discord does) and returns the message id.
   */
  sendMessage(options: SendMessageOptions): string;
  /** A public thread in the text channel started by a user (not the bot), announced with THREAD_CREATE; returns its id. */
  createUserThread(options: { name: string; ownerId?: string }): string;
  /** Dispatches any gateway event to every identified client; returns how many got it. */
  dispatch(t: DispatchEventName, d: unknown): number;
  /**
   * Closes every gateway connection with `code` (default 4000, "unknown error"),
   * keeping the sessions resumable: discord.js reconnects and sends RESUME.
   */
  dropConnections(code?: number): void;
  /** Cuts every gateway connection without a close frame (the client sees 1006), keeping the sessions resumable. */
  terminateConnections(): void;
  /** Sends op 9 Invalid Session to every identified client: `resumable` false makes it identify afresh. */
  invalidateSessions(resumable: boolean): void;
  /** Every RESUME received: the session id and the last sequence number the client saw. */
  readonly resumePayloads: readonly { session_id: string; seq: number }[];
  /** The session id each IDENTIFY was given, in order (what a RESUME must name). */
  readonly sessionIds: readonly string[];

  /** Adds a REST fault (served after those already waiting). */
  injectFault(fault: RestFault): void;
  /** Drops every fault not served yet. */
  clearFaults(): void;
  /** Moves the fake's clock forward (interaction tokens expire on it); real timers are untouched. */
  advanceTime(ms: number): void;

  /**
   * Closes connections and servers; pending `waitForRequest` calls reject. Rejects
   * (after closing) when a route failed inside the fake, so no test passes over one.
   * Destroy the client first: a client cut off mid-session keeps trying to resume.
   */
  close(): Promise<void>;
}

/** A predicate for `waitForRequest`: this method, and this path (or a path matching the pattern). */
export function isRequest(method: string, path: string | RegExp): (request: RecordedRequest) => boolean {
  return (request) =>
    request.method === method && (typeof path === 'string' ? request.path === path : path.test(request.path));
}

const API_PREFIX = '/api/v10';
/** Discord's interaction tokens work for 15 minutes. */
const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60_000;
const DEFAULT_WAIT_MS = 5_000;
const LISTED_REQUESTS = 40;

interface Waiter {
  predicate: (request: RecordedRequest) => boolean;
  since: number;
  resolve: (request: RecordedRequest) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Starts a fake Discord on 127.0.0.1 (a free port). */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const world = new FakeWorld({
    applicationId: options.applicationId ?? DEFAULT_IDENTITY.applicationId,
    botUsername: options.botUsername ?? DEFAULT_IDENTITY.botUsername,
    guildId: options.guildId ?? DEFAULT_IDENTITY.guildId,
    guildName: options.guildName ?? DEFAULT_IDENTITY.guildName,
    channelId: options.channelId ?? DEFAULT_IDENTITY.channelId,
    channelName: options.channelName ?? DEFAULT_IDENTITY.channelName,
  });
  for (let k = 1; k <= (options.extraGuilds ?? 0); k++) {
    const id = String(((BigInt(world.identity.guildId) >> 22n) + BigInt(k)) << 22n);
    world.addGuild({ id, name: `Fake Guild ${k + 1}`, channelId: String(BigInt(id) + 200n) });
  }
  const log = options.log ?? (() => undefined);
  const requests: RecordedRequest[] = [];
  const routeFailures: RouteFailure[] = [];
  const waiters = new Set<Waiter>();
  const faults = new FaultPlan(options.faults);
  let clockOffsetMs = 0;
  let nextSeq = 0;
  let port = 0;
  const baseUrl = (): string => `http://127.0.0.1:${port}`;
  const gatewayUrl = (): string => `ws://127.0.0.1:${port}`;

  const server = createServer((request, response) => {
    handleHttp(request, response).catch((error: unknown) => {
      reportRouteFailure({ method: request.method ?? '?', path: request.url ?? '?', error });
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: `fake-discord: ${String(error)}`, code: DiscordErrorCode.General }));
      }
    });
  });
  const gateway = new FakeGateway(server, world, {
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    token: options.token,
    disallowedIntents: options.disallowedIntents ?? 0,
    gatewayUrl,
    log,
  });
  const handleRest = createRestApi(world, gateway, {
    token: options.token,
    interactionAckTimeoutMs: options.interactionAckTimeoutMs ?? 3_000,
    interactionTokenLifetimeMs: options.interactionTokenLifetimeMs ?? INTERACTION_TOKEN_LIFETIME_MS,
    applicationMissing: options.applicationMissing ?? false,
    shards: options.shards ?? 1,
    now: () => Date.now() + clockOffsetMs,
    echoBotMessages: options.echoBotMessages ?? true,
    gatewayUrl,
    baseUrl,
  });

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const receivedAtMs = Date.now();
    const url = new URL(request.url ?? '/', baseUrl());
    const method = request.method ?? 'GET';
    const raw = await readBody(request);
    const parsed = await parseBody(raw, request.headers['content-type']);
    const isApi = url.pathname.startsWith(`${API_PREFIX}/`);
    // Decoded per segment, so `%40original` (as some HTTP clients encode `@original`)
    // and percent-encoded emoji read as written.
    const path = decodePath(isApi ? url.pathname.slice(API_PREFIX.length) : url.pathname);
    const query = Object.fromEntries(url.searchParams);
    const fault = isApi ? faults.take(method, path) : null;
    if (fault && fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    let reply: RestReply;
    let failure: RouteFailure | null = null;
    const attachment = !isApi && method === 'GET' ? attachmentFiles.get(url.pathname) : undefined;
    if (attachment) {
      // An attachment's bytes, as Discord's CDN serves them (not JSON).
      response.writeHead(200, { 'content-type': attachment.contentType ?? 'application/octet-stream', 'content-length': String(attachment.data.length) });
      response.end(attachment.data);
      reply = { status: 200 };
    } else if (fault?.reply) {
      reply = fault.reply;
    } else if (parsed.invalidJson) {
      const body = { message: 'The request body contains invalid JSON.', code: DiscordErrorCode.InvalidJsonBody };
      reply = { status: 400, body };
    } else if (isApi) {
      try {
        reply = handleRest({ method, path, query, body: parsed.body, files: parsed.files, headers: request.headers });
      } catch (error) {
        // A bug in the fake, not a Discord answer: recorded, then reported so the test fails.
        failure = { method, path, error };
        reply = { status: 500, body: { message: `fake-discord: ${String(error)}`, code: DiscordErrorCode.General } };
      }
    } else {
      reply = { status: 404, body: { message: 'Unknown route', code: DiscordErrorCode.General } };
    }
    const hasBody = reply.status !== 204 && reply.body !== undefined;
    if (!attachment) {
      response.writeHead(reply.status, { ...(hasBody && { 'content-type': 'application/json' }), ...reply.headers });
      response.end(hasBody ? JSON.stringify(reply.body) : undefined);
    }
    const recorded: RecordedRequest = {
      seq: nextSeq++,
      method,
      path,
      query,
      body: parsed.body,
      files: parsed.files,
      headers: request.headers,
      status: reply.status,
      response: hasBody ? reply.body : undefined,
      receivedAtMs,
      fault: fault?.kind ?? null,
    };
    requests.push(recorded);
    log(`rest: ${describeRequest(recorded)}`);
    if (failure) {
      reportRouteFailure(failure);
      return;
    }
    for (const waiter of waiters) {
      if (recorded.seq < waiter.since) continue;
      let matched: boolean;
      try {
        matched = waiter.predicate(recorded);
      } catch (error) {
        settle(waiter);
        waiter.reject(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (matched) {
        settle(waiter);
        waiter.resolve(recorded);
      }
    }
    reply.after?.();
  }

  /** Records a bug in the fake and fails every pending wait with it. */
  function reportRouteFailure(failure: RouteFailure): void {
    routeFailures.push(failure);
    log(`rest: route failed: ${failure.method} ${failure.path}: ${String(failure.error)}`);
    for (const waiter of waiters) {
      settle(waiter);
      waiter.reject(routeFailureError(routeFailures));
    }
  }

  function settle(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    waiters.delete(waiter);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  function requireClient(what: string): void {
    if (gateway.readyConnections === 0) {
      throw new Error(
        `fake-discord: ${what} needs a connected client; await fake.identified (or the client's ready event) first`,
      );
    }
  }

  /** Attachment files by the path of their URL. */
  const attachmentFiles = new Map<string, { data: Buffer; contentType?: string }>();

  function sendInteraction(payload: FakeInteractionPayload): InteractionRef {
    requireClient(`sending interaction ${payload.id}`);
    world.trackInteraction(payload);
    gateway.dispatch('INTERACTION_CREATE', payload);
    const { applicationId } = world.identity;
    return {
      id: payload.id,
      token: payload.token,
      payload,
      callbackPath: `/interactions/${payload.id}/${payload.token}/callback`,
      originalMessagePath: `/webhooks/${applicationId}/${payload.token}/messages/@original`,
      followUpPath: `/webhooks/${applicationId}/${payload.token}`,
    };
  }

  function commandFor(name: string): { id: string; guildId?: string; command?: APIApplicationCommand } {
    const command = world.findCommand(name);
    if (!command) return { id: createSnowflake() };
    return { id: command.id, ...(command.guild_id !== undefined && { guildId: command.guild_id }), command };
  }

  let closed = false;
  const fake: FakeDiscord = {
    apiUrl: `${baseUrl()}/api`,
    gatewayUrl: gatewayUrl(),
    applicationId: world.identity.applicationId,
    botUser: world.botUser,
    guildId: world.identity.guildId,
    channelId: world.identity.channelId,
    extraGuilds: [...world.extraGuilds.values()].map(({ id, channelId }) => ({ id, channelId })),
    defaultUser: world.defaultUser,
    requests,
    routeFailures,
    identified: gateway.identified,
    identifyPayloads: gateway.identifyPayloads,
    channels: world.channels,
    messages: world.messages,
    get globalCommands() {
      return world.globalCommands;
    },
    get guildCommands() {
      return world.guildCommands;
    },

    waitForRequest(predicate, waitOptions = {}) {
      const { timeoutMs = DEFAULT_WAIT_MS, since = 0 } =
        typeof waitOptions === 'number' ? { timeoutMs: waitOptions } : waitOptions;
      if (routeFailures.length > 0) return Promise.reject(routeFailureError(routeFailures));
      let seen: RecordedRequest | undefined;
      try {
        seen = requests.find((request) => request.seq >= since && predicate(request));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      if (seen) return Promise.resolve(seen);
      if (closed) return Promise.reject(new Error('fake-discord: waitForRequest after close()'));
      return new Promise<RecordedRequest>((resolve, reject) => {
        const waiter: Waiter = {
          predicate,
          since,
          resolve,
          reject,
          timer: setTimeout(() => {
            settle(waiter);
            reject(new Error(timeoutMessage(requests, since, timeoutMs)));
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    mark: () => nextSeq,
    clearRequests() {
      requests.length = 0;
    },

    sendInteraction,
    slashCommand(commandOptions) {
      const { id, guildId, command } = commandFor(commandOptions.name);
      const attachments = commandOptions.attachments ?? {};
      const options = nestInSubcommand(
        commandOptions.subcommand,
        (declared) => [
          ...toInteractionOptions(commandOptions.options, declared),
          ...Object.entries(attachments).map(([name, file]) => ({ name, type: ApplicationCommandOptionType.Attachment as const, value: file.id })),
        ],
        command,
      );
      const resolved = Object.values(attachments);
      return sendInteraction(
        buildSlashCommandInteraction(world.newInteractionContext(commandOptions), {
          id,
          name: commandOptions.name,
          ...(guildId !== undefined && { guildId }),
          options,
          ...(resolved.length > 0 && { attachments: Object.fromEntries(resolved.map((file) => [file.id, file])) }),
        }),
      );
    },
    addAttachment(file) {
      const id = createSnowflake();
      const data = Buffer.from(file.data);
      const path = `/attachments/${world.identity.channelId}/${id}/${encodeURIComponent(file.filename)}`;
      attachmentFiles.set(path, { data, ...(file.contentType !== undefined && { contentType: file.contentType }) });
      return buildAttachment({ id, filename: file.filename, size: file.size ?? data.length, url: `${baseUrl()}${path}`, ...(file.contentType !== undefined && { contentType: file.contentType }) });
    },
    autocomplete(autocompleteOptions) {
      const { id, guildId, command } = commandFor(autocompleteOptions.name);
      const { subcommand } = autocompleteOptions;
      const scope = subcommand === undefined ? command?.options : (command?.options?.find((option) => option.name === subcommand) as { options?: APIApplicationCommand['options'] } | undefined)?.options;
      const declared = scope?.find((option) => option.name === autocompleteOptions.focused)?.type;
      const built = buildAutocompleteInteraction(world.newInteractionContext(autocompleteOptions), {
        id,
        name: autocompleteOptions.name,
        ...(guildId !== undefined && { guildId }),
        focused: autocompleteOptions.focused,
        value: autocompleteOptions.value,
        focusedType: declared ?? ApplicationCommandOptionType.String,
        options: toInteractionOptions(autocompleteOptions.options, command && { ...command, options: scope ?? [] }),
      });
      // Under a subcommand, the options (the focused one included) go inside it.
      if (subcommand !== undefined) {
        built.data.options = nestInSubcommand(subcommand, () => [...built.data.options], undefined) as typeof built.data.options;
      }
      return sendInteraction(built);
    },
    button(buttonOptions) {
      const context = world.newInteractionContext(buttonOptions);
      const messageId = buttonOptions.messageId;
      let message = messageId !== undefined ? world.messages.get(messageId) : undefined;
      if (!message) {
        message = world.storeMessage(
          buildMessage({
            ...(messageId !== undefined && { id: messageId }),
            channelId: context.channel.id,
            author: world.botUser,
            content: 'A message with a button',
            components: [buildButtonRow(buttonOptions.customId, 'Button')],
          }),
        );
      }
      return sendInteraction(buildButtonInteraction(context, { customId: buttonOptions.customId, message }));
    },
    contextMenuCommand(contextOptions) {
      const { id } = commandFor(contextOptions.name);
      const context = world.newInteractionContext(contextOptions);
      const target =
        contextOptions.kind === 'user'
          ? { user: world.defaultUser }
          : { message: world.storeMessage(buildMessage({ channelId: context.channel.id, author: world.defaultUser, content: 'A message someone right-clicked' })) };
      return sendInteraction(buildContextMenuInteraction(context, { id, name: contextOptions.name, target }));
    },
    selectMenu(menuOptions) {
      const context = world.newInteractionContext(menuOptions);
      const message = world.storeMessage(
        buildMessage({ channelId: context.channel.id, author: world.botUser, content: 'A message with a menu', components: [buildSelectMenuRow(menuOptions.customId)] }),
      );
      return sendInteraction(buildSelectMenuInteraction(context, { customId: menuOptions.customId, values: menuOptions.values, message }));
    },
    modalSubmit(modalOptions) {
      return sendInteraction(buildModalSubmitInteraction(world.newInteractionContext(modalOptions), { customId: modalOptions.customId, text: modalOptions.text }));
    },
    interaction: (id) => world.interactions.get(id),
    unansweredInteractions: () =>
      [...world.interactions.values()].filter((state) => state.response === null).map((state) => state.payload),
    sendMessage(messageOptions) {
      requireClient('sendMessage');
      const channel = world.requireChannel(messageOptions.channelId ?? world.identity.channelId);
      const { user } = world.resolveMember({
        ...(messageOptions.author !== undefined && { user: messageOptions.author }),
        ...(messageOptions.roles !== undefined && { roles: messageOptions.roles }),
      });
      const botMention = `<@${world.botUser.id}>`;
      const content =
        messageOptions.mentionsBot === true && !messageOptions.content.includes(botMention)
          ? `${botMention} ${messageOptions.content}`
          : messageOptions.content;
      const message = world.storeMessage(
        buildMessage({ channelId: channel.id, author: user, content, mentions: world.mentionedUsers(content) }),
      );
      const delivered = gateway.dispatchMessageCreate(message, world.memberWithoutUser(user.id));
      if (delivered === 0) {
        log(`gateway: MESSAGE_CREATE ${message.id} withheld (client lacks the GuildMessages intent)`);
      }
      return message.id;
    },
    createUserThread(threadOptions) {
      requireClient('createUserThread');
      const thread = buildThreadChannel({
        id: createSnowflake(),
        guildId: world.identity.guildId,
        parentId: world.identity.channelId,
        ownerId: threadOptions.ownerId ?? world.defaultUser.id,
        name: threadOptions.name,
        type: ChannelType.PublicThread,
        autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
        now: new Date(),
      });
      world.channels.set(thread.id, thread);
      gateway.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
      return thread.id;
    },
    dispatch(t, d) {
      requireClient(`dispatch(${t})`);
      return gateway.dispatch(t, d);
    },
    dropConnections(code = GatewayCloseCodes.UnknownError) {
      gateway.dropConnections(code);
    },
    terminateConnections() {
      gateway.terminateConnections();
    },
    invalidateSessions(resumable) {
      gateway.invalidateSessions(resumable);
    },
    resumePayloads: gateway.resumePayloads,
    sessionIds: gateway.sessionIds,
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    advanceTime(ms) {
      clockOffsetMs += ms;
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const waiter of waiters) {
        settle(waiter);
        waiter.reject(new Error('fake-discord: closed while waiting for a request'));
      }
      await gateway.close();
      // Keep-alive connections from discord.js's HTTP agent would hold server.close() open.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (routeFailures.length > 0) throw routeFailureError(routeFailures);
    },
  };
  return fake;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

interface ParsedBody {
  body: unknown;
  files: RecordedFile[];
  invalidJson: boolean;
}

/** Parses JSON bodies, and multipart/form-data ones (files plus a `payload_json` part) as discord.js sends uploads. */
async function parseBody(raw: Buffer, contentType: string | undefined): Promise<ParsedBody> {
  if (raw.length === 0) return { body: undefined, files: [], invalidJson: false };
  if (contentType?.startsWith('multipart/form-data')) {
    // The WHATWG Response parses multipart bodies; no hand-written parser needed.
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
    const files: RecordedFile[] = [];
    let body: unknown;
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field !== 'payload_json') continue;
        try {
          body = JSON.parse(value);
        } catch {
          return { body: value, files: [], invalidJson: true };
        }
        continue;
      }
      files.push({
        field,
        filename: value.name,
        contentType: value.type,
        data: Buffer.from(await value.arrayBuffer()),
      });
    }
    return { body, files, invalidJson: false };
  }
  const text = raw.toString('utf8');
  if (contentType?.startsWith('application/json')) {
    try {
      return { body: JSON.parse(text), files: [], invalidJson: false };
    } catch {
      return { body: text, files: [], invalidJson: true };
    }
  }
  return { body: text, files: [], invalidJson: false };
}

function decodePath(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join('/');
}

function describeRequest(request: RecordedRequest): string {
  const query = new URLSearchParams(request.query).toString();
  return `#${request.seq} ${request.method} ${request.path}${query ? `?${query}` : ''} → ${request.status}`;
}

function routeFailureError(failures: readonly RouteFailure[]): Error {
  const lines = failures.map(({ method, path, error }) => {
    const detail = error instanceof Error ? (error.stack ?? String(error)) : String(error);
    return `  ${method} ${path}: ${detail.replace(/\n/g, '\n    ')}`;
  });
  return new Error([`fake-discord: ${failures.length} request(s) failed inside the fake (a bug in the fake, answered 500):`, ...lines].join('\n'));
}

function timeoutMessage(requests: readonly RecordedRequest[], since: number, timeoutMs: number): string {
  const seen = requests.filter((request) => request.seq >= since);
  const listed = seen.slice(-LISTED_REQUESTS).map((request) => `  ${describeRequest(request)}`);
  const omitted = seen.length - listed.length;
  return [
    `fake-discord: no matching request within ${timeoutMs} ms; ${seen.length} request(s) seen since #${since}:`,
    ...(omitted > 0 ? [`  … ${omitted} earlier`] : []),
    ...(listed.length > 0 ? listed : ['  (none)']),
  ].join('\n');
}
