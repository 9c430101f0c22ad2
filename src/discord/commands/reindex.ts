import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { ReindexProgress } from '../../engine-types.js';
import { UserError } from '../../errors.js';
import { describeReindexProgress, formatReindexSummary } from '../../render/render-reindex.js';
import { isAdmin } from '../admin.js';
import type { Command } from '../bot-context.js';
import { ReindexReporter } from '../reindex-reporter.js';

/** Progress edits at most this often: Discord rate-limits message edits. */
const PROGRESS_INTERVAL_MS = 1_000;

export const reindex: Command = {
  data: new SlashCommandBuilder()
    .setName('reindex')
    .setDescription('Rebuild the index from the corpus (admins only).')
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild)
    .toJSON(),

  async execute(interaction, context) {
    if (!isAdmin(interaction, context.config.discord)) throw new UserError('not-admin');
    if (context.engine.status().reindexing) throw new UserError('reindex-busy');
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });

    const reporter = new ReindexReporter(interaction, context.log);
    let lastEdit = 0;
    const onProgress = (progress: ReindexProgress): void => {
      const now = Date.now();
      if (now - lastEdit < PROGRESS_INTERVAL_MS) return;
      lastEdit = now;
      void reporter.show('Reindexing…', describeReindexProgress(progress));
    };
    const summary = await context.engine.reindex(onProgress);
    context.log.info(`discord: /reindex by ${interaction.user.id}: ${summary.documents} documents, ${summary.chunks} passages`);
    await reporter.show('Reindex complete', formatReindexSummary(summary));
  },
};
