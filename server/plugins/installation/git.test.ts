import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cloneRepository, gitFailureReason } from './git.ts';

describe('gitFailureReason', () => {
  test("names what went wrong from git's own stderr, not its last line of advice", () => {
    const missing =
      "fatal: '/srv/none' does not appear to be a git repository\nfatal: Could not read from remote repository.\n\n" +
      'Please make sure you have the correct access rights\nand the repository exists.\n';
    expect(gitFailureReason(missing)).toBe('repository not found (or it is private)');
    expect(gitFailureReason("remote: Repository not found.\nfatal: repository 'https://h/x.git/' not found\n")).toBe(
      'repository not found (or it is private)',
    );
    expect(
      gitFailureReason(
        "fatal: unable to access 'https://nohost.invalid/x.git/': Could not resolve host: nohost.invalid",
      ),
    ).toBe('could not resolve host nohost.invalid');
    expect(
      gitFailureReason(
        "fatal: unable to access 'http://127.0.0.1:9/x/': Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect to server",
      ),
    ).toBe('could not connect to 127.0.0.1 port 9');
    expect(
      gitFailureReason(
        'warning: Could not find remote branch v9 to clone.\nfatal: Remote branch v9 not found in upstream origin',
      ),
    ).toBe('unknown revision: the repository has no tag or branch "v9"');
    expect(gitFailureReason("fatal: could not read Username for 'https://h': terminal prompts disabled")).toBe(
      'the repository asks for credentials, and the server clones without any',
    );
    expect(gitFailureReason('fatal: early EOF\nfatal: index-pack failed\n')).toBe('early EOF; index-pack failed');
    expect(gitFailureReason('\n')).toBe('git gave no reason');
  });
});

describe('cloneRepository failures, with the real git', () => {
  let dir: string;
  let repo: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'wb-git-'));
    repo = path.join(dir, 'repo');
    mkdirSync(repo);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
    git('init', '-q');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'first');
    git('tag', 'v1.0.0');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const clone = (url: string, ref?: string) =>
    cloneRepository(url, ref, path.join(dir, `clone-${Math.random().toString(36).slice(2)}`), 30_000);

  test('a repository that does not exist', async () => {
    await expect(clone(`file://${path.join(dir, 'nowhere')}`)).rejects.toThrow(
      /^git clone failed: repository not found \(or it is private\)$/,
    );
  });

  test('a host nobody answers on', async () => {
    await expect(clone('http://127.0.0.1:9/team/plugin.git')).rejects.toThrow(
      'git clone failed: could not connect to 127.0.0.1 port 9',
    );
  });

  test('a tag, branch or commit the repository does not have', async () => {
    await expect(clone(`file://${repo}`, 'v9.9.9')).rejects.toThrow(
      'git: the repository has no tag, branch or commit "v9.9.9"',
    );
    await expect(clone(`file://${repo}`, 'v1.0.0')).resolves.toMatchObject({
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
  });
});
