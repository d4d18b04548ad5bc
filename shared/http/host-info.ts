import { defineRoute } from '@dbt-workbench/plugin-sdk/contracts/http';
import { HostInfo } from '../api.schema.ts';

/** Facts about the running host, for anyone (the sign-in page and plugin tooling read them too). */
export const getHostInfo = defineRoute({
  method: 'GET',
  path: '/api/info',
  responses: { 200: HostInfo },
});
