import type { PluginSdk } from '@dbt-workbench/plugin-sdk';
import type { FrameFailure, HostDataMethod, HostMethods } from '../../isolation/bridge-contract.ts';
import { hostDataMethods } from '../../isolation/bridge-contract.ts';
import { fromWireRequest, toWireResponse } from '../../isolation/wire.ts';
import { refusalOf, type BridgeCall, type BridgeGrant, type CallBudget } from './bridge-gate.ts';

/** What the host end reports about a frame's calls, for the plugin's diagnostics. */
export interface BridgeReports {
  refused(message: string): void;
  /** Calls over budget since the last report; reported at most once a second. */
  flooded(count: number): void;
}

export interface FrameEvents {
  resized(size: { width: number; height: number }): void;
  rendered(): void;
  failed(failure: FrameFailure): void;
}

export interface HostMethodsDeps {
  /** The page-side SDK of this plugin in this workspace: every call ends up here. */
  sdk: PluginSdk;
  grant(): BridgeGrant;
  budget: CallBudget;
  /** The slot's current callbacks by name. */
  callbacks(): Record<string, unknown>;
  reports: BridgeReports;
  frame: FrameEvents;
  now?: () => number;
}

const cloneable = (value: unknown) =>
  value === undefined || value === null || ['string', 'number', 'boolean'].includes(typeof value) ? value : undefined;

/**
 * The methods one frame may call. They are built per frame, so the plugin a call belongs to is the one this
 * frame was created for; nothing the frame sends names a plugin. Each call is counted against the frame's budget
 * and checked against the plugin's enablement and capabilities before it reaches the SDK.
 */
export function createHostMethods(deps: HostMethodsDeps): HostMethods {
  const now = deps.now ?? (() => performance.now());
  let overBudget = 0;
  let lastFloodReport = -Infinity;
  const admit = (call: BridgeCall, label: string) => {
    if (!deps.budget.take()) {
      overBudget++;
      if (now() - lastFloodReport >= 1000) {
        deps.reports.flooded(overBudget);
        overBudget = 0;
        lastFloodReport = now();
      }
      throw new Error(`${label} refused: this plugin is calling the app too often; slow down`);
    }
    const refusal = refusalOf(call, deps.grant());
    if (refusal) {
      deps.reports.refused(`${label} refused: ${refusal}`);
      throw new Error(`${label} refused: ${refusal}`);
    }
  };
  return {
    async fetch(path, request) {
      admit({ kind: 'fetch' }, `sdk.fetch(${String(path).slice(0, 100)})`);
      return toWireResponse(await deps.sdk.fetch(String(path), fromWireRequest(request)));
    },
    async data(method, args) {
      if (!hostDataMethods.includes(method)) throw new Error(`sdk.data has no method "${String(method)}"`);
      admit({ kind: 'data', method }, `sdk.data.${method}`);
      const call = deps.sdk.data[method as HostDataMethod] as (...a: unknown[]) => Promise<unknown>;
      return call(...(Array.isArray(args) ? args : []));
    },
    storage(op, key, value) {
      admit({ kind: 'storage' }, 'sdk.storage');
      if (op === 'set' && typeof key === 'string') deps.sdk.storage.set(key, value);
      else if (op === 'remove' && typeof key === 'string') deps.sdk.storage.remove(key);
      else if (op === 'clear') deps.sdk.storage.clear();
    },
    notify(message, tone) {
      admit({ kind: 'notify' }, 'sdk.notify');
      const tones = ['info', 'success', 'warning', 'error'] as const;
      deps.sdk.notify(String(message), { tone: tones.find((t) => t === tone) ?? 'info' });
    },
    navigate(to) {
      admit({ kind: 'navigate' }, 'sdk.navigate');
      deps.sdk.navigate(String(to));
    },
    async callback(name, args) {
      admit({ kind: 'callback' }, `the slot's ${String(name)}()`);
      const offered = deps.callbacks();
      const fn = Object.hasOwn(offered, String(name)) ? offered[String(name)] : undefined;
      if (typeof fn !== 'function') throw new Error(`this slot offers no callback named "${String(name)}"`);
      return cloneable(await (fn as (...a: unknown[]) => unknown)(...(Array.isArray(args) ? args : [])));
    },
    resized(size) {
      if (!deps.budget.take()) return;
      const clamp = (n: unknown) =>
        typeof n === 'number' && Number.isFinite(n) ? Math.min(Math.max(0, n), 20_000) : 0;
      deps.frame.resized({ width: clamp(size?.width), height: clamp(size?.height) });
    },
    rendered() {
      deps.frame.rendered();
    },
    failed(failure) {
      // Errors outside React can come in floods (a loop of rejected calls); they are only reported, within budget.
      if (failure?.phase === 'uncaught' && !deps.budget.take()) return;
      const phases = ['load', 'render', 'uncaught'] as const;
      deps.frame.failed({
        phase: phases.find((p) => p === failure?.phase) ?? 'render',
        message: String(failure?.message ?? 'unknown error').slice(0, 1000),
        detail: failure?.detail === undefined ? undefined : String(failure.detail).slice(0, 2000),
      });
    },
  };
}
