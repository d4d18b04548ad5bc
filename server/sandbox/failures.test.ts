import { describe, expect, test } from 'vitest';
import { CallFailure, describeExit, type ExitFacts } from './failures.ts';

const exit = (facts: Partial<ExitFacts>): string =>
  describeExit({
    code: 1,
    signal: null,
    killReason: undefined,
    fatal: undefined,
    activateError: undefined,
    oomKilled: false,
    cgroupMb: 192,
    stderr: [],
    ...facts,
  });

describe('why a backend process ended', () => {
  test('one sentence per cause, the most specific first', () => {
    expect(exit({ oomKilled: true, signal: 'SIGKILL' })).toBe(
      'out of memory: killed at its memory cgroup limit of 192 MB',
    );
    expect(exit({ killReason: 'GET /x did not answer within its 300 ms deadline' })).toMatch(/deadline/);
    expect(exit({ activateError: { message: 'nope' } })).toBe('activate(host) failed: nope');
    expect(exit({ fatal: { message: 'boom', name: 'TypeError' } })).toBe('crashed: uncaught TypeError: boom');
    expect(
      exit({
        code: 134,
        stderr: ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory'],
      }),
    ).toBe('out of memory: its JavaScript heap passed the limit');
    expect(exit({ code: null, signal: 'SIGSEGV', stderr: ['', 'last words'] })).toBe('killed by SIGSEGV: last words');
    expect(exit({ code: 0 })).toBe('exited on its own (code 0)');
  });

  test('errors the sandbox raised are told apart from the plugin failing', () => {
    expect(
      CallFailure.fromChild({
        message: 'no',
        code: 'ERR_ACCESS_DENIED',
        permission: 'FileSystemRead',
        resource: '/etc/passwd',
      }),
    ).toMatchObject({
      kind: 'denied',
      message: 'no (FileSystemRead /etc/passwd)',
    });
    expect(CallFailure.fromChild({ message: 'big', code: 'ERR_RESULT_TOO_LARGE' }).kind).toBe('too_large');
    expect(CallFailure.fromChild({ message: 'bug' }).kind).toBe('failed');
  });
});
