import type { Command } from '../bot-context.js';
import { ask } from './ask.js';
import { documents } from './documents.js';
import { help } from './help.js';
import { reindex } from './reindex.js';
import { search } from './search.js';
import { source } from './source.js';
import { stats } from './stats.js';

/** Every slash command the bot registers and handles. */
export const commands: readonly Command[] = [ask, source, search, reindex, documents, help, stats];
