import { defineSlotComponent, slots, type ModelPanelProps } from '@dbt-workbench/plugin-sdk';
import { QualityView } from './QualityView.tsx';

function QualityPanel({ model }: ModelPanelProps) {
  return <QualityView node={model} />;
}

export default defineSlotComponent(slots.modelPanel, QualityPanel);
