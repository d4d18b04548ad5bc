/**
 * TEST ONLY. With `WORKBENCH_TEST_CRASH_AT=<step>` the server kills itself with SIGKILL when a plugin operation
 * reaches that step, the way a power cut or the OOM killer would, so the crash-safety test can restart it and
 * check the state. Steps: `<kind>:staging` (mid unpack), `<kind>:journaled`, `<kind>:moved-<n>` (after the nth
 * folder move), `<kind>:committed`, where kind is install, stage-update, activate, discard-update or remove.
 * Never set it in production.
 */
export type CrashPoint = (step: string) => void;

export function crashPoint(crashAt: string | undefined): CrashPoint {
  if (!crashAt) return () => {};
  return (step) => {
    if (step !== crashAt) return;
    process.stderr.write(`WORKBENCH_TEST_CRASH_AT=${step}: killing the server now\n`);
    process.kill(process.pid, 'SIGKILL');
  };
}
