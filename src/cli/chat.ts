import { randomUUID } from 'node:crypto';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { describeMatch } from '../answering/explain-search.js';
import { resolveSource } from '../answering/resolve-source.js';
import type { Config } from '../config.js';
import { documentFromLink, documentFromPath } from '../documents/acquire-document.js';
import type { CorpusManager } from '../documents/manage-corpus.js';
import type { Answer } from '../domain.js';
import type { Engine } from '../engine-types.js';
import type { QuestionLog } from '../question-log/question-log.js';
import { isUserError } from '../errors.js';
import { renderPassageText } from '../render/render-passage.js';
import { renderDocumentChangeText, renderDocumentListText } from '../render/render-documents.js';
import { formatReindexSummary } from '../render/render-reindex.js';
import { renderAnswerText } from '../render/render-text.js';
import { renderStatusText } from '../render/render-status.js';

const HELP = `Ask a question about the documents; follow-ups use the conversation so far.
  /source N     the full passage behind citation N (or a passage id)
  /search TEXT  the best-matching passages with their scores
  /reset        forget the conversation
  /reindex      rebuild the index from the corpus
  /add PATH|URL add a document: a file on this machine, or a link to a web page or PDF
  /documents    every document with its outcome, and the removed ones kept aside
  /remove NAME  remove a document (kept aside under DATA_DIR, recoverable)
  /restore NAME bring a removed document back
  /help         this text and the corpus status
  /quit         leave (or Ctrl+D)`;

export interface ChatOptions {
  input: Readable;
  output: Writable;
  /** Line editing and up-arrow history, as in a terminal. Default: whether `output` is a TTY. */
  terminal?: boolean;
  /** Where answered questions are logged for the operators (none: not logged). */
  questionLog?: QuestionLog;
  /** Managing the corpus (`/add`, `/documents`, `/remove`, `/restore`); none: those commands say they are unavailable. */
  documents?: { manager: CorpusManager; config: Pick<Config, 'documentMaxBytes' | 'documentUrlAllowPrivate'> };
}

/** Changes made in the terminal are logged as the terminal's (there is no user id to hash). */
const TERMINAL_ACTOR = { frontEnd: 'terminal', userId: null, guildId: null } as const;

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
  // One session, one conversation: a second chat over the same engine starts afresh.
  const conversationKey = `console:${randomUUID()}`;
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
        engine.forget(conversationKey);
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
      } else if (/^\/(add|documents|remove|restore)(\s|$)/.test(text)) {
        await runDocumentCommand(text, options.documents, say);
      } else if (text.startsWith('/')) {
        say(`Unknown command ${text.split(/\s/)[0]}. Type /help for the list.`);
      } else {
        const started = performance.now();
        lastAnswer = await engine.ask(text, conversationKey);
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
  engine.forget(conversationKey);
}

/** `/add PATH|URL`, `/documents`, `/remove NAME`, `/restore NAME`. */
async function runDocumentCommand(text: string, documents: ChatOptions['documents'], say: (text: string) => void): Promise<void> {
  const [, command, argument = ''] = /^\/(\w+)\s*(.*)$/s.exec(text)!;
  if (!documents) {
    say('Managing documents needs the question log (DATA_DIR); it is not available in this chat.');
    return;
  }
  const { manager, config } = documents;
  const target = argument.trim();
  if (command === 'documents') {
    say(renderDocumentListText(manager.listDocuments(), await manager.listRemoved()));
    return;
  }
  if (target === '') {
    say(`Usage: /${command} ${command === 'add' ? 'PATH|URL' : 'NAME'}`);
    return;
  }
  say(command === 'add' ? `Adding ${target}…` : `${command === 'remove' ? 'Removing' : 'Restoring'} ${target}…`);
  const result =
    command === 'add'
      ? await manager.addDocument(/^https?:\/\//i.test(target) ? documentFromLink(target, config) : documentFromPath(target, config), TERMINAL_ACTOR)
      : command === 'remove'
        ? await manager.removeDocument(target, TERMINAL_ACTOR)
        : await manager.restoreDocument(target, TERMINAL_ACTOR);
  say(renderDocumentChangeText(result));
}
