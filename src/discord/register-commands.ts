import { type REST, Routes } from 'discord.js';
import { commands } from './commands/command-list.js';

/**
 * Registers (bulk-overwrites) the slash commands: in one server when `guildId` is set
 * (instant), otherwise globally (Discord may take up to an hour to show them).
 */
export async function registerCommands(rest: REST, applicationId: string, guildId: string | null): Promise<number> {
  const body = commands.map((command) => command.data);
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  await rest.put(route, { body });
  return body.length;
}
