import { constants, existsSync } from 'node:fs';
import { copyFile, link, mkdir, readdir, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Putting files into a folder and moving them between folders without ever overwriting one
 * and without a reader seeing half a file: a new file is written under a temporary name in a
 * hidden folder (the corpus listing skips hidden folders) and linked into place, which fails
 * rather than replaces when the name is taken.
 */

/** Where a file being saved into a folder waits, inside that folder (so the final link is on the same file system). */
const STAGING_FOLDER = '.verbatim-incoming';

/**
 * Writes `bytes` as `folder/name`, whole or not at all. Throws `EEXIST` when the name is
 * taken, and the file system's error (e.g. `ENOSPC`) when it cannot be written; nothing is
 * left behind either way.
 */
export async function writeNewFile(folder: string, name: string, bytes: Buffer): Promise<void> {
  const staging = path.join(folder, STAGING_FOLDER);
  await mkdir(staging, { recursive: true });
  const temporary = path.join(staging, `${randomBytes(8).toString('hex')}.part`);
  try {
    await writeFile(temporary, bytes, { flag: 'wx' });
    await moveFileExclusive(temporary, path.join(folder, name));
  } finally {
    await rm(temporary, { force: true });
    // Left when another save is under way (not empty): harmless, and hidden from the corpus listing.
    await rmdir(staging).catch(() => undefined);
  }
}

/**
 * Moves a file to `to`, which must not exist (throws `EEXIST` if it does). A hard link then
 * an unlink makes the file appear whole and never replaces another; across file systems
 * (DATA_DIR and CORPUS_DIR on different disks) it is copied, exclusively, then removed; on
 * a file system without hard links it is renamed after checking the name is free.
 */
export async function moveFileExclusive(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EXDEV') {
      try {
        await copyFile(from, to, constants.COPYFILE_EXCL);
      } catch (copyError) {
        // A copy cut short (a full disk) is removed; a file that was already there is not ours.
        if ((copyError as NodeJS.ErrnoException).code !== 'EEXIST') await unlink(to).catch(() => undefined);
        throw copyError;
      }
    } else if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP') {
      if (existsSync(to)) throw Object.assign(new Error(`EEXIST: file already exists, ${to}`), { code: 'EEXIST' });
      await rename(from, to);
      return;
    } else {
      throw error;
    }
  }
  try {
    await unlink(from);
  } catch (error) {
    // Half a move is two copies; the new one goes, so the move is undone as a whole.
    await unlink(to).catch(() => undefined);
    throw error;
  }
}

/** Whether `name` is taken in `folder` (as the file system sees it, so case-insensitively where it is). */
export function isTaken(folder: string, name: string): boolean {
  return existsSync(path.join(folder, name));
}

/**
 * The corpus file `name` names — a path relative to the corpus folder, `/` or `\` separated
 * — as its `/`-separated relative path, or null when it is not a plain file inside the
 * corpus: `..`, an absolute path, a hidden file or folder, or nothing there.
 */
export async function resolveCorpusFile(corpusDir: string, name: string): Promise<string | null> {
  const parts = name.trim().split(/[/\\]+/).filter(Boolean);
  if (parts.length === 0 || parts.some((part) => part === '.' || part === '..' || part.startsWith('.'))) return null;
  if (path.isAbsolute(name.trim())) return null;
  const root = path.resolve(corpusDir);
  const full = path.resolve(root, ...parts);
  if (path.relative(root, full).startsWith('..')) return null;
  const stats = await stat(full).catch(() => null);
  return stats?.isFile() ? parts.join('/') : null;
}

/** Plain files directly in `folder` (none when it does not exist). */
export async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile() && !entry.name.startsWith('.')).map((entry) => entry.name).sort();
}
