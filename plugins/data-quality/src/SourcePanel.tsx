import { defineSlotComponent, slots, type SourcePanelProps } from '@dbt-workbench/plugin-sdk';
import { QualityView } from './QualityView.tsx';

function SourcePanel({ source }: SourcePanelProps) {
  return <QualityView node={source} />;
}

export default defineSlotComponent(slots.sourcePanel, SourcePanel);
