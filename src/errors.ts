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
