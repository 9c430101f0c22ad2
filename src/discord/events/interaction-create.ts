import { type ButtonInteraction, type Client, Events, type Interaction, MessageFlags, type RepliableInteraction } from 'discord.js';
import { resolveSource } from '../../answering/resolve-source.js';
import { isUserError } from '../../errors.js';
import { renderNotice, renderPassageDiscord } from '../../render/render-discord.js';
import type { BotContext } from '../bot-context.js';
import { commands } from '../commands/command-list.js';

const GENERIC_FAILURE = 'Sorry — something went wrong on my side while handling that. It has been logged; please try again.';
const RESTARTING = "I'm restarting — please try again in a minute.";
const byName = new Map(commands.map((command) => [command.data.name, command]));

/**
 * Routes every interaction: slash commands, autocomplete, and the answer buttons.
 * A UserError becomes a polite ephemeral reply; anything else is logged with the
 * command's name and answered generically, so no interaction is left unanswered.
 */
export function handleInteractions(client: Client, context: BotContext): void {
  client.on(Events.InteractionCreate, (interaction) => {
    if (context.stopping) {
      if (interaction.isRepliable()) void replyEphemeral(interaction, RESTARTING, describe(interaction), context);
      return;
    }
    void context.inFlight.track(routeInteraction(interaction, context));
  });
}

async function routeInteraction(interaction: Interaction, context: BotContext): Promise<void> {
  const label = describe(interaction);
  try {
    if (interaction.isChatInputCommand()) {
      const command = byName.get(interaction.commandName);
      if (!command) throw new Error(`discord: no handler for /${interaction.commandName}`);
      await command.execute(interaction, context);
    } else if (interaction.isAutocomplete()) {
      // Over the user's budget: answered at once with no choices, so no keystroke waits or goes unanswered.
      if (context.suggestionLimiter.check(interaction.user.id) > 0) await interaction.respond([]);
      else await byName.get(interaction.commandName)?.autocomplete?.(interaction, context);
    } else if (interaction.isButton()) {
      await handleButton(interaction, context);
    }
  } catch (error) {
    if (interaction.isAutocomplete()) {
      context.log.error(`discord: ${label} autocomplete failed`, error);
      await interaction.respond([]).catch(() => {});
      return;
    }
    if (!interaction.isRepliable()) return;
    if (isUserError(error)) {
      await replyEphemeral(interaction, error.message, label, context);
    } else {
      context.log.error(`discord: ${label} failed`, error);
      await replyEphemeral(interaction, GENERIC_FAILURE, label, context);
    }
  }
}

async function handleButton(interaction: ButtonInteraction, context: BotContext): Promise<void> {
  const [kind, answerId, value] = interaction.customId.split(':');
  // Memory first; after a restart the question log still has the answer.
  const answer = answerId ? (context.answers.get(answerId) ?? context.questionLog.findAnswer(answerId)) : undefined;
  if (!answer) {
    await replyEphemeral(interaction, 'I no longer have that answer (it is older than the question log keeps, or the log is off). Use `/source` with a passage id, or ask again.', describe(interaction), context);
    return;
  }
  if (kind === 'source') {
    const passage = resolveSource(context.engine, value ?? '', answer);
    await interaction.reply({ ...renderPassageDiscord(passage), flags: MessageFlags.Ephemeral });
  } else if (kind === 'vote' && (value === 'up' || value === 'down')) {
    context.questionLog.recordVote(answerId!, interaction.user.id, value);
    await replyEphemeral(interaction, value === 'up' ? 'Thanks — recorded 👍.' : 'Thanks — recorded 👎. It helps us improve.', describe(interaction), context);
  } else {
    throw new Error(`discord: unknown button ${interaction.customId}`);
  }
}

/**
 * Replies, edits the deferred reply, or follows up — whichever the interaction still
 * allows. When Discord refuses (the token expired, Discord is down) the user cannot be
 * told, so the log is: what they should have read, and why it did not arrive.
 */
async function replyEphemeral(interaction: RepliableInteraction, text: string, label: string, context: BotContext): Promise<void> {
  const payload = renderNotice(text);
  try {
    if (interaction.deferred && !interaction.replied) await interaction.editReply(payload);
    else if (interaction.replied) await interaction.followUp({ ...payload, flags: MessageFlags.Ephemeral });
    else await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
  } catch (error) {
    context.log.error(`discord: ${label}: Discord refused the reply "${text}"`, error);
  }
}

function describe(interaction: Interaction): string {
  if (interaction.isChatInputCommand() || interaction.isAutocomplete()) return `/${interaction.commandName}`;
  if (interaction.isButton()) return `button ${interaction.customId.split(':')[0]}`;
  return `interaction type ${interaction.type}`;
}

