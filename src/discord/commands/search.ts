import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { renderSearchDiscord } from '../../render/render-discord.js';
import type { Command } from '../bot-context.js';
import { requireText } from '../command-options.js';

const SEARCH_RESULTS = 5;

export const search: Command = {
  data: new SlashCommandBuilder()
    .setName('search')
    .setDescription('Show the passages that best match a query, with their scores (only you see them).')
    .addStringOption((option) => option.setName('query').setDescription('Words to search for').setRequired(true).setMaxLength(1_000))
    .toJSON(),

  async execute(interaction, context) {
    const query = requireText(interaction, 'query');
    const hits = await context.engine.search(query, SEARCH_RESULTS);
    await interaction.reply({ ...renderSearchDiscord(query, hits), flags: MessageFlags.Ephemeral });
  },
};
