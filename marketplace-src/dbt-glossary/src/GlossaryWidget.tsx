import { useState } from 'react';
import { defineSlotComponent, slots, type DashboardWidgetProps } from '@dbt-workbench/plugin-sdk';

const terms: readonly { term: string; meaning: string }[] = [
  {
    term: 'ref()',
    meaning: 'Points a model at another model; dbt builds the lineage graph and the run order from refs.',
  },
  {
    term: 'source()',
    meaning: 'Points a model at a raw table loaded by something other than dbt, declared in a YAML file.',
  },
  {
    term: 'seed',
    meaning: 'A small CSV file in the project that dbt loads as a table: country codes, mappings, fixtures.',
  },
  { term: 'snapshot', meaning: 'Records how a mutable table changes over time (slowly changing dimension, type 2).' },
  { term: 'materialization', meaning: 'How a model is built in the warehouse: view, table, incremental or ephemeral.' },
  {
    term: 'generic test',
    meaning: 'A reusable assertion such as unique, not_null or relationships, configured in YAML.',
  },
];

function GlossaryWidget(_props: DashboardWidgetProps) {
  const [index, setIndex] = useState(0);
  const entry = terms[index % terms.length]!;
  return (
    <div>
      <p style={{ margin: '0 0 4px' }}>
        <code style={{ fontWeight: 600 }}>{entry.term}</code>
      </p>
      <p style={{ margin: '0 0 12px', lineHeight: 1.5 }} data-testid="glossary-term">
        {entry.meaning}
      </p>
      <button type="button" className="wb-button" onClick={() => setIndex((i) => i + 1)}>
        Next term ({(index % terms.length) + 1}/{terms.length})
      </button>
    </div>
  );
}

export default defineSlotComponent(slots.dashboardWidget, GlossaryWidget);
