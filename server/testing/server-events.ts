/**
 * Opens `GET /api/events` on a listening app as a shell would, runs `act`, and returns the first event `until`
 * accepts (rejects after 5 s). Real HTTP, real server-sent events.
 */
export async function serverEventAfter(
  address: string,
  cookie: string,
  until: (event: Record<string, unknown>) => boolean,
  act: () => Promise<unknown>,
): Promise<Record<string, unknown>> {
  const controller = new AbortController();
  const response = await fetch(`${address}/api/events`, { headers: { cookie }, signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  await act();
  const timeout = setTimeout(() => controller.abort(), 5_000);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the event stream ended');
      buffer += decoder.decode(value, { stream: true });
      const blocks = buffer.split('\n\n');
      buffer = blocks.pop() ?? '';
      for (const block of blocks) {
        const data = block.split('\n').find((line) => line.startsWith('data: '));
        const event = data ? (JSON.parse(data.slice(6)) as Record<string, unknown>) : undefined;
        if (event && until(event)) return event;
      }
    }
  } finally {
    clearTimeout(timeout);
    controller.abort();
  }
}
