import type { ReactNode } from 'react';
import type { Extension } from '../../shared/api.schema.ts';
import type { SlotName } from '@dbt-workbench/plugin-sdk/contracts/slots';
import type { CodeSlotName, SlotPropsMap } from '@dbt-workbench/plugin-sdk';
import { useExtensions } from '../api/queries.ts';
import { useWorkspace } from '../workspaces/workspace-context.tsx';
import { ContributionView } from './ContributionView.tsx';

export type ExtensionOf<S extends SlotName> = Extract<Extension, { slot: S }>;

const orderOf = (e: Extension) => ('order' in e && typeof e.order === 'number' ? e.order : 0);

/** Contributions in `order`, then by plugin and id, so a slot looks the same on every load. Pure. */
export function sortContributions<E extends Extension>(extensions: readonly E[]): E[] {
  return [...extensions].sort(
    (a, b) => orderOf(a) - orderOf(b) || a.plugin.localeCompare(b.plugin) || a.id.localeCompare(b.id),
  );
}

/** The contributions of the current workspace to one slot, sorted; `filter` narrows them (e.g. by page). */
export function useSlot<S extends SlotName>(slot: S, filter?: (extension: ExtensionOf<S>) => boolean) {
  const workspace = useWorkspace();
  const query = useExtensions(workspace.name);
  const all = (query.data?.extensions ?? []).filter((e): e is ExtensionOf<S> => e.slot === slot);
  return { extensions: sortContributions(filter ? all.filter(filter) : all), error: query.error };
}

/** What the page hosting a slot passes to each contribution: the SDK's props for the slot, but `sdk`. */
export type HostSlotProps<S extends CodeSlotName> = WithoutSdk<SlotPropsMap[S]>;
// Distributes over a union (a node action's props or an edge action's), which a bare Omit would flatten.
type WithoutSdk<P> = P extends unknown ? Omit<P, 'sdk'> : never;

type SlotProps<S extends CodeSlotName> = {
  slot: S;
  filter?: (extension: ExtensionOf<S>) => boolean;
  /** How each contribution is framed: a titled panel (default), or bare. */
  frame?: 'panel' | 'bare';
  /** Shown when no plugin contributes. */
  empty?: ReactNode;
} & (object extends HostSlotProps<S>
  ? { slotProps?: HostSlotProps<S> }
  : { /** Props for every contribution of the slot, besides `sdk`. */ slotProps: HostSlotProps<S> });

/**
 * Renders every contribution to a slot, each in its own error boundary. Titles come from the manifest,
 * so they show while the code loads.
 */
export function ExtensionSlot<S extends CodeSlotName>({
  slot,
  slotProps,
  filter,
  frame = 'panel',
  empty = null,
}: SlotProps<S>) {
  // Widened to the union: TypeScript cannot see the common fields through `Extract` on a generic slot.
  const extensions: readonly Extension[] = useSlot(slot, filter).extensions;
  if (extensions.length === 0) return <>{empty}</>;
  return (
    <>
      {extensions.map((extension) =>
        frame === 'bare' ? (
          <ContributionView key={`${extension.plugin}:${extension.id}`} extension={extension} slotProps={slotProps} />
        ) : (
          <section
            key={`${extension.plugin}:${extension.id}`}
            className="wb-card wb-slot-panel"
            data-testid={`slot-${slot}`}
            data-plugin={extension.plugin}
          >
            <h2 className="wb-card-title">{extension.title ?? extension.pluginDisplayName}</h2>
            <ContributionView extension={extension} slotProps={slotProps} />
            <p className="wb-card-source">from {extension.pluginDisplayName}</p>
          </section>
        ),
      )}
    </>
  );
}
