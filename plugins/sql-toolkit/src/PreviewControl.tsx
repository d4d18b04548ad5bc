import { defineSlotComponent, slots, type SqlControlProps } from '@dbt-workbench/plugin-sdk';

/** Runs the current query wrapped in a 10-row limit, for a quick look at a big result. */
function PreviewControl({ sql, setSql, run, running }: SqlControlProps) {
  const query = sql.trim().replace(/;+\s*$/, '');
  const already = /^select \* from \([\s\S]*\) as preview limit 10$/i.test(query);
  return (
    <button
      type="button"
      className="wb-button"
      disabled={running || !query}
      title="Run the query with only its first 10 rows"
      onClick={() => {
        if (!already) setSql(`select * from (\n${query}\n) as preview limit 10`);
        run();
      }}
    >
      Preview 10 rows
    </button>
  );
}

export default defineSlotComponent(slots.sqlControl, PreviewControl);
