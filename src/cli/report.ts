import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { DATABASE_FILE_NAME, openQuestionDatabase } from '../question-log/open-database.js';
import { parseSince } from '../question-log/report-period.js';
import { summarizeQuestionLog } from '../question-log/report-queries.js';
import { renderReportHtml } from '../render/render-report-html.js';
import { renderReportMarkdown } from '../render/render-report-markdown.js';
import { writeStdout } from './write-stdout.js';

const USAGE = `Usage:
  npm run report [-- --since 7d] [--guild SERVER_ID] [--json | --html FILE]

Questions, answers and votes from the question log in DATA_DIR, as Markdown.
  --since   7d (today and the 6 days before, UTC; the default), 12h, or a date 2025-01-31
  --guild   only this Discord server's questions
  --json    one JSON object instead of Markdown
  --html    write a self-contained page with charts to FILE`;

/** `npm run report`: the operators' report, read from the question log. */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      since: { type: 'string', default: '7d' },
      guild: { type: 'string' },
      json: { type: 'boolean', default: false },
      html: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const now = Date.now();
  const since = parseSince(values.since, now);
  if (since === null) {
    console.error(`report: --since must be like 7d, 12h or 2025-01-31 (got ${JSON.stringify(values.since)})\n\n${USAGE}`);
    return 2;
  }
  if (values.guild !== undefined && !/^\d{5,20}$/.test(values.guild)) {
    console.error(`report: --guild must be a Discord server id (got ${JSON.stringify(values.guild)})`);
    return 2;
  }
  const config = loadConfig();
  const file = path.join(config.dataDir, DATABASE_FILE_NAME);
  // No log yet is an empty report, not an error — and the report does not create one.
  const exists = existsSync(file);
  if (!exists) console.error(`report: there is no question log at ${file} yet; it starts with the first question the bot or the terminal chat answers`);
  let db;
  try {
    db = openQuestionDatabase(exists ? file : ':memory:');
  } catch (error) {
    console.error(`report: cannot read the question log ${file}: ${(error as Error).message}`);
    return 1;
  }
  try {
    const report = summarizeQuestionLog(db, { since, until: now, guildId: values.guild ?? null });
    if (values.html !== undefined) {
      await writeFile(values.html, renderReportHtml(report));
      console.error(`report: wrote ${values.html}`);
    }
    if (values.json) await writeStdout(`${JSON.stringify(report)}\n`);
    else if (values.html === undefined) await writeStdout(`${renderReportMarkdown(report)}\n`);
    return 0;
  } finally {
    db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
