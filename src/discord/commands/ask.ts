import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { UserError } from '../../errors.js';
import { renderAnswerDiscord } from '../../render/render-discord.js';
import { askAndRecord } from '../ask-and-record.js';
import { type Command, conversationKey } from '../bot-context.js';
import { optionalBoolean, requireText } from '../command-options.js';

/** Discord's own cap on a string option. */
const DISCORD_OPTION_MAX_CHARS = 6_000;

export const ask: Command = {
  data: new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Ask a question; the answer quotes the documents verbatim, with citations.')
    .addStringOption((option) =>
      option.setName('question').setDescription('Your question about the documents').setRequired(true).setMaxLength(DISCORD_OPTION_MAX_CHARS),
    )
    .addBooleanOption((option) => option.setName('private').setDescription('Only you see the answer (default: no)'))
    .toJSON(),

  async execute(interaction, context) {
    const question = requireText(interaction, 'question');
    const isPrivate = optionalBoolean(interaction, 'private') ?? false;
    if (question.length > context.config.maxQuestionChars) {
      throw new UserError('question-too-long', { length: question.length, max: context.config.maxQuestionChars });
    }
    const wait = context.questionLimiter.check(interaction.user.id);
    if (wait > 0) throw new UserError('rate-limited', { seconds: wait });

    await interaction.deferReply(isPrivate ? { flags: MessageFlags.Ephemeral } : {});
    const { answer, answerId } = await askAndRecord(context, {
      question,
      conversationKey: conversationKey(interaction.channelId, interaction.user.id),
      guildId: interaction.guildId,
      channelId: interaction.channelId,
      userId: interaction.user.id,
    });
    await interaction.editReply(renderAnswerDiscord(answer, answerId));
  },
};
