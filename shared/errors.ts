/**
 * Every error code the HTTP API can answer with, its status and what it means.
 * A retired code is never reused; add new ones at the end.
 */
export const errorCodes = {
  bad_request: { status: 400, meaning: 'The request body, query or parameters are invalid.' },
  unauthorized: { status: 401, meaning: 'Sign in first.' },
  forbidden: { status: 403, meaning: 'Your role does not allow this.' },
  not_found: { status: 404, meaning: 'No such route or resource.' },
  plugin_not_found: { status: 404, meaning: 'No plugin with that name is installed.' },
  workspace_not_found: { status: 404, meaning: 'No workspace with that name, or you are not a member.' },
  conflict: { status: 409, meaning: 'The resource is busy or in a state that does not allow this.' },
  internal_error: { status: 500, meaning: 'Something failed inside the server; the log has the details.' },
  invalid_credentials: { status: 401, meaning: 'The username or password is wrong.' },
  sql_error: {
    status: 400,
    meaning:
      "The SQL workspace database rejected the query; the message is DuckDB's, except for a missing table, which is named with why the workspace lacks it.",
  },
  sql_timeout: { status: 400, meaning: 'The query ran longer than SQL_TIMEOUT_MS allows and was stopped.' },
  capability_denied: { status: 403, meaning: 'The plugin lacks an approved capability this call needs.' },
  plugin_rate_limited: {
    status: 429,
    meaning: "Too many calls to this plugin's routes; retry after the Retry-After seconds.",
  },
  plugin_unavailable: {
    status: 503,
    meaning: "The plugin's backend is not running (starting, or stopped after repeated crashes).",
  },
  plugin_timeout: { status: 504, meaning: "The plugin's backend did not answer within its time limit." },
  plugin_error: {
    status: 502,
    meaning: "The plugin's backend failed: it threw, crashed, or answered too much or wrongly.",
  },
  package_invalid: {
    status: 400,
    meaning: 'The plugin package (archive, folder or git repository) cannot be installed; details list why.',
  },
  catalog_unavailable: { status: 502, meaning: 'The marketplace catalog (PLUGIN_CATALOG) cannot be read.' },
  notice_not_found: { status: 404, meaning: 'No open notice with that id: it was dismissed already or never existed.' },
  user_deactivated: {
    status: 403,
    meaning: 'The password is right but an admin deactivated this account; an admin can reactivate it.',
  },
  sign_in_throttled: {
    status: 429,
    meaning: 'Too many failed sign-ins for this username or from this address; retry after the Retry-After seconds.',
  },
  cross_origin_refused: {
    status: 403,
    meaning:
      'A change carrying the session cookie came from another site, or an API request came from an opaque origin (a sandboxed plugin frame) or another site (Origin or Sec-Fetch-Site); it was refused.',
  },
  payload_too_large: { status: 413, meaning: 'The request body is larger than the server accepts.' },
  uri_too_long: { status: 414, meaning: 'A part of the URL is longer than the server accepts.' },
  unsupported_media_type: { status: 415, meaning: 'The request body has a content type this route does not read.' },
  request_header_too_large: { status: 431, meaning: 'The request headers are larger than the server accepts.' },
  request_timeout: { status: 408, meaning: 'The request was not received in time.' },
  service_unavailable: { status: 503, meaning: 'The server is shutting down; retry on another instance or later.' },
  plugin_busy: {
    status: 429,
    meaning: 'Too many calls to this plugin are in flight at once; retry after the Retry-After seconds.',
  },
  remote_unreachable: {
    status: 502,
    meaning: "A plugin's remote deployed at its own URL could not be read, so its content could not be pinned.",
  },
  token_invalid: {
    status: 401,
    meaning: 'The API token (Authorization: Bearer wbt_...) is unknown, expired or revoked; the message says which.',
  },
  token_scope: { status: 403, meaning: "The API token's scopes do not include this route." },
  frames_unavailable: {
    status: 503,
    meaning: 'The isolation runtime is not built (ISOLATION_DIST_DIR), so isolated plugin frames cannot be served.',
  },
  plugin_token_required: {
    status: 403,
    meaning: "A plugin frontend's call to host data needs the x-workbench-plugin-token header, which the app sends.",
  },
  plugin_token_invalid: {
    status: 403,
    meaning:
      'The plugin token is malformed, expired, or for another session, plugin or workspace; the message says which.',
  },
  tool_not_found: {
    status: 404,
    meaning: 'No tool with that name in this workspace (core tools, or `<plugin>.<tool>`).',
  },
  tool_unavailable: {
    status: 409,
    meaning: "The tool's plugin is not active, or disabled in this workspace, or its backend does not serve the tool.",
  },
  tool_arguments_invalid: {
    status: 400,
    meaning: "The arguments do not match the tool's parameters schema; details list each field with its problem.",
  },
  tool_capability_missing: {
    status: 403,
    meaning: 'The tool uses a capability that is not approved for its plugin; nothing ran.',
  },
  tool_refused: { status: 403, meaning: 'A policy plugin refused the tool call; the message gives its reason.' },
  tool_result_invalid: {
    status: 502,
    meaning: "The tool's answer does not match its result schema, so it was not passed on; details list each field.",
  },
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** The body of every error response: `{error: {code, message, details?}}` (declared with the route contracts). */
export { ApiErrorBody } from '@dbt-workbench/plugin-sdk/contracts/http';
