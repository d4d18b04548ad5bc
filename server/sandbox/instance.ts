import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import type { ErrorInfo, HostCall, ServerMessage } from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';
import { createMemoryCgroup, type CgroupParent, type MemoryCgroup } from './cgroup.ts';
import { openChannel, type Channel } from './channel.ts';
import { CallFailure, describeExit } from './failures.ts';
import { launch, type LaunchPlan } from './spawn.ts';

/** Where a backend's log line came from other than its `host.log`: its output, or the server about it. */
export type InstanceLogSource = 'stdout' | 'stderr' | 'lifecycle';

/** What one plugin backend process needs from the runtime around it. */
export interface InstanceOptions {
  plugin: string;
  generation: number;
  plan: LaunchPlan;
  init: Extract<ServerMessage, { type: 'init' }>;
  cgroupParent: CgroupParent | undefined;
  /** Largest frame the server reads from the child. */
  maxFrameBytes: number;
  /** Resident memory above which the watchdog kills the child. */
  watchdogMb: number | null;
  /** Does a host call; throws a `CallFailure` to refuse it. */
  hostCall(call: HostCall): Promise<unknown>;
  /** A line for the plugin's log; `source` absent: the backend's `host.log`. */
  log(
    level: 'info' | 'warn' | 'error',
    message: string,
    data?: Record<string, unknown>,
    source?: InstanceLogSource,
  ): void;
  /** The child broke the protocol: recorded as a rejected action. */
  violation(message: string): void;
  /** The child's network guard refused a connection: recorded as a rejected action. */
  denied(action: string, message: string): void;
}

/** One running child process of a plugin backend, from spawn to exit. */
export interface BackendInstance {
  readonly generation: number;
  readonly pid: number | undefined;
  /** Resolves once `activate(host)` returned; rejects with the reason it did not. */
  readonly activated: Promise<number>;
  /** Resolves with the reason once the process is gone. */
  readonly exited: Promise<string>;
  isAlive(): boolean;
  inFlight(): number;
  /** When it last did something for the server (activated, a call started or settled, a host call): ms since the epoch. */
  lastActivity(): number;
  /** Calls a registered handler; rejects with a `CallFailure` on error, timeout (the child is then killed) or exit. */
  call(handler: number, payload: unknown, deadlineMs: number, label: string, route?: boolean): Promise<unknown>;
  /** Asks the child to exit, and kills it after `graceMs`. */
  stop(graceMs?: number): Promise<string>;
  /** Fails the calls still in flight as unavailable (503), saying `reason`, then stops the child. */
  abandon(reason: string): Promise<string>;
  kill(reason: string): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: CallFailure): void;
  timer: NodeJS.Timeout;
}

const PAGE = 4096;

export function startInstance(options: InstanceOptions): BackendInstance {
  const { plan } = options;
  let cgroup: MemoryCgroup | undefined;
  let killReason: string | undefined;
  let fatal: ErrorInfo | undefined;
  let activateError: ErrorInfo | undefined;
  const stderrTail: string[] = [];
  const pending = new Map<number, Pending>();
  let nextCall = 1;
  let alive = true;
  let lastActivity = Date.now();
  const touch = () => void (lastActivity = Date.now());

  const child: ChildProcess = launch(plan);
  if (plan.cgroupMb !== null && options.cgroupParent && child.pid !== undefined) {
    try {
      cgroup = createMemoryCgroup(options.cgroupParent, `${options.plugin}-${options.generation}`, plan.cgroupMb);
      cgroup.add(child.pid);
    } catch (error) {
      options.log('warn', `memory cgroup not applied: ${(error as Error).message}`, undefined, 'lifecycle');
    }
  }

  let markActivated!: (ms: number) => void;
  let failActivation!: (error: Error) => void;
  const activated = new Promise<number>((resolve, reject) => {
    markActivated = resolve;
    failActivation = reject;
  });
  activated.catch(() => {});

  const channel: Channel = openChannel(child.stdio[3] as Readable & Writable, options.maxFrameBytes, {
    message(message) {
      switch (message.type) {
        case 'result': {
          const waiting = pending.get(message.id);
          if (!waiting) return;
          pending.delete(message.id);
          clearTimeout(waiting.timer);
          touch();
          if (message.ok) waiting.resolve(message.value);
          else waiting.reject(CallFailure.fromChild(message.error ?? { message: 'failed without a reason' }));
          return;
        }
        case 'host':
          touch();
          options.hostCall(message.call).then(
            (value) => channel.send({ type: 'reply', id: message.id, ok: true, value: value ?? null }),
            (error: unknown) =>
              channel.send({
                type: 'reply',
                id: message.id,
                ok: false,
                error: { message: (error as Error).message, code: (error as CallFailure).code ?? 'ERR_HOST' },
              }),
          );
          return;
        case 'activated':
          touch();
          markActivated(message.ms);
          return;
        case 'activate-failed':
          activateError = message.error;
          failActivation(new Error(`activate(host) failed: ${message.error.message}`));
          return;
        case 'fatal':
          fatal = message.error;
          return;
        case 'log':
          options.log(message.level, message.message, message.data);
          return;
        case 'denied':
          options.denied(message.action, message.message);
      }
    },
    oversized(id, bytes) {
      const mb = (bytes / 1048576).toFixed(1);
      const waiting = pending.get(id);
      options.violation(`sent a ${mb} MB message; at most ${options.maxFrameBytes / 1048576} MB cross the channel`);
      if (!waiting) return;
      pending.delete(id);
      clearTimeout(waiting.timer);
      waiting.reject(new CallFailure('too_large', `the backend answered ${mb} MB; the limit is smaller`));
    },
    malformed: (problem) => options.violation(`sent a malformed message (${problem})`),
  });
  channel.send(options.init);

  const forward = (stream: Readable | null, level: 'info' | 'warn') => {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (text: string) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop()!.slice(-2000);
      for (const line of lines.filter(Boolean)) {
        if (level === 'warn' && stderrTail.push(line.slice(0, 500)) > 20) stderrTail.shift();
        options.log(level, line.slice(0, 2000), undefined, level === 'warn' ? 'stderr' : 'stdout');
      }
    });
  };
  forward(child.stdout, 'info');
  forward(child.stderr, 'warn');

  const kill = (reason: string) => {
    if (!alive) return;
    killReason ??= reason;
    child.kill('SIGKILL');
  };

  const watchdog =
    options.watchdogMb !== null && child.pid !== undefined
      ? setInterval(() => {
          try {
            const resident = Number(readFileSync(`/proc/${child.pid}/statm`, 'utf8').split(' ')[1]) * PAGE;
            if (resident > options.watchdogMb! * 1048576)
              kill(`out of memory: resident memory passed ${options.watchdogMb} MB (watchdog)`);
          } catch {
            // Gone already.
          }
        }, 250)
      : undefined;
  watchdog?.unref();

  const exited = new Promise<string>((resolve) => {
    child.on('exit', (code, signal) => {
      alive = false;
      clearInterval(watchdog);
      const reason = describeExit({
        code,
        signal,
        killReason,
        fatal,
        activateError,
        oomKilled: cgroup?.oomKilled() ?? false,
        cgroupMb: plan.cgroupMb,
        stderr: stderrTail,
      });
      channel.close();
      cgroup?.remove();
      for (const [, waiting] of pending) {
        clearTimeout(waiting.timer);
        waiting.reject(new CallFailure('crashed', reason));
      }
      pending.clear();
      failActivation(new Error(reason));
      resolve(reason);
    });
    child.on('error', (error) => {
      killReason ??= `could not start: ${error.message}`;
    });
  });

  return {
    generation: options.generation,
    pid: child.pid,
    activated,
    exited,
    isAlive: () => alive,
    inFlight: () => pending.size,
    lastActivity: () => lastActivity,
    call(handler, payload, deadlineMs, label, route = false) {
      if (!alive) return Promise.reject(new CallFailure('crashed', 'the backend process is not running'));
      const id = nextCall++;
      touch();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new CallFailure('timeout', `${label} did not answer within ${deadlineMs} ms`));
          kill(`${label} did not answer within its ${deadlineMs} ms deadline; the process was killed`);
        }, deadlineMs);
        pending.set(id, { resolve, reject, timer });
        channel.send(route ? { type: 'call', id, handler, payload, route } : { type: 'call', id, handler, payload });
      });
    },
    abandon(reason) {
      for (const [, waiting] of pending) {
        clearTimeout(waiting.timer);
        waiting.reject(new CallFailure('unavailable', reason));
      }
      pending.clear();
      return this.stop(1000);
    },
    async stop(graceMs = 2000) {
      if (alive) {
        channel.send({ type: 'shutdown' });
        const timer = setTimeout(() => kill('did not exit within its shutdown grace time'), graceMs);
        killReason ??= 'stopped by the server';
        const reason = await exited;
        clearTimeout(timer);
        return reason;
      }
      return exited;
    },
    kill,
  };
}
