import { type ButtonInteraction, type Client, DiscordjsErrorCodes, Events, type Interaction, MessageFlags, type RepliableInteraction } from 'discord.js';
import { resolveSource } from '../../answering/resolve-source.js';
import { isUserError, UserError, type UserErrorCode } from '../../errors.js';
import { type DiscordPayload, renderNotice, renderPassageDiscord, renderUserErrorDiscord } from '../../render/render-discord.js';
import { cutAtCharacters } from '../../text/cut-text.js';
import type { BotContext } from '../bot-context.js';
import { commands } from '../commands/command-list.js';

const GENERIC_FAILURE = 'Sorry — something went wrong on my side while handling that. It has been logged; please try again.';
const RESTARTING = "I'm restarting — please try again in a minute.";
const byName = new Map(commands.map((command) => [command.data.name, command]));

/**
 * Refusals of input the bot cannot act on — a command, button, menu or form it does not
 * have (an older deploy's registration, another app's, a hostile client's), or options it
 * cannot read. Answered politely like any UserError, and logged in one line: a stale
 * registration is the operator's to replace, and none of it is a bug worth a stack trace.
 */
const INPUT_REFUSALS: ReadonlySet<UserErrorCode> = new Set<UserErrorCode>(['unknown-interaction', 'invalid-options']);

/** What discord.js's own option getters throw for options that are not as registered. */
const OPTION_ERRORS: ReadonlySet<string> = new Set<string>([
  DiscordjsErrorCodes.CommandInteractionOptionNotFound,
  DiscordjsErrorCodes.CommandInteractionOptionType,
  DiscordjsErrorCodes.CommandInteractionOptionEmpty,
  DiscordjsErrorCodes.CommandInteractionOptionNoSubcommand,
  DiscordjsErrorCodes.CommandInteractionOptionNoSubcommandGroup,
  DiscordjsErrorCodes.AutocompleteInteractionOptionNoFocusedOption,
]);

/** User-controlled names (commands, custom ids) in log lines: one line, and not too long. */
const LOGGED_NAME_MAX_CHARS = 100;

/**
 * Routes every interaction: slash commands, autocomplete, and the answer buttons; anything
 * else (context-menu commands, menus, forms) gets "I don't know that". A UserError becomes
 * a polite ephemeral reply; anything else is logged with the command's name and answered
 * generically, so no interaction is left unanswered.
 */
export function handleInteractions(client: Client, context: BotContext): void {
  client.on(Events.InteractionCreate, (interaction) => {
    if (context.stopping) {
      void answerWhileStopping(interaction, context);
      return;
    }
    void context.inFlight.track(routeInteraction(interaction, context));
  });
}

async function answerWhileStopping(interaction: Interaction, context: BotContext): Promise<void> {
  if (interaction.isAutocomplete()) await interaction.respond([]).catch(() => {});
  else if (interaction.isRepliable()) await replyEphemeral(interaction, renderNotice(RESTARTING), describe(interaction), context);
}

async function routeInteraction(interaction: Interaction, context: BotContext): Promise<void> {
  const label = describe(interaction);
  try {
    if (interaction.isChatInputCommand()) {
      const command = byName.get(interaction.commandName);
      if (!command) throw new UserError('unknown-interaction', { what: `the command /${interaction.commandName}` });
      await command.execute(interaction, context);
    } else if (interaction.isAutocomplete()) {
      const command = byName.get(interaction.commandName);
      if (!command?.autocomplete) throw new UserError('unknown-interaction', { what: `autocomplete for /${interaction.commandName}` });
      // Over the user's budget: answered at once with no choices, so no keystroke waits or goes unanswered.
      if (context.suggestionLimiter.check(interaction.user.id) > 0) await interaction.respond([]);
      else await command.autocomplete(interaction, context);
    } else if (interaction.isButton()) {
      await handleButton(interaction, context);
    } else if (interaction.isCommand()) {
      // Context-menu (and entry-point) commands: this bot registers none.
      throw new UserError('unknown-interaction', { what: `the app command "${interaction.commandName}"` });
    } else if (interaction.isAnySelectMenu()) {
      throw new UserError('unknown-interaction', { what: 'that menu' });
    } else if (interaction.isModalSubmit()) {
      throw new UserError('unknown-interaction', { what: 'that form' });
    }
  } catch (error) {
    await answerFailure(interaction, error, label, context);
  }
}

async function answerFailure(interaction: Interaction, error: unknown, label: string, context: BotContext): Promise<void> {
  const refusal = asInputRefusal(error, interaction);
  if (refusal) context.log.info(`discord: ${label} from user ${interaction.user.id}: ${describeRefusal(interaction, refusal)}`);
  if (interaction.isAutocomplete()) {
    // Autocomplete shows no message: whatever went wrong, it gets no choices.
    if (!refusal) context.log.error(`discord: ${label} failed`, error);
    await interaction.respond([]).catch(() => {});
    return;
  }
  if (!interaction.isRepliable()) return;
  if (refusal) {
    await replyEphemeral(interaction, renderUserErrorDiscord(refusal), label, context);
  } else if (isUserError(error)) {
    await replyEphemeral(interaction, renderUserErrorDiscord(error), label, context);
  } else {
    context.log.error(`discord: ${label} failed`, error);
    await replyEphemeral(interaction, renderNotice(GENERIC_FAILURE), label, context);
  }
}

/** The error as a refusal of unusable input (discord.js's option errors included), or null when it is something else. */
function asInputRefusal(error: unknown, interaction: Interaction): UserError | null {
  if (isUserError(error)) return INPUT_REFUSALS.has(error.code) ? error : null;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && OPTION_ERRORS.has(code) && (interaction.isChatInputCommand() || interaction.isAutocomplete())) {
    return new UserError('invalid-options', { command: interaction.commandName, problem: (error as Error).message });
  }
  return null;
}

/** The log line's reason: what was refused, and what to make of it. */
function describeRefusal(interaction: Interaction, refusal: UserError): string {
  if (refusal.code === 'invalid-options') return `its options were not as registered (${toLogLine(String(refusal.params['problem']))}); answered politely`;
  if (interaction.isAutocomplete()) return 'no autocomplete of this bot (a stale registration or a hostile client); answered with no choices';
  const kind = interaction.isButton() ? 'button' : interaction.isAnySelectMenu() ? 'menu' : interaction.isModalSubmit() ? 'form' : 'command';
  const remedy = kind === 'command' ? '; `npm run deploy-commands` replaces an old registration' : '';
  return `not a ${kind} of this bot (a stale registration, another app or a hostile client); answered politely${remedy}`;
}

async function handleButton(interaction: ButtonInteraction, context: BotContext): Promise<void> {
  const [kind, answerId, value] = interaction.customId.split(':');
  // A command's own buttons (`documents:list:2`); answer buttons (`source:…`, `vote:…`) below.
  const owner = kind ? byName.get(kind) : undefined;
  if (owner?.button) return owner.button(interaction, context);
  const isSource = kind === 'source';
  const isVote = kind === 'vote' && (value === 'up' || value === 'down');
  if (!answerId || !(isSource || isVote)) throw new UserError('unknown-interaction', { what: 'that button' });
  // Memory first; after a restart the question log still has the answer.
  const answer = context.answers.get(answerId) ?? context.questionLog.findAnswer(answerId);
  if (!answer) {
    await replyEphemeral(interaction, renderNotice('I no longer have that answer (it is older than the question log keeps, or the log is off). Use `/source` with a passage id, or ask again.'), describe(interaction), context);
    return;
  }
  if (isSource) {
    const passage = resolveSource(context.engine, value ?? '', answer);
    await interaction.reply({ ...renderPassageDiscord(passage), flags: MessageFlags.Ephemeral });
  } else {
    context.questionLog.recordVote(answerId, interaction.user.id, value as 'up' | 'down');
    await replyEphemeral(interaction, renderNotice(value === 'up' ? 'Thanks — recorded 👍.' : 'Thanks — recorded 👎. It helps us improve.'), describe(interaction), context);
  }
}

/**
 * Replies, edits the deferred reply, or follows up — whichever the interaction still
 * allows. When Discord refuses (the token expired, Discord is down) the user cannot be
 * told, so the log is: what they should have read, and why it did not arrive.
 */
async function replyEphemeral(interaction: RepliableInteraction, payload: DiscordPayload, label: string, context: BotContext): Promise<void> {
  try {
    if (interaction.deferred && !interaction.replied) await interaction.editReply(payload);
    else if (interaction.replied) await interaction.followUp({ ...payload, flags: MessageFlags.Ephemeral });
    else await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
  } catch (error) {
    context.log.error(`discord: ${label}: Discord refused the reply "${payload.content ?? ''}"`, error);
  }
}

function describe(interaction: Interaction): string {
  if (interaction.isChatInputCommand()) return `/${toLogLine(interaction.commandName)}`;
  if (interaction.isAutocomplete()) return `/${toLogLine(interaction.commandName)} autocomplete`;
  if (interaction.isCommand()) return `app command "${toLogLine(interaction.commandName)}"`;
  if (interaction.isButton()) return `button ${toLogLine(interaction.customId.split(':')[0] ?? '')}`;
  if (interaction.isAnySelectMenu()) return `select menu ${toLogLine(interaction.customId)}`;
  if (interaction.isModalSubmit()) return `form ${toLogLine(interaction.customId)}`;
  return `interaction type ${(interaction as { type: number }).type}`;
}

/** A name someone else chose, fit for one log line: control characters as spaces, cut short. */
function toLogLine(text: string): string {
  return cutAtCharacters(text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' '), LOGGED_NAME_MAX_CHARS);
}
