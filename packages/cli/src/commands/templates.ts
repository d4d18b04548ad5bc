// The files `workbench-plugin create` writes. Each is a function of the plugin's facts, so a test can check them.
import { PLUGIN_API_VERSION } from '@dbt-workbench/plugin-sdk/contracts/versions';

export interface Scaffold {
  name: string;
  displayName: string;
  /** The PascalCase form of the name, for component names. */
  component: string;
  backend: boolean;
  workbenchRange: string;
  /** npm specs of the kit in package.json: a version range, or a file/tarball path (for tests). */
  sdkSpec: string;
  cliSpec: string;
}

export function manifestJson(s: Scaffold): string {
  const manifest = {
    name: s.name,
    version: '0.1.0',
    displayName: s.displayName,
    description: `${s.displayName}: a dbt-Workbench plugin.`,
    author: { name: 'Your team' },
    compatibility: { workbench: s.workbenchRange, pluginApi: PLUGIN_API_VERSION },
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
) => `import { defineSlotComponent, slots, type PageProps } from '@dbt-workbench/plugin-sdk';

function ${s.component}Page({ sdk, subPath }: PageProps) {
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

export const vitestConfig = () => `import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: { include: ['{src,backend}/**/*.test.{ts,tsx}'], environment: 'node' },
});
`;

export function packageJson(s: Scaffold): string {
  const pkg = {
    name: s.name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: '>=20' },
    scripts: {
      typecheck: 'tsc -p tsconfig.json',
      // Type errors fail the build: rspack only strips types.
      build: 'tsc -p tsconfig.json && workbench-plugin build .',
      test: 'vitest run',
      validate: 'workbench-plugin validate .',
      pack: 'workbench-plugin pack .',
      dev: 'workbench-plugin dev .',
      // Reads WORKBENCH_SERVER and WORKBENCH_TOKEN (an API token of scope plugins:deploy).
      deploy: 'workbench-plugin deploy',
    },
    devDependencies: {
      '@dbt-workbench/cli': s.cliSpec,
      '@dbt-workbench/plugin-sdk': s.sdkSpec,
      '@types/node': '^24.0.0',
      '@types/react': '^19.0.0',
      '@types/react-dom': '^19.0.0',
      react: '^19.0.0',
      'react-dom': '^19.0.0',
      typescript: '^7.0.0',
      vitest: '^4.0.0',
    },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

export function tsconfigJson(): string {
  const config = {
    compilerOptions: {
      target: 'es2023',
      lib: ['es2024', 'dom', 'dom.iterable'],
      module: 'nodenext',
      moduleResolution: 'nodenext',
      jsx: 'react-jsx',
      strict: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      allowImportingTsExtensions: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
    },
    include: ['src', 'backend', 'vitest.config.ts'],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

export const gitignore = () => `node_modules/
frontend/
dist/
`;

export const ciWorkflow = () => `# GitHub Actions: type-check, test, build and validate on every push; deploy from main.
# Deploying needs the app's address (variable WORKBENCH_SERVER) and an API token of scope plugins:deploy that an
# admin made under Admin → API tokens (secret WORKBENCH_TOKEN). A version asking for new access waits for approval.
name: ci
on: [push, pull_request]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm install
      - run: npm test
      - run: npm run build
      - run: npm run validate
      - run: npm run pack
      - run: npm run deploy
        if: github.ref == 'refs/heads/main'
        env:
          WORKBENCH_SERVER: \${{ vars.WORKBENCH_SERVER }}
          WORKBENCH_TOKEN: \${{ secrets.WORKBENCH_TOKEN }}
`;

export const readme = (s: Scaffold) => `# ${s.displayName}

A dbt-Workbench plugin, made with \`workbench-plugin create\`. Needs Node 20 or later.

\`\`\`sh
npm install
npm run typecheck     # tsc
npm test              # vitest: the widget with a fake SDK${s.backend ? ', the backend with a fake host' : ''}
npm run build         # type-checks, then src/ into frontend/ (a Module Federation remote)
npm run validate      # the server's rules, before you install
npm run pack          # dist/${s.name}-0.1.0.zip for POST /api/plugins/install
npm run deploy        # pack and upload, with WORKBENCH_SERVER and WORKBENCH_TOKEN set
npm run dev -- --plugins-dir <the app's PLUGINS_DIRECTORY>
\`\`\`

\`.github/workflows/ci.yml\` runs the same on every push. See the plugin authoring guide of dbt-Workbench.
`;
