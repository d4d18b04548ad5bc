import { ApiErrorBody } from '../../shared/errors.ts';

/** An API call that failed, carrying the server's error code when it sent one. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** The error's `details` as the server sent them (their shape depends on the code). */
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** GETs (or sends) JSON from the server's API and throws an `ApiError` with the server's message on failure. */
export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init?.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    ...init,
    headers: { ...headers, ...(init?.headers as Record<string, string> | undefined) },
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const parsed = ApiErrorBody.safeParse(body);
    if (parsed.success) {
      const { code, message, details } = parsed.data.error;
      throw new ApiError(response.status, code, message, details);
    }
    throw new ApiError(response.status, 'http_error', `${url} answered ${response.status} ${response.statusText}`);
  }
  return body as T;
}
