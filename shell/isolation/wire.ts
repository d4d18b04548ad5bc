import type { WireBody, WireRequest, WireResponse } from './bridge-contract.ts';

/** Splits slot props into data that can cross the bridge and the names of the callbacks among them. Pure. */
export function splitProps(props: Record<string, unknown>): { data: Record<string, unknown>; callbacks: string[] } {
  const data: Record<string, unknown> = {};
  const callbacks: string[] = [];
  for (const [key, value] of Object.entries(props)) {
    if (typeof value === 'function') callbacks.push(key);
    else data[key] = value;
  }
  return { data, callbacks };
}

function wireBody(body: BodyInit | null | undefined): WireBody {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return body;
  if (body instanceof ArrayBuffer) return body;
  if (ArrayBuffer.isView(body))
    return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
  if (body instanceof URLSearchParams) return body.toString();
  throw new TypeError('sdk.fetch in an isolated plugin sends text, JSON strings, URLSearchParams or bytes as a body');
}

/** A fetch init as it crosses from the frame to the host. */
export function toWireRequest(init: RequestInit | undefined): WireRequest {
  return {
    method: init?.method,
    headers: [...new Headers(init?.headers).entries()],
    body: wireBody(init?.body),
  };
}

export function fromWireRequest(request: WireRequest): RequestInit {
  return { method: request.method, headers: request.headers, body: request.body ?? undefined };
}

export async function toWireResponse(response: Response): Promise<WireResponse> {
  return {
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers.entries()],
    body: await response.arrayBuffer(),
  };
}

export function fromWireResponse(wire: WireResponse): Response {
  // 204, 205 and 304 may not carry a body.
  const body = [204, 205, 304].includes(wire.status) ? null : wire.body;
  return new Response(body, { status: wire.status, statusText: wire.statusText, headers: wire.headers });
}
