import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { PluginHealth, PluginHealthLevel } from '@dbt-workbench/plugin-sdk/contracts/plugin-metrics.schema';
import { queryKeys } from '../api/queries.ts';
import './plugin-cost.css';

const labels: Record<PluginHealthLevel, string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  failing: 'Failing',
  idle: 'Idle',
  off: 'Off',
};

/** A plugin's health at a glance: a coloured dot and word, with the one-line reason beside it (or as its title). */
export function HealthBadge({ health, withSummary = true }: { health: PluginHealth; withSummary?: boolean }) {
  return (
    <span className="wb-health" data-testid="plugin-health" data-level={health.level}>
      <span className={`wb-health-badge wb-health-${health.level}`} title={withSummary ? undefined : health.summary}>
        <span className="wb-health-dot" aria-hidden="true" />
        {labels[health.level]}
      </span>
      {withSummary && <span className="wb-health-summary">{health.summary}</span>}
    </span>
  );
}

/** Reads the plugin list again every `ms` while mounted, so the health on its cards follows the cost history. */
export function useHealthRefresh(ms = 10_000): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const timer = setInterval(
      () => void queryClient.invalidateQueries({ queryKey: queryKeys.plugins, exact: true }),
      ms,
    );
    return () => clearInterval(timer);
  }, [queryClient, ms]);
}
