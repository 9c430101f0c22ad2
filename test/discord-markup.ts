/**
 * What Discord would render as live markup in text the bot sends: a masked link, a user,
 * role or channel mention, a slash-command mention, @everyone or @here. A character counts
 * as escaped when an odd run of backslashes precedes it (an even run escapes only itself).
 * Used to check that user text and document text the bot repeats show as written.
 */

/** Hostile user text: a masked link, every mention form, and the mass pings. */
export const HOSTILE_MARKUP =
  '[click](https://evil.example/phish) <@123456789012345678> <@!123456789012345678> <@&223456789012345678> <#323456789012345678> </ask:423456789012345678> @everyone @here';

const UNESCAPED = String.raw`(?<!\\)(?:\\\\)*`;
const LIVE = [
  // A `[` with `](` later on its line: the start of a masked link.
  new RegExp(String.raw`${UNESCAPED}\[(?=[^\n]*\]\()[^\n]*`, 'g'),
  new RegExp(String.raw`${UNESCAPED}<(?:@[!&]?|#)\d+>`, 'g'),
  new RegExp(String.raw`${UNESCAPED}<\/[\w -]+:\d+>`, 'g'),
  // A backslash does not stop Discord from highlighting these; only a character inside the word does.
  /@(?:everyone|here)\b/g,
];

/** Every piece of live markup in `text` (empty when all of it would show as written). */
export function findLiveMarkup(text: string): string[] {
  return LIVE.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[0]));
}
