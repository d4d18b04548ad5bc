import { describe, expect, expectTypeOf, test } from 'vitest';
import * as devApi from '@dbt-workbench/plugin-sdk/contracts/dev-session-api';
import type { RouteContract, RouteInput, RouteResponse } from '@dbt-workbench/plugin-sdk/contracts/http';
import * as app from './dev-sessions.ts';

// The SDK's dev-session contracts are what plugin teams' tooling (the CLI) calls; the app's must take the same
// requests and answer what they declare.
const pairs: [published: RouteContract, app: RouteContract][] = [
  [devApi.startDevSession, app.putDevSession],
  [devApi.announceDevBuild, app.postDevBuild],
  [devApi.beatDevSession, app.postDevHeartbeat],
  [devApi.deployDevBackend, app.putDevBackend],
  [devApi.endDevSession, app.deleteDevSession],
];

describe('the dev-session API the SDK publishes is the app’s own', () => {
  test('same method, path, parameters and request body', () => {
    for (const [published, mine] of pairs) {
      expect([mine.method, mine.path, mine.params, mine.body, mine.rawBody]).toEqual([
        published.method,
        published.path,
        published.params,
        published.body,
        published.rawBody,
      ]);
    }
  });

  test("the app's answers satisfy what the SDK declares, and it takes what the SDK sends", () => {
    expectTypeOf<RouteResponse<typeof app.putDevSession>>().toExtend<RouteResponse<typeof devApi.startDevSession>>();
    expectTypeOf<RouteResponse<typeof app.postDevBuild>>().toExtend<RouteResponse<typeof devApi.announceDevBuild>>();
    expectTypeOf<RouteResponse<typeof app.postDevHeartbeat>>().toExtend<RouteResponse<typeof devApi.beatDevSession>>();
    expectTypeOf<RouteResponse<typeof app.putDevBackend>>().toExtend<RouteResponse<typeof devApi.deployDevBackend>>();
    expectTypeOf<RouteResponse<typeof app.deleteDevSession>>().toEqualTypeOf<undefined>();
    expectTypeOf<RouteInput<typeof devApi.startDevSession>>().toExtend<RouteInput<typeof app.putDevSession>>();
    expectTypeOf<RouteInput<typeof devApi.deployDevBackend>>().toExtend<RouteInput<typeof app.putDevBackend>>();
  });
});
