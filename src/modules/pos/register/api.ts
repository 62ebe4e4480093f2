import type { SendOutcome } from './queue.ts';

/**
 * The register's calls to the POS and auth APIs (browser side). Calls at the till carry the
 * signed-in cashier's bearer token (what the till may do follows the staff member, not the
 * browser user); only registering this browser as a terminal rides on the browser session.
 */

export const REQUEST_TIMEOUT_MS = 15_000;

/** The error envelope's useful parts, or a network failure. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
    readonly reason: string | null,
    /** 0: not reached (offline, timeout, connection refused). */
    readonly network = status === 0,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface TokenPair {
  accessToken: string;
  accessExpiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
}

interface CallOptions {
  method?: string;
  body?: unknown;
  bearer?: string;
  /** The browser session's CSRF token (session-authenticated writes only). */
  csrfToken?: string;
  timeoutMs?: number;
}

export async function apiCall<T>(path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  if (options.csrfToken) headers['x-csrf-token'] = options.csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      // Only the calls made as the browser user (they bring the CSRF token) carry the session
      // cookie; till calls are bearer or public (PIN sign-in, refresh), and a cookie riding along
      // would make them session writes that need CSRF.
      credentials: options.csrfToken ? 'same-origin' : 'omit',
      cache: 'no-store',
      signal: AbortSignal.timeout(options.timeoutMs ?? REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new ApiError(timedOut ? 'The server did not answer in time.' : 'The server could not be reached.', 0, null, null);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  if (!response.ok) {
    const envelope = (parsed as { error?: { code?: string; message?: string; details?: { reason?: string } } } | undefined)?.error;
    throw new ApiError(envelope?.message ?? `The server answered ${response.status}.`, response.status, envelope?.code ?? null, envelope?.details?.reason ?? null);
  }
  return parsed as T;
}

/** Is this error worth sending the same request again later (vs. a refusal that will not change)? */
export function isTransient(error: ApiError): boolean {
  return error.network || error.status >= 500 || error.status === 429 || error.status === 408;
}

/** Maps a sale submission's result onto the queue's outcome. */
export async function sendSale(body: unknown, accessToken: string | null): Promise<SendOutcome> {
  if (!accessToken) return { kind: 'retry', error: 'The cashier who rang up this sale must sign in again to send it.' };
  try {
    const { data } = await apiCall<{ data: { saleNumber: string } }>('/v1/pos/sales', { body, bearer: accessToken });
    return { kind: 'synced', saleNumber: data.saleNumber };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    // An expired or revoked sign-in is not the sale's fault: keep it until the cashier signs in again.
    if (isTransient(error) || error.status === 401) return { kind: 'retry', error: error.message };
    return { kind: 'rejected', error: error.message };
  }
}
