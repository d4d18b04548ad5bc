/** A server event as `GET /api/events` sends it (`data: {...}`). */
export type ServerEvent = Record<string, unknown>;

/** The events of a `GET /api/events` answer, parsed as they arrive; ends with the stream. */
async function* eventsOf(response: Response): AsyncGenerator<ServerEvent> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    const blocks = buffer.split('\n\n');
    buffer = blocks.pop() ?? '';
    for (const block of blocks) {
      const data = block.split('\n').find((line) => line.startsWith('data: '));
      if (data) yield JSON.parse(data.slice(6)) as ServerEvent;
    }
  }
}

/**
 * Opens `GET /api/events` on a listening app as a shell would, runs `act`, and returns the first event `until`
 * accepts (rejects after 5 s). Real HTTP, real server-sent events.
 */
export async function serverEventAfter(
  address: string,
  cookie: string,
  until: (event: ServerEvent) => boolean,
  act: () => Promise<unknown>,
): Promise<ServerEvent> {
  const controller = new AbortController();
  const response = await fetch(`${address}/api/events`, { headers: { cookie }, signal: controller.signal });
  await act();
  const timeout = setTimeout(() => controller.abort(), 5_000);
  try {
    for await (const event of eventsOf(response)) if (until(event)) return event;
    throw new Error('the event stream ended');
  } finally {
    clearTimeout(timeout);
    controller.abort();
  }
}

/**
 * Follows `GET /api/events` on a listening app as an open shell does, calling `onEvent` with each event and the
 * `performance.now()` of its arrival, until the returned function closes the stream.
 */
export async function followServerEvents(
  address: string,
  cookie: string,
  onEvent: (event: ServerEvent, at: number) => void,
): Promise<() => void> {
  const controller = new AbortController();
  const response = await fetch(`${address}/api/events`, { headers: { cookie }, signal: controller.signal });
  void (async () => {
    for await (const event of eventsOf(response)) onEvent(event, performance.now());
  })().catch(() => undefined); // the stream closed or aborted: nothing more to follow
  return () => controller.abort();
}
