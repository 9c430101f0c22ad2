/**
 * The fake REST API (`/api/v10/…`): the routes a Discord bot built on discord.js
 * calls, answered with the status codes and JSON bodies Discord uses — including
 * its refusals (unknown interaction, already acknowledged, empty message, invalid
 * form body), because a bot is only tested if those can happen.
 */
import type { IncomingHttpHeaders } from 'node:http';
import {
  ApplicationCommandType,
  ChannelType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import type {
  APIApplicationCommand,
  APIAttachment,
  APIEmbed,
  APIMessage,
  APIMessageInteractionMetadata,
  APIMessageTopLevelComponent,
  RESTPostAPIInteractionCallbackWithResponseResult,
} from 'discord.js';
import type { FakeGateway } from './gateway.js';
import { buildGuild, buildMessage, buildThreadChannel, createSnowflake, type FakeChannel } from './payloads.js';
import {
  DiscordErrorCode,
  findAutocompleteIssues,
  findCommandIssues,
  findMessageIssues,
  findThreadIssues,
  isEmptyMessage,
  isRecord,
  toInvalidFormBody,
  type DiscordErrorBody,
  type FormIssue,
} from './validation.js';
import type { FakeWorld, InteractionState } from './world.js';

/** A file uploaded in a multipart/form-data request (`files[n]` parts). */
export interface RecordedFile {
  /** The form field, e.g. `files[0]`. */
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** A REST request as the routes see it: path decoded and without `/api/v10`. */
export interface RestRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON; for multipart requests the parsed `payload_json` part; undefined without a body. */
  body: unknown;
  files: RecordedFile[];
  headers: IncomingHttpHeaders;
}

/** What a route answers; `after` runs once the response has been written (gateway echoes). */
export interface RestReply {
  status: number;
  body?: unknown;
  /** Extra response headers (rate-limit headers on a 429). */
  headers?: Record<string, string>;
  after?: () => void;
}

/** Options of the REST half, filled in by `startFakeDiscord`. */
export interface FakeRestOptions {
  /** When set, authenticated routes need `Authorization: Bot <token>`. */
  token: string | undefined;
  /** Discord's window to acknowledge an interaction; 0 or less disables it. */
  interactionAckTimeoutMs: number;
  /** Whether messages the bot creates come back over the gateway as MESSAGE_CREATE. */
  echoBotMessages: boolean;
  /** How long an interaction token works on the webhook routes, on the `now` clock. */
  interactionTokenLifetimeMs: number;
  /** The fake's clock (real time plus what `advanceTime` added). */
  now: () => number;
  /** Every application route answers 404 Unknown Application. */
  applicationMissing: boolean;
  /** The shard count `GET /gateway/bot` recommends. */
  shards: number;
  gatewayUrl: () => string;
  baseUrl: () => string;
}

interface RouteContext extends RestRequest {
  param(name: string): string;
}

interface Route {
  method: string;
  segments: string[];
  /** Whether Discord requires the bot token on this route. Interaction and webhook routes do not. */
  auth: boolean;
  handle: (context: RouteContext) => RestReply;
}

const json = (status: number, body: unknown): RestReply => ({ status, body });

/** Tells a refusal from the value a helper otherwise returns (a message, an interaction…). */
function isReply(value: RestReply | object): value is RestReply {
  return 'status' in value && typeof value.status === 'number';
}
const noContent = (): RestReply => ({ status: 204 });

function discordError(status: number, code: number, message: string): RestReply {
  const body: DiscordErrorBody = { message, code };
  return json(status, body);
}

function invalidForm(issues: readonly FormIssue[]): RestReply {
  return json(400, toInvalidFormBody(issues));
}

const unknownChannel = (): RestReply => discordError(404, DiscordErrorCode.UnknownChannel, 'Unknown Channel');
const unknownMessage = (): RestReply => discordError(404, DiscordErrorCode.UnknownMessage, 'Unknown Message');
const unknownWebhook = (): RestReply => discordError(404, DiscordErrorCode.UnknownWebhook, 'Unknown Webhook');
const invalidWebhookToken = (): RestReply =>
  discordError(401, DiscordErrorCode.InvalidWebhookToken, 'Invalid Webhook Token');
const unknownInteraction = (): RestReply =>
  discordError(404, DiscordErrorCode.UnknownInteraction, 'Unknown interaction');
const emptyMessage = (): RestReply =>
  discordError(400, DiscordErrorCode.CannotSendEmptyMessage, 'Cannot send an empty message');

/** Message flags a sender may set; Discord ignores the rest. Ephemeral only on interaction responses. */
const SETTABLE_FLAGS = MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2;

/** Which callback types each interaction type accepts. */
const ALLOWED_CALLBACKS: Partial<Record<InteractionType, readonly InteractionResponseType[]>> = {
  [InteractionType.ApplicationCommand]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.Modal,
  ],
  [InteractionType.MessageComponent]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
    InteractionResponseType.Modal,
  ],
  [InteractionType.ApplicationCommandAutocomplete]: [InteractionResponseType.ApplicationCommandAutocompleteResult],
  [InteractionType.ModalSubmit]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
  ],
};

/**
 * Builds the request handler: matches a route, checks authentication, runs it.
 * Unknown routes answer 404 `{ message: 'Unknown route', code: 0 }`, as Discord does.
 */
export function createRestApi(
  world: FakeWorld,
  gateway: FakeGateway,
  options: FakeRestOptions,
): (request: RestRequest) => RestReply {
  const { applicationId, guildId } = world.identity;

  // ---- messages ----

  function attachmentsFrom(
    body: Record<string, unknown>,
    files: readonly RecordedFile[],
    channelId: string,
  ): APIAttachment[] {
    const descriptors = Array.isArray(body['attachments']) ? body['attachments'].filter(isRecord) : [];
    return files.map((file) => {
      const index = /^files\[(\d+)\]$/.exec(file.field)?.[1];
      const descriptor = descriptors.find((entry) => String(entry['id']) === index);
      const id = createSnowflake();
      const url = `${options.baseUrl()}/attachments/${channelId}/${id}/${encodeURIComponent(file.filename)}`;
      const attachment: APIAttachment = {
        id,
        filename: file.filename,
        size: file.data.length,
        url,
        proxy_url: url,
        content_type: file.contentType,
      };
      if (typeof descriptor?.['description'] === 'string') attachment.description = descriptor['description'];
      return attachment;
    });
  }

  /** Checks a message body; returns the refusal, or null when Discord would accept it. */
  function refuseMessageBody(body: unknown, files: readonly RecordedFile[]): RestReply | null {
    if (!isRecord(body)) return files.length > 0 ? null : emptyMessage();
    const issues = findMessageIssues(body);
    if (issues.length > 0) return invalidForm(issues);
    const attachments = files.length > 0 ? files : body['attachments'];
    if (isEmptyMessage({ ...body, attachments })) return emptyMessage();
    return null;
  }

  function createMessageFromBody(
    body: Record<string, unknown>,
    files: readonly RecordedFile[],
    base: {
      channelId: string;
      flags: number;
      type?: MessageType;
      webhook?: boolean;
      interactionMetadata?: APIMessageInteractionMetadata;
    },
  ): APIMessage {
    const content = typeof body['content'] === 'string' ? body['content'] : '';
    const reference = isRecord(body['message_reference']) ? body['message_reference'] : undefined;
    const referencedId = typeof reference?.['message_id'] === 'string' ? reference['message_id'] : undefined;
    const message = buildMessage({
      channelId: base.channelId,
      author: world.botUser,
      content,
      embeds: Array.isArray(body['embeds']) ? (body['embeds'] as APIEmbed[]) : [],
      components: Array.isArray(body['components']) ? (body['components'] as APIMessageTopLevelComponent[]) : [],
      attachments: attachmentsFrom(body, files, base.channelId),
      flags: base.flags,
      type: referencedId !== undefined ? MessageType.Reply : (base.type ?? MessageType.Default),
      mentions: world.mentionedUsers(content, body['allowed_mentions']),
      ...(base.webhook === true && { webhookId: applicationId, applicationId }),
      ...(base.interactionMetadata !== undefined && { interactionMetadata: base.interactionMetadata }),
      ...(referencedId !== undefined && {
        messageReference: { message_id: referencedId, channel_id: base.channelId, guild_id: guildId },
        referencedMessage: world.messages.get(referencedId) ?? null,
      }),
    });
    return world.storeMessage(message);
  }

  /** Applies an edit body to a stored message; returns the refusal or the edited message. */
  function editMessage(message: APIMessage, body: unknown, files: readonly RecordedFile[]): RestReply | APIMessage {
    if (!isRecord(body)) return json(200, message);
    const issues = findMessageIssues(body);
    if (issues.length > 0) return invalidForm(issues);
    const edited: APIMessage = { ...message };
    if ('content' in body) edited.content = typeof body['content'] === 'string' ? body['content'] : '';
    if ('embeds' in body) edited.embeds = Array.isArray(body['embeds']) ? (body['embeds'] as APIEmbed[]) : [];
    if ('components' in body) {
      const components = body['components'];
      edited.components = Array.isArray(components) ? (components as APIMessageTopLevelComponent[]) : [];
    }
    if ('attachments' in body || files.length > 0) {
      const kept = Array.isArray(body['attachments'])
        ? body['attachments'].filter(isRecord).map((entry) => String(entry['id']))
        : message.attachments.map((attachment) => attachment.id);
      edited.attachments = [
        ...message.attachments.filter((attachment) => kept.includes(attachment.id)),
        ...attachmentsFrom(body, files, message.channel_id),
      ];
    }
    if ('allowed_mentions' in body || 'content' in body) {
      edited.mentions = world.mentionedUsers(edited.content, body['allowed_mentions']);
    }
    const wasLoading = ((message.flags ?? 0) & MessageFlags.Loading) !== 0;
    let flags = (message.flags ?? 0) & ~MessageFlags.Loading;
    if (typeof body['flags'] === 'number') {
      flags = (flags & ~MessageFlags.SuppressEmbeds) | (body['flags'] & MessageFlags.SuppressEmbeds);
    }
    edited.flags = flags;
    if (isEmptyMessage(edited)) return emptyMessage();
    // Filling in a deferred ("thinking…") response is its first content, not an edit.
    if (!wasLoading) edited.edited_timestamp = new Date().toISOString();
    world.messages.set(edited.id, edited);
    return edited;
  }

  /** Echoes a message the bot created over the gateway, as Discord does for non-ephemeral messages. */
  function echo(message: APIMessage): (() => void) | undefined {
    if (!options.echoBotMessages || ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0) return undefined;
    return () => {
      gateway.dispatchMessageCreate(message, world.memberWithoutUser(message.author.id));
    };
  }

  function channelOf(channelId: string): FakeChannel | undefined {
    return world.channels.get(channelId);
  }

  // ---- interactions ----

  function isExpired(state: InteractionState): boolean {
    return options.interactionAckTimeoutMs > 0 && Date.now() - state.receivedAtMs > options.interactionAckTimeoutMs;
  }

  function interactionMetadata(state: InteractionState, isFollowUp: boolean): APIMessageInteractionMetadata {
    const { payload } = state;
    const base = {
      id: payload.id,
      user: payload.member.user,
      authorizing_integration_owners: payload.authorizing_integration_owners,
      ...(isFollowUp && state.originalMessageId !== null && { original_response_message_id: state.originalMessageId }),
    };
    if (payload.type === InteractionType.MessageComponent) {
      return { ...base, type: InteractionType.MessageComponent, interacted_message_id: payload.message.id };
    }
    if (payload.type === InteractionType.ModalSubmit) {
      // The fake does not track which command opened the form; a command it is.
      return { ...base, type: InteractionType.ModalSubmit, triggering_interaction_metadata: { ...base, type: InteractionType.ApplicationCommand } };
    }
    return { ...base, type: InteractionType.ApplicationCommand };
  }

  function interactionMessageType(state: InteractionState): MessageType {
    return state.payload.type === InteractionType.ApplicationCommand
      ? MessageType.ChatInputCommand
      : MessageType.Default;
  }

  function callbackFlags(data: unknown): number {
    const flags = isRecord(data) && typeof data['flags'] === 'number' ? data['flags'] : 0;
    return flags & (SETTABLE_FLAGS | MessageFlags.Ephemeral);
  }

  function interactionCallback(context: RouteContext): RestReply {
    const state = world.interactions.get(context.param('interactionId'));
    if (!state || state.payload.token !== context.param('token')) return unknownInteraction();
    if (state.response !== null) {
      const code = DiscordErrorCode.InteractionAlreadyAcknowledged;
      return discordError(400, code, 'Interaction has already been acknowledged.');
    }
    if (isExpired(state)) return unknownInteraction();
    const body = context.body;
    if (!isRecord(body) || typeof body['type'] !== 'number') {
      return invalidForm([{ path: ['type'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
    }
    const type = body['type'] as InteractionResponseType;
    const allowed = ALLOWED_CALLBACKS[state.payload.type] ?? [];
    if (!allowed.includes(type)) {
      return invalidForm([
        { path: ['type'], code: 'BASE_TYPE_CHOICES', message: `Value must be one of {${allowed.join(', ')}}.` },
      ]);
    }
    const data = body['data'];
    let message: APIMessage | undefined;
    let after: (() => void) | undefined;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource: {
        const refusal = refuseMessageBody(data, context.files);
        if (refusal) return refusal;
        message = createMessageFromBody(isRecord(data) ? data : {}, context.files, {
          channelId: state.channelId,
          flags: callbackFlags(data),
          type: interactionMessageType(state),
          webhook: true,
          interactionMetadata: interactionMetadata(state, false),
        });
        after = echo(message);
        break;
      }
      case InteractionResponseType.DeferredChannelMessageWithSource: {
        // The "Bot is thinking…" placeholder that `@original` edits fill in.
        message = world.storeMessage(
          buildMessage({
            channelId: state.channelId,
            author: world.botUser,
            flags: callbackFlags(data) | MessageFlags.Loading,
            type: interactionMessageType(state),
            webhookId: applicationId,
            applicationId,
            interactionMetadata: interactionMetadata(state, false),
          }),
        );
        after = echo(message);
        break;
      }
      case InteractionResponseType.DeferredMessageUpdate:
      case InteractionResponseType.UpdateMessage: {
        if (state.payload.type !== InteractionType.MessageComponent) return unknownInteraction();
        const target = world.messages.get(state.payload.message.id) ?? state.payload.message;
        message = target;
        if (type === InteractionResponseType.UpdateMessage) {
          const edited = editMessage(target, data, context.files);
          if (isReply(edited)) return edited;
          message = edited;
        }
        break;
      }
      case InteractionResponseType.ApplicationCommandAutocompleteResult: {
        const issues = findAutocompleteIssues(data);
        if (issues.length > 0) return invalidForm(issues);
        break;
      }
      default:
        break;
    }
    state.response = type;
    state.responseData = data;
    if (message) state.originalMessageId = message.id;
    if (context.query['with_response'] !== 'true') return { status: 204, ...(after && { after }) };
    const result: RESTPostAPIInteractionCallbackWithResponseResult = {
      interaction: {
        id: state.payload.id,
        type: state.payload.type,
        ...(message && {
          response_message_id: message.id,
          response_message_loading: ((message.flags ?? 0) & MessageFlags.Loading) !== 0,
          response_message_ephemeral: ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
        }),
      },
      resource: { type, ...(message && { message }) },
    };
    return { status: 200, body: result, ...(after && { after }) };
  }

  /** The interaction behind a webhook route, or the refusal Discord gives for it. */
  function webhookInteraction(context: RouteContext): InteractionState | RestReply {
    if (context.param('applicationId') !== applicationId) return unknownWebhook();
    const state = world.interactionByToken(context.param('token'));
    // The interaction webhook exists only once the interaction has been acknowledged.
    if (!state || state.response === null) return unknownWebhook();
    if (options.now() - state.receivedAtMs > options.interactionTokenLifetimeMs) return invalidWebhookToken();
    return state;
  }

  function webhookMessage(context: RouteContext): { state: InteractionState; message: APIMessage } | RestReply {
    const state = webhookInteraction(context);
    if (isReply(state)) return state;
    const requested = context.param('messageId');
    const id = requested === '@original' ? state.originalMessageId : requested;
    if (id === null || (id !== state.originalMessageId && !state.followUpIds.has(id))) return unknownMessage();
    const message = world.messages.get(id);
    return message ? { state, message } : unknownMessage();
  }

  function followUp(context: RouteContext): RestReply {
    const state = webhookInteraction(context);
    if (isReply(state)) return state;
    const refusal = refuseMessageBody(context.body, context.files);
    if (refusal) return refusal;
    const body = isRecord(context.body) ? context.body : {};
    const message = createMessageFromBody(body, context.files, {
      channelId: state.channelId,
      flags: callbackFlags(body),
      type: interactionMessageType(state),
      webhook: true,
      interactionMetadata: interactionMetadata(state, true),
    });
    state.followUpIds.add(message.id);
    const after = echo(message);
    return { status: context.query['wait'] === 'true' ? 200 : 204, body: message, ...(after && { after }) };
  }

  // ---- commands ----

  function overwriteCommands(
    existing: readonly APIApplicationCommand[],
    body: unknown,
    scope: { guildId?: string },
  ): RestReply | APIApplicationCommand[] {
    const issues = findCommandIssues(body);
    if (issues.length > 0) return invalidForm(issues);
    const commands = (body as Record<string, unknown>[]).map((input): APIApplicationCommand => {
      const type = (input['type'] as ApplicationCommandType | undefined) ?? ApplicationCommandType.ChatInput;
      const name = String(input['name']);
      // Discord keeps a command's id when an overwrite keeps its name and type.
      const previous = existing.find((command) => command.name === name && command.type === type);
      return {
        ...(input as Partial<APIApplicationCommand>),
        id: previous?.id ?? createSnowflake(),
        application_id: applicationId,
        ...(scope.guildId !== undefined && { guild_id: scope.guildId }),
        version: createSnowflake(),
        type,
        name,
        description: typeof input['description'] === 'string' ? input['description'] : '',
        default_member_permissions:
          typeof input['default_member_permissions'] === 'string' ? input['default_member_permissions'] : null,
        nsfw: input['nsfw'] === true,
      };
    });
    return commands;
  }

  function checkGuild(context: RouteContext): RestReply | null {
    if (context.param('guildId') === guildId) return null;
    return discordError(404, DiscordErrorCode.UnknownGuild, 'Unknown Guild');
  }

  function checkApplication(context: RouteContext): RestReply | null {
    if (options.applicationMissing) return discordError(404, DiscordErrorCode.UnknownApplication, 'Unknown Application');
    if (context.param('applicationId') === applicationId) return null;
    const message = 'You are not authorized to perform this action on this application';
    return discordError(403, DiscordErrorCode.NotAuthorizedForApplication, message);
  }

  // ---- threads ----

  function createThread(context: RouteContext, starter: APIMessage | null): RestReply {
    const parent = channelOf(context.param('channelId'));
    if (!parent) return unknownChannel();
    if (parent.type !== ChannelType.GuildText) {
      const code = DiscordErrorCode.CannotExecuteOnChannelType;
      return discordError(400, code, 'Cannot execute action on this channel type');
    }
    const body = isRecord(context.body) ? context.body : {};
    const issues = findThreadIssues(body);
    if (issues.length > 0) return invalidForm(issues);
    if (starter && world.channels.has(starter.id)) {
      const code = DiscordErrorCode.ThreadAlreadyCreatedForMessage;
      return discordError(400, code, 'A thread has already been created for this message');
    }
    const requestedType = body['type'];
    const thread = buildThreadChannel({
      // A thread started from a message takes the message's id.
      id: starter?.id ?? createSnowflake(),
      guildId,
      parentId: parent.id,
      ownerId: world.botUser.id,
      name: String(body['name']),
      // Without a starter message Discord makes a private thread unless asked otherwise.
      type:
        starter !== null || requestedType === ChannelType.PublicThread
          ? ChannelType.PublicThread
          : ChannelType.PrivateThread,
      autoArchiveDuration:
        typeof body['auto_archive_duration'] === 'number'
          ? (body['auto_archive_duration'] as ThreadAutoArchiveDuration)
          : (parent.default_auto_archive_duration ?? ThreadAutoArchiveDuration.OneDay),
      now: new Date(),
    });
    world.channels.set(thread.id, thread);
    if (starter) {
      world.messages.set(starter.id, { ...starter, thread, flags: (starter.flags ?? 0) | MessageFlags.HasThread });
    }
    const event = { ...thread, newly_created: true };
    return {
      status: 201,
      body: thread,
      after: () => {
        gateway.dispatchPerSession(GatewayDispatchEvents.ThreadCreate, ({ intents }) =>
          (intents & GatewayIntentBits.Guilds) !== 0 ? event : undefined,
        );
      },
    };
  }

  // ---- the route table ----

  const routes: Route[] = [];
  const route = (method: string, template: string, auth: boolean, handle: Route['handle']): void => {
    routes.push({ method, segments: template.split('/').filter(Boolean), auth, handle });
  };

  route('GET', '/gateway', false, () => json(200, { url: options.gatewayUrl() }));
  route('GET', '/gateway/bot', true, () =>
    json(200, {
      url: options.gatewayUrl(),
      shards: options.shards,
      // A bot big enough to be sharded may identify that many shards at once.
      session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: options.shards },
    }),
  );

  route('GET', '/applications/@me', true, () => json(200, world.application()));
  route('GET', '/oauth2/applications/@me', true, () => json(200, world.application()));
  route('GET', '/applications/:applicationId/commands', true, (context) =>
    checkApplication(context) ?? json(200, world.globalCommands),
  );
  route('PUT', '/applications/:applicationId/commands', true, (context) => {
    const refusal = checkApplication(context);
    if (refusal) return refusal;
    const result = overwriteCommands(world.globalCommands, context.body, {});
    if (!Array.isArray(result)) return result;
    world.globalCommands = result;
    return json(200, result);
  });
  route('GET', '/applications/:applicationId/guilds/:guildId/commands', true, (context) =>
    checkApplication(context) ?? checkGuild(context) ?? json(200, world.guildCommands),
  );
  route('PUT', '/applications/:applicationId/guilds/:guildId/commands', true, (context) => {
    const refusal = checkApplication(context) ?? checkGuild(context);
    if (refusal) return refusal;
    const result = overwriteCommands(world.guildCommands, context.body, { guildId });
    if (!Array.isArray(result)) return result;
    world.guildCommands = result;
    return json(200, result);
  });

  route('GET', '/users/@me', true, () => json(200, world.botUser));
  route('GET', '/users/:userId', true, (context) => {
    const user = world.users.get(context.param('userId'));
    return user ? json(200, user) : discordError(404, DiscordErrorCode.UnknownUser, 'Unknown User');
  });

  route('GET', '/guilds/:guildId', true, (context) => checkGuild(context) ?? json(200, buildGuild(world.guildShape())));
  route('GET', '/guilds/:guildId/channels', true, (context) =>
    // Threads are not guild channels in this listing, as on Discord.
    checkGuild(context) ??
    json(
      200,
      [...world.channels.values()].filter((channel) => channel.type === ChannelType.GuildText),
    ),
  );
  route('GET', '/guilds/:guildId/roles', true, (context) => checkGuild(context) ?? json(200, world.guildShape().roles));
  route('GET', '/guilds/:guildId/members/:userId', true, (context) => {
    const refusal = checkGuild(context);
    if (refusal) return refusal;
    const member = world.members.get(context.param('userId'));
    return member ? json(200, member) : discordError(404, DiscordErrorCode.UnknownMember, 'Unknown Member');
  });

  route('GET', '/channels/:channelId', true, (context) => {
    const channel = channelOf(context.param('channelId'));
    return channel ? json(200, channel) : unknownChannel();
  });
  route('POST', '/channels/:channelId/typing', true, (context) =>
    channelOf(context.param('channelId')) ? noContent() : unknownChannel(),
  );
  route('GET', '/channels/:channelId/messages', true, (context) => {
    const channelId = context.param('channelId');
    if (!channelOf(channelId)) return unknownChannel();
    const limit = Math.min(Math.max(Number(context.query['limit'] ?? 50) || 50, 1), 100);
    const { before, after } = context.query;
    const notSnowflakes = (['before', 'after'] as const).flatMap((field) => {
      const value = context.query[field];
      return value === undefined || /^\d{1,20}$/.test(value)
        ? []
        : [{ path: [field], code: 'NUMBER_TYPE_COERCE', message: `Value "${value}" is not snowflake.` }];
    });
    if (notSnowflakes.length > 0) return invalidForm(notSnowflakes);
    const messages = world
      .channelMessages(channelId)
      .filter((message) => before === undefined || BigInt(message.id) < BigInt(before))
      .filter((message) => after === undefined || BigInt(message.id) > BigInt(after));
    // With `after`, Discord returns the oldest messages after it (still newest first).
    return json(200, after !== undefined ? messages.slice(-limit) : messages.slice(0, limit));
  });
  route('POST', '/channels/:channelId/messages', true, (context) => {
    const channelId = context.param('channelId');
    if (!channelOf(channelId)) return unknownChannel();
    const refusal = refuseMessageBody(context.body, context.files);
    if (refusal) return refusal;
    const body = isRecord(context.body) ? context.body : {};
    const flags = typeof body['flags'] === 'number' ? body['flags'] & SETTABLE_FLAGS : 0;
    const message = createMessageFromBody(body, context.files, { channelId, flags });
    const after = echo(message);
    return { status: 200, body: message, ...(after && { after }) };
  });
  route('GET', '/channels/:channelId/messages/:messageId', true, (context) => {
    const message = world.messages.get(context.param('messageId'));
    return message && message.channel_id === context.param('channelId') ? json(200, message) : unknownMessage();
  });
  route('PATCH', '/channels/:channelId/messages/:messageId', true, (context) => {
    const message = world.messages.get(context.param('messageId'));
    if (!message || message.channel_id !== context.param('channelId')) return unknownMessage();
    if (message.author.id !== world.botUser.id) {
      const code = DiscordErrorCode.CannotEditOtherUsersMessage;
      return discordError(403, code, 'Cannot edit a message authored by another user');
    }
    const edited = editMessage(message, context.body, context.files);
    return isReply(edited) ? edited : json(200, edited);
  });
  route('DELETE', '/channels/:channelId/messages/:messageId', true, (context) => {
    const message = world.messages.get(context.param('messageId'));
    if (!message || message.channel_id !== context.param('channelId')) return unknownMessage();
    world.messages.delete(message.id);
    return noContent();
  });
  route('PUT', '/channels/:channelId/messages/:messageId/reactions/:emoji/@me', true, (context) =>
    world.messages.has(context.param('messageId')) ? noContent() : unknownMessage(),
  );
  route('POST', '/channels/:channelId/messages/:messageId/threads', true, (context) => {
    const starter = world.messages.get(context.param('messageId'));
    if (!starter || starter.channel_id !== context.param('channelId')) return unknownMessage();
    return createThread(context, starter);
  });
  route('POST', '/channels/:channelId/threads', true, (context) => createThread(context, null));
  route('PUT', '/channels/:channelId/thread-members/@me', true, (context) =>
    channelOf(context.param('channelId')) ? noContent() : unknownChannel(),
  );

  route('POST', '/interactions/:interactionId/:token/callback', false, interactionCallback);
  route('POST', '/webhooks/:applicationId/:token', false, followUp);
  route('GET', '/webhooks/:applicationId/:token/messages/:messageId', false, (context) => {
    const found = webhookMessage(context);
    return isReply(found) ? found : json(200, found.message);
  });
  route('PATCH', '/webhooks/:applicationId/:token/messages/:messageId', false, (context) => {
    const found = webhookMessage(context);
    if (isReply(found)) return found;
    const edited = editMessage(found.message, context.body, context.files);
    return isReply(edited) ? edited : json(200, edited);
  });
  route('DELETE', '/webhooks/:applicationId/:token/messages/:messageId', false, (context) => {
    const found = webhookMessage(context);
    if (isReply(found)) return found;
    world.messages.delete(found.message.id);
    return noContent();
  });

  function isAuthorized(headers: IncomingHttpHeaders): boolean {
    const header = headers.authorization;
    if (typeof header !== 'string' || !header.startsWith('Bot ')) return false;
    return options.token === undefined || header === `Bot ${options.token}`;
  }

  return (request) => {
    const segments = request.path.split('/').filter(Boolean);
    for (const candidate of routes) {
      if (candidate.method !== request.method || candidate.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const matches = candidate.segments.every((segment, index) => {
        const actual = segments[index] ?? '';
        if (segment.startsWith(':')) {
          params[segment.slice(1)] = actual;
          return true;
        }
        return segment === actual;
      });
      if (!matches) continue;
      if (candidate.auth && !isAuthorized(request.headers)) {
        return discordError(401, DiscordErrorCode.General, '401: Unauthorized');
      }
      const context: RouteContext = {
        ...request,
        param(name) {
          const value = params[name];
          if (value === undefined) {
            throw new Error(`fake-discord: route ${candidate.segments.join('/')} has no :${name}`);
          }
          return value;
        },
      };
      return candidate.handle(context);
    }
    return discordError(404, DiscordErrorCode.General, 'Unknown route');
  };
}
