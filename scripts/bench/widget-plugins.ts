// Many dashboard widget plugins for B13 and the dashboard-at-scale browser test: each a real Module Federation
// remote with a configuration schema, reading host data as real widgets do.
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chunkGlobalFor, remoteNameFor } from '@dbt-workbench/plugin-sdk/contracts/versions';
import { testManifest } from '../../shared/testing/manifests.ts';
import { buildPlugins } from './support.ts';

const widgetSource = `import { useQuery } from '@tanstack/react-query';
import { defineSlotComponent, slots, type DashboardWidgetProps } from '@dbt-workbench/plugin-sdk';

function Widget({ sdk }: DashboardWidgetProps) {
  const summary = useQuery({ queryKey: ['summary'], queryFn: () => sdk.data.summary() });
  const threshold = Number(sdk.config.threshold ?? 0);
  return (
    <div data-testid="scale-widget">
      <p className="wb-muted">{sdk.plugin.name} in {sdk.workspace.title}, alerting under {threshold}%</p>
      <p>{summary.data ? JSON.stringify(summary.data).length + ' bytes of summary' : 'Loading summary…'}</p>
    </div>
  );
}

export default defineSlotComponent(slots.dashboardWidget, Widget);
`;

/** Names of the same length, so a built remote can be renamed in place: `widget-007`. */
export const widgetName = (prefix: string, i: number) => `${prefix}-${String(i).padStart(3, '0')}`;

function manifestOf(name: string, i: number) {
  return testManifest(name, {
    displayName: `Widget ${i}`,
    compatibility: { workbench: '*', pluginApi: 1 },
    capabilities: ['read-metadata'],
    configuration: {
      schema: {
        type: 'object',
        properties: {
          threshold: { type: 'number', minimum: 0, maximum: 100, description: 'Alert under this pass rate' },
          label: { type: 'string', default: 'quality' },
        },
        additionalProperties: false,
      },
      default: { threshold: 80 },
    },
    frontend: {
      remote: 'mf-manifest.json',
      contributions: [{ slot: 'dashboard.widget', id: 'widget', title: `Widget ${i}`, module: './Widget' }],
    },
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const file = path.join(dir, entry);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

/**
 * Writes `count` widget plugins into `dir`. The first is built with the plugin build; the others are its build
 * renamed (remote name, chunk global and plugin name have the same length in every copy), so 200 remotes cost
 * one build. Each copy is a remote of its own: its own name, files, revision and URL.
 */
export function writeWidgetPlugins(dir: string, count: number, prefix = 'widget'): string[] {
  const names = Array.from({ length: count }, (_, i) => widgetName(prefix, i));
  const template = path.join(dir, names[0]!);
  mkdirSync(path.join(template, 'src'), { recursive: true });
  writeFileSync(path.join(template, 'manifest.json'), JSON.stringify(manifestOf(names[0]!, 0)));
  writeFileSync(path.join(template, 'src', 'Widget.tsx'), widgetSource);
  buildPlugins('--plugin', template);
  const built = filesUnder(path.join(template, 'frontend')).map((file) => ({
    relative: path.relative(template, file),
    text: readFileSync(file, 'utf8'),
  }));
  const renames = (name: string): [string, string][] => [
    [chunkGlobalFor(names[0]!), chunkGlobalFor(name)],
    [remoteNameFor(names[0]!), remoteNameFor(name)],
    [names[0]!, name],
  ];
  names.slice(1).forEach((name, index) => {
    const folder = path.join(dir, name);
    mkdirSync(folder, { recursive: true });
    cpSync(path.join(template, 'src'), path.join(folder, 'src'), { recursive: true });
    writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify(manifestOf(name, index + 1)));
    for (const { relative, text } of built) {
      const renamed = renames(name).reduce((t, [from, to]) => t.replaceAll(from, to), text);
      mkdirSync(path.dirname(path.join(folder, relative)), { recursive: true });
      writeFileSync(path.join(folder, relative), renamed);
    }
  });
  return names;
}
