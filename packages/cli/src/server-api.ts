// The CLI's client of a running server's HTTP API: calls a route by its contract (the SDK's, which the server
// registers the route from) with an API token, and reads the answer with the contract's schemas.
import {
  readAnswer,
  routeUrl,
  type AnswerFailure,
  type RawBytes,
  type RouteContract,
  type RouteInput,
  type RouteResponse,
} from '@dbt-workbench/plugin-sdk/contracts/http';
import { CliError } from './errors.ts';

/** A call's outcome: the parsed answer, or why it failed (the server's `{error}`, or a body of the wrong shape). */
export type ServerAnswer<C extends RouteContract> =
  { ok: true; status: number; value: RouteResponse<C> } | { ok: false; failure: AnswerFailure };

/** Calls `contract` on `server` with `token`; an unreachable server is a CliError naming it, `command` and the cause. */
export async function callServer<C extends RouteContract>(
  command: string,
  server: URL,
  token: string,
  contract: C,
  input: RouteInput<C>,
): Promise<ServerAnswer<C>> {
  const body = (input as { body?: unknown }).body;
  const raw = body instanceof Uint8Array ? (body as RawBytes) : undefined;
  let response: Response;
  try {
    response = await fetch(new URL(routeUrl(contract, input), server), {
      method: contract.method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': raw ? (contract.rawBody ?? '') : 'application/json' }),
      },
      ...(body === undefined ? {} : { body: raw ?? JSON.stringify(body) }),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new CliError(
      `${command}: cannot reach ${server.origin} (${cause?.code ?? cause?.message ?? (error as Error).message})`,
    );
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const answer = readAnswer(contract, { status: response.status, body: json });
  if (answer.ok) return { ok: true, status: response.status, value: answer.value };
  // Not our error shape (a proxy's page, say): its own words are the best message.
  if (answer.failure.kind === 'error' && answer.failure.code === 'http_error' && text)
    return { ok: false, failure: { ...answer.failure, code: '', message: text.slice(0, 200) } };
  return answer;
}
