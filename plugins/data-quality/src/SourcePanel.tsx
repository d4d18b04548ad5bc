import { defineSlotComponent, slots, type SourcePanelProps } from '@dbt-workbench/plugin-sdk';
import { QualityView } from './QualityView.tsx';
import { settingsOf } from './settings.ts';

function SourcePanel({ sdk, source }: SourcePanelProps) {
  return <QualityView node={source} kind="source" settings={settingsOf(sdk.config)} />;
}

export default defineSlotComponent(slots.sourcePanel, SourcePanel);
