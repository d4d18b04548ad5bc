// A Module Federation runtime plugin that loads a remote deployed at its own URL only as an admin approved it:
// its mf-manifest.json must hash to the pinned digest, and every script and style sheet from its origin gets the
// pinned `integrity` (and `crossorigin`), so the browser refuses a changed file. A file the pin does not list is
// refused too (fail closed): without an integrity value the browser would run whatever it gets.
import type { ModuleFederationRuntimePlugin } from '@module-federation/enhanced/runtime';
import type { RemoteRef } from '../../shared/api.schema.ts';

type Pin = NonNullable<RemoteRef['pin']>;

/** A well-formed integrity value no file has: what an unlisted file from a pinned origin gets. */
export const REFUSED_INTEGRITY = `sha384-${'A'.repeat(64)}`;

/** The remote changed since an admin approved it; the message says which file. */
export class RemoteChangedError extends Error {
  override name = 'RemoteChangedError';
  /** The change the runtime's own error wraps (it rethrows hook errors in its own words), if any. */
  static within(error: unknown): RemoteChangedError | undefined {
    const text = String((error as Error | undefined)?.message ?? error);
    const found = /(\S+ changed since an admin approved it)/.exec(text);
    return found ? new RemoteChangedError(found[1]) : undefined;
  }
}

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Fetches a pinned remote's mf-manifest.json and passes it on only if it hashes to the pinned digest. */
async function checkedFetch(url: string, init: RequestInit, pin: Pin): Promise<Response> {
  const response = await fetch(url, { ...init, cache: 'no-store' });
  const bytes = await response.arrayBuffer();
  if (!response.ok || (await sha256Hex(bytes)) !== pin.manifestSha256) {
    throw new RemoteChangedError(`${new URL(url).pathname.split('/').pop()} changed since an admin approved it`);
  }
  return new Response(bytes, { status: response.status, headers: response.headers });
}

/** The pins of the remotes registered now, by entry URL; the runtime plugin reads them on every load. */
export function createPinnedRemotes() {
  const byName = new Map<string, { entry: string; pin: Pin | undefined }>();
  const byEntry = new Map<string, Pin>();
  const byOrigin = new Map<string, Pin[]>();

  function integrityOf(url: string): string | undefined {
    const pins = byOrigin.get(new URL(url, window.location.href).origin);
    if (!pins) return undefined;
    return pins.map((p) => p.integrity[url]).find(Boolean) ?? REFUSED_INTEGRITY;
  }

  function pinned<T extends HTMLScriptElement | HTMLLinkElement>(element: T, url: string): T | undefined {
    const integrity = integrityOf(url);
    if (!integrity) return undefined;
    element.crossOrigin = 'anonymous';
    element.integrity = integrity;
    return element;
  }

  const plugin: ModuleFederationRuntimePlugin = {
    name: 'workbench-pinned-remotes',
    fetch(url: string, init: RequestInit) {
      const pin = byEntry.get(url);
      return pin ? checkedFetch(url, init, pin) : undefined;
    },
    createScript({ url }: { url: string }) {
      const script = pinned(document.createElement('script'), url);
      if (script) script.src = url;
      return script;
    },
    createLink({ url }: { url: string }) {
      const link = pinned(document.createElement('link'), url);
      if (link) link.href = url;
      return link;
    },
  };

  return {
    plugin,
    /** Records (or drops, when `remote.pin` is absent) the pin of a remote about to be registered at `entry`. */
    set(remote: RemoteRef, entry: string): void {
      byName.set(remote.name, { entry, pin: remote.pin });
      byEntry.clear();
      byOrigin.clear();
      for (const { entry: url, pin } of byName.values()) {
        if (!pin) continue;
        byEntry.set(url, pin);
        const origin = new URL(url).origin;
        byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), pin]);
      }
    },
    /**
     * Loads every script the pin lists (remoteEntry.js and every chunk) with its integrity before the runtime asks
     * for them: the remote's own chunk loader sets no integrity, so its chunks must already be installed when it
     * runs. Rejects naming the first file the browser refused.
     */
    async preload(remote: RemoteRef, entry: string): Promise<void> {
      const scripts = Object.entries(remote.pin?.integrity ?? {}).filter(
        ([url]) => url !== entry && !url.endsWith('.css'),
      );
      await Promise.all(
        scripts.map(
          ([url, integrity]) =>
            new Promise<void>((resolve, reject) => {
              const script = document.createElement('script');
              script.crossOrigin = 'anonymous';
              script.integrity = integrity;
              script.onload = () => (script.remove(), resolve());
              script.onerror = () => {
                script.remove();
                reject(
                  new RemoteChangedError(
                    `${new URL(url).pathname.split('/').pop()} changed since an admin approved it`,
                  ),
                );
              };
              script.src = url;
              document.head.append(script);
            }),
        ),
      );
    },
  };
}
