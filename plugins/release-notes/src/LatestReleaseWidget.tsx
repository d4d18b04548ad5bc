import { defineSlotComponent, slots, type DashboardWidgetProps } from '@dbt-workbench/plugin-sdk';
import { noReleasesText, releasesFor } from './releases.ts';

function LatestReleaseWidget({ sdk }: DashboardWidgetProps) {
  const latest = releasesFor(sdk.config, sdk.workspace.name)[0];
  if (!latest)
    return (
      <p className="wb-muted" style={{ margin: 0 }} data-testid="no-releases">
        {noReleasesText(sdk.workspace)}
      </p>
    );
  return (
    <div>
      <p style={{ margin: 0, fontSize: 20, fontWeight: 600 }}>{latest.version}</p>
      <p style={{ margin: '2px 0 8px', color: 'var(--wb-text-muted)' }}>
        {sdk.workspace.title}, released {latest.date}
      </p>
      <p style={{ margin: '0 0 8px' }}>{latest.highlights[0]}</p>
      <button type="button" className="wb-link-button" onClick={() => sdk.navigate('/ext/whats-new')}>
        All release notes →
      </button>
    </div>
  );
}

export default defineSlotComponent(slots.dashboardWidget, LatestReleaseWidget);
