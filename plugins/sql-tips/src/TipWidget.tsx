import { useState } from 'react';
import { defineSlotComponent, slots, type DashboardWidgetProps } from '@dbt-workbench/plugin-sdk';
import { tips } from './tips.ts';

function TipWidget({ sdk }: DashboardWidgetProps) {
  const [index, setIndex] = useState(0);
  const tip = tips[index] ?? '';

  async function copy() {
    // A browser may leave the request unanswered (a frame without focus): after 2 s the user is told, not left waiting.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unanswered = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer')), 2000);
    });
    try {
      await Promise.race([navigator.clipboard.writeText(tip), unanswered]);
      sdk.notify('Tip copied to the clipboard', { tone: 'success' });
    } catch {
      sdk.notify('Your browser did not allow copying; select the text instead', { tone: 'warning' });
    } finally {
      clearTimeout(timer);
    }
  }

  return (
    <div>
      <p style={{ margin: '0 0 12px', lineHeight: 1.5 }} data-testid="sql-tip">
        {tip}
      </p>
      <div style={{ display: 'flex', gap: 8 }}>
        <button type="button" className="wb-button" onClick={() => setIndex((i) => (i + 1) % tips.length)}>
          Next tip ({index + 1}/{tips.length})
        </button>
        <button type="button" className="wb-button" onClick={copy}>
          Copy
        </button>
      </div>
    </div>
  );
}

export default defineSlotComponent(slots.dashboardWidget, TipWidget);
