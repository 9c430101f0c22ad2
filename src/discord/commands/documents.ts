import { type ChatInputCommandInteraction, InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { documentFromAttachment, documentFromLink, type DocumentSource } from '../../documents/acquire-document.js';
import type { DocumentChangeResult } from '../../documents/manage-corpus.js';
import type { ReindexProgress } from '../../engine-types.js';
import { isUserError, UserError } from '../../errors.js';
import type { DocumentActor } from '../../question-log/document-log.js';
import { renderLink } from '../../render/render-discord.js';
import { renderChoices, renderDocumentChangeDiscord, renderDocumentListDiscord, renderUserErrorMarkdown } from '../../render/render-documents.js';
import { describeReindexProgress } from '../../render/render-reindex.js';
import { isAdmin } from '../admin.js';
import type { BotContext, Command } from '../bot-context.js';
import { ReindexReporter } from '../reindex-reporter.js';

/** Progress edits at most this often: Discord rate-limits message edits. */
const PROGRESS_INTERVAL_MS = 1_000;
/** Longest link accepted (browsers and servers commonly stop near 2,000 characters). */
const MAX_URL_CHARS = 2_000;

/**
 * `/documents add|list|remove|restore` (admins only): the corpus managed from Discord. Thin:
 * options in, the corpus manager does the work, render/ says what became of it.
 */
export const documents: Command = {
  data: new SlashCommandBuilder()
    .setName('documents')
    .setDescription('Add, list, remove or restore the documents answers come from (admins only).')
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((sub) =>
      sub
        .setName('add')
        .setDescription('Add a document: attach a file, or give a link to a web page or PDF.')
        .addAttachmentOption((option) => option.setName('file').setDescription('The document (PDF, web page, Word, ODT, EPUB, Markdown or text)'))
        .addStringOption((option) => option.setName('url').setDescription('A link to a web page or document (http or https)').setMaxLength(MAX_URL_CHARS)),
    )
    .addSubcommand((sub) => sub.setName('list').setDescription('Every document with its outcome, and who added it when.'))
    .addSubcommand((sub) =>
      sub
        .setName('remove')
        .setDescription('Remove a document (kept aside, recoverable with restore).')
        .addStringOption((option) => option.setName('name').setDescription('The document').setRequired(true).setAutocomplete(true).setMaxLength(1_000)),
    )
    .addSubcommand((sub) =>
      sub
        .setName('restore')
        .setDescription('Bring back a removed document.')
        .addStringOption((option) => option.setName('name').setDescription('The removed document').setRequired(true).setAutocomplete(true).setMaxLength(200)),
    )
    .toJSON(),

  async execute(interaction, context) {
    if (!isAdmin(interaction, context.config.discord)) throw new UserError('not-admin');
    const subcommand = interaction.options.getSubcommand(true);
    if (subcommand === 'list') {
      await interaction.reply({ ...(await renderList(interaction.user.id, context, 0)), flags: MessageFlags.Ephemeral });
      return;
    }
    const actor: DocumentActor = { frontEnd: 'discord', userId: interaction.user.id, guildId: interaction.guildId };
    if (subcommand === 'add') {
      const source = chooseSource(interaction, context);
      await runChange(interaction, context, `Adding ${source.url ? renderLink(source.url) : 'the attachment'}…`, (onProgress) => context.documents.addDocument(source, actor, onProgress));
    } else if (subcommand === 'remove') {
      const name = interaction.options.getString('name', true);
      await runChange(interaction, context, 'Removing the document…', (onProgress) => context.documents.removeDocument(name, actor, onProgress));
    } else if (subcommand === 'restore') {
      const name = interaction.options.getString('name', true);
      await runChange(interaction, context, 'Restoring the document…', (onProgress) => context.documents.restoreDocument(name, actor, onProgress));
    } else {
      throw new Error(`discord: /documents has no subcommand ${subcommand}`);
    }
  },

  async autocomplete(interaction, context) {
    // Non-admins see no file names.
    if (!isAdmin(interaction, context.config.discord)) {
      await interaction.respond([]);
      return;
    }
    const typed = interaction.options.getFocused().toLowerCase();
    const subcommand = interaction.options.getSubcommand(true);
    if (subcommand === 'remove') {
      const { documents: listed } = context.documents.listDocuments();
      const choices = listed
        .filter((entry) => entry.file.toLowerCase().includes(typed))
        .map((entry) => ({ name: `${entry.file} — ${entry.outcome.outcome === 'indexed' ? `${entry.outcome.passages} passages` : 'skipped'}`, value: entry.file }));
      await interaction.respond(renderChoices(choices));
    } else if (subcommand === 'restore') {
      const removed = await context.documents.listRemoved();
      const choices = removed
        .filter((entry) => entry.name.toLowerCase().includes(typed) || entry.corpusName.toLowerCase().includes(typed))
        .map((entry) => ({ name: `${entry.corpusName}${entry.origin?.removedAt ? ` — removed ${new Date(entry.origin.removedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}`, value: entry.name }));
      await interaction.respond(renderChoices(choices));
    } else {
      await interaction.respond([]);
    }
  },

  async button(interaction, context) {
    if (!isAdmin(interaction, context.config.discord)) throw new UserError('not-admin');
    const page = Number(interaction.customId.split(':')[2]);
    await interaction.update(await renderList(interaction.user.id, context, Number.isInteger(page) ? page : 0));
  },
};

/** One page of `/documents list` for this admin ("by you" on what they added). */
async function renderList(userId: string, context: BotContext, page: number): Promise<ReturnType<typeof renderDocumentListDiscord>> {
  const listing = context.documents.listDocuments();
  const removed = (await context.documents.listRemoved()).length;
  let userHash: string | null = null;
  try {
    userHash = context.questionLog.hashUser(userId);
  } catch {
    // The log is unavailable (the listing says so): nothing is shown as "by you".
  }
  return renderDocumentListDiscord(listing, removed, page, { userHash });
}

/** The add's source: exactly one of the attachment and the link. */
function chooseSource(interaction: ChatInputCommandInteraction, context: BotContext): DocumentSource {
  const file = interaction.options.getAttachment('file');
  const url = interaction.options.getString('url');
  if (file && url) throw new UserError('document-two-sources');
  if (file) return documentFromAttachment({ url: file.url, name: file.name, size: file.size, contentType: file.contentType }, context.config);
  if (url) return documentFromLink(url, context.config);
  throw new UserError('document-no-source');
}

/**
 * Defers (downloads and reindexes take longer than Discord's 3 seconds), shows progress
 * as `/reindex` does, then what became of the change — or, for an expected fault, why
 * nothing was changed, in the same reply.
 */
async function runChange(interaction: ChatInputCommandInteraction, context: BotContext, starting: string, change: (onProgress: (progress: ReindexProgress) => void) => Promise<DocumentChangeResult>): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const reporter = new ReindexReporter(interaction, context.log, '/documents');
  void reporter.show('Documents', starting);
  let lastEdit = Date.now();
  const onProgress = (progress: ReindexProgress): void => {
    const now = Date.now();
    if (now - lastEdit < PROGRESS_INTERVAL_MS) return;
    lastEdit = now;
    void reporter.show('Reindexing…', describeReindexProgress(progress));
  };
  try {
    const result = await change(onProgress);
    context.log.info(`discord: /documents ${result.action} ${result.file} by ${interaction.user.id}`);
    const { title, text } = renderDocumentChangeDiscord(result);
    await reporter.showMarkdown(title, text);
  } catch (error) {
    if (!isUserError(error)) throw error;
    await reporter.showMarkdown('Nothing was changed', renderUserErrorMarkdown(error));
  }
}
