/** One release of the team's dbt project. */
export interface Release {
  version: string;
  date: string;
  highlights: string[];
}

/** Newest first. A real team would fetch these from its own backend route; the data is here to keep the example small. */
export const releases: readonly Release[] = [
  {
    version: '2026.11.2',
    date: '2026-11-18',
    highlights: [
      'New mart fct_customer_lifetime_value with monthly snapshots',
      'stg_payments now casts amounts to numeric(12,2)',
      'Freshness checks on raw_orders tightened to 6 hours',
    ],
  },
  {
    version: '2026.11.1',
    date: '2026-11-04',
    highlights: [
      'Renamed dim_customers.first_order_date to first_order_at',
      'Added not_null tests on all primary keys',
    ],
  },
  {
    version: '2026.10.3',
    date: '2026-10-21',
    highlights: ['Incremental strategy for fct_orders switched to merge'],
  },
];
