import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { UserError } from '../../errors.js';
import { renderSearchDiscord } from '../../render/render-discord.js';
import type { Command } from '../bot-context.js';
import { requireText } from '../command-options.js';

export const search: Command = {
  data: new SlashCommandBuilder()
    .setName('search')
    .setDescription('Show the passages /ask would consider for these words, with their ranks (only you see them).')
    .addStringOption((option) => option.setName('query').setDescription('Words to search for').setRequired(true).setMaxLength(1_000))
    .toJSON(),

  async execute(interaction, context) {
    const query = requireText(interaction, 'query');
    if (query.length > context.config.maxQuestionChars) throw new UserError('question-too-long', { length: query.length, max: context.config.maxQuestionChars });
    // A search runs /ask's retrieval: it spends the same per-user budget and waits in the same queue.
    const wait = context.questionLimiter.check(interaction.user.id);
    if (wait > 0) throw new UserError('rate-limited', { seconds: wait });
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const result = await context.answering.run(() => context.engine.search(query));
    await interaction.editReply(renderSearchDiscord(result));
  },
};
