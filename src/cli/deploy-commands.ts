import { REST, Routes } from 'discord.js';
import { ConfigError, loadConfig } from '../config.js';
import { registerCommands } from '../discord/register-commands.js';

/**
 * `npm run deploy-commands`: registers the slash commands without starting the bot
 * (in DISCORD_GUILD_ID when set, globally otherwise).
 */
async function main(): Promise<number> {
  const config = loadConfig();
  if (!config.discord.token) {
    console.error('deploy-commands: DISCORD_TOKEN must be set (see .env.example)');
    return 2;
  }
  const rest = new REST({ api: config.discord.apiUrl }).setToken(config.discord.token);
  const application = (await rest.get(Routes.currentApplication())) as { id: string };
  const count = await registerCommands(rest, application.id, config.discord.guildId);
  console.log(`deploy-commands: registered ${count} commands ${config.discord.guildId ? `in server ${config.discord.guildId}` : 'globally'}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : `deploy-commands: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
