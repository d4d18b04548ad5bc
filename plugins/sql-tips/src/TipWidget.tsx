import { useState } from 'react';
import { defineSlotComponent, slots } from '@dbt-workbench/plugin-sdk';
import { tips } from './tips.ts';

function TipWidget() {
  const [index, setIndex] = useState(0);
  return (
    <div>
      <p style={{ margin: '0 0 12px', lineHeight: 1.5 }} data-testid="sql-tip">
        {tips[index]}
      </p>
      <button type="button" className="wb-button" onClick={() => setIndex((i) => (i + 1) % tips.length)}>
        Next tip ({index + 1}/{tips.length})
      </button>
    </div>
  );
}

export default defineSlotComponent(slots.dashboardWidget, TipWidget);
