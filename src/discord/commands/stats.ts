import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { UserError } from '../../errors.js';
import { lastDays } from '../../question-log/report-period.js';
import { renderStatsDiscord } from '../../render/render-stats.js';
import { isAdmin } from '../admin.js';
import type { Command } from '../bot-context.js';

/** The period `/stats` covers: a week, the usual rhythm of a community. */
const STATS_DAYS = 7;

export const stats: Command = {
  data: new SlashCommandBuilder()
    .setName('stats')
    .setDescription('Questions, answers and votes of the last 7 days in this server (admins only).')
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild)
    .toJSON(),

  async execute(interaction, context) {
    if (!isAdmin(interaction, context.config.discord)) throw new UserError('not-admin');
    // Only this server's questions: one bot may serve several communities. Without the
    // question log a vote cannot be traced to a server, so votes are counted from all.
    const guildId = context.questionLog.logsQuestions ? interaction.guildId : null;
    const report = context.questionLog.summarize(lastDays(STATS_DAYS, Date.now(), guildId));
    if (!report) throw new UserError('question-log-unavailable');
    await interaction.reply({ ...renderStatsDiscord(report, STATS_DAYS, context.questionLog.logsQuestions), flags: MessageFlags.Ephemeral });
  },
};
