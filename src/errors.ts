/**
 * Errors a user can act on. Each carries a code from the catalog below; front ends
 * show the catalog's message (politely, ephemerally in Discord). Anything that is
 * not a UserError is a bug: logged, and answered with a generic apology.
 */

const MESSAGES = {
  'empty-question': 'Please ask a question — the message was empty.',
  'question-too-long': 'That question is too long ({length} characters). Please keep it under {max} characters.',
  'reindex-busy': 'A reindex is already running. Please wait for it to finish.',
  'not-admin': 'Only server admins can do that.',
  'rate-limited': "You're asking quickly — please try again in {seconds} s.",
  'unknown-source': 'I could not find a passage for "{ref}". Use a citation number from your last answer or a passage id such as `{example}`.',
  'no-previous-answer': 'There is no earlier answer in this channel to take citation {ref} from. Ask a question first, or use a passage id.',
  'corpus-empty': 'The corpus has no readable documents under {dir}.{skipped}',
  'question-log-unavailable': "The question log can't be read right now (the bot's log says why). Please try again later.",
  'index-build-failed': 'Building the index failed: {detail}. The previous index is unchanged.',
  'document-no-source': 'Give me one document: attach a file (file:) or paste a link (url:).',
  'document-two-sources': 'Give either a file or a link, not both — one document at a time.',
  'document-url-invalid': "I can't fetch {url}: {detail}. Give an http:// or https:// link.",
  'document-url-private': "I won't fetch from {host}: it is {range} ({address}). Links must lead to public web servers; the bot's operator can allow private addresses with DOCUMENT_URL_ALLOW_PRIVATE=true.",
  'document-download-failed': 'Downloading {url} failed: {detail}. Nothing was changed.',
  'document-type-mismatch': 'Not added: {url} — {detail}. Nothing was changed.',
  'document-too-large': 'Not added: {name} is {size}, over the {max} limit (DOCUMENT_MAX_BYTES). Nothing was changed.',
  'document-refused': 'Not added: {name} — {reason}. Nothing was changed.',
  'document-disk-full': "There is no room left on the bot's disk to save {name}. Nothing was changed; ask the bot's operator to free some space.",
  'document-save-failed': 'Saving {name} failed ({detail}). Nothing was changed.',
  'document-not-found': 'There is no document "{name}" in the corpus. /documents list shows them.',
  'document-not-kept': 'There is no removed document "{name}" to restore. Start typing its name to pick one of those kept aside.',
  'document-last': "{name} is the only readable document, and the corpus can't be empty. Add another document first.",
  'document-log-unavailable': "The log can't be written right now, so nothing was changed (every document change is recorded there). Please try again later.",
  'document-reindex-failed': 'The reindex after {action} {name} failed ({detail}), so the change was undone: the documents and the index are as they were.',
  'document-undo-failed': "The reindex after {action} {name} failed ({detail}), and undoing the change failed too ({undo}). The previous index is still answering; the bot's operator should check {path}.",
  'unknown-interaction': "I don't know {what} — it may be left over from an older version of me, or belong to another app. Type `/help` to see what I can do.",
  'invalid-options': "I couldn't read the options of /{command} ({problem}). Discord may still be showing an older version of the command; please try again in a minute.",
} as const;

export type UserErrorCode = keyof typeof MESSAGES;

/** An error whose message is meant for the user, not a stack trace. */
export class UserError extends Error {
  readonly code: UserErrorCode;
  readonly params: Record<string, string | number>;

  constructor(code: UserErrorCode, params: Record<string, string | number> = {}) {
    super(formatUserMessage(code, params));
    this.name = 'UserError';
    this.code = code;
    this.params = params;
  }
}

/**
 * The catalog message for a code, with `{name}` placeholders filled in. Text values pass
 * through `escape` first: a front end that renders Markdown (Discord) passes its escaper, so
 * whatever a user typed (a ref, a question) is repeated as written, never as live markup.
 */
export function formatUserMessage(code: UserErrorCode, params: Record<string, string | number> = {}, escape: (text: string) => string = (text) => text): string {
  return MESSAGES[code].replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    const value = params[name]!;
    return typeof value === 'string' ? escape(value) : String(value);
  });
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
