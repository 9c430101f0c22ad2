import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { describeMatch } from '../answering/explain-search.js';
import { resolveSource } from '../answering/resolve-source.js';
import type { Answer } from '../domain.js';
import type { Engine } from '../engine-types.js';
import type { QuestionLog } from '../question-log/question-log.js';
import { isUserError } from '../errors.js';
import { renderPassageText } from '../render/render-passage.js';
import { formatReindexSummary } from '../render/render-reindex.js';
import { renderAnswerText } from '../render/render-text.js';
import { renderStatusText } from '../render/render-status.js';

const CONVERSATION_KEY = 'console';

const HELP = `Ask a question about the documents; follow-ups use the conversation so far.
  /source N     the full passage behind citation N (or a passage id)
  /search TEXT  the best-matching passages with their scores
  /reset        forget the conversation
  /reindex      rebuild the index from the corpus
  /help         this text and the corpus status
  /quit         leave (or Ctrl+D)`;

export interface ChatOptions {
  input: Readable;
  output: Writable;
  /** Line editing and up-arrow history, as in a terminal. Default: whether `output` is a TTY. */
  terminal?: boolean;
  /** Where answered questions are logged for the operators (none: not logged). */
  questionLog?: QuestionLog;
}

/** Earlier questions the up arrow can recall: readline keeps 30 by default; 200 short lines cost nothing and outlast a long session. */
const HISTORY_SIZE = 200;

/**
 * The interactive terminal chat over the engine (`npm start` without DISCORD_TOKEN).
 * Resolves when the input ends or the user types /quit.
 */
export async function runChat(engine: Engine, options: ChatOptions): Promise<void> {
  const { input, output } = options;
  const terminal = options.terminal ?? (output as NodeJS.WriteStream).isTTY === true;
  const rl = readline.createInterface({ input, output, terminal, historySize: HISTORY_SIZE, prompt: 'you> ' });
  const say = (text: string): void => {
    output.write(`${text}\n`);
  };
  let lastAnswer: Answer | null = null;

  say(`Verbatim — answers only with quotes from ${engine.status().documents} document(s). Type /help for commands.`);
  rl.prompt();

  for await (const line of rl) {
    const text = line.trim();
    try {
      if (text === '') {
        // nothing typed: just prompt again
      } else if (text === '/quit' || text === '/exit') {
        break;
      } else if (text === '/help') {
        say(`${HELP}\n\n${renderStatusText(engine.status())}`);
      } else if (text === '/reset') {
        engine.forget(CONVERSATION_KEY);
        lastAnswer = null;
        say('Conversation forgotten.');
      } else if (text.startsWith('/source')) {
        say(renderPassageText(resolveSource(engine, text.slice('/source'.length), lastAnswer)));
      } else if (text.startsWith('/search')) {
        const { hits } = await engine.search(text.slice('/search'.length), 5);
        say(hits.length === 0 ? 'No passage matches.' : hits.map((hit, i) => `${i + 1}. ${hit.chunk.id} (score ${hit.score.toFixed(4)}${hit.matches.length > 0 ? `; matched ${hit.matches.map(describeMatch).join(', ')}` : ''})\n   ${hit.chunk.text.replace(/\s+/g, ' ').slice(0, 160)}…`).join('\n'));
      } else if (text === '/reindex') {
        say('Reindexing…');
        say(formatReindexSummary(await engine.reindex()));
      } else if (text.startsWith('/')) {
        say(`Unknown command ${text.split(/\s/)[0]}. Type /help for the list.`);
      } else {
        const started = performance.now();
        lastAnswer = await engine.ask(text, CONVERSATION_KEY);
        options.questionLog?.recordQuestion({ answer: lastAnswer, frontEnd: 'terminal', latencyMs: performance.now() - started });
        say(renderAnswerText(lastAnswer));
      }
    } catch (error) {
      if (!isUserError(error)) throw error;
      say(error.message);
    }
    say('');
    rl.prompt();
  }
  rl.close();
}
