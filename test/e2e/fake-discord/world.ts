/**
 * What the fake Discord knows: one application and its bot user, one guild with a
 * text channel (and the threads made in it), its roles and members, the messages
 * sent, the commands registered and the interactions handed out. The gateway and
 * the REST routes read and change this one state, so a message the bot posts over
 * REST is the one a later `GET` returns and a thread made over REST is the channel
 * a later MESSAGE_CREATE arrives in.
 */
import type {
  ApplicationFlags,
  UserFlags,
  APIApplication,
  APIApplicationCommand,
  APIApplicationCommandAutocompleteGuildInteraction,
  APIChatInputApplicationCommandGuildInteraction,
  APIGuildMember,
  APIInteractionGuildMember,
  APIMessage,
  APIMessageApplicationCommandGuildInteraction,
  APIMessageComponentGuildInteraction,
  APIModalSubmitGuildInteraction,
  APIRole,
  APIUser,
  APIUserApplicationCommandGuildInteraction,
  InteractionResponseType,
} from 'discord.js';
import {
  BOT_ROLE_PERMISSIONS,
  EVERYONE_PERMISSIONS,
  buildMember,
  buildRole,
  buildTextChannel,
  createInteractionToken,
  createSnowflake,
  type FakeChannel,
  type GuildShape,
  type InteractionContext,
} from './payloads.js';

/** The ids and names a fake is built with; every field has a fixed default. */
export interface WorldIdentity {
  applicationId: string;
  botUsername: string;
  guildId: string;
  guildName: string;
  channelId: string;
  channelName: string;
}

/** Fixed defaults, so ids in a failing test's output are recognisable. */
export const DEFAULT_IDENTITY: WorldIdentity = {
  applicationId: '1300000000000000001',
  botUsername: 'Verbatim',
  guildId: '1300000000000000100',
  guildName: 'Fake Guild',
  channelId: '1300000000000000200',
  channelName: 'general',
};

const BOT_ROLE_ID = '1300000000000000300';
const DEFAULT_USER_ID = '1300000000000000400';

/** An interaction the fake has handed to the bot, and what the bot has done with it. */
export type FakeInteractionPayload =
  | APIChatInputApplicationCommandGuildInteraction
  | APIUserApplicationCommandGuildInteraction
  | APIMessageApplicationCommandGuildInteraction
  | APIApplicationCommandAutocompleteGuildInteraction
  | APIMessageComponentGuildInteraction
  | APIModalSubmitGuildInteraction;

/** The life of one interaction: acknowledged how, and which messages belong to its token. */
export interface InteractionState {
  readonly payload: FakeInteractionPayload;
  readonly receivedAtMs: number;
  /** The channel the interaction happened in: where its response messages go. */
  readonly channelId: string;
  /** The callback type the bot answered with, or null while unanswered. */
  response: InteractionResponseType | null;
  /** The message `@original` refers to, once there is one. */
  originalMessageId: string | null;
  readonly followUpIds: Set<string>;
  /** The `data` of the callback (choices for autocomplete, the modal, the message body). */
  responseData: unknown;
}

/** Per-member options the interaction and message helpers accept. */
export interface MemberOptions {
  user?: Partial<APIUser>;
  /** Role ids the member holds, besides @everyone. */
  roles?: readonly string[];
  /** The member's permissions in the channel (decimal string or bits); default: what @everyone may do. */
  permissions?: bigint | string;
}

/** The fake's state. See the module comment. */
export class FakeWorld {
  readonly identity: WorldIdentity;
  readonly botUser: APIUser;
  /** The user interactions and messages come from unless a test says otherwise. */
  readonly defaultUser: APIUser;
  readonly everyoneRole: APIRole;
  readonly botRole: APIRole;
  /** When the bot "joined" the guild: GUILD_CREATE's `joined_at`. */
  readonly joinedAt = new Date().toISOString();
  readonly users = new Map<string, APIUser>();
  readonly members = new Map<string, APIGuildMember>();
  readonly channels = new Map<string, FakeChannel>();
  readonly messages = new Map<string, APIMessage>();
  readonly interactions = new Map<string, InteractionState>();
  /** Guilds besides the main one (`identity.guildId`), each with one text channel. */
  readonly extraGuilds = new Map<string, { id: string; name: string; channelId: string }>();
  /** Registered commands, as the last bulk overwrite left them. */
  globalCommands: APIApplicationCommand[] = [];
  guildCommands: APIApplicationCommand[] = [];

  constructor(identity: WorldIdentity) {
    this.identity = identity;
    // A modern bot user has the id of its application.
    this.botUser = {
      id: identity.applicationId,
      username: identity.botUsername,
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: true,
      flags: 0 as UserFlags,
      public_flags: 0 as UserFlags,
    };
    this.defaultUser = {
      id: DEFAULT_USER_ID,
      username: 'tester',
      discriminator: '0',
      global_name: 'Tester',
      avatar: null,
      public_flags: 0 as UserFlags,
    };
    // The @everyone role has the guild's id, as on Discord.
    this.everyoneRole = buildRole({
      id: identity.guildId,
      name: '@everyone',
      permissions: EVERYONE_PERMISSIONS,
      position: 0,
    });
    this.botRole = buildRole({
      id: BOT_ROLE_ID,
      name: identity.botUsername,
      permissions: BOT_ROLE_PERMISSIONS,
      position: 1,
      managed: true,
      botId: this.botUser.id,
    });
    this.addMember(this.botUser, [this.botRole.id]);
    this.addMember(this.defaultUser, []);
    this.channels.set(
      identity.channelId,
      buildTextChannel({ id: identity.channelId, guildId: identity.guildId, name: identity.channelName }),
    );
  }

  /** The guild (the main one by default) as the payload builders need it. */
  guildShape(guildId: string = this.identity.guildId): GuildShape {
    const extra = this.extraGuilds.get(guildId);
    if (!extra) {
      return {
        id: this.identity.guildId,
        name: this.identity.guildName,
        ownerId: this.defaultUser.id,
        roles: [this.everyoneRole, this.botRole],
        members: [...this.members.values()],
        channels: [...this.channels.values()].filter((channel) => channel.guild_id === this.identity.guildId),
      };
    }
    const everyone = buildRole({ id: extra.id, name: '@everyone', permissions: EVERYONE_PERMISSIONS, position: 0 });
    return {
      id: extra.id,
      name: extra.name,
      ownerId: this.defaultUser.id,
      roles: [everyone, this.botRole],
      members: [...this.members.values()],
      channels: [...this.channels.values()].filter((channel) => channel.guild_id === extra.id),
    };
  }

  /** Every guild id the bot is in, the main one first. */
  guildIds(): string[] {
    return [this.identity.guildId, ...this.extraGuilds.keys()];
  }

  /** Adds a guild with one text channel (the bot and every known user are members). */
  addGuild(guild: { id: string; name: string; channelId: string }): void {
    this.extraGuilds.set(guild.id, guild);
    this.channels.set(guild.channelId, buildTextChannel({ id: guild.channelId, guildId: guild.id, name: 'general' }));
  }

  /** The application object (`GET /applications/@me`). */
  application(): APIApplication {
    return {
      id: this.identity.applicationId,
      name: this.identity.botUsername,
      icon: null,
      description: '',
      summary: '',
      bot: this.botUser,
      bot_public: false,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      team: null,
      flags: 0 as ApplicationFlags,
      flags_new: '0',
      owner: this.defaultUser,
    };
  }

  private addMember(user: APIUser, roles: readonly string[]): APIGuildMember {
    this.users.set(user.id, user);
    const member = buildMember(user, roles, this.joinedAt);
    this.members.set(user.id, member);
    return member;
  }

  /**
   * Returns the user a test means (the default user with `overrides`) and makes
   * sure the guild has a member for it, so REST member look-ups find it.
   */
  resolveMember(options: MemberOptions): { user: APIUser; member: APIGuildMember } {
    const user: APIUser = { ...this.defaultUser, ...options.user };
    const roles = options.roles ?? this.members.get(user.id)?.roles ?? [];
    const member = this.addMember(user, roles);
    return { user, member };
  }

  /** The member as an interaction carries it: with its user and computed permissions. */
  interactionMember(options: MemberOptions): APIInteractionGuildMember {
    const { user, member } = this.resolveMember(options);
    const permissions = options.permissions ?? EVERYONE_PERMISSIONS;
    return { ...member, user, permissions: permissions.toString() };
  }

  /** What the bot may do in the guild's channels (@everyone plus its role). */
  botPermissions(): bigint {
    return EVERYONE_PERMISSIONS | BOT_ROLE_PERMISSIONS;
  }

  /** Looks up a registered command by name, guild commands first (as the Discord client shows them). */
  findCommand(name: string): APIApplicationCommand | undefined {
    return (
      this.guildCommands.find((command) => command.name === name) ??
      this.globalCommands.find((command) => command.name === name)
    );
  }

  /** Returns the channel, or throws naming it (a test asked for a channel the fake lacks). */
  requireChannel(channelId: string): FakeChannel {
    const channel = this.channels.get(channelId);
    if (!channel) {
      throw new Error(`fake-discord: unknown channel ${channelId}; known: ${[...this.channels.keys()].join(', ')}`);
    }
    return channel;
  }

  /** Starts an interaction: fresh id and token, the member, the channel. */
  newInteractionContext(options: MemberOptions & { channelId?: string }): InteractionContext {
    return {
      id: createSnowflake(),
      token: createInteractionToken(),
      applicationId: this.identity.applicationId,
      guildId: this.requireChannel(options.channelId ?? this.identity.channelId).guild_id ?? this.identity.guildId,
      channel: this.requireChannel(options.channelId ?? this.identity.channelId),
      member: this.interactionMember(options),
      appPermissions: this.botPermissions(),
    };
  }

  /** Remembers an interaction sent to the bot, so its callback and webhook routes work. */
  trackInteraction(payload: FakeInteractionPayload): InteractionState {
    const state: InteractionState = {
      payload,
      receivedAtMs: Date.now(),
      channelId: payload.channel?.id ?? payload.channel_id ?? this.identity.channelId,
      response: null,
      originalMessageId: null,
      followUpIds: new Set(),
      responseData: undefined,
    };
    this.interactions.set(payload.id, state);
    return state;
  }

  /** Finds an interaction by the token its webhook routes carry. */
  interactionByToken(token: string): InteractionState | undefined {
    for (const state of this.interactions.values()) {
      if (state.payload.token === token) return state;
    }
    return undefined;
  }

  /** Stores a message; a message in a thread also counts towards the thread's totals, as on Discord. */
  storeMessage(message: APIMessage): APIMessage {
    this.messages.set(message.id, message);
    const channel = this.channels.get(message.channel_id);
    if (channel) {
      channel.last_message_id = message.id;
      if ('thread_metadata' in channel) {
        channel.message_count = (channel.message_count ?? 0) + 1;
        channel.total_message_sent = (channel.total_message_sent ?? 0) + 1;
      }
    }
    return message;
  }

  /** Messages of a channel, newest first (Discord's order for `GET …/messages`). */
  channelMessages(channelId: string): APIMessage[] {
    return [...this.messages.values()]
      .filter((message) => message.channel_id === channelId)
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : BigInt(b.id) < BigInt(a.id) ? -1 : 0));
  }

  /**
   * The users a message's content mentions, as Discord resolves them: known users
   * only, and only those `allowed_mentions` lets through (all, when it is absent).
   */
  mentionedUsers(content: string, allowedMentions?: unknown): APIUser[] {
    const ids = [...content.matchAll(/<@!?(\d{17,20})>/g)].map((match) => match[1] ?? '');
    let allowed: (id: string) => boolean = () => true;
    if (typeof allowedMentions === 'object' && allowedMentions !== null) {
      const { parse, users } = allowedMentions as { parse?: unknown; users?: unknown };
      const parsed = Array.isArray(parse) ? parse : [];
      const listed = Array.isArray(users) ? users.map(String) : [];
      allowed = (id) => parsed.includes('users') || listed.includes(id);
    }
    return [...new Set(ids)].filter(allowed).flatMap((id) => {
      const user = this.users.get(id);
      return user ? [user] : [];
    });
  }

  /** A member as MESSAGE_CREATE carries it: without its user (the message's author is the user). */
  memberWithoutUser(userId: string): Omit<APIGuildMember, 'user'> | undefined {
    const member = this.members.get(userId);
    if (!member) return undefined;
    const { user: _user, ...rest } = member;
    return rest;
  }
}
