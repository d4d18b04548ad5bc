import type { Capability } from '@dbt-workbench/plugin-sdk/contracts/capabilities';
import { hostDataRefusal } from '@dbt-workbench/plugin-sdk/contracts/ui-isolation';
import type { HostDataMethod } from '../../isolation/bridge-contract.ts';

/** A call a frame makes over the bridge, as the gate sees it. */
export type BridgeCall =
  | { kind: 'data'; method: HostDataMethod }
  | { kind: 'fetch' | 'storage' | 'notify' | 'navigate' | 'callback' | 'frame' };

/** What the plugin may do in this workspace right now, from the extensions list the shell already holds. */
export interface BridgeGrant {
  /** The plugin is active and enabled in this workspace (its contribution is still listed). */
  enabled: boolean;
  capabilities: readonly Capability[];
}

/** Why a call is refused, in words for the plugin's team and the admin; null when it may go on. Pure. */
export function refusalOf(call: BridgeCall, grant: BridgeGrant): string | null {
  if (!grant.enabled) return 'the plugin is not enabled in this workspace';
  return call.kind === 'data' ? hostDataRefusal(call.method, grant.capabilities) : null;
}

export interface CallBudget {
  /** Takes one call from the budget; false when the frame has spent it (the call is then refused). */
  take(): boolean;
}

/**
 * A token bucket per frame: `burst` calls at once, refilled at `perSecond`. A frame that floods the bridge is
 * refused beyond it rather than slowing the page.
 */
export function createCallBudget(options: { perSecond: number; burst: number; now?: () => number }): CallBudget {
  const now = options.now ?? (() => performance.now());
  let tokens = options.burst;
  let last = now();
  return {
    take() {
      const at = now();
      tokens = Math.min(options.burst, tokens + ((at - last) / 1000) * options.perSecond);
      last = at;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
