import { DiscordAPIError, DiscordjsErrorCodes, GatewayCloseCodes, HTTPError, RESTJSONErrorCodes } from 'discord.js';

/**
 * Start-up failures an owner can fix, each as one sentence saying what is wrong and
 * what to do — instead of a stack trace from inside discord.js. Never includes the token.
 */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

/** Where privileged intents are switched on. */
export const PRIVILEGED_INTENTS_SETTING = 'Developer Portal → your application → Bot → Privileged Gateway Intents';

/** What start-up was doing when it failed, for the sentence. */
export interface StartupStage {
  apiUrl: string;
  guildId: string | null;
  applicationId: string | null;
  /** The last gateway close code seen (e.g. 4014), if the gateway closed. */
  closeCode: number | null;
}

/** Node's network error codes, in words. */
const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ENOTFOUND: 'the host name was not found',
  EAI_AGAIN: 'the host name could not be looked up',
  ETIMEDOUT: 'the connection timed out',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
};

/** The one-sentence StartupError for a known start-up failure, or null for anything else (a bug). */
export function explainStartupError(error: unknown, stage: StartupStage): StartupError | null {
  const sentence = describe(error, stage);
  return sentence === null ? null : new StartupError(sentence, { cause: error });
}

function describe(error: unknown, stage: StartupStage): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === DiscordjsErrorCodes.TokenInvalid || stage.closeCode === GatewayCloseCodes.AuthenticationFailed) {
    return 'discord: Discord rejected DISCORD_TOKEN — copy the bot token again (Developer Portal → your application → Bot → Reset Token) and set DISCORD_TOKEN to it.';
  }
  if (stage.closeCode === GatewayCloseCodes.DisallowedIntents || stage.closeCode === GatewayCloseCodes.InvalidIntents) {
    return `discord: Discord refused the gateway intents the bot asks for (close ${stage.closeCode}) — allow them under ${PRIVILEGED_INTENTS_SETTING}.`;
  }
  if (error instanceof DiscordAPIError && error.status === 401) return describe({ code: DiscordjsErrorCodes.TokenInvalid }, stage);
  if (error instanceof DiscordAPIError) {
    if (error.code === RESTJSONErrorCodes.UnknownApplication) {
      const application = stage.applicationId ? `application ${stage.applicationId}` : 'application';
      return `discord: Discord knows no ${application} for this DISCORD_TOKEN (Unknown Application) — check the token belongs to the bot of an existing application in the Developer Portal.`;
    }
    if (stage.guildId && (error.code === RESTJSONErrorCodes.MissingAccess || error.code === RESTJSONErrorCodes.UnknownGuild)) {
      return `discord: the bot cannot register its commands in server ${stage.guildId} (DISCORD_GUILD_ID): it is not in that server, or was invited without the applications.commands scope — invite it with the link in the README, or unset DISCORD_GUILD_ID.`;
    }
    return null;
  }
  if (error instanceof HTTPError && error.status >= 500) {
    return `discord: Discord answered ${error.status} at start-up (an outage on its side) — try again later; https://discordstatus.com shows incidents.`;
  }
  const network = networkCause(error);
  if (network) {
    return `discord: cannot reach Discord at ${stage.apiUrl}: ${network} — check this machine's network connection, or DISCORD_API_URL.`;
  }
  return null;
}

/** The network failure behind a failed fetch (undici hides it in `cause`), in words. */
function networkCause(error: unknown): string | null {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code in NETWORK_ERRORS) return `${NETWORK_ERRORS[code]} (${code})`;
  }
  return null;
}
