import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { resolveSource, suggestSources } from '../../answering/resolve-source.js';
import { renderPassageDiscord } from '../../render/render-discord.js';
import { type Command, conversationKey } from '../bot-context.js';
import { focusedText, requireText } from '../command-options.js';

export const source: Command = {
  data: new SlashCommandBuilder()
    .setName('source')
    .setDescription('Show the full passage behind a citation or passage id.')
    .addStringOption((option) =>
      option.setName('ref').setDescription('A citation number from your last answer here, or a passage id').setRequired(true).setAutocomplete(true).setMaxLength(200),
    )
    .toJSON(),

  async execute(interaction, context) {
    const ref = requireText(interaction, 'ref');
    const last = context.answers.last(conversationKey(interaction.channelId, interaction.user.id));
    const passage = resolveSource(context.engine, ref, last);
    await interaction.reply({ ...renderPassageDiscord(passage), flags: MessageFlags.Ephemeral });
  },

  async autocomplete(interaction, context) {
    const typed = focusedText(interaction);
    const last = context.answers.last(conversationKey(interaction.channelId, interaction.user.id));
    await interaction.respond(suggestSources(context.engine, typed, last));
  },
};
