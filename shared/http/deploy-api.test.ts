import { describe, expect, expectTypeOf, test } from 'vitest';
import * as deployApi from '@dbt-workbench/plugin-sdk/contracts/deploy-api';
import type { RouteContract, RouteResponse } from '@dbt-workbench/plugin-sdk/contracts/http';
import type { z } from 'zod';
import { installPlugin, updatePlugin } from './plugin-installation.ts';
import { getPlugin } from './plugins.ts';

// The SDK's deploy contracts are what plugin teams' tooling (the CLI) reads; the app's answers must satisfy them.
const pairs: [published: RouteContract, app: RouteContract][] = [
  [deployApi.getDeployedPlugin, getPlugin],
  [deployApi.installPackage, installPlugin],
  [deployApi.updatePackage, updatePlugin],
];

describe('the deploy API the SDK publishes is the app’s own', () => {
  test('same method, path and raw body', () => {
    for (const [published, app] of pairs) {
      expect([app.method, app.path, app.rawBody]).toEqual([published.method, published.path, published.rawBody]);
    }
  });

  test("the app's answers satisfy what the SDK declares", () => {
    expectTypeOf<RouteResponse<typeof getPlugin>>().toExtend<RouteResponse<typeof deployApi.getDeployedPlugin>>();
    type Installed = z.output<(typeof installPlugin)['responses'][201]>;
    expectTypeOf<Installed>().toExtend<RouteResponse<typeof deployApi.installPackage>>();
    expectTypeOf<RouteResponse<typeof updatePlugin>>().toExtend<RouteResponse<typeof deployApi.updatePackage>>();
  });
});
