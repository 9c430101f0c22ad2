import { type Client, Events, type Message, type SendableChannels } from 'discord.js';
import { formatUserMessage, isUserError } from '../../errors.js';
import { validateQuestion } from '../../answering/clean-question.js';
import { escapeInlineMarkdown, escapeMarkdown, renderAnswerDiscord, renderNotice, renderUserErrorDiscord } from '../../render/render-discord.js';
import { cutAtCharacters } from '../../text/cut-text.js';
import { RateLimiter } from '../rate-limiter.js';
import { askAndRecord } from '../ask-and-record.js';
import { type BotContext, conversationKey } from '../bot-context.js';
import { MENTION_FOR_FOLLOW_UPS } from '../intents.js';

/** Discord's limit on a thread name. */
const THREAD_NAME_MAX_CHARS = 100;
const THREAD_ARCHIVE_MINUTES = 60;

/**
 * Mentions: "@Verbatim question" gets its answer in a thread started on that message;
 * messages in a thread the bot started are follow-ups and need no mention — unless
 * Discord did not grant Message Content, when only mentions can be read (and the
 * thread's first answer says so).
 * A user over the rate limit is told once per window, then ignored, so mention spam
 * cannot make the bot spam back.
 */
export function handleMentions(client: Client, context: BotContext): void {
  const warned = new RateLimiter(1, context.config.discord.rateLimitWindowMs);
  client.on(Events.MessageCreate, (message) => {
    if (context.stopping) return;
    void context.inFlight.track(answerMessage(client, message, context, warned)).catch((error: unknown) => {
      context.log.error('discord: mention handler failed', error);
      void message.reply(renderNotice('Sorry — something went wrong on my side while answering that. Please try again.')).catch(() => {});
    });
  });
}

async function answerMessage(client: Client, message: Message, context: BotContext, warned: RateLimiter): Promise<void> {
  const me = client.user;
  if (!me || message.author.bot || message.system) return;
  const inOwnThread = message.channel.isThread() && message.channel.ownerId === me.id;
  const mentioned = message.mentions.users.has(me.id);
  // Without Message Content, Discord blanks every message that does not mention the bot.
  if (!mentioned && !(inOwnThread && context.messageContent)) return;

  // Every reply counts against the budget, the "ask me something" one included, so a
  // flood of bare mentions gets no more replies than a flood of questions.
  const wait = context.questionLimiter.check(message.author.id);
  if (wait > 0) {
    if (warned.check(message.author.id) === 0) await message.reply(renderNotice(formatUserMessage('rate-limited', { seconds: wait })));
    return;
  }
  const question = message.content.replace(new RegExp(`<@!?${me.id}>`, 'g'), ' ').trim();
  // Checked as the engine will check it (nothing but mentions and markup is empty; the
  // length cap), before any thread is opened: a public thread for a question that will
  // not be answered helps nobody.
  try {
    validateQuestion(question, context.config.maxQuestionChars);
  } catch (error) {
    if (!isUserError(error)) throw error;
    const example = error.code === 'empty-question' ? ` For example: ${escapeMarkdown(`@${me.username}`)} When was Kazakhstan elected to the council?` : '';
    await message.reply(renderNotice(`${formatUserMessage(error.code, error.params, escapeInlineMarkdown)}${example}`));
    return;
  }

  // Threads start from messages in text and announcement channels; elsewhere (someone
  // else's thread, a forum post, a DM) the answer goes in the same channel.
  const opensThread = !inOwnThread && !message.channel.isThread() && 'threads' in message.channel;
  const thread: SendableChannels = opensThread
    ? await message.startThread({ name: threadName(question), autoArchiveDuration: THREAD_ARCHIVE_MINUTES })
    : (message.channel as SendableChannels);
  try {
    await thread.sendTyping().catch(() => {});
    const { answer, answerId } = await askAndRecord(context, {
      question,
      conversationKey: conversationKey(thread.id, message.author.id),
      guildId: message.guildId,
      channelId: thread.id,
      userId: message.author.id,
    });
    const rendered = renderAnswerDiscord(answer, answerId);
    await thread.send(opensThread && !context.messageContent ? { ...rendered, content: MENTION_FOR_FOLLOW_UPS } : rendered);
  } catch (error) {
    if (!isUserError(error)) throw error;
    await thread.send(renderUserErrorDiscord(error));
  }
}

function threadName(question: string): string {
  const oneLine = question.replace(/<[@#][!&]?\d+>/g, '').replace(/\s+/g, ' ').trim() || 'Question';
  // Cut between whole characters: half an emoji is not text, and Discord refuses it.
  return oneLine.length <= THREAD_NAME_MAX_CHARS ? oneLine : `${cutAtCharacters(oneLine, THREAD_NAME_MAX_CHARS - 1)}…`;
}
