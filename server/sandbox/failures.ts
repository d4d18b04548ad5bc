import type { ErrorInfo } from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';

/** Why a call into a plugin backend failed; the proxy turns each kind into a status. */
export type FailureKind =
  /** The plugin's handler threw. */
  | 'failed'
  /** The handler threw because the sandbox refused something (file, network, signal). */
  | 'denied'
  /** A host call outside the approved capabilities. */
  | 'rejected'
  | 'timeout'
  | 'crashed'
  | 'too_large'
  /** Not running: starting, circuit open, or no such handler. */
  | 'unavailable';

/** Error codes thrown in a child when the sandbox said no. */
const sandboxCodes = new Set([
  'ERR_ACCESS_DENIED',
  'ENETUNREACH',
  'ENETDOWN',
  'EPERM',
  'EACCES',
  'ERR_DLOPEN_DISABLED',
]);

/** A failed call into, or refused call from, a plugin backend. */
export class CallFailure extends Error {
  readonly kind: FailureKind;
  readonly code: string | undefined;
  readonly info: ErrorInfo | undefined;

  constructor(kind: FailureKind, message: string, info?: ErrorInfo) {
    super(message);
    this.kind = kind;
    this.code = info?.code ?? (kind === 'rejected' ? 'ERR_CAPABILITY' : undefined);
    this.info = info;
  }

  /** An error the plugin's handler threw, classed as a sandbox denial when its code says so. */
  static fromChild(info: ErrorInfo): CallFailure {
    if (info.code === 'ERR_RESULT_TOO_LARGE') return new CallFailure('too_large', info.message, info);
    const denied = info.code !== undefined && sandboxCodes.has(info.code);
    const what = info.permission ? ` (${info.permission}${info.resource ? ` ${info.resource}` : ''})` : '';
    return new CallFailure(denied ? 'denied' : 'failed', `${info.message}${what}`, info);
  }
}

export interface ExitFacts {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the server killed it: deadline, watchdog, shutdown. */
  killReason: string | undefined;
  /** What the child reported as uncaught before it exited. */
  fatal: ErrorInfo | undefined;
  /** What `activate(host)` threw, when it did. */
  activateError: ErrorInfo | undefined;
  oomKilled: boolean;
  cgroupMb: number | null;
  stderr: readonly string[];
}

/** One sentence for the admin saying why a backend process ended. */
export function describeExit(facts: ExitFacts): string {
  if (facts.oomKilled) return `out of memory: killed at its memory cgroup limit of ${facts.cgroupMb} MB`;
  if (facts.killReason) return facts.killReason;
  if (facts.activateError) return `activate(host) failed: ${facts.activateError.message}`;
  if (facts.fatal) {
    const code = facts.fatal.code ? ` [${facts.fatal.code}]` : '';
    return `crashed: uncaught ${facts.fatal.name ?? 'error'}${code}: ${facts.fatal.message}`;
  }
  const stderr = facts.stderr.join('\n');
  if (/heap out of memory|Reached heap limit/i.test(stderr))
    return 'out of memory: its JavaScript heap passed the limit';
  const last = facts.stderr.filter((l) => l.trim() !== '').at(-1);
  const how = facts.signal ? `killed by ${facts.signal}` : `exited with code ${facts.code}`;
  if (facts.code === 0 && !facts.signal) return 'exited on its own (code 0)';
  return last ? `${how}: ${last}` : how;
}
