import { GatewayIntentBits } from 'discord.js';
import { PRIVILEGED_INTENTS_SETTING } from './startup-errors.js';

/**
 * The gateway intents the bot asks for. Message Content is privileged: off until the
 * owner turns it on, and Discord closes the connection (4014) when a bot asks for it
 * without that. Without it Discord still sends the content of messages that mention
 * the bot, so mentions and slash commands work; only follow-ups in threads without a
 * mention are lost.
 */
export const FULL_INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent];
export const INTENTS_WITHOUT_MESSAGE_CONTENT = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages];

/** Logged once when Discord refuses Message Content and the bot starts without it. */
export const MESSAGE_CONTENT_REFUSED_WARNING = `discord: the Message Content intent is not enabled, so the bot started without it: mentions and slash commands work, but follow-ups in threads need a mention too. Turn it on under ${PRIVILEGED_INTENTS_SETTING} → Message Content.`;

/** The line `/help` shows about follow-ups, by whether Message Content is granted. */
export function describeFollowUps(messageContent: boolean): string {
  return messageContent
    ? 'Mention me with a question to get the answer in a thread; reply in that thread for follow-ups.'
    : `Mention me with a question to get the answer in a thread, and mention me again for each follow-up: the Message Content intent is off, so I can't read messages that don't mention me (the owner can turn it on under ${PRIVILEGED_INTENTS_SETTING} → Message Content).`;
}

/** Appended to an answer that opens a thread when follow-ups need a mention. */
export const MENTION_FOR_FOLLOW_UPS = 'Follow-ups: mention me in this thread — I only see messages that mention me.';
