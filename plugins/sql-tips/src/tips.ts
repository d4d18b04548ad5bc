/** Short tips for analysts writing dbt SQL. */
export const tips: readonly string[] = [
  'Use {{ ref() }} instead of hard-coded table names so dbt can build the lineage graph.',
  'COUNT(DISTINCT x) ignores NULLs: add a not_null test when the column must be filled.',
  'Put filters on the smaller side of a join into a CTE first; the warehouse reads less.',
  'QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY updated_at DESC) = 1 keeps the latest row per id.',
  'dbt build --select state:modified+ rebuilds only what changed and everything downstream of it.',
];
