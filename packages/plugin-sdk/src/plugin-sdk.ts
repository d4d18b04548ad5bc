import type { CatalogSummary, ModelList, NodeDetail, SearchResponse } from './contracts/catalog.schema.ts';
import type { WorkspaceRole } from './contracts/roles.ts';
import type { RunList } from './contracts/runs.schema.ts';
import type { SqlQueryResult } from './contracts/sql.schema.ts';

export type { WorkspaceRole };

/**
 * What the shell hands every contribution, through its props as `sdk`.
 * Plugins use this instead of reaching into the shell: it is the whole surface they may rely on.
 */
export interface PluginSdk {
  /** The version of this interface; a breaking change bumps the plugin API major version. */
  readonly apiVersion: 1;
  /** The plugin this SDK instance belongs to. */
  readonly plugin: { readonly name: string; readonly version: string };
  /** The workspace the user is looking at. */
  readonly workspace: { readonly name: string; readonly title: string };
  /**
   * The plugin's configuration as an admin set it, checked against the manifest's `configuration.schema`
   * with its defaults filled in. A change arrives as a re-render with the new object, without a reload.
   */
  readonly config: Readonly<Record<string, unknown>>;
  /** The signed-in user and their role in this workspace. */
  readonly user: { readonly username: string; readonly displayName: string; readonly role: WorkspaceRole };
  /**
   * Fetches the plugin's own backend routes: `sdk.fetch('/stats')` calls `/api/ext/<plugin>/stats`.
   * Absolute URLs and paths that climb out with `..` are refused.
   */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /**
   * The host's data, as far as the plugin's approved capabilities allow (`read-metadata` for the catalog
   * and runs, `access-sql-workspace` for SQL). Calls run with the user's own rights; a missing capability
   * rejects with an error saying which one.
   */
  readonly data: HostData;
  /** The browser's localStorage, scoped to this plugin: it can neither read nor clear another plugin's keys. */
  readonly storage: PluginStorage;
  /** Shows a short message in the app's notification corner, labelled with the plugin's name. */
  notify(message: string, options?: { tone?: 'info' | 'success' | 'warning' | 'error' }): void;
  /** Moves the shell to a page of the current workspace: `sdk.navigate('/ext/data-quality')`, `sdk.navigate('/models')`. */
  navigate(to: string): void;
}

/** The host data APIs of `sdk.data`. Each rejects with an `Error` carrying the server's message. */
export interface HostData {
  /** Models (and, with `resourceType`, seeds, snapshots or sources) with their last status. */
  models(query?: {
    q?: string;
    tag?: string;
    materialization?: string;
    status?: string;
    resourceType?: string;
  }): Promise<ModelList>;
  /** Everything about one node: columns, tests, SQL, upstream and downstream. */
  node(uniqueId: string): Promise<NodeDetail>;
  search(q: string, limit?: number): Promise<SearchResponse>;
  summary(): Promise<CatalogSummary>;
  runs(): Promise<RunList>;
  /** Runs SQL in the workspace's database (the user must be a developer there). */
  sql(sql: string, limit?: number): Promise<SqlQueryResult>;
}

/** A plugin's own corner of the browser's localStorage. Values are stored as JSON. */
export interface PluginStorage {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  remove(key: string): void;
  /** Removes this plugin's keys only. */
  clear(): void;
}
