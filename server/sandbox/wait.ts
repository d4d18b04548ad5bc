/**
 * Waits until `done()` holds or `ms` pass. Whoever changes what `done` reads calls every function in
 * `waiters`, which wakes the wait to look again; no polling.
 */
export async function waitUntil(done: () => boolean, ms: number, waiters: Set<() => void>): Promise<void> {
  const until = Date.now() + ms;
  while (!done() && Date.now() < until) {
    await new Promise<void>((resolve) => {
      const wake = () => {
        waiters.delete(wake);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(wake, until - Date.now());
      waiters.add(wake);
    });
  }
}
