import path from 'node:path';
import { z } from 'zod';
import { Capability } from '@dbt-workbench/plugin-sdk/contracts/capabilities';
import { problemsFrom } from '@dbt-workbench/plugin-sdk/contracts/validation';
import { loadTrustedKeys } from '@dbt-workbench/plugin-sdk/node/keys';
import type { SignaturePolicy } from '@dbt-workbench/plugin-sdk/node/verify';
import type { LimitPolicy } from '@dbt-workbench/plugin-sdk/contracts/access-request';
import type { PluginBudgetDefaults } from '../shared/plugin-budgets.schema.ts';

const Flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A comma-separated list of capability names, e.g. `read-metadata,extend-api`. */
const CapabilityList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean),
  )
  .pipe(z.array(Capability));

/** Every setting the server reads from its environment. README "Settings" documents each one. */
const SettingsFromEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  PLUGINS_DIRECTORY: z.string().min(1).default('./plugins'),
  PLUGIN_SYSTEM_ENABLED: Flag.default(true),
  WORKBENCH_DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHELL_DIST_DIR: z.string().min(1).default('./dist/shell'),
  ISOLATION_DIST_DIR: z.string().min(1).default('./dist/isolation'),
  WORKBENCH_CONFIG: z.string().min(1).default('./workbench.config.json'),
  WORKBENCH_ADMIN_USERNAME: z
    .string()
    .regex(/^[a-z0-9._-]{2,40}$/, 'must be 2 to 40 lowercase letters, digits, dots, dashes or underscores')
    .default('admin'),
  WORKBENCH_ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 90)
    .default(24 * 7),
  COOKIE_SECURE: Flag.default(false),
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/, {
      error: 'must be true, false, or a comma-separated list of proxy addresses or CIDRs',
    })
    .optional(),
  SIGN_IN_FREE_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  SIGN_IN_FREE_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(20),
  SIGN_IN_MAX_DELAY_S: z.coerce.number().int().min(1).max(86_400).default(900),
  SIGN_IN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  PLUGINS_WATCH: Flag.default(true),
  PLUGIN_DEFAULT_ENABLED: Flag.default(true),
  PLUGIN_LOAD_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  PLUGIN_REMOTE_CHECK_INTERVAL_S: z.coerce.number().min(0).max(86_400).default(300),
  PLUGIN_DEV_SESSION_TTL_S: z.coerce.number().min(1).max(3600).default(60),
  PLUGIN_AUTO_APPROVE: CapabilityList.default([]),
  PLUGIN_FORBIDDEN_CAPABILITIES: CapabilityList.default([]),
  PLUGIN_SIGNATURES: z.enum(['require', 'warn', 'off'], { error: 'must be require, warn or off' }).default('warn'),
  PLUGIN_TRUSTED_KEYS: z.string().min(1).optional(),
  SQL_TIMEOUT_MS: z.coerce.number().int().min(1).max(3_600_000).default(30_000),
  PLUGIN_TIMEOUT_MS: z.coerce.number().int().min(10).max(600_000).default(5000),
  PLUGIN_MEMORY_MB: z.coerce.number().int().min(16).max(8192).default(128),
  PLUGIN_MAX_TIMEOUT_MS: z.coerce.number().int().min(10).max(600_000).default(60_000),
  PLUGIN_MAX_MEMORY_MB: z.coerce.number().int().min(16).max(8192).default(1024),
  PLUGIN_SANDBOX_OS_LAYERS: Flag.default(true),
  PLUGIN_SANDBOX_UID_BASE: z.coerce.number().int().min(1000).max(4_000_000_000).default(61_000),
  PLUGIN_NETWORK_ALLOWED: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    )
    .default([]),
  PLUGIN_ROUTE_RATE: z.coerce.number().positive().max(1_000_000).default(100),
  PLUGIN_ROUTE_BURST: z.coerce.number().int().min(1).max(1_000_000).default(200),
  PLUGIN_RESPONSE_LIMIT_MB: z.coerce.number().positive().max(1024).default(5),
  PLUGIN_MAX_CONCURRENT_CALLS: z.coerce.number().int().min(1).max(100_000).default(32),
  PLUGIN_DRAIN_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
  PLUGIN_BACKEND_IDLE_MS: z.coerce.number().int().min(0).max(604_800_000).default(600_000),
  PLUGIN_TRIGGER_MIN_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  PLUGIN_MAX_MANIFEST_KB: z.coerce.number().int().min(4).max(65_536).default(256),
  PLUGIN_BACKEND_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  PLUGIN_MAX_PACKAGE_MB: z.coerce.number().positive().max(4096).default(50),
  PLUGIN_MAX_PACKAGE_FILES: z.coerce.number().int().min(1).max(1_000_000).default(5000),
  PLUGIN_CATALOG: z.string().min(1).default('./marketplace'),
  PLUGIN_GIT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(120_000),
  PLUGIN_KEEP_VERSIONS: z.coerce.number().int().min(1).max(50).default(3),
  PLUGIN_LOG_MAX_KB: z.coerce.number().int().min(16).max(1_048_576).default(5120),
  PLUGIN_LOG_MAX_AGE_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 365)
    .default(24 * 7),
  PLUGIN_LOG_LINES_PER_SECOND: z.coerce.number().int().min(1).max(100_000).default(200),
  PLUGIN_METRICS_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
  PLUGIN_METRICS_KEEP: z.coerce.number().int().min(10).max(100_000).default(360),
  PLUGIN_BUDGET_ERROR_RATE: z.coerce.number().min(0).max(1).default(0.5),
  PLUGIN_BUDGET_P95_MS: z.coerce.number().int().min(1).max(3_600_000).default(2000),
  PLUGIN_BUDGET_RESTARTS: z.coerce.number().int().min(0).max(10_000).default(5),
  PLUGIN_BUDGET_MIN_CALLS: z.coerce.number().int().min(1).max(1_000_000).default(20),
  PLUGIN_BUDGET_WINDOW_S: z.coerce.number().positive().max(86_400).default(300),
  PLUGIN_BUDGET_AUTO_DISABLE: Flag.default(true),
  WORKBENCH_TEST_CRASH_AT: z.string().optional(),
});

export interface Settings {
  port: number;
  host: string;
  pluginsDirectory: string;
  pluginSystemEnabled: boolean;
  dataDirectory: string;
  databaseUrl: string | undefined;
  logLevel: z.infer<typeof SettingsFromEnv>['LOG_LEVEL'];
  shellDistDirectory: string;
  /** The built isolation runtime: the document and scripts of isolated plugin frames. */
  isolationDistDirectory: string;
  workspacesFile: string;
  firstAdmin: { username: string; password: string | undefined };
  sessionTtlMs: number;
  secureCookies: boolean;
  /** Which proxies' X-Forwarded-* headers name the client and its origin (Fastify's trustProxy); none by default. */
  trustProxy: boolean | string[];
  /** Sign-in throttling: failures before waits start (per username, per address), longest wait, attempts a minute. */
  signIn: {
    freeFailuresPerUser: number;
    freeFailuresPerAddress: number;
    maxDelayMs: number;
    attemptsPerMinute: number;
  };
  /** Reload plugins when their folders change on disk. */
  watchPlugins: boolean;
  /** How long one SQL workspace query may run before it is interrupted. */
  sqlTimeoutMs: number;
  /** Whether a plugin nobody enabled or disabled is enabled everywhere. */
  pluginsEnabledByDefault: boolean;
  /** How long shells wait for a plugin's code. */
  pluginLoadTimeoutMs: number;
  /** How often remotes pinned at approval are compared with what their URL serves now; 0 turns the check off. */
  remoteCheckIntervalMs: number;
  /** How long a dev session lives without a heartbeat of its CLI (which beats at a quarter of it). */
  devSessionTtlMs: number;
  /**
   * What the server lets plugins do: capabilities approved without an admin or never allowed, and its signing
   * policy (PLUGIN_SIGNATURES, with the public keys of PLUGIN_TRUSTED_KEYS read once at start, to which the server
   * adds the keys admins trust, in place: server/plugins/signing/key-store.ts).
   */
  capabilityPolicy: {
    autoApprove: Capability[];
    forbidden: Capability[];
    signatures: SignaturePolicy;
    /** Backend limits granted without asking, and the ceilings no approval goes above. */
    limits: LimitPolicy;
  };
  /** Plugin backends (server/sandbox): per-call deadline, memory, OS layers, route limits, signing secret. */
  pluginBackends: {
    timeoutMs: number;
    memoryMb: number;
    osLayers: boolean;
    uidBase: number;
    networkAllowed: string[];
    ratePerSecond: number;
    rateBurst: number;
    maxResponseBytes: number;
    /** Route calls one plugin may have in flight at once (PLUGIN_MAX_CONCURRENT_CALLS); a manifest may go lower. */
    maxConcurrentCalls: number;
    /** How long calls in a backend being stopped or replaced may take to finish, then 503 (PLUGIN_DRAIN_MS). */
    drainMs: number;
    /** How long a backend may go without calls before it is stopped, to start again on demand; 0 never (PLUGIN_BACKEND_IDLE_MS). */
    idleMs: number;
    /** One run per plugin scheduler trigger at most this often (PLUGIN_TRIGGER_MIN_INTERVAL_MS). */
    triggerMinIntervalMs: number;
    secret: string | undefined;
  };
  /** Plugin packages (server/plugins/installation): size limits, the marketplace catalog, git clone deadline. */
  pluginPackages: {
    maxBytes: number;
    maxFiles: number;
    /** Largest `manifest.json` (and built `mf-manifest.json`) read, in bytes (PLUGIN_MAX_MANIFEST_KB). */
    maxManifestBytes: number;
    /** An absolute path (a folder with `index.json`, or an index file) or an http(s) URL of an index file. */
    catalog: string;
    gitTimeoutMs: number;
    /** How many previous versions of each plugin are kept for rollback (PLUGIN_KEEP_VERSIONS). */
    keepVersions: number;
  };
  /** Per-plugin logs, cost figures over time and budgets (server/plugins/operations). */
  pluginOperations: {
    /** Largest size of one plugin's kept log lines, in bytes; the oldest go first. */
    logMaxBytes: number;
    /** Log lines older than this are deleted. */
    logMaxAgeMs: number;
    /** Lines one plugin may log per second; the rest are dropped and counted. */
    logLinesPerSecond: number;
    /** How often each plugin's cost figures are sampled into a point of its history. */
    metricsIntervalMs: number;
    /** How many points of history are kept per plugin. */
    metricsKeep: number;
    /** The budget every plugin gets unless an admin overrides it for one plugin. */
    budget: PluginBudgetDefaults;
  };
  /** Test only: the named step of a plugin install, update or remove at which the server kills itself (SIGKILL). */
  testCrashAt: string | undefined;
}

/** TRUST_PROXY as Fastify's trustProxy option: a flag or the proxies' addresses. Pure. */
function trustProxyOf(value: string | undefined): boolean | string[] {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return value.split(',').map((a) => a.trim());
}

/** Reads settings from an environment; throws one error naming every bad variable. Paths resolve against `cwd`. */
export function loadSettings(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): Settings {
  // An empty variable means "not set", as in most shells' `VAR= command`.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = SettingsFromEnv.safeParse(given, { reportInput: true });
  if (!parsed.success) {
    const lines = problemsFrom(parsed.error).map((p) => `  - ${p.message}`);
    throw new Error(`Invalid settings in the environment:\n${lines.join('\n')}`);
  }
  const s = parsed.data;
  // A ceiling below the default would refuse every plugin that asks for nothing.
  for (const [ceiling, ceilingName, value, defaultName] of [
    [s.PLUGIN_MAX_TIMEOUT_MS, 'PLUGIN_MAX_TIMEOUT_MS', s.PLUGIN_TIMEOUT_MS, 'PLUGIN_TIMEOUT_MS'],
    [s.PLUGIN_MAX_MEMORY_MB, 'PLUGIN_MAX_MEMORY_MB', s.PLUGIN_MEMORY_MB, 'PLUGIN_MEMORY_MB'],
  ] as const) {
    if (ceiling < value) {
      throw new Error(
        `Invalid settings in the environment:\n  - ${ceilingName}: must be at least ${defaultName} (${value}), not ${ceiling}`,
      );
    }
  }
  const trustedKeys = s.PLUGIN_TRUSTED_KEYS ? loadTrustedKeys(path.resolve(cwd, s.PLUGIN_TRUSTED_KEYS)) : new Map();
  return {
    port: s.PORT,
    host: s.HOST,
    pluginsDirectory: path.resolve(cwd, s.PLUGINS_DIRECTORY),
    pluginSystemEnabled: s.PLUGIN_SYSTEM_ENABLED,
    dataDirectory: path.resolve(cwd, s.WORKBENCH_DATA_DIR),
    databaseUrl: s.DATABASE_URL,
    logLevel: s.LOG_LEVEL,
    shellDistDirectory: path.resolve(cwd, s.SHELL_DIST_DIR),
    isolationDistDirectory: path.resolve(cwd, s.ISOLATION_DIST_DIR),
    workspacesFile: path.resolve(cwd, s.WORKBENCH_CONFIG),
    firstAdmin: { username: s.WORKBENCH_ADMIN_USERNAME, password: s.WORKBENCH_ADMIN_PASSWORD },
    sessionTtlMs: s.SESSION_TTL_HOURS * 3_600_000,
    secureCookies: s.COOKIE_SECURE,
    trustProxy: trustProxyOf(s.TRUST_PROXY),
    signIn: {
      freeFailuresPerUser: s.SIGN_IN_FREE_FAILURES,
      freeFailuresPerAddress: s.SIGN_IN_FREE_FAILURES_PER_ADDRESS,
      maxDelayMs: s.SIGN_IN_MAX_DELAY_S * 1000,
      attemptsPerMinute: s.SIGN_IN_ATTEMPTS_PER_MINUTE,
    },
    watchPlugins: s.PLUGINS_WATCH,
    sqlTimeoutMs: s.SQL_TIMEOUT_MS,
    pluginsEnabledByDefault: s.PLUGIN_DEFAULT_ENABLED,
    pluginLoadTimeoutMs: s.PLUGIN_LOAD_TIMEOUT_MS,
    remoteCheckIntervalMs: s.PLUGIN_REMOTE_CHECK_INTERVAL_S * 1000,
    devSessionTtlMs: s.PLUGIN_DEV_SESSION_TTL_S * 1000,
    capabilityPolicy: {
      autoApprove: s.PLUGIN_AUTO_APPROVE,
      forbidden: s.PLUGIN_FORBIDDEN_CAPABILITIES,
      signatures: { mode: s.PLUGIN_SIGNATURES, trustedKeys },
      limits: {
        defaults: { timeoutMs: s.PLUGIN_TIMEOUT_MS, memoryMb: s.PLUGIN_MEMORY_MB },
        ceilings: { timeoutMs: s.PLUGIN_MAX_TIMEOUT_MS, memoryMb: s.PLUGIN_MAX_MEMORY_MB },
      },
    },
    pluginBackends: {
      timeoutMs: s.PLUGIN_TIMEOUT_MS,
      memoryMb: s.PLUGIN_MEMORY_MB,
      osLayers: s.PLUGIN_SANDBOX_OS_LAYERS,
      uidBase: s.PLUGIN_SANDBOX_UID_BASE,
      networkAllowed: s.PLUGIN_NETWORK_ALLOWED,
      ratePerSecond: s.PLUGIN_ROUTE_RATE,
      rateBurst: s.PLUGIN_ROUTE_BURST,
      maxResponseBytes: Math.round(s.PLUGIN_RESPONSE_LIMIT_MB * 1024 * 1024),
      maxConcurrentCalls: s.PLUGIN_MAX_CONCURRENT_CALLS,
      drainMs: s.PLUGIN_DRAIN_MS,
      idleMs: s.PLUGIN_BACKEND_IDLE_MS,
      triggerMinIntervalMs: s.PLUGIN_TRIGGER_MIN_INTERVAL_MS,
      secret: s.PLUGIN_BACKEND_SECRET,
    },
    pluginPackages: {
      maxBytes: Math.round(s.PLUGIN_MAX_PACKAGE_MB * 1024 * 1024),
      maxFiles: s.PLUGIN_MAX_PACKAGE_FILES,
      maxManifestBytes: s.PLUGIN_MAX_MANIFEST_KB * 1024,
      catalog: /^https?:\/\//.test(s.PLUGIN_CATALOG) ? s.PLUGIN_CATALOG : path.resolve(cwd, s.PLUGIN_CATALOG),
      gitTimeoutMs: s.PLUGIN_GIT_TIMEOUT_MS,
      keepVersions: s.PLUGIN_KEEP_VERSIONS,
    },
    pluginOperations: {
      logMaxBytes: s.PLUGIN_LOG_MAX_KB * 1024,
      logMaxAgeMs: s.PLUGIN_LOG_MAX_AGE_HOURS * 3_600_000,
      logLinesPerSecond: s.PLUGIN_LOG_LINES_PER_SECOND,
      metricsIntervalMs: s.PLUGIN_METRICS_INTERVAL_MS,
      metricsKeep: s.PLUGIN_METRICS_KEEP,
      budget: {
        errorRate: s.PLUGIN_BUDGET_ERROR_RATE,
        p95Ms: s.PLUGIN_BUDGET_P95_MS,
        restarts: s.PLUGIN_BUDGET_RESTARTS,
        minCalls: s.PLUGIN_BUDGET_MIN_CALLS,
        windowMs: s.PLUGIN_BUDGET_WINDOW_S * 1000,
        autoDisable: s.PLUGIN_BUDGET_AUTO_DISABLE,
      },
    },
    testCrashAt: s.WORKBENCH_TEST_CRASH_AT,
  };
}
