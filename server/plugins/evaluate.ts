import {
  accessEntries,
  accessRequestOf,
  ceilingProblems,
  type AccessEntry,
  type LimitPolicy,
} from '@dbt-workbench/plugin-sdk/contracts/access-request';
import type { Capability } from '@dbt-workbench/plugin-sdk/contracts/capabilities';
import { configurationProblems, resolveConfig } from '@dbt-workbench/plugin-sdk/node/configuration';
import { settleClashes, type Precedence } from './conflicts.ts';
import { enabledWorkspaces, type EnablementRules } from './enablement.ts';
import { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import type { Rejection } from '../../shared/api.schema.ts';
import type { PluginState } from '../../shared/plugin-states.ts';
import { validate, type ValidationProblem } from '@dbt-workbench/plugin-sdk/contracts/validation';
import {
  dependencyProblems,
  hostCompatibilityProblems,
  hostCompatibilityWarnings,
  type HostFacts,
} from '@dbt-workbench/plugin-sdk/node/compatibility';
import type { PluginCandidate } from '@dbt-workbench/plugin-sdk/node/candidate';
import { remoteProblems } from '@dbt-workbench/plugin-sdk/node/remote-check';
import { refusedGrants, type ProtectedPaths } from '../sandbox/grant-rules.ts';
import {
  checkSignature,
  signatureProblem,
  type SignatureCheck,
  type SignaturePolicy,
} from '@dbt-workbench/plugin-sdk/node/verify';
import { remotePinHold } from './remote-pins/rule.ts';
import type { RemotePin, RemotePinLookup } from './remote-pins/store.ts';

/** Everything the server knows about one discovered plugin, and the state it decided for it. */
export interface PluginRecord {
  name: string;
  directory: string;
  state: PluginState;
  reason?: string;
  manifest?: PluginManifest;
  problems: ValidationProblem[];
  warnings: ValidationProblem[];
  /** `<version>-<content hash>`: the path segment of this build's assets. */
  revision: string;
  /** Where its backend runs from: the verified snapshot of a signed package (absent: its own folder). */
  codeDirectory?: string;
  /** Static files the manifest names that the plugin does not ship. */
  missingStaticFiles: string[];
  /** Declared capabilities that are approved (by an admin for this version, or by the server's policy). */
  approvedCapabilities: Capability[];
  /** The version's whole access request in plain words, each item marked approved or not; empty when unreadable. */
  access: AccessEntry[];
  /** The workspaces where the plugin is enabled; it is `disabled` when there are none. */
  enabledWorkspaces: string[];
  /** Its configuration as it runs: stored values or the default, with the schema's defaults filled in. */
  config: Record<string, unknown>;
  /** What checking its signature found, unless PLUGIN_SIGNATURES is `off`. */
  signature?: SignatureCheck;
  /** Set when a newer build in its folder failed to load and this, the last good version, kept running. */
  reloadError?: {
    state: PluginState;
    reason: string;
    problems: ValidationProblem[];
    version?: string;
    /** A valid newer version waiting for an admin to approve what it asks for (approvals-waiting.ts). */
    waiting?: { manifest: PluginManifest; access: AccessEntry[] };
  };
  /** For an absolute `frontend.remote`: what was pinned at approval, which the shell enforces when it loads. */
  remotePin?: RemotePin;
  /** An admin rejected this version while it waited for its first approval (first-rejection.ts). */
  rejected?: Rejection;
}

/** The server's capability policy: some capabilities need no admin, some are never allowed. */
export interface CapabilityPolicy {
  autoApprove: readonly Capability[];
  forbidden: readonly Capability[];
  /** PLUGIN_SIGNATURES and PLUGIN_TRUSTED_KEYS; absent means `off`. */
  signatures?: SignaturePolicy;
  /** Backend limits asked for without approval, and the ceilings above which a version is refused. */
  limits: LimitPolicy;
}

/** The access keys (shared/access-request.ts) an admin approved for a plugin at a given version. */
export type ApprovalLookup = (name: string, version: string) => readonly string[];

export interface EvaluationInput {
  candidates: readonly PluginCandidate[];
  host: HostFacts;
  approvedCapabilities: ApprovalLookup;
  policy: CapabilityPolicy;
  enablement: (name: string) => EnablementRules | undefined;
  /** The configuration an admin stored for a plugin, if any. */
  storedConfig: (name: string) => Record<string, unknown> | undefined;
  workspaces: readonly string[];
  /** Whether a plugin without any enablement rule is enabled (PLUGIN_DEFAULT_ENABLED). */
  defaultEnabled: boolean;
  /** Why a plugin was disabled automatically (over budget), if it was: it stays off everywhere until enabled. */
  autoDisabled?: (name: string) => string | undefined;
  /** The remote pinned at approval of each plugin version (remote-pins/); without it absolute remotes are not checked. */
  remotePins?: RemotePinLookup;
  /** Folders no `permissions.fs` grant may reach (server/sandbox/grant-rules.ts); a plugin asking for one is invalid. */
  protectedPaths?: ProtectedPaths;
  /** Who keeps a key two plugins claim (conflicts.ts); absent, neither does. */
  precedence?: Precedence;
}

function rejected(
  candidate: PluginCandidate,
  name: string,
  state: PluginState,
  reason: string,
  extra: Partial<PluginRecord> = {},
): PluginRecord {
  return {
    name,
    directory: candidate.directory,
    state,
    reason,
    problems: [],
    warnings: [],
    revision: candidate.contentHash,
    missingStaticFiles: candidate.missingStaticFiles,
    approvedCapabilities: [],
    access: [],
    enabledWorkspaces: [],
    config: {},
    ...extra,
  };
}

/** Applies the rules that need only the candidate itself: readable, valid, named like its folder, compatible. */
function evaluateAlone(candidate: PluginCandidate, input: EvaluationInput): PluginRecord {
  const folder = candidate.folderName;
  if (!candidate.manifest.ok) return rejected(candidate, folder, 'invalid', candidate.manifest.error);

  const result = validate(PluginManifest, candidate.manifest.json);
  if (!result.ok) {
    const count = result.problems.length;
    const first = result.problems[0]?.message ?? 'unknown problem';
    const reason =
      count === 1 ? `manifest.json is invalid: ${first}` : `manifest.json has ${count} problems, first: ${first}`;
    const declared = (candidate.manifest.json as { name?: unknown } | null)?.name;
    const name = typeof declared === 'string' && declared.length > 0 ? declared : folder;
    return rejected(candidate, name, 'invalid', reason, { problems: result.problems, warnings: result.warnings });
  }

  const manifest = result.value;
  const missingFiles = candidate.missingStaticFiles.map((file) => ({
    field: file === manifest.icon ? 'icon' : 'screenshots',
    rule: 'file-exists',
    message: `${file === manifest.icon ? 'icon' : 'screenshots'}: static/${file} does not exist`,
  }));
  // Policy auto-approved capabilities count as approved keys (a capability's key is its name).
  const approved = new Set<string>([
    ...input.policy.autoApprove,
    ...input.approvedCapabilities(manifest.name, manifest.version),
  ]);
  const access = accessEntries(accessRequestOf(manifest, input.policy.limits.defaults), approved);
  const base: Pick<PluginRecord, 'manifest' | 'warnings' | 'revision' | 'missingStaticFiles' | 'signature' | 'access'> =
    {
      manifest,
      warnings: [...result.warnings, ...missingFiles, ...hostCompatibilityWarnings(manifest, input.host)],
      revision: `${manifest.version}-${candidate.contentHash}`,
      missingStaticFiles: candidate.missingStaticFiles,
      access,
    };
  if (manifest.name !== folder) {
    return rejected(
      candidate,
      manifest.name,
      'invalid',
      `manifest name "${manifest.name}" must equal its folder name "${folder}"`,
      base,
    );
  }
  const signatures = input.policy.signatures;
  if (signatures && signatures.mode !== 'off') {
    const check = checkSignature(manifest.signature, candidate.packageDigest, signatures.trustedKeys);
    const problem = signatureProblem(check);
    // Under `warn` only an unsigned package loads (shown as unsigned): a signature that does not verify claims an
    // origin it cannot prove, so it is refused until its key is trusted or the package is signed again.
    if (problem && (signatures.mode === 'require' || check.status !== 'unsigned')) {
      const reason = `refused by PLUGIN_SIGNATURES=${signatures.mode}: ${problem}`;
      return rejected(candidate, manifest.name, 'invalid', reason, { ...base, signature: check });
    }
    base.signature = check;
  }
  const configProblems = configurationProblems(manifest);
  if (configProblems.length > 0) {
    const reason = `manifest.json is invalid: ${configProblems[0]!.message}`;
    return rejected(candidate, manifest.name, 'invalid', reason, { ...base, problems: configProblems });
  }
  const remote = remoteProblems(manifest, candidate.remoteManifest);
  if (remote.length > 0) return rejected(candidate, manifest.name, 'invalid', remote.join('; '), base);
  const refused = input.protectedPaths ? refusedGrants(manifest, candidate.directory, input.protectedPaths) : [];
  if (refused.length > 0) return rejected(candidate, manifest.name, 'invalid', refused.join('; '), base);

  const incompatible = hostCompatibilityProblems(manifest, input.host);
  if (incompatible.length > 0) return rejected(candidate, manifest.name, 'incompatible', incompatible.join('; '), base);

  const forbidden = manifest.capabilities.filter((c) => input.policy.forbidden.includes(c));
  if (forbidden.length > 0) {
    const reason = `this server's policy forbids the capabilities ${forbidden.join(', ')} (PLUGIN_FORBIDDEN_CAPABILITIES)`;
    return rejected(candidate, manifest.name, 'incompatible', reason, base);
  }

  const aboveCeiling = ceilingProblems(manifest, input.policy.limits.ceilings);
  if (aboveCeiling.length > 0) return rejected(candidate, manifest.name, 'incompatible', aboveCeiling.join('; '), base);

  const approvedCapabilities = manifest.capabilities.filter((c) => approved.has(c));
  const waiting = access.filter((entry) => !entry.approved);
  if (waiting.length > 0) {
    // Capabilities by the names admins know from the plugin card; every other item in its plain words.
    const capabilities = waiting.flatMap((e) => (e.item.kind === 'capability' ? [e.item.capability] : []));
    const others = waiting.filter((e) => e.item.kind !== 'capability').map((e) => e.description);
    const words = [...(capabilities.length > 0 ? [capabilities.join(', ')] : []), ...others];
    const reason = `waiting for an admin to approve: ${words.join('; ')}`;
    return rejected(candidate, manifest.name, 'pending-approval', reason, { ...base, approvedCapabilities });
  }
  const remotePin = input.remotePins?.(manifest.name, manifest.version);
  const unpinned = input.remotePins && remotePinHold(manifest, remotePin);
  if (unpinned) {
    // The URL may be approved, but not what it serves now: the admin's review lists the remote as waiting.
    const access = base.access.map((e) => (e.item.kind === 'remote' ? { ...e, approved: false } : e));
    return rejected(candidate, manifest.name, 'pending-approval', unpinned, { ...base, access, approvedCapabilities });
  }

  const config = resolveConfig(manifest, input.storedConfig(manifest.name));
  if (!config.ok) {
    const reason = `its stored configuration no longer fits the schema: ${config.problems.map((p) => p.message).join('; ')}`;
    return rejected(candidate, manifest.name, 'error', reason, { ...base, approvedCapabilities });
  }

  const autoDisabled = input.autoDisabled?.(manifest.name);
  const enabledIn =
    autoDisabled === undefined
      ? enabledWorkspaces(input.enablement(manifest.name), input.workspaces, input.defaultEnabled)
      : [];
  return {
    name: manifest.name,
    directory: candidate.directory,
    state: enabledIn.length > 0 ? 'active' : 'disabled',
    ...(autoDisabled === undefined ? {} : { reason: `Disabled automatically: ${autoDisabled}` }),
    problems: [],
    ...base,
    approvedCapabilities,
    enabledWorkspaces: enabledIn,
    config: config.value,
    ...(remotePin && manifest.frontend?.remote === remotePin.url ? { remotePin } : {}),
  };
}

/**
 * Marks every plugin whose name more than one folder declares, except the copy in the folder that held the name
 * before (a folder copied in never takes the name from the plugin serving under it); with no holder, every copy,
 * so no copy wins by accident.
 */
function rejectDuplicates(records: PluginRecord[], precedence: Precedence = noPrecedence): PluginRecord[] {
  const byName = Map.groupBy(records, (r) => r.name);
  return records.map((record) => {
    const copies = byName.get(record.name) ?? [];
    if (copies.length < 2) return record;
    const holder = copies.find((c) => c.directory === precedence.heldIn(record.name));
    if (record === holder) return record;
    const where = copies.map((c) => c.directory).join(', ');
    const reason = holder
      ? `the name "${record.name}" belongs to the plugin in ${holder.directory}; remove or rename this folder`
      : `the name "${record.name}" is declared by ${copies.length} folders (${where}); remove or rename all but one`;
    return { ...record, state: 'invalid', enabledWorkspaces: [], reason };
  });
}

/** Blocks plugins whose dependencies are missing, out of range, not activatable, or cyclic. */
function rejectUnresolvedDependencies(records: PluginRecord[]): PluginRecord[] {
  const nodes = records.flatMap((r) =>
    r.manifest
      ? [
          {
            name: r.name,
            version: r.manifest.version,
            dependencies: r.manifest.dependencies ?? {},
            ready: r.state === 'active',
            state: r.state,
          },
        ]
      : [],
  );
  const blocked = dependencyProblems(nodes);
  return records.map((r) => {
    const reason = blocked.get(r.name);
    return reason ? { ...r, state: 'incompatible', reason, enabledWorkspaces: [] } : r;
  });
}

/**
 * Decides the state of every discovered plugin, with a reason for each that is not active.
 * Pure: the same candidates, host and approvals always give the same records.
 */
export function evaluatePlugins(input: EvaluationInput): PluginRecord[] {
  const alone = input.candidates.map((c) => evaluateAlone(c, input));
  return rejectUnresolvedDependencies(rejectConflicts(rejectDuplicates(alone, input.precedence), input.precedence));
}

/** Makes the plugins that lose a clash over a key (a page path) incompatible, with a reason naming key and owner. */
function rejectConflicts(records: PluginRecord[], precedence: Precedence = noPrecedence): PluginRecord[] {
  const claimants = records.flatMap((r) =>
    r.manifest && r.state !== 'invalid' ? [{ name: r.name, manifest: r.manifest }] : [],
  );
  const conflicts = settleClashes(claimants, precedence);
  return records.map((r) => {
    const reason = conflicts.get(r.name);
    return reason && r.state !== 'invalid' ? { ...r, state: 'incompatible', reason, enabledWorkspaces: [] } : r;
  });
}

const noPrecedence: Precedence = { heldBy: () => undefined, installedAt: () => undefined, heldIn: () => undefined };
