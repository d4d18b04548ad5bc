import { toBridgeBody } from '@dbt-workbench/plugin-sdk/contracts/ui-isolation';
import type { WireRequest, WireResponse } from './bridge-contract.ts';

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

/** A fetch init as it crosses from the frame to the host. */
export function toWireRequest(init: RequestInit | undefined): WireRequest {
  return {
    method: init?.method,
    headers: [...new Headers(init?.headers).entries()],
    body: toBridgeBody(init?.body),
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
