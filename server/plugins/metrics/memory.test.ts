import { describe, expect, test } from 'vitest';
import { residentMb } from './memory.ts';

const files = (entries: Record<string, string>) => (file: string) => {
  const text = entries[file];
  if (text === undefined) throw new Error(`ENOENT ${file}`);
  return text;
};

describe('resident memory of a backend process', () => {
  test('reads VmRSS of the process, in MB', () => {
    expect(residentMb(7, files({ '/proc/7/status': 'Name:\tMainThread\nVmRSS:\t   51200 kB\n' }))).toBe(50);
  });

  test('follows a sandbox wrapper to the process it started', () => {
    const read = files({
      '/proc/7/status': 'Name:\tunshare\nVmRSS:\t 900 kB\n',
      '/proc/7/task/7/children': '8 ',
      '/proc/8/status': 'Name:\tsetpriv\nVmRSS:\t 800 kB\n',
      '/proc/8/task/8/children': '9',
      '/proc/9/status': 'Name:\tnode\nVmRSS:\t 40960 kB\n',
    });
    expect(residentMb(7, read)).toBe(40);
  });

  test('null when the process is gone or has no resident memory (a zombie)', () => {
    expect(residentMb(7, files({}))).toBeNull();
    expect(residentMb(7, files({ '/proc/7/status': 'Name:\tnode\nState:\tZ (zombie)\n' }))).toBeNull();
  });

  test('reads this very process through the real /proc', () => {
    expect(residentMb(process.pid)).toBeGreaterThan(10);
  });
});
