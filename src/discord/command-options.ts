import type { AutocompleteInteraction, ChatInputCommandInteraction, CommandInteractionOption } from 'discord.js';
import { ApplicationCommandOptionType } from 'discord.js';
import { UserError } from '../errors.js';

/**
 * Reading slash-command options as they arrive, not as they were registered: a stale
 * registration (an older deploy) or a hostile client can leave an option out, send it
 * under another type, or put a number, an object or null where text belongs. Each
 * reader gives the value in the type the command expects, or throws the UserError
 * `invalid-options` naming what is wrong (answered politely, logged in one line).
 */

type WithOptions = ChatInputCommandInteraction | AutocompleteInteraction;

/** A required text option. */
export function requireText(interaction: WithOptions, name: string): string {
  const option = interaction.options.get(name);
  if (!option) throw invalidOptions(interaction, `"${name}" is missing`);
  return textOf(interaction, option);
}

/** An optional true/false option: null when absent. */
export function optionalBoolean(interaction: WithOptions, name: string): boolean | null {
  const option = interaction.options.get(name);
  if (!option) return null;
  if (option.type !== ApplicationCommandOptionType.Boolean || typeof option.value !== 'boolean') {
    throw invalidOptions(interaction, `"${name}" should be true or false`);
  }
  return option.value;
}

/** What the user has typed so far into the option autocomplete asks about (text options only). */
export function focusedText(interaction: AutocompleteInteraction): string {
  const focused = findFocused(interaction.options.data);
  if (!focused) throw invalidOptions(interaction, 'no option is being typed in');
  return textOf(interaction, focused);
}

function textOf(interaction: WithOptions, option: CommandInteractionOption): string {
  if (option.type !== ApplicationCommandOptionType.String || typeof option.value !== 'string') {
    throw invalidOptions(interaction, `"${option.name}" should be text`);
  }
  return option.value;
}

/** The focused option, among subcommands' options too. */
function findFocused(options: readonly CommandInteractionOption[]): CommandInteractionOption | null {
  for (const option of options) {
    if (option.focused) return option;
    const nested = option.options ? findFocused(option.options) : null;
    if (nested) return nested;
  }
  return null;
}

function invalidOptions(interaction: WithOptions, problem: string): UserError {
  return new UserError('invalid-options', { command: interaction.commandName, problem });
}
