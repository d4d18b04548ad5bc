// The files `workbench-plugin create` writes. Each is a function of the plugin's facts, so a test can check them.

export interface Scaffold {
  name: string;
  displayName: string;
  /** The PascalCase form of the name, for component names. */
  component: string;
  backend: boolean;
  workbenchRange: string;
  /** Relative path from the plugin folder to the SDK's index.ts, for the plugin's own vitest alias. */
}

export function manifestJson(s: Scaffold): string {
  const manifest = {
    name: s.name,
    version: '0.1.0',
    displayName: s.displayName,
    description: `${s.displayName}: a dbt-Workbench plugin.`,
    author: { name: 'Your team' },
    compatibility: { workbench: s.workbenchRange, pluginApi: 1 },
    capabilities: s.backend ? ['extend-api'] : [],
    frontend: {
      remote: 'mf-manifest.json',
      contributions: [
        { slot: 'dashboard.widget', id: 'widget', title: s.displayName, module: './Widget' },
        { slot: 'nav.tab', id: 'page', title: s.displayName, path: s.name, module: './Page' },
      ],
    },
    ...(s.backend ? { backend: { entry: 'index.ts' } } : {}),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export const greetingTs = (s: Scaffold) => `/** The widget's text; pure, so it is easy to test. */
export function greeting(workspaceTitle: string): string {
  return \`Hello from ${s.displayName} in \${workspaceTitle}\`;
}
`;

export const widgetTsx = (s: Scaffold) => `import { useState } from 'react';
import { defineSlotComponent, slots, type DashboardWidgetProps } from '@dbt-workbench/plugin-sdk';
import { greeting } from './greeting.ts';

function ${s.component}Widget({ sdk }: DashboardWidgetProps) {
  ${
    s.backend
      ? `const [answer, setAnswer] = useState<string | null>(null);
  const ask = async () => {
    const response = await sdk.fetch('/hello');
    const body = (await response.json()) as { message?: string };
    setAnswer(body.message ?? \`the backend answered \${response.status}\`);
  };`
      : `const [clicks, setClicks] = useState(0);`
  }
  return (
    <div>
      <p data-testid="${s.name}-greeting">{greeting(sdk.workspace.title)}</p>
      ${
        s.backend
          ? `<button className="wb-button" onClick={() => void ask()}>
        Ask the backend
      </button>
      {answer && <p>{answer}</p>}`
          : `<button className="wb-button" onClick={() => setClicks(clicks + 1)}>
        Clicked {clicks} times
      </button>`
      }
      <p>
        <button className="wb-link-button" onClick={() => sdk.navigate('/ext/${s.name}')}>
          Open the page
        </button>
      </p>
    </div>
  );
}

export default defineSlotComponent(slots.dashboardWidget, ${s.component}Widget);
`;

export const pageTsx = (
  s: Scaffold,
) => `import { defineSlotComponent, slots, type PluginPageProps } from '@dbt-workbench/plugin-sdk';

function ${s.component}Page({ sdk, subPath }: PluginPageProps) {
  return (
    <section className="wb-card">
      <h1>${s.displayName}</h1>
      <p>
        Workspace {sdk.workspace.title}, signed in as {sdk.user.displayName} ({sdk.user.role}).
      </p>
      <p className="wb-muted">{subPath ? \`Sub-page: \${subPath}\` : 'The root of the page.'}</p>
    </section>
  );
}

export default defineSlotComponent(slots.navTab, ${s.component}Page);
`;

export const widgetTest = (s: Scaffold) => `import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { expect, test } from 'vitest';
import { createFakeSdk } from '@dbt-workbench/plugin-sdk';
import Widget from './Widget.tsx';
import { greeting } from './greeting.ts';

test('the greeting names the workspace', () => {
  expect(greeting('Shop')).toBe('Hello from ${s.displayName} in Shop');
});

test('the widget renders the greeting with a fake SDK', () => {
  const sdk = createFakeSdk({ workspace: { name: 'shop', title: 'Shop' } });
  expect(renderToString(createElement(Widget, { sdk }))).toContain('Hello from ${s.displayName} in Shop');
});
`;

export const backendTs = (s: Scaffold) => `import type { BackendHost } from '@dbt-workbench/plugin-sdk';

/** Runs once per start, in the plugin's sandboxed process. Routes are served under /api/ext/${s.name}/. */
export async function activate(host: BackendHost): Promise<void> {
  await host.routes.register('GET', '/hello', (request) => ({
    body: { message: \`Hello \${request.user.displayName}, from the ${s.displayName} backend\` },
  }));
}
`;

export const backendTest = (s: Scaffold) => `import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { createFakeHost } from '@dbt-workbench/plugin-sdk';
import { activate } from './index.ts';

test('GET /hello greets the signed-in user', async () => {
  const host = createFakeHost({ dataDir: mkdtempSync(path.join(os.tmpdir(), '${s.name}-')) });
  await activate(host);
  const response = await host.request('GET', '/hello');
  expect(response.body).toEqual({ message: 'Hello Tester, from the ${s.displayName} backend' });
});
`;

export const vitestConfig = (
  s: Scaffold,
) => `// This plugin's unit tests: npx vitest run -c <this folder>/vitest.config.ts
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  test: { include: ['{src,backend}/**/*.test.{ts,tsx}'], environment: 'node' },
});
`;

export const readme = (s: Scaffold) => `# ${s.displayName}

A dbt-Workbench plugin, made with \`workbench-plugin create\`. From the repository root:

\`\`\`sh
npm run plugin -- build <this folder>       # src/ into frontend/
npm run plugin -- validate <this folder>    # the server's rules
npx vitest run -c <this folder>/vitest.config.ts
npm run plugin -- dev <this folder> --plugins-dir <the app's PLUGINS_DIRECTORY>
npm run plugin -- pack <this folder>        # dist/${s.name}-0.1.0.zip for POST /api/plugins/install
\`\`\`

See docs/plugin-authoring.md.
`;
