/**
 * The checks Discord makes on what a bot sends, answered the way Discord answers
 * them (400 "Invalid Form Body", code 50035, with nested `errors`). A fake that
 * accepted a 2,001-character message or an invalid command name would let the
 * bot pass tests that fail against Discord.
 */

/** One problem with a request body, at a path such as `['embeds', 0, 'description']`. */
export interface FormIssue {
  path: readonly (string | number)[];
  code: string;
  message: string;
}

/** The JSON body of a Discord error response. */
export interface DiscordErrorBody {
  message: string;
  code: number;
  errors?: Record<string, unknown>;
}

/** Discord's JSON error codes the fake answers with. */
export const DiscordErrorCode = {
  General: 0,
  UnknownApplication: 10002,
  UnknownChannel: 10003,
  UnknownGuild: 10004,
  UnknownMember: 10007,
  UnknownMessage: 10008,
  UnknownUser: 10013,
  UnknownWebhook: 10015,
  UnknownInteraction: 10062,
  NotAuthorizedForApplication: 20012,
  InteractionAlreadyAcknowledged: 40060,
  MissingAccess: 50001,
  CannotEditOtherUsersMessage: 50005,
  CannotSendEmptyMessage: 50006,
  CannotExecuteOnChannelType: 50024,
  InvalidWebhookToken: 50027,
  InvalidFormBody: 50035,
  InvalidJsonBody: 50109,
  ThreadAlreadyCreatedForMessage: 160004,
} as const;

/** Limits from Discord's documentation (messages, embeds, components, commands). */
export const DiscordLimit = {
  contentLength: 2000,
  embedsPerMessage: 10,
  embedTitleLength: 256,
  embedDescriptionLength: 4096,
  embedFields: 25,
  embedFieldNameLength: 256,
  embedFieldValueLength: 1024,
  embedFooterLength: 2048,
  embedAuthorNameLength: 256,
  embedTotalLength: 6000,
  actionRowsPerMessage: 5,
  componentsPerActionRow: 5,
  customIdLength: 100,
  buttonLabelLength: 80,
  autocompleteChoices: 25,
  choiceNameLength: 100,
  choiceStringValueLength: 100,
  threadNameLength: 100,
  commandNameLength: 32,
  commandDescriptionLength: 100,
  commandOptions: 25,
  chatInputCommands: 100,
} as const;

/** Turns issues into Discord's error body: `errors` nested along each path, ending in `_errors`. */
export function toInvalidFormBody(issues: readonly FormIssue[]): DiscordErrorBody {
  const errors: Record<string, unknown> = {};
  for (const issue of issues) {
    let node: Record<string, unknown> = errors;
    for (const key of issue.path) {
      const name = String(key);
      node[name] ??= {};
      node = node[name] as Record<string, unknown>;
    }
    const list = (node['_errors'] ??= []) as { code: string; message: string }[];
    list.push({ code: issue.code, message: issue.message });
  }
  return { message: 'Invalid Form Body', code: DiscordErrorCode.InvalidFormBody, errors };
}

/** Narrows an unknown JSON value to an object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function maxLength(issues: FormIssue[], path: FormIssue['path'], value: unknown, max: number): void {
  if (typeof value === 'string' && value.length > max) {
    issues.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  }
}

function requiredString(issues: FormIssue[], path: FormIssue['path'], value: unknown, max: number): void {
  if (typeof value !== 'string' || value.length === 0) {
    issues.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    return;
  }
  maxLength(issues, path, value, max);
}

function maxItems(issues: FormIssue[], path: FormIssue['path'], value: unknown, max: number): void {
  if (Array.isArray(value) && value.length > max) {
    issues.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  }
}

/** Checks one embed's limits and returns how many characters count towards the 6,000 total. */
function checkEmbed(issues: FormIssue[], index: number, embed: unknown): number {
  const path = ['embeds', index];
  if (!isRecord(embed)) {
    issues.push({ path, code: 'MODEL_TYPE_CONVERT', message: 'Only dictionaries may be used in a ModelType' });
    return 0;
  }
  let total = 0;
  const count = (text: unknown): void => {
    if (typeof text === 'string') total += text.length;
  };
  maxLength(issues, [...path, 'title'], embed['title'], DiscordLimit.embedTitleLength);
  count(embed['title']);
  maxLength(issues, [...path, 'description'], embed['description'], DiscordLimit.embedDescriptionLength);
  count(embed['description']);
  const footer = embed['footer'];
  if (isRecord(footer)) {
    maxLength(issues, [...path, 'footer', 'text'], footer['text'], DiscordLimit.embedFooterLength);
    count(footer['text']);
  }
  const author = embed['author'];
  if (isRecord(author)) {
    maxLength(issues, [...path, 'author', 'name'], author['name'], DiscordLimit.embedAuthorNameLength);
    count(author['name']);
  }
  const fields = embed['fields'];
  maxItems(issues, [...path, 'fields'], fields, DiscordLimit.embedFields);
  if (Array.isArray(fields)) {
    fields.forEach((field: unknown, fieldIndex) => {
      const fieldPath = [...path, 'fields', fieldIndex];
      if (!isRecord(field)) return;
      requiredString(issues, [...fieldPath, 'name'], field['name'], DiscordLimit.embedFieldNameLength);
      requiredString(issues, [...fieldPath, 'value'], field['value'], DiscordLimit.embedFieldValueLength);
      count(field['name']);
      count(field['value']);
    });
  }
  return total;
}

function checkComponents(issues: FormIssue[], components: unknown): void {
  maxItems(issues, ['components'], components, DiscordLimit.actionRowsPerMessage);
  if (!Array.isArray(components)) return;
  components.forEach((row: unknown, rowIndex) => {
    if (!isRecord(row)) return;
    const children = row['components'];
    maxItems(issues, ['components', rowIndex, 'components'], children, DiscordLimit.componentsPerActionRow);
    if (!Array.isArray(children)) return;
    children.forEach((child: unknown, childIndex) => {
      if (!isRecord(child)) return;
      const path = ['components', rowIndex, 'components', childIndex];
      maxLength(issues, [...path, 'custom_id'], child['custom_id'], DiscordLimit.customIdLength);
      maxLength(issues, [...path, 'label'], child['label'], DiscordLimit.buttonLabelLength);
    });
  });
}

/**
 * Checks a message body (create or edit) against Discord's length and count
 * limits. Emptiness is checked separately (`isEmptyMessage`), since for an edit
 * it depends on the message being edited.
 */
export function findMessageIssues(body: Record<string, unknown>): FormIssue[] {
  const issues: FormIssue[] = [];
  if ('content' in body && body['content'] !== null && typeof body['content'] !== 'string') {
    issues.push({ path: ['content'], code: 'BASE_TYPE_STRING', message: 'Must be a string.' });
  }
  maxLength(issues, ['content'], body['content'], DiscordLimit.contentLength);
  const embeds = body['embeds'];
  maxItems(issues, ['embeds'], embeds, DiscordLimit.embedsPerMessage);
  if (Array.isArray(embeds)) {
    const total = embeds.reduce((sum: number, embed: unknown, index) => sum + checkEmbed(issues, index, embed), 0);
    if (total > DiscordLimit.embedTotalLength) {
      issues.push({
        path: ['embeds'],
        code: 'MAX_EMBED_SIZE_EXCEEDED',
        message: `Embed size exceeds maximum size of ${DiscordLimit.embedTotalLength}`,
      });
    }
  }
  checkComponents(issues, body['components']);
  const allowedMentions = body['allowed_mentions'];
  if (isRecord(allowedMentions) && Array.isArray(allowedMentions['parse'])) {
    allowedMentions['parse'].forEach((value: unknown, index) => {
      if (value !== 'roles' && value !== 'users' && value !== 'everyone') {
        issues.push({
          path: ['allowed_mentions', 'parse', index],
          code: 'BASE_TYPE_CHOICES',
          message: 'Value must be one of (\'roles\', \'users\', \'everyone\').',
        });
      }
    });
  }
  return issues;
}

/** True when a message would show nothing: Discord refuses those (code 50006). */
export function isEmptyMessage(message: {
  content?: unknown;
  embeds?: unknown;
  components?: unknown;
  attachments?: unknown;
  sticker_ids?: unknown;
  poll?: unknown;
}): boolean {
  const nonEmpty = (value: unknown): boolean => Array.isArray(value) && value.length > 0;
  return (
    (typeof message.content !== 'string' || message.content.length === 0) &&
    !nonEmpty(message.embeds) &&
    !nonEmpty(message.components) &&
    !nonEmpty(message.attachments) &&
    !nonEmpty(message.sticker_ids) &&
    message.poll === undefined
  );
}

/** Checks an autocomplete result (callback type 8): at most 25 choices, names 1–100 characters. */
export function findAutocompleteIssues(data: unknown): FormIssue[] {
  const issues: FormIssue[] = [];
  const choices = isRecord(data) ? data['choices'] : undefined;
  if (!Array.isArray(choices)) {
    issues.push({ path: ['data', 'choices'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    return issues;
  }
  maxItems(issues, ['data', 'choices'], choices, DiscordLimit.autocompleteChoices);
  choices.forEach((choice: unknown, index) => {
    const path = ['data', 'choices', index];
    if (!isRecord(choice)) return;
    requiredString(issues, [...path, 'name'], choice['name'], DiscordLimit.choiceNameLength);
    const value = choice['value'];
    if (typeof value === 'string') maxLength(issues, [...path, 'value'], value, DiscordLimit.choiceStringValueLength);
    else if (typeof value !== 'number') {
      issues.push({ path: [...path, 'value'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    }
  });
  return issues;
}

/** Checks a thread name (1–100 characters). */
export function findThreadIssues(body: Record<string, unknown>): FormIssue[] {
  const issues: FormIssue[] = [];
  requiredString(issues, ['name'], body['name'], DiscordLimit.threadNameLength);
  return issues;
}

// Discord's documented pattern for command and option names; they must also be lowercase.
const COMMAND_NAME_PATTERN = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

const SUBCOMMAND = 1;
const SUBCOMMAND_GROUP = 2;
const CHAT_INPUT = 1;

function checkName(issues: FormIssue[], path: FormIssue['path'], name: unknown): void {
  if (typeof name !== 'string' || !COMMAND_NAME_PATTERN.test(name) || name !== name.toLowerCase()) {
    issues.push({
      path: [...path, 'name'],
      code: 'APPLICATION_COMMAND_INVALID_NAME',
      message: `Command name is invalid: ${JSON.stringify(name)}`,
    });
  }
}

function checkOptions(issues: FormIssue[], path: FormIssue['path'], options: unknown): void {
  if (options === undefined || options === null) return;
  if (!Array.isArray(options)) {
    issues.push({ path: [...path, 'options'], code: 'BASE_TYPE_LIST', message: 'Must be an array.' });
    return;
  }
  maxItems(issues, [...path, 'options'], options, DiscordLimit.commandOptions);
  const seen = new Set<string>();
  let optionalSeen = false;
  options.forEach((option: unknown, index) => {
    const optionPath = [...path, 'options', index];
    if (!isRecord(option)) return;
    checkName(issues, optionPath, option['name']);
    const description = option['description'];
    requiredString(issues, [...optionPath, 'description'], description, DiscordLimit.commandDescriptionLength);
    const name = String(option['name']);
    if (seen.has(name)) {
      issues.push({
        path: optionPath,
        code: 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
        message: 'Option names must be unique',
      });
    }
    seen.add(name);
    const type = option['type'];
    if (type === SUBCOMMAND || type === SUBCOMMAND_GROUP) {
      checkOptions(issues, optionPath, option['options']);
      return;
    }
    if (option['required'] === true && optionalSeen) {
      issues.push({
        path: optionPath,
        code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
        message: 'Required options must be placed before non-required options',
      });
    }
    if (option['required'] !== true) optionalSeen = true;
    const choices = option['choices'];
    maxItems(issues, [...optionPath, 'choices'], choices, DiscordLimit.autocompleteChoices);
    if (option['autocomplete'] === true && Array.isArray(choices) && choices.length > 0) {
      issues.push({
        path: [...optionPath, 'autocomplete'],
        code: 'APPLICATION_COMMAND_AUTOCOMPLETE_INVALID',
        message: 'Autocomplete cannot be set for options with choices',
      });
    }
  });
}

/** Checks a bulk-overwrite body (`PUT …/commands`) the way Discord validates it. */
export function findCommandIssues(body: unknown): FormIssue[] {
  const issues: FormIssue[] = [];
  if (!Array.isArray(body)) {
    issues.push({ path: [], code: 'BASE_TYPE_LIST', message: 'Must be an array.' });
    return issues;
  }
  const chatInput = body.filter(
    (command: unknown) => isRecord(command) && (command['type'] ?? CHAT_INPUT) === CHAT_INPUT,
  );
  if (chatInput.length > DiscordLimit.chatInputCommands) {
    const message = `Must be ${DiscordLimit.chatInputCommands} or fewer in length.`;
    issues.push({ path: [], code: 'BASE_TYPE_MAX_LENGTH', message });
  }
  const seen = new Set<string>();
  body.forEach((command: unknown, index) => {
    const path = [index];
    if (!isRecord(command)) {
      issues.push({ path, code: 'MODEL_TYPE_CONVERT', message: 'Only dictionaries may be used in a ModelType' });
      return;
    }
    const type = command['type'] ?? CHAT_INPUT;
    if (type === CHAT_INPUT) {
      checkName(issues, path, command['name']);
      requiredString(issues, [...path, 'description'], command['description'], DiscordLimit.commandDescriptionLength);
    } else {
      requiredString(issues, [...path, 'name'], command['name'], DiscordLimit.commandNameLength);
    }
    const key = `${String(type)}:${String(command['name'])}`;
    if (seen.has(key)) {
      const message = 'Application command names must be unique';
      issues.push({ path, code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message });
    }
    seen.add(key);
    checkOptions(issues, path, command['options']);
  });
  return issues;
}
