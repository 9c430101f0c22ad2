/**
 * The fake gateway: a WebSocket endpoint speaking Discord's gateway protocol v10
 * the way @discordjs/ws 1.x expects it.
 *
 * - Frames are JSON text. @discordjs/ws asks for `compress=zlib-stream` only when
 *   the optional `zlib-sync` package is installed, and even then it parses text
 *   frames as plain JSON; so the fake ignores `compress` and never compresses.
 * - HELLO (op 10) on connect → IDENTIFY (op 2) → READY with the guild listed as
 *   unavailable, then GUILD_CREATE with the full guild. discord.js marks itself
 *   ready only once every guild READY listed has arrived (or after 15 s).
 * - Heartbeats (op 1) are acknowledged at once (op 11); RESUME (op 6) of a known
 *   session answers RESUMED without replaying anything; others get op 9.
 */
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { GatewayCloseCodes, GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes } from 'discord.js';
import type {
  ApplicationFlags,
  APIGuildMember,
  APIMessage,
  GatewayIdentifyData,
  GatewayReadyDispatchData,
  GatewayReceivePayload,
} from 'discord.js';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { buildGuildCreate } from './payloads.js';
import { isRecord } from './validation.js';
import type { FakeWorld } from './world.js';

/** Any gateway event name, e.g. `'MESSAGE_CREATE'`. */
export type DispatchEventName = `${GatewayDispatchEvents}`;

/** Shapes (or withholds, by returning undefined) an event's data for one session, e.g. by its intents. */
export type SessionShaper = (session: { readonly intents: number }) => unknown;

interface GatewaySession {
  readonly socket: WebSocket;
  sessionId: string | null;
  sequence: number;
  intents: number;
  /** `[shard id, shard count]` from IDENTIFY; `[0, 1]` when unsharded. */
  shard: [number, number];
}

/** The shard a guild's events go to: `(guild_id >> 22) % num_shards`, as on Discord. */
export function shardOfGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** The guild an event belongs to (its `guild_id`, or the guild itself for GUILD_CREATE), if any. */
function guildOfEvent(t: DispatchEventName, d: unknown): string | undefined {
  if (!isRecord(d)) return undefined;
  if (typeof d['guild_id'] === 'string') return d['guild_id'];
  return t === GatewayDispatchEvents.GuildCreate && typeof d['id'] === 'string' ? d['id'] : undefined;
}

/** Options of the gateway, filled in by `startFakeDiscord`. */
export interface FakeGatewayOptions {
  heartbeatIntervalMs: number;
  /** When set, IDENTIFY and RESUME must carry this token (otherwise close 4004). */
  token: string | undefined;
  /** Intents the application may not use: an IDENTIFY asking for one is closed with 4014. */
  disallowedIntents: number;
  /** The `ws://` URL clients connect to (READY's `resume_gateway_url`). */
  gatewayUrl: () => string;
  log: (message: string) => void;
}

/** The gateway half of the fake; see the module comment. */
export class FakeGateway {
  /** Every IDENTIFY payload received, oldest first (tests can assert intents). */
  readonly identifyPayloads: GatewayIdentifyData[] = [];
  /** Every RESUME received, oldest first: the session id and last sequence the client names. */
  readonly resumePayloads: { session_id: string; seq: number }[] = [];
  /** The session id handed out for each IDENTIFY, oldest first. */
  readonly sessionIds: string[] = [];
  /** Resolves once a client has identified and been sent READY. */
  readonly identified: Promise<void>;
  private resolveIdentified!: () => void;
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<GatewaySession>();
  /** Sessions whose socket closed, by id, so a RESUME can pick them up. */
  private readonly resumable = new Map<string, { sequence: number; intents: number; shard: [number, number] }>();

  constructor(
    server: Server,
    private readonly world: FakeWorld,
    private readonly options: FakeGatewayOptions,
  ) {
    this.identified = new Promise((resolve) => {
      this.resolveIdentified = resolve;
    });
    // Any path upgrades: discord.js connects to `${url}?v=10&encoding=json`.
    this.wss = new WebSocketServer({ server });
    this.wss.on('connection', (socket, request) => this.accept(socket, request.url ?? '/'));
  }

  /** Number of open connections that have identified or resumed. */
  get readyConnections(): number {
    return [...this.sessions].filter((session) => session.sessionId !== null).length;
  }

  private accept(socket: WebSocket, url: string): void {
    const params = new URL(url, 'ws://fake').searchParams;
    const version = params.get('v');
    if (version !== null && version !== '10') {
      socket.close(GatewayCloseCodes.InvalidAPIVersion, `fake-discord speaks gateway v10, not v${version}`);
      return;
    }
    const encoding = params.get('encoding');
    if (encoding !== null && encoding !== 'json') {
      socket.close(GatewayCloseCodes.DecodeError, `fake-discord speaks encoding=json, not ${encoding}`);
      return;
    }
    const session: GatewaySession = { socket, sessionId: null, sequence: 0, intents: 0, shard: [0, 1] };
    this.sessions.add(session);
    this.options.log(`gateway: connection ${url}`);
    socket.on('message', (data, isBinary) => this.receive(session, data, isBinary));
    socket.on('close', (code) => {
      // A session dropConnections() already detached is resumable already.
      if (this.sessions.delete(session)) this.keepResumable(session);
      this.options.log(`gateway: closed ${code}`);
    });
    socket.on('error', (error) => this.options.log(`gateway: socket error ${error.message}`));
    this.send(session, {
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: this.options.heartbeatIntervalMs },
      s: null,
      t: null,
    });
  }

  private send(session: GatewaySession, payload: GatewayReceivePayload | DispatchFrame): void {
    if (session.socket.readyState === WebSocket.OPEN) session.socket.send(JSON.stringify(payload));
  }

  private sendDispatch(session: GatewaySession, t: DispatchEventName, d: unknown): void {
    session.sequence += 1;
    this.send(session, { op: GatewayOpcodes.Dispatch, t, s: session.sequence, d });
  }

  private receive(session: GatewaySession, data: RawData, isBinary: boolean): void {
    let payload: unknown;
    try {
      payload = JSON.parse(rawDataToString(data));
    } catch {
      const kind = isBinary ? 'binary' : 'text';
      session.socket.close(GatewayCloseCodes.DecodeError, `fake-discord: undecodable ${kind} frame`);
      return;
    }
    if (!isRecord(payload) || typeof payload['op'] !== 'number') {
      session.socket.close(GatewayCloseCodes.DecodeError, 'fake-discord: payload without op');
      return;
    }
    const op = payload['op'];
    const d = payload['d'];
    if (op === GatewayOpcodes.Heartbeat) {
      this.send(session, { op: GatewayOpcodes.HeartbeatAck, d: undefined, s: null, t: null });
      return;
    }
    if (op === GatewayOpcodes.Identify) {
      this.identify(session, d);
      return;
    }
    if (op === GatewayOpcodes.Resume) {
      this.resume(session, d);
      return;
    }
    if (session.sessionId === null) {
      session.socket.close(GatewayCloseCodes.NotAuthenticated, 'fake-discord: identify first');
      return;
    }
    switch (op) {
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
        return;
      case GatewayOpcodes.RequestGuildMembers:
        this.sendMembersChunk(session, d);
        return;
      default:
        session.socket.close(GatewayCloseCodes.UnknownOpcode, `fake-discord: unknown opcode ${op}`);
    }
  }

  private identify(session: GatewaySession, d: unknown): void {
    if (session.sessionId !== null) {
      session.socket.close(GatewayCloseCodes.AlreadyAuthenticated, 'fake-discord: already identified');
      return;
    }
    if (!isRecord(d) || typeof d['token'] !== 'string' || typeof d['intents'] !== 'number') {
      session.socket.close(GatewayCloseCodes.DecodeError, 'fake-discord: IDENTIFY needs token and intents');
      return;
    }
    const identify = d as unknown as GatewayIdentifyData;
    if (this.options.token !== undefined && identify.token !== this.options.token) {
      session.socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    this.identifyPayloads.push(identify);
    if ((identify.intents & this.options.disallowedIntents) !== 0) {
      session.socket.close(GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
      return;
    }
    session.sessionId = randomUUID().replaceAll('-', '');
    this.sessionIds.push(session.sessionId);
    session.intents = identify.intents;
    session.shard = identify.shard ?? [0, 1];
    this.options.log(`gateway: IDENTIFY intents=${identify.intents} shard=${session.shard.join('/')}`);
    const [shardId, shardCount] = session.shard;
    const guildIds = this.world.guildIds().filter((id) => shardOfGuild(id, shardCount) === shardId);
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: this.world.botUser,
      guilds: guildIds.map((id) => ({ id, unavailable: true })),
      session_id: session.sessionId,
      resume_gateway_url: this.options.gatewayUrl(),
      shard: identify.shard ?? [0, 1],
      application: { id: this.world.identity.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
    };
    this.sendDispatch(session, GatewayDispatchEvents.Ready, ready);
    for (const id of guildIds) {
      this.sendDispatch(session, GatewayDispatchEvents.GuildCreate, buildGuildCreate(this.world.guildShape(id), this.world.joinedAt));
    }
    this.resolveIdentified();
  }

  private resume(session: GatewaySession, d: unknown): void {
    const sessionId = isRecord(d) ? d['session_id'] : undefined;
    const token = isRecord(d) ? d['token'] : undefined;
    if (this.options.token !== undefined && token !== this.options.token) {
      session.socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    if (typeof sessionId === 'string') {
      this.resumePayloads.push({ session_id: sessionId, seq: isRecord(d) && typeof d['seq'] === 'number' ? d['seq'] : -1 });
    }
    const previous = typeof sessionId === 'string' ? this.resumable.get(sessionId) : undefined;
    if (typeof sessionId !== 'string' || previous === undefined) {
      // Not resumable: the client must identify afresh.
      this.send(session, { op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
      return;
    }
    this.resumable.delete(sessionId);
    session.sessionId = sessionId;
    session.sequence = previous.sequence;
    session.intents = previous.intents;
    session.shard = previous.shard;
    this.options.log(`gateway: RESUME ${sessionId}`);
    this.sendDispatch(session, GatewayDispatchEvents.Resumed, {});
  }

  private sendMembersChunk(session: GatewaySession, d: unknown): void {
    if (!isRecord(d)) return;
    const wanted = d['user_ids'];
    const ids = typeof wanted === 'string' ? [wanted] : Array.isArray(wanted) ? wanted.map(String) : null;
    const query = typeof d['query'] === 'string' ? d['query'].toLowerCase() : '';
    const limit = typeof d['limit'] === 'number' && d['limit'] > 0 ? d['limit'] : Number.POSITIVE_INFINITY;
    const members: APIGuildMember[] = [...this.world.members.values()]
      .filter((member) =>
        ids ? ids.includes(member.user.id) : member.user.username.toLowerCase().startsWith(query),
      )
      .slice(0, limit);
    const found = new Set(members.map((member) => member.user.id));
    this.sendDispatch(session, GatewayDispatchEvents.GuildMembersChunk, {
      guild_id: this.world.identity.guildId,
      members,
      chunk_index: 0,
      chunk_count: 1,
      not_found: ids ? ids.filter((id) => !found.has(id)) : [],
      ...(d['nonce'] !== undefined && { nonce: d['nonce'] }),
    });
  }

  /** Sends an event to every identified session; returns how many got it. */
  dispatch(t: DispatchEventName, d: unknown): number {
    return this.dispatchPerSession(t, () => d);
  }

  /**
   * Sends an event to every identified session, its data shaped per session by
   * `shape` (e.g. by the session's intents); a session for which `shape`
   * returns undefined gets nothing. Returns how many got it.
   */
  dispatchPerSession(t: DispatchEventName, shape: SessionShaper): number {
    let delivered = 0;
    for (const session of this.sessions) {
      if (session.sessionId === null) continue;
      const data = shape(session);
      if (data === undefined) continue;
      // A guild's events go to the one shard that holds the guild.
      const guildId = guildOfEvent(t, data);
      if (guildId !== undefined && shardOfGuild(guildId, session.shard[1]) !== session.shard[0]) continue;
      this.sendDispatch(session, t, data);
      delivered += 1;
    }
    return delivered;
  }

  /**
   * Sends MESSAGE_CREATE as Discord would: only to sessions with the
   * GuildMessages intent, and with content, embeds, attachments and components
   * emptied unless the session has MessageContent or the message is the bot's
   * own or mentions the bot.
   */
  dispatchMessageCreate(message: APIMessage, member: Omit<APIGuildMember, 'user'> | undefined): number {
    const botId = this.world.botUser.id;
    const fullData = { ...message, guild_id: this.world.identity.guildId, ...(member && { member }) };
    const contentVisible =
      message.author.id === botId || message.mentions.some((user) => user.id === botId);
    return this.dispatchPerSession(GatewayDispatchEvents.MessageCreate, ({ intents }) => {
      if ((intents & GatewayIntentBits.GuildMessages) === 0) return undefined;
      if (contentVisible || (intents & GatewayIntentBits.MessageContent) !== 0) return fullData;
      return { ...fullData, content: '', embeds: [], attachments: [], components: [] };
    });
  }

  /** Closes every connection with `code` (the sessions stay resumable), as Discord does when it restarts. */
  dropConnections(code: number): void {
    for (const session of this.sessions) {
      // Detach now rather than on 'close', so a quick RESUME cannot outrun the close handshake.
      this.sessions.delete(session);
      this.keepResumable(session);
      session.socket.close(code, 'fake-discord: connection dropped');
    }
  }

  /** Cuts every connection without a close frame (the client sees 1006); the sessions stay resumable. */
  terminateConnections(): void {
    for (const session of this.sessions) {
      this.sessions.delete(session);
      this.keepResumable(session);
      session.socket.terminate();
    }
  }

  /**
   * Sends op 9 Invalid Session to every identified session. Not resumable: the
   * session is forgotten and the client must IDENTIFY again on a new connection.
   */
  invalidateSessions(resumable: boolean): void {
    for (const session of this.sessions) {
      if (session.sessionId === null) continue;
      if (resumable) this.keepResumable(session);
      else this.resumable.delete(session.sessionId);
      this.send(session, { op: GatewayOpcodes.InvalidSession, d: resumable, s: null, t: null });
    }
  }

  private keepResumable(session: GatewaySession): void {
    if (session.sessionId !== null) {
      this.resumable.set(session.sessionId, { sequence: session.sequence, intents: session.intents, shard: session.shard });
    }
  }

  /** Closes every connection at once and stops accepting new ones. */
  async close(): Promise<void> {
    // terminate() rather than close(): a client that is still running would
    // otherwise start a close handshake and try to reconnect.
    for (const session of this.sessions) session.socket.terminate();
    this.sessions.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

interface DispatchFrame {
  op: GatewayOpcodes.Dispatch;
  t: DispatchEventName;
  s: number;
  d: unknown;
}

function rawDataToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
