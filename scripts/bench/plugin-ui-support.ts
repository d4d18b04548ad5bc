// What the browser benchmarks of plugin UI share: realistic UI plugins, switching their UI trust level, and
// loading a page until every plugin contribution on it has rendered.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright';
import { testManifest } from '../../shared/testing/manifests.ts';
import { ADMIN_PASSWORD, buildPlugins, tempDir } from './support.ts';

export const WORKSPACE = 'jaffle-shop-classic';

/**
 * A widget that does what real ones do: asks the host for the workspace summary (a bridge call when isolated)
 * and renders it with the app's classes. It marks nothing itself; the shell marks when it first shows.
 */
const widgetSource = (label: string) => `import { useQuery } from '@tanstack/react-query';
import { defineSlotComponent, slots, type DashboardWidgetProps } from '@dbt-workbench/plugin-sdk';

function Widget({ sdk }: DashboardWidgetProps) {
  const summary = useQuery({ queryKey: ['summary'], queryFn: () => sdk.data.summary() });
  return (
    <div>
      <p className="wb-muted">${label} in {sdk.workspace.title}</p>
      <p>{summary.data ? JSON.stringify(summary.data).length + ' bytes of summary' : 'Loading summary…'}</p>
      <button type="button" className="wb-link-button" onClick={() => sdk.navigate('/models')}>Models →</button>
    </div>
  );
}

export default defineSlotComponent(slots.dashboardWidget, Widget);
`;

const panelSource = (
  label: string,
) => `import { defineSlotComponent, slots, type ModelPanelProps } from '@dbt-workbench/plugin-sdk';

function Panel({ model }: ModelPanelProps) {
  return (
    <div>
      <p>${label}: {model.name} has {model.columns.length} columns.</p>
      <ul>{model.columns.slice(0, 5).map((c) => <li key={c.name}>{c.name}</li>)}</ul>
    </div>
  );
}

export default defineSlotComponent(slots.modelPanel, Panel);
`;

/** Writes and builds `count` plugins, each with a tab and a dashboard widget; the first also has a model panel when asked. */
export function writeUiPlugins(count: number, prefix: string, withPanel = false): { dir: string; names: string[] } {
  const dir = tempDir(`wb-bench-${prefix}-`);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${prefix}-${i}`;
    names.push(name);
    const pluginDir = path.join(dir, name);
    mkdirSync(path.join(pluginDir, 'src'), { recursive: true });
    const contributions: Record<string, unknown>[] = [
      { slot: 'nav.tab', id: 'tab', title: `Plugin ${i}`, path: `${prefix}-${i}`, module: './Widget' },
      { slot: 'dashboard.widget', id: 'widget', title: `Widget ${i}`, module: './Widget' },
    ];
    const panel = withPanel && i === 0;
    if (panel) contributions.push({ slot: 'model.panel', id: 'panel', title: `Panel ${i}`, module: './Panel' });
    const manifest = testManifest(name, {
      compatibility: { workbench: '*', pluginApi: 1 },
      capabilities: ['read-metadata'],
      frontend: { remote: 'mf-manifest.json', contributions },
    });
    writeFileSync(path.join(pluginDir, 'manifest.json'), JSON.stringify(manifest));
    writeFileSync(path.join(pluginDir, 'src', 'Widget.tsx'), widgetSource(`Widget ${i}`));
    if (panel) writeFileSync(path.join(pluginDir, 'src', 'Panel.tsx'), panelSource(`Panel ${i}`));
  }
  buildPlugins('--plugins', dir);
  return { dir, names };
}

/** Server settings for these plugins: their one capability approved by policy, so they are active at start. */
export const uiPluginEnv = (dir: string) => ({ PLUGINS_DIRECTORY: dir, PLUGIN_AUTO_APPROVE: 'read-metadata' });

export async function signedInContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1400, height: 1000 } });
  const response = await context.request.post('/api/auth/login', {
    data: { username: 'admin', password: ADMIN_PASSWORD },
  });
  if (!response.ok()) throw new Error(`sign-in failed: ${response.status()}`);
  return context;
}

/** Sets the UI trust level of each plugin, as an admin does on the Plugins page. */
export async function setUiLevel(
  context: BrowserContext,
  names: string[],
  level: 'isolated' | 'in-page',
): Promise<void> {
  for (const name of names) {
    const response = await context.request.put(`/api/plugins/${name}/ui-trust`, { data: { level } });
    if (!response.ok())
      throw new Error(`setting ${name} ${level} failed: ${response.status()} ${await response.text()}`);
  }
}

/**
 * Opens `route` in a page of `context` and waits until every plugin contribution on screen (its titled panel
 * in the viewport) has rendered; answers the time from navigation start to the last of them, or to the shell's
 * first render when there is none. `expectPlugins` says the page must show plugin panels at all.
 */
export async function loadUntilRendered(context: BrowserContext, route: string, expectPlugins: boolean) {
  const page = await context.newPage();
  await page.goto(route);
  const handle = await page.waitForFunction(
    (expected) => {
      if (!performance.getEntriesByName('wb:shell-rendered').length) return false;
      const panels = [...document.querySelectorAll<HTMLElement>('section[data-plugin]')];
      if (expected && panels.length === 0) return false;
      const onScreen = new Set(
        panels.filter((p) => p.getBoundingClientRect().top < innerHeight).map((p) => p.dataset.plugin!),
      );
      const marks = performance.getEntriesByName('wb:contribution-rendered') as PerformanceMark[];
      const times = new Map(marks.map((m) => [(m.detail as { plugin: string }).plugin, m.startTime]));
      if ([...onScreen].some((plugin) => !times.has(plugin))) return false;
      const shell = performance.getEntriesByName('wb:shell-rendered')[0]!.startTime;
      return { ms: Math.max(shell, ...[...onScreen].map((plugin) => times.get(plugin)!)), shown: onScreen.size };
    },
    expectPlugins,
    { timeout: 60_000, polling: 50 },
  );
  const { ms, shown } = (await handle.jsonValue()) as { ms: number; shown: number };
  return { page, ms, shown };
}
