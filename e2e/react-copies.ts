import type { Frame, Page } from '@playwright/test';

/**
 * Counts React DOM renderers in a page and in each of its frames by standing in for the React DevTools hook, which
 * every copy of react-dom calls on load. Call before the first navigation; read with `reactRenderers(page or frame)`.
 */
export async function countReactRenderers(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const renderers: unknown[] = [];
    Object.defineProperty(window, '__REACT_DEVTOOLS_GLOBAL_HOOK__', {
      value: {
        supportsFiber: true,
        renderers: new Map(),
        inject(renderer: unknown) {
          renderers.push(renderer);
          return renderers.length;
        },
        onCommitFiberRoot() {},
        onCommitFiberUnmount() {},
        onPostCommitFiberRoot() {},
        checkDCE() {},
      },
    });
    (window as unknown as { __wbRenderers: unknown[] }).__wbRenderers = renderers;
  });
}

export function reactRenderers(target: Page | Frame): Promise<number> {
  return target.evaluate(() => (window as unknown as { __wbRenderers: unknown[] }).__wbRenderers.length);
}
