import { useSlot } from '../extensions/slots.tsx';

/** `sql.template` contributions: SQL that plugins offer, listed from their manifests without loading code. */
export function SqlTemplates({ onUse }: { onUse(sql: string): void }) {
  const { extensions } = useSlot('sql.template');
  if (extensions.length === 0) return null;
  return (
    <section className="wb-card wb-sql-templates" aria-label="SQL templates" data-testid="sql-templates">
      <h2 className="wb-card-title">Templates</h2>
      <ul>
        {extensions.map((template) => (
          <li key={`${template.plugin}:${template.id}`}>
            <button type="button" className="wb-link-button" onClick={() => onUse(template.sql)} title={template.sql}>
              {template.title}
            </button>
            <span className="wb-muted"> · {template.pluginDisplayName}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
