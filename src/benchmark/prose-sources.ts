import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { SourceFormat } from './split-sections.js';

/**
 * The English documentation a Debian machine with Node.js already holds, read offline
 * in a fixed order: GNU info manuals, man pages (rendered by groff), the text files
 * under /usr/share/doc, and the docs shipped inside npm packages. The benchmark's
 * prose corpus is cut from these; nothing is downloaded.
 */

/** One file of documentation, decoded (and for man pages rendered) to text. */
export interface ProseSource {
  /** Where it came from, e.g. `/usr/share/info/sed.info.gz` or `man7/signal.7`. */
  origin: string;
  /** Which family it belongs to (info, man, doc, npm), for the corpus description. */
  family: 'info' | 'man' | 'doc' | 'npm';
  format: SourceFormat;
  text: string;
}

export interface ProseSourceOptions {
  /** Folder of GNU info manuals (`*.info*.gz`). */
  infoDir: string;
  /** Root of the man pages (holding `man1`, `man7`, …). */
  manDir: string;
  /** Man sections to render, in order. */
  manSections: readonly string[];
  /** Folders of package documentation (`.md`, `.txt`, `.rst`, READMEs, gzipped or not). */
  docDirs: readonly string[];
  /** `node_modules` folders whose packages' Markdown docs are read. */
  nodeModulesDirs: readonly string[];
  /** Man pages rendered at once (groff runs as a child process). */
  renderConcurrency: number;
}

/** Rendering one man page normally takes 20–70 ms; one that takes this long is stuck. */
const RENDER_TIMEOUT_MS = 20_000;
const DOC_FILE = /(\.(md|markdown|txt|rst)(\.gz)?|\/README(\.gz)?)$/i;
/** Boilerplate every package repeats (licences) or logs (changelogs): not prose to search. */
const BOILERPLATE_FILE = /(licen[cs]e|copying|copyright|changelog|changes|history|authors|contributors|code_of_conduct|security)[^/]*$/i;

/** Every source, in a fixed order (sorted paths within each family). */
export async function* readProseSources(options: ProseSourceOptions): AsyncGenerator<ProseSource> {
  for (const file of await listFiles(options.infoDir, (name) => /\.info(-\d+)?\.gz$/.test(name))) {
    yield { origin: file, family: 'info', format: 'info', text: await readText(file) };
  }
  yield* renderManPages(options);
  for (const dir of options.docDirs) {
    for (const file of await listFiles(dir, (name) => DOC_FILE.test(name) && !BOILERPLATE_FILE.test(name))) {
      const text = await readText(file);
      yield { origin: file, family: 'doc', format: formatOf(file, text), text };
    }
  }
  for (const dir of options.nodeModulesDirs) {
    for (const file of await listFiles(dir, (name) => /\.(md|markdown)$/i.test(name) && !BOILERPLATE_FILE.test(name))) {
      yield { origin: file, family: 'npm', format: 'markdown', text: await readText(file) };
    }
  }
}

async function* renderManPages(options: ProseSourceOptions): AsyncGenerator<ProseSource> {
  const pages: string[] = [];
  for (const section of options.manSections) {
    pages.push(...(await listFiles(path.join(options.manDir, `man${section}`), (name) => /\.gz$/.test(name), false)));
  }
  // Render a few pages ahead, yielding in order.
  const pending: Promise<ProseSource | null>[] = [];
  let next = 0;
  const refill = (): void => {
    while (pending.length < Math.max(1, options.renderConcurrency) && next < pages.length) pending.push(renderManPage(pages[next++]!));
  };
  refill();
  while (pending.length > 0) {
    const source = await pending.shift()!;
    refill();
    if (source) yield source;
  }
}

/** A man page as plain text, or null when it is only a link (`.so`) or groff is missing or fails. */
async function renderManPage(file: string): Promise<ProseSource | null> {
  const roff = gunzipSync(await readFile(file)).toString('utf8');
  if (/^\.so\s/m.test(roff.slice(0, 200))) return null;
  // One long line per paragraph, no hyphenation, no justification, no bold/underline escapes.
  const args = ['-t', '-man', '-Tutf8', '-P-cbou', '-rLL=2000n', '-rHY=0', '-dAD=l'];
  const rendered = await runWithInput('groff', args, roff).catch(() => null);
  if (!rendered) return null;
  const lines = rendered.split('\n');
  // Drop the running header and footer lines ("signal(7)   Miscellaneous Information Manual   signal(7)").
  const content = lines.filter((line) => line.trim() !== '');
  const first = content[0];
  const last = content.at(-1);
  const text = lines.filter((line) => line !== first && line !== last).join('\n').replace(/[ \t]+$/gm, '');
  const name = path.basename(file, '.gz');
  return { origin: `${path.basename(path.dirname(file))}/${name}`, family: 'man', format: 'man', text };
}

function runWithInput(command: string, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'ignore'], timeout: RENDER_TIMEOUT_MS });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`${command} exited with ${code}`))));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

async function readText(file: string): Promise<string> {
  const bytes = await readFile(file);
  return (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

function formatOf(file: string, text: string): SourceFormat {
  const name = file.replace(/\.gz$/, '');
  if (/\.(md|markdown)$/i.test(name)) return 'markdown';
  if (/\.rst$/i.test(name)) return 'rst';
  // Many READMEs are Markdown without saying so.
  return /^#{1,3} \S/m.test(text) ? 'markdown' : 'text';
}

/** Files under `dir` (recursively unless told not to) whose path passes `keep`, sorted; none when `dir` is missing. */
async function listFiles(dir: string, keep: (file: string) => boolean, recursive = true): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? (entry as { path?: string }).path ?? dir, entry.name))
    .filter(keep)
    .sort();
}
