import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { describeSupportedExtensions } from '../../corpus/readers/read-document.js';
import { renderInfo } from '../../render/render-discord.js';
import { renderStatusText } from '../../render/render-status.js';
import type { Command } from '../bot-context.js';
import { describeFollowUps } from '../intents.js';

const ABOUT = `I answer questions about the documents **only with verbatim, cited quotes** — I never paraphrase or make anything up. When the documents don't hold the answer, I say so and show the closest passages.

**Commands**
\`/ask question [private]\` — ask; follow-up questions in the same channel use the conversation
\`/source ref\` — the full passage behind citation *n* of your last answer, or a passage id
\`/search query\` — the best-matching passages with their scores
\`/reindex\` — rebuild the index from the corpus (admins)
\`/documents add file|url\` — add a document: attach a file, or give a link to a web page or PDF (admins)
\`/documents list\` — every document with its outcome, and who added it when (admins)
\`/documents remove name\` · \`/documents restore name\` — take a document out (kept aside, recoverable) or bring it back (admins)
\`/stats\` — questions, answers and votes of the last 7 days (admins)`;

export const help: Command = {
  data: new SlashCommandBuilder().setName('help').setDescription('What this bot does, the corpus, retrieval mode and feedback.').toJSON(),

  async execute(interaction, context) {
    const feedback = context.questionLog.countVotes();
    const text = [
      ABOUT,
      `Documents are read from ${describeSupportedExtensions()} files.`,
      describeFollowUps(context.messageContent),
      '',
      renderStatusText(context.engine.status()),
      feedback
        ? `Feedback so far: ${feedback.up} 👍 · ${feedback.down} 👎 on ${feedback.answers} answer(s).`
        : 'Feedback: unavailable — the question log cannot be read right now.',
    ].join('\n');
    await interaction.reply({ ...renderInfo('Verbatim — help', text), flags: MessageFlags.Ephemeral });
  },
};
