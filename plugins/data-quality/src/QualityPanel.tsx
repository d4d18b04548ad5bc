import { defineSlotComponent, slots, type ModelPanelProps } from '@dbt-workbench/plugin-sdk';
import { QualityView } from './QualityView.tsx';
import { settingsOf } from './settings.ts';

function QualityPanel({ sdk, model }: ModelPanelProps) {
  return <QualityView node={model} kind="model" settings={settingsOf(sdk.config)} />;
}

export default defineSlotComponent(slots.modelPanel, QualityPanel);
