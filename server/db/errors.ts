/** Node's socket errors and PostgreSQL's SQLSTATEs that mean "the database cannot be reached", not "bad SQL". */
const connectionErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000', // connection_exception
  '08001',
  '08003',
  '08004',
  '08006',
]);

/** Whether `error` says the connection to the database is gone or could not be made. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && connectionErrorCodes.has(code)) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(
    error.message,
  );
}

/**
 * The database cannot be reached right now. Carries `statusCode` 503, so the API's error handler answers
 * `{error: {code: 'service_unavailable'}}` and a client knows to retry.
 */
export class DatabaseUnavailableError extends Error {
  readonly statusCode = 503;

  constructor(cause: unknown) {
    super('The database is not reachable right now; retry in a moment.', { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

/** `url` with its password replaced by `***`, for messages and logs. */
export function maskedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a valid URL)';
  }
}
