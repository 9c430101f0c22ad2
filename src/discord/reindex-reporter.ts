import { type ChatInputCommandInteraction, DiscordAPIError, type Message, RESTJSONErrorCodes } from 'discord.js';
import { escapeMarkdown, renderInfo } from '../render/render-discord.js';
import type { BotContext } from './bot-context.js';

/**
 * Where `/reindex` (and `/documents`) shows its progress: the deferred (ephemeral) reply while its
 * interaction token works, then — a token lives 15 minutes, and a large corpus can
 * take longer to embed — one ordinary message in the channel, edited as it goes.
 * Updates are serialized, so a late progress edit cannot overwrite the summary.
 */
export class ReindexReporter {
  private channelMessage: Message | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly interaction: ChatInputCommandInteraction,
    private readonly log: BotContext['log'],
    /** The command, for log lines and the channel message. */
    private readonly command: string = '/reindex',
  ) {}

  /**
   * Queues an update; resolves once it (and every earlier one) has been shown or given up
   * on. `text` is plain text (file names, reasons, warnings) and is escaped: a corpus file
   * named `my_notes @everyone.txt` shows as named, not in italics or as a mention.
   */
  show(title: string, text: string): Promise<void> {
    return this.showMarkdown(title, escapeMarkdown(text));
  }

  /** The same for text already rendered as Discord Markdown, with every user-given piece escaped by its renderer. */
  showMarkdown(title: string, markdown: string): Promise<void> {
    this.queue = this.queue.then(() => this.write(title, markdown));
    return this.queue;
  }

  private async write(title: string, text: string): Promise<void> {
    if (!this.channelMessage) {
      try {
        await this.interaction.editReply(renderInfo(title, text));
        return;
      } catch (error) {
        if (!isExpiredToken(error)) {
          this.log.error(`discord: ${this.command} could not update its reply`, error);
          return;
        }
        this.log.info(`discord: ${this.command} outlived its interaction token; progress continues as a channel message`);
      }
    }
    const payload = renderInfo(title, `${text}\n\n(${this.command === '/reindex' ? 'Reindex' : `${this.command} change`} started by <@${this.interaction.user.id}>; its private reply expired.)`);
    try {
      if (this.channelMessage) await this.channelMessage.edit(payload);
      else {
        const channel = await this.interaction.client.channels.fetch(this.interaction.channelId);
        if (!channel?.isSendable()) throw new Error(`channel ${this.interaction.channelId} does not take messages`);
        this.channelMessage = await channel.send(payload);
      }
    } catch (error) {
      this.log.error(`discord: ${this.command} could not post its progress in the channel`, error);
    }
  }
}

/** Discord's answers once an interaction token has expired. */
function isExpiredToken(error: unknown): boolean {
  return (
    error instanceof DiscordAPIError &&
    (error.code === RESTJSONErrorCodes.InvalidWebhookToken || error.code === RESTJSONErrorCodes.UnknownWebhook)
  );
}
