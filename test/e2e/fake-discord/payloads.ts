/**
 * Builders for the JSON objects the fake Discord sends: users, members, roles,
 * channels, the guild, messages and interactions. They produce what Discord's API
 * v10 sends — typed with discord-api-types (re-exported by discord.js) so a field
 * discord.js reads unconditionally cannot be forgotten.
 */
import { randomBytes } from 'node:crypto';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ButtonStyle,
  ChannelType,
  ComponentType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  InteractionContextType,
  InteractionType,
  Locale,
  MessageType,
  PermissionFlagsBits,
  ThreadAutoArchiveDuration,
} from 'discord.js';
// Bit-flag enums have no 0 member, so "no flags" is written `0 as XFlags` below.
import type {
  ChannelFlags,
  GuildMemberFlags,
  RoleFlags,
  ThreadMemberFlags,
  APIApplicationCommand,
  APIApplicationCommandAutocompleteGuildInteraction,
  APIApplicationCommandInteractionDataBasicOption,
  APIApplicationCommandInteractionDataOption,
  APIAttachment,
  APIChatInputApplicationCommandGuildInteraction,
  APIEmbed,
  APIGuildMember,
  APIInteractionGuildMember,
  APIMessage,
  APIMessageComponentGuildInteraction,
  APIMessageApplicationCommandGuildInteraction,
  APIModalSubmitGuildInteraction,
  APIUserApplicationCommandGuildInteraction,
  APIMessageInteractionMetadata,
  APIMessageReference,
  APIMessageTopLevelComponent,
  APIRole,
  APITextChannel,
  APIThreadChannel,
  APIUser,
  GatewayGuildCreateDispatchData,
  APIGuild,
} from 'discord.js';

/** Discord's epoch (2015-01-01T00:00:00Z): snowflakes count milliseconds from it. */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;
let snowflakeIncrement = 0n;

/**
 * Returns a fresh, well-formed snowflake for the current time, so discord.js's
 * `createdTimestamp` (decoded from the id) is plausible.
 */
export function createSnowflake(nowMs: number = Date.now()): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return (((BigInt(nowMs) - DISCORD_EPOCH_MS) << 22n) | snowflakeIncrement).toString();
}

/** Returns an unguessable interaction token, shaped like Discord's (URL-safe). */
export function createInteractionToken(): string {
  return `fake-${randomBytes(24).toString('base64url')}`;
}

/** A guild channel the fake can hold: the text channel or a thread in it. */
export type FakeChannel = APITextChannel | APIThreadChannel;

/** What @everyone may do in the fake guild: an ordinary member of a Q&A server. */
export const EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseApplicationCommands;

/**
 * What the bot's managed role adds — what the bot's invite link would ask for.
 * Deliberately not Administrator, so a bot that needs a permission it never asked
 * for is not hidden by the fake.
 */
export const BOT_ROLE_PERMISSIONS =
  EVERYONE_PERMISSIONS | PermissionFlagsBits.ManageThreads | PermissionFlagsBits.ManageMessages;

/** Builds a full user object; `overrides` wins over the defaults. */
export function buildUser(defaults: APIUser, overrides: Partial<APIUser> = {}): APIUser {
  return { ...defaults, ...overrides };
}

/** Builds a role object (discord.js caches roles to compute permissions). */
export function buildRole(input: {
  id: string;
  name: string;
  permissions: bigint;
  position: number;
  managed?: boolean;
  botId?: string;
}): APIRole {
  return {
    id: input.id,
    name: input.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: input.position,
    permissions: input.permissions.toString(),
    managed: input.managed ?? false,
    mentionable: false,
    flags: 0 as RoleFlags,
    ...(input.botId !== undefined && { tags: { bot_id: input.botId } }),
  };
}

/** Builds a guild member (with its user, as GUILD_CREATE and REST send it). */
export function buildMember(user: APIUser, roles: readonly string[], joinedAt: string): APIGuildMember {
  return {
    user,
    nick: null,
    avatar: null,
    banner: null,
    roles: [...roles],
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

/** Builds the guild's text channel; messages must arrive in a cached channel. */
export function buildTextChannel(input: { id: string; guildId: string; name: string }): APITextChannel {
  return {
    id: input.id,
    type: ChannelType.GuildText,
    guild_id: input.guildId,
    name: input.name,
    position: 0,
    permission_overwrites: [],
    parent_id: null,
    nsfw: false,
    topic: null,
    last_message_id: null,
    last_pin_timestamp: null,
    rate_limit_per_user: 0,
    default_auto_archive_duration: ThreadAutoArchiveDuration.OneDay,
    default_thread_rate_limit_per_user: 0,
    flags: 0 as ChannelFlags,
  };
}

/**
 * Builds a public thread. Discord gives a thread started from a message the id
 * of that message, so `id` is the starter message's id in that case.
 */
export function buildThreadChannel(input: {
  id: string;
  guildId: string;
  parentId: string;
  ownerId: string;
  name: string;
  type: ChannelType.PublicThread | ChannelType.PrivateThread;
  autoArchiveDuration: ThreadAutoArchiveDuration;
  now: Date;
}): APIThreadChannel {
  const timestamp = input.now.toISOString();
  return {
    id: input.id,
    type: input.type,
    guild_id: input.guildId,
    parent_id: input.parentId,
    owner_id: input.ownerId,
    name: input.name,
    last_message_id: null,
    last_pin_timestamp: null,
    rate_limit_per_user: 0,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    thread_metadata: {
      archived: false,
      auto_archive_duration: input.autoArchiveDuration,
      archive_timestamp: timestamp,
      locked: false,
      create_timestamp: timestamp,
      ...(input.type === ChannelType.PrivateThread && { invitable: true }),
    },
    // The creator is a member of the new thread; discord.js reads this into thread.members.
    member: { id: input.id, user_id: input.ownerId, join_timestamp: timestamp, flags: 0 as ThreadMemberFlags },
    applied_tags: [],
    flags: 0 as ChannelFlags,
  };
}

/** The parts of the guild the builders below need. */
export interface GuildShape {
  id: string;
  name: string;
  ownerId: string;
  roles: readonly APIRole[];
  members: readonly APIGuildMember[];
  channels: readonly FakeChannel[];
}

/** Builds the guild as REST `GET /guilds/{id}` returns it. */
export function buildGuild(shape: GuildShape): APIGuild {
  return {
    id: shape.id,
    name: shape.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: shape.ownerId,
    region: 'deprecated',
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: [...shape.roles],
    emojis: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null,
    max_members: 500_000,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    nsfw_level: GuildNSFWLevel.Default,
    stickers: [],
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
  };
}

/**
 * Builds the GUILD_CREATE payload: the guild plus everything discord.js caches from
 * it — channels (or MESSAGE_CREATE in them is dropped), roles and the bot's own
 * member (or permission checks on `guild.members.me` fail).
 */
export function buildGuildCreate(shape: GuildShape, joinedAt: string): GatewayGuildCreateDispatchData {
  const textChannels = shape.channels.filter((channel) => channel.type === ChannelType.GuildText);
  const threads = shape.channels.filter((channel) => channel.type !== ChannelType.GuildText);
  return {
    ...buildGuild(shape),
    joined_at: joinedAt,
    large: false,
    unavailable: false,
    member_count: shape.members.length,
    voice_states: [],
    members: [...shape.members],
    channels: textChannels,
    threads,
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** What a new message is made of; everything else gets Discord's defaults. */
export interface MessageInput {
  id?: string;
  channelId: string;
  guildId?: string;
  author: APIUser;
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  attachments?: APIAttachment[];
  flags?: number;
  type?: MessageType;
  mentions?: APIUser[];
  webhookId?: string;
  applicationId?: string;
  interactionMetadata?: APIMessageInteractionMetadata;
  messageReference?: APIMessageReference;
  referencedMessage?: APIMessage | null;
  now?: Date;
}

/** Builds a complete message object, as REST returns it and MESSAGE_CREATE carries it. */
export function buildMessage(input: MessageInput): APIMessage {
  const message: APIMessage = {
    id: input.id ?? createSnowflake(),
    channel_id: input.channelId,
    author: input.author,
    content: input.content ?? '',
    timestamp: (input.now ?? new Date()).toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: input.mentions ?? [],
    mention_roles: [],
    attachments: input.attachments ?? [],
    embeds: input.embeds ?? [],
    components: input.components ?? [],
    reactions: [],
    pinned: false,
    type: input.type ?? MessageType.Default,
    flags: input.flags ?? 0,
  };
  if (input.webhookId !== undefined) message.webhook_id = input.webhookId;
  if (input.applicationId !== undefined) message.application_id = input.applicationId;
  if (input.interactionMetadata !== undefined) message.interaction_metadata = input.interactionMetadata;
  if (input.messageReference !== undefined) message.message_reference = input.messageReference;
  if (input.referencedMessage !== undefined) message.referenced_message = input.referencedMessage;
  return message;
}

/** A slash-command option as a test writes it: `{ question: 'Who?', private: true }`. */
export type SimpleOptionValues = Record<string, string | number | boolean>;

/**
 * Converts simple option values to the wire form. The declared type of a
 * registered command's option wins; otherwise the JavaScript type decides
 * (string → String, boolean → Boolean, integer → Integer, other number → Number).
 */
export function toInteractionOptions(
  values: SimpleOptionValues | readonly APIApplicationCommandInteractionDataOption[] | undefined,
  command: APIApplicationCommand | undefined,
): APIApplicationCommandInteractionDataOption[] {
  if (values === undefined) return [];
  if (Array.isArray(values)) return [...(values as readonly APIApplicationCommandInteractionDataOption[])];
  return Object.entries(values as SimpleOptionValues).map(([name, value]) =>
    toBasicOption(name, value, declaredOptionType(command, name)),
  );
}

function declaredOptionType(
  command: APIApplicationCommand | undefined,
  name: string,
): ApplicationCommandOptionType | undefined {
  return command?.options?.find((option) => option.name === name)?.type;
}

function toBasicOption(
  name: string,
  value: string | number | boolean,
  declared: ApplicationCommandOptionType | undefined,
): APIApplicationCommandInteractionDataBasicOption {
  const type = declared ?? inferOptionType(value);
  switch (type) {
    case ApplicationCommandOptionType.Boolean:
      return { name, type, value: Boolean(value) };
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number:
      return { name, type, value: Number(value) };
    case ApplicationCommandOptionType.User:
    case ApplicationCommandOptionType.Channel:
    case ApplicationCommandOptionType.Role:
    case ApplicationCommandOptionType.Mentionable:
    case ApplicationCommandOptionType.Attachment:
      return { name, type, value: String(value) };
    default:
      return { name, type: ApplicationCommandOptionType.String, value: String(value) };
  }
}

function inferOptionType(value: string | number | boolean): ApplicationCommandOptionType {
  if (typeof value === 'boolean') return ApplicationCommandOptionType.Boolean;
  if (typeof value === 'number') {
    return Number.isInteger(value) ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number;
  }
  return ApplicationCommandOptionType.String;
}

/** The context every guild interaction shares. */
export interface InteractionContext {
  id: string;
  token: string;
  applicationId: string;
  guildId: string;
  channel: FakeChannel;
  member: APIInteractionGuildMember;
  appPermissions: bigint;
  locale?: Locale;
}

/**
 * The fields discord.js reads on every interaction. `entitlements` and
 * `authorizing_integration_owners` are read unconditionally: without them
 * discord.js throws inside its gateway handler and the process dies.
 */
function buildInteractionBase(context: InteractionContext) {
  return {
    id: context.id,
    application_id: context.applicationId,
    token: context.token,
    version: 1 as const,
    guild_id: context.guildId,
    guild: { id: context.guildId, locale: Locale.EnglishUS, features: [] },
    channel_id: context.channel.id,
    channel: context.channel,
    member: context.member,
    app_permissions: context.appPermissions.toString(),
    locale: context.locale ?? Locale.EnglishUS,
    guild_locale: Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: context.guildId },
    context: InteractionContextType.Guild,
    attachment_size_limit: 10 * 1024 * 1024,
  };
}

/** Builds a chat-input (slash) command interaction, type 2; attachment options' files go in `resolved`. */
export function buildSlashCommandInteraction(
  context: InteractionContext,
  command: {
    id: string;
    name: string;
    guildId?: string;
    options: APIApplicationCommandInteractionDataOption[];
    attachments?: Record<string, APIAttachment>;
  },
): APIChatInputApplicationCommandGuildInteraction {
  return {
    ...buildInteractionBase(context),
    type: InteractionType.ApplicationCommand,
    data: {
      id: command.id,
      name: command.name,
      type: ApplicationCommandType.ChatInput,
      ...(command.guildId !== undefined && { guild_id: command.guildId }),
      options: command.options,
      ...(command.attachments !== undefined && { resolved: { attachments: command.attachments } }),
    },
  };
}

/**
 * Puts options under a subcommand as Discord sends them: one option of type Subcommand
 * holding the rest. The subcommand's declared options decide their types.
 */
export function nestInSubcommand(
  subcommand: string | undefined,
  build: (declared: APIApplicationCommand | undefined) => APIApplicationCommandInteractionDataOption[],
  command: APIApplicationCommand | undefined,
): APIApplicationCommandInteractionDataOption[] {
  if (subcommand === undefined) return build(command);
  const declared = command?.options?.find((option) => option.name === subcommand && option.type === ApplicationCommandOptionType.Subcommand) as
    | { options?: APIApplicationCommand['options'] }
    | undefined;
  const inner = build(command && { ...command, options: declared?.options ?? [] });
  return [{ type: ApplicationCommandOptionType.Subcommand, name: subcommand, options: inner as APIApplicationCommandInteractionDataBasicOption[] }];
}

/** An attachment as Discord describes it in `resolved.attachments`. */
export function buildAttachment(input: { id: string; filename: string; size: number; url: string; contentType?: string }): APIAttachment {
  return {
    id: input.id,
    filename: input.filename,
    size: input.size,
    url: input.url,
    proxy_url: input.url,
    ...(input.contentType !== undefined && { content_type: input.contentType }),
  };
}

/**
 * Builds an autocomplete interaction, type 4: exactly one option is `focused` — or none
 * when `focused` is null, which Discord never sends but a hostile or broken client might.
 */
export function buildAutocompleteInteraction(
  context: InteractionContext,
  command: {
    id: string;
    name: string;
    guildId?: string;
    focused: string | null;
    value: string;
    focusedType: ApplicationCommandOptionType;
    options: APIApplicationCommandInteractionDataOption[];
  },
): APIApplicationCommandAutocompleteGuildInteraction {
  // Discord sends the focused option's partial input as typed; for the string
  // options autocomplete is mostly used with, that is the raw text.
  const focusedOption = {
    name: command.focused,
    type: command.focusedType,
    value: command.value,
    focused: true,
  } as APIApplicationCommandInteractionDataBasicOption;
  return {
    ...buildInteractionBase(context),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: {
      id: command.id,
      name: command.name,
      type: ApplicationCommandType.ChatInput,
      ...(command.guildId !== undefined && { guild_id: command.guildId }),
      options: [...command.options.filter((option) => option.name !== command.focused), ...(command.focused === null ? [] : [focusedOption])],
    },
  };
}

/**
 * Builds a context-menu command interaction, type 2: a user command (on `target`, a
 * user) or a message command (on `target`, a message), with the target resolved as
 * Discord sends it.
 */
export function buildContextMenuInteraction(
  context: InteractionContext,
  command: { id: string; name: string; target: { user: APIUser } | { message: APIMessage } },
): APIUserApplicationCommandGuildInteraction | APIMessageApplicationCommandGuildInteraction {
  const base = { ...buildInteractionBase(context), type: InteractionType.ApplicationCommand as const };
  if ('user' in command.target) {
    const { user } = command.target;
    return { ...base, data: { id: command.id, name: command.name, type: ApplicationCommandType.User, target_id: user.id, resolved: { users: { [user.id]: user } } } };
  }
  const { message } = command.target;
  return { ...base, data: { id: command.id, name: command.name, type: ApplicationCommandType.Message, target_id: message.id, resolved: { messages: { [message.id]: message } } } };
}

/** Builds a string select menu interaction, type 3, on `message` (which must carry the menu). */
export function buildSelectMenuInteraction(
  context: InteractionContext,
  input: { customId: string; values: string[]; message: APIMessage },
): APIMessageComponentGuildInteraction {
  return {
    ...buildInteractionBase(context),
    type: InteractionType.MessageComponent,
    message: input.message,
    data: { custom_id: input.customId, component_type: ComponentType.StringSelect, values: input.values },
  };
}

/** An action row holding one string select menu. */
export function buildSelectMenuRow(customId: string): APIMessageTopLevelComponent {
  return {
    type: ComponentType.ActionRow,
    components: [{ type: ComponentType.StringSelect, custom_id: customId, options: [{ label: 'One', value: 'one' }] }],
  };
}

/** Builds a modal submission, type 5: a form with one text field, filled in with `text`. */
export function buildModalSubmitInteraction(context: InteractionContext, input: { customId: string; text: string }): APIModalSubmitGuildInteraction {
  return {
    ...buildInteractionBase(context),
    type: InteractionType.ModalSubmit,
    data: {
      custom_id: input.customId,
      components: [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.TextInput, custom_id: 'text', value: input.text }] }],
    },
  };
}

/** Builds a button interaction, type 3, on `message` (which must carry the button). */
export function buildButtonInteraction(
  context: InteractionContext,
  input: { customId: string; message: APIMessage },
): APIMessageComponentGuildInteraction {
  return {
    ...buildInteractionBase(context),
    type: InteractionType.MessageComponent,
    message: input.message,
    data: { custom_id: input.customId, component_type: ComponentType.Button },
  };
}

/** An action row holding one button, for a message a button interaction can come from. */
export function buildButtonRow(customId: string, label: string): APIMessageTopLevelComponent {
  return {
    type: ComponentType.ActionRow,
    components: [{ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: customId, label }],
  };
}
