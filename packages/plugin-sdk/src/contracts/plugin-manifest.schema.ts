import semver from 'semver';
import { z } from 'zod';
import { Capability } from './capabilities.ts';
import { BackendRetries } from './retry-policy.schema.ts';
import { Contribution } from './slots.ts';
import { ToolDeclarations } from './tools.schema.ts';

/** Plugin names: lowercase letters, digits and single dashes; also the folder name under PLUGINS_DIRECTORY. */
export const PluginName = z
  .string()
  .min(2, 'must be at least 2 characters')
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase letters, digits and single dashes, like "data-quality"');

const SemverVersion = z.string().refine((v) => semver.valid(v) !== null, {
  message: 'must be a semantic version like "1.2.0"',
  params: { rule: 'semver' },
});

const SemverRange = z
  .string()
  .min(1, 'must not be empty')
  .refine((r) => semver.validRange(r) !== null, {
    message: 'must be a semver range like "^1.0.0" or ">=0.1 <2"',
    params: { rule: 'semver-range' },
  });

/** A path inside the plugin's own folder: relative, no `..`, no backslashes. */
function isRelativePath(p: string): boolean {
  return !p.startsWith('/') && !p.includes('\\') && !p.split('/').includes('..');
}

const RelativePath = z
  .string()
  .min(1, 'must not be empty')
  .refine(isRelativePath, {
    message: 'must be a relative path inside the plugin folder, without ".." or a leading "/"',
    params: { rule: 'relative-path' },
  });

const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** Where the remote is: a file in `frontend/` or the URL of an independently deployed one. */
const RemoteLocation = z
  .string()
  .min(1, 'must not be empty')
  .superRefine((remote, ctx) => {
    const isUrl = /^https?:\/\//.test(remote);
    if (isUrl && !URL.canParse(remote)) {
      ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL', params: { rule: 'url' } });
    }
    if (!isUrl && !isRelativePath(remote)) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a path inside frontend/ without ".." or a leading "/", or an http(s) URL',
        params: { rule: 'relative-path' },
      });
    }
    if (!/(^|\/)(mf-manifest\.json|remoteEntry\.js)$/.test(remote)) {
      ctx.addIssue({
        code: 'custom',
        message: 'must point at the remote\'s "mf-manifest.json" or "remoteEntry.js"',
        params: { rule: 'remote-entry' },
      });
    }
  });

const EnvVarName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name like "WAREHOUSE_TOKEN"');

const uniqueStrings = <T extends z.ZodType<string>>(item: T) =>
  z.array(item).refine((items) => new Set(items).size === items.length, {
    message: 'must not list the same value twice',
    params: { rule: 'unique' },
  });

export const PluginAuthor = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100),
  email: z.email('must be an email address').optional(),
  url: HttpUrl.optional(),
});

export const PluginCompatibility = z.object({
  workbench: SemverRange,
  pluginApi: z.number().int('must be a whole number').min(1, 'must be at least 1'),
});

export const BackendLimits = z.object({
  timeoutMs: z.number().int().min(10, 'must be at least 10 ms').max(600_000, 'must be at most 600000 ms').optional(),
  memoryMb: z.number().int().min(16, 'must be at least 16 MB').max(8192, 'must be at most 8192 MB').optional(),
  /** Route calls in flight at once; only lowers the server's PLUGIN_MAX_CONCURRENT_CALLS. */
  maxConcurrentCalls: z.number().int().min(1, 'must be at least 1').max(100_000, 'must be at most 100000').optional(),
});

export const PluginBackend = z
  .object({
    entry: RelativePath.optional(),
    url: HttpUrl.optional(),
    limits: BackendLimits.optional(),
    /** Retry policies per hook point or lifecycle event (shared/retry-policy.schema.ts); routes never retry. */
    retries: BackendRetries.optional(),
  })
  .refine((b) => (b.entry === undefined) !== (b.url === undefined), {
    message: 'must have exactly one of "entry" (a file in backend/) or "url" (a deployed backend)',
    params: { rule: 'one-of' },
  });

export const PluginFrontend = z
  .object({ remote: RemoteLocation, contributions: z.array(Contribution) })
  .superRefine((frontend, ctx) => {
    const seen = new Set<string>();
    frontend.contributions.forEach((c, index) => {
      if (seen.has(c.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['contributions', index, 'id'],
          message: `must be unique within the plugin ("${c.id}" is used twice)`,
          params: { rule: 'unique' },
        });
      }
      seen.add(c.id);
    });
  });

export const PluginConfiguration = z.object({
  schema: z.record(z.string(), z.unknown()),
  default: z.unknown().optional(),
});

/** A folder the backend may use: a bare path is read-only; `{path, access: "write"}` may also write. */
export const FsGrantRequest = z.union([
  z.string().min(1, 'must not be empty'),
  z.object({
    path: z.string().min(1, 'must not be empty'),
    access: z.enum(['read', 'write'], { error: 'must be "read" or "write"' }),
  }),
]);
export type FsGrantRequest = z.infer<typeof FsGrantRequest>;

/** A host a backend may connect to: a DNS name or IP, optionally with a port, like "api.example.com:443". */
const NetworkHost = z
  .string()
  .regex(
    /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$/,
    'must be a lowercase host name with an optional port, like "api.example.com" or "*.example.com:443"',
  );

export const PluginPermissions = z.object({
  env: uniqueStrings(EnvVarName).optional(),
  fs: z
    .array(FsGrantRequest)
    .refine((items) => new Set(items.map((i) => (typeof i === 'string' ? i : i.path))).size === items.length, {
      message: 'must not list the same path twice',
      params: { rule: 'unique' },
    })
    .optional(),
  network: uniqueStrings(NetworkHost).optional(),
});

export const PluginSignature = z.object({
  algorithm: z.literal('ed25519'),
  keyId: z.string().min(1, 'must not be empty'),
  value: z.string().regex(/^[A-Za-z0-9+/]+=*$/, 'must be base64'),
});

/** The `manifest.json` every plugin ships (SPEC 4.2). Unknown fields are warnings, reported by `validateManifest`. */
/** Screenshots a manifest may list; discovery checks each exists. */
export const MAX_SCREENSHOTS = 20;

export const PluginManifest = z.object({
  name: PluginName,
  version: SemverVersion,
  displayName: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
  description: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
  author: PluginAuthor,
  compatibility: PluginCompatibility,
  capabilities: uniqueStrings(Capability),
  license: z.string().min(1).optional(),
  homepage: HttpUrl.optional(),
  icon: RelativePath.optional(),
  screenshots: z.array(RelativePath).max(MAX_SCREENSHOTS, `must list at most ${MAX_SCREENSHOTS} files`).optional(),
  categories: z.array(z.string().min(1)).optional(),
  keywords: z.array(z.string().min(1)).optional(),
  dependencies: z.record(PluginName, SemverRange).optional(),
  backend: PluginBackend.optional(),
  frontend: PluginFrontend.optional(),
  configuration: PluginConfiguration.optional(),
  permissions: PluginPermissions.optional(),
  /** Typed tools for the command palette and the MCP endpoint; the backend implements them (`host.tools`). */
  tools: ToolDeclarations.optional(),
  signature: PluginSignature.optional(),
});
export type PluginManifest = z.infer<typeof PluginManifest>;
