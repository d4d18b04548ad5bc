/** How the lineage draws each resource type: a label and a colour (border and tint of the node). */
export interface ResourceTypeStyle {
  label: string;
  color: string;
  tint: string;
}

const styles: Record<string, ResourceTypeStyle> = {
  model: { label: 'Model', color: '#2563eb', tint: '#eef3fe' },
  source: { label: 'Source', color: '#15803d', tint: '#ecf8f0' },
  seed: { label: 'Seed', color: '#7c8a1a', tint: '#f6f8e6' },
  snapshot: { label: 'Snapshot', color: '#7c3aed', tint: '#f3eefe' },
  exposure: { label: 'Exposure', color: '#c2410c', tint: '#fdf1ea' },
  metric: { label: 'Metric', color: '#be185d', tint: '#fcedf4' },
  semantic_model: { label: 'Semantic model', color: '#0f766e', tint: '#e8f6f4' },
  saved_query: { label: 'Saved query', color: '#a16207', tint: '#fbf4e4' },
  analysis: { label: 'Analysis', color: '#475569', tint: '#f0f2f5' },
  function: { label: 'Function', color: '#4338ca', tint: '#efeefc' },
};

/** The style of a resource type; unknown types are grey with their raw name. */
export function resourceTypeStyle(type: string): ResourceTypeStyle {
  return styles[type] ?? { label: type, color: '#64748b', tint: '#f1f5f9' };
}

/** Types the type filter offers, in this order, when the project has them. */
export const filterableTypes = Object.keys(styles);

/** The tone of a last run status: good, bad, warn or neutral (never run, unknown). */
export function statusTone(status: string | null): 'good' | 'bad' | 'warn' | 'neutral' {
  switch (status) {
    case 'success':
    case 'pass':
      return 'good';
    case 'error':
    case 'fail':
    case 'runtime error':
      return 'bad';
    case 'warn':
    case 'skipped':
      return 'warn';
    default:
      return 'neutral';
  }
}

/** Words for a status mark: `last run: success`, or `never run`. */
export function statusText(status: string | null): string {
  return status ? `last run: ${status}` : 'no run result';
}
