import type { Dependant } from '../../../shared/rollback.schema.ts';
import { HttpError } from '../../http/errors.ts';
import type { PluginRecord } from '../evaluate.ts';

/** The installed plugins whose manifests declare `name` as a dependency, by name. Pure. */
export function dependantsOf(plugins: readonly Pick<PluginRecord, 'name' | 'manifest' | 'state'>[], name: string) {
  return plugins
    .flatMap((p): Dependant[] => {
      const range = p.manifest?.dependencies?.[name];
      return p.name !== name && range !== undefined ? [{ name: p.name, range, state: p.state }] : [];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Whether a query asks to go ahead despite dependants: `?confirm=true` (or `1`, `yes`). */
export function confirmed(query: unknown): boolean {
  const value = (query as { confirm?: unknown } | undefined)?.confirm;
  return typeof value === 'string' && ['true', '1', 'yes'].includes(value);
}

/**
 * Refuses (409, details `{dependants}`) to remove or disable a plugin others depend on unless the request confirmed
 * it; answers the dependants (empty when none) so the caller can audit them.
 */
export function requireDependantsConfirmed(
  plugins: readonly Pick<PluginRecord, 'name' | 'manifest' | 'state'>[],
  name: string,
  verb: 'remove' | 'disable',
  query: unknown,
): Dependant[] {
  const dependants = dependantsOf(plugins, name);
  if (dependants.length > 0 && !confirmed(query)) {
    const names = dependants.map((d) => `"${d.name}"`).join(', ');
    throw new HttpError(
      'conflict',
      `${dependants.length === 1 ? 'Plugin' : 'Plugins'} ${names} depend${dependants.length === 1 ? 's' : ''} on "${name}" and will stop working; ${verb} it with ?confirm=true to go ahead`,
      { dependants },
    );
  }
  return dependants;
}
