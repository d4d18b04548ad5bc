import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { PackageError } from './package-files.ts';

/** Git URLs the installer clones: http(s), ssh, git and file URLs, or scp-like `user@host:path`. Pure. */
export function gitUrlProblem(url: string): string | undefined {
  if (url.startsWith('-')) return 'git: must be a repository URL, not an option';
  if (/^(https?|ssh|git|file):\/\/\S+$/.test(url) || /^[\w.-]+@[\w.-]+:[^\s-]\S*$/.test(url)) return undefined;
  return 'git: must be an http(s), ssh, git or file URL (or user@host:path)';
}

/** Tags, branches and commits; no options, no `..`. Pure. */
export function gitRefProblem(ref: string): string | undefined {
  if (/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(ref) && !ref.includes('..')) return undefined;
  return 'ref: must be a tag, branch or commit such as "v1.2.0" or "3f2c1e9"';
}

/** Why git failed, in plain words, from its stderr: the `fatal:` lines, mapped where git's words mislead. Pure. */
export function gitFailureReason(stderr: string): string {
  const text = stderr.replace(/\r/g, '');
  const host = /Could not resolve host: ([^\s']+)/i.exec(text);
  if (host) return `could not resolve host ${host[1]}`;
  const connect = /Failed to connect to (\S+) port (\d+)/i.exec(text);
  if (connect) return `could not connect to ${connect[1]} port ${connect[2]}`;
  if (/Authentication failed|could not read (Username|Password)|terminal prompts disabled/i.test(text))
    return 'the repository asks for credentials, and the server clones without any';
  if (
    /Repository not found|repository '.*' (not found|does not exist)|does not appear to be a git repository/i.test(text)
  )
    return 'repository not found (or it is private)';
  const branch = /Remote branch (\S+) not found/i.exec(text);
  if (branch) return `unknown revision: the repository has no tag or branch "${branch[1]}"`;
  if (/unknown revision|did not match any file|not a valid object name/i.test(text)) return 'unknown revision';
  const tls = /SSL certificate problem: ([^\n]+)/i.exec(text);
  if (tls) return `TLS certificate problem: ${tls[1]}`;
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const fatal = lines.filter((l) => /^(fatal|error):/.test(l)).map((l) => l.replace(/^(fatal|error):\s*/, ''));
  return (fatal.length > 0 ? fatal : lines).join('; ').slice(0, 500) || 'git gave no reason';
}

function git(args: string[], timeoutMs: number, cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-c', 'protocol.ext.allow=never', '-c', 'core.hooksPath=/dev/null', ...args],
      {
        cwd,
        timeout: timeoutMs,
        maxBuffer: 1024 * 1024,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'true', SSH_ASKPASS: 'true' },
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout.trim());
        if (error.killed)
          return reject(new PackageError(`git ${args[0]} took longer than ${timeoutMs} ms and was stopped`));
        reject(new PackageError(`git ${args[0]} failed: ${stderr.trim() ? gitFailureReason(stderr) : error.message}`));
      },
    );
  });
}

/**
 * Clones `url` at `ref` (a tag, branch or commit; the default branch without one) into `destination`, without its
 * `.git` folder. Returns the commit checked out.
 */
export async function cloneRepository(
  url: string,
  ref: string | undefined,
  destination: string,
  timeoutMs: number,
): Promise<{ commit: string }> {
  const problem = gitUrlProblem(url) ?? (ref === undefined ? undefined : gitRefProblem(ref));
  if (problem) throw new PackageError(problem);
  try {
    // Tags and branches: a shallow clone. Commits: a full clone, then a checkout.
    await git(
      ['clone', '--quiet', '--depth', '1', ...(ref ? ['--branch', ref] : []), '--', url, destination],
      timeoutMs,
    );
  } catch (shallowError) {
    // Only a ref that is not a tag or branch may be a commit, which a shallow clone cannot fetch by name.
    if (!ref || !(shallowError instanceof PackageError && shallowError.message.includes('unknown revision')))
      throw shallowError;
    await rm(destination, { recursive: true, force: true });
    await git(['clone', '--quiet', '--no-checkout', '--', url, destination], timeoutMs);
    await git(['checkout', '--quiet', '--detach', ref, '--'], timeoutMs, destination).catch(() => {
      throw new PackageError(`git: the repository has no tag, branch or commit "${ref}"`);
    });
  }
  const commit = await git(['rev-parse', 'HEAD'], timeoutMs, destination);
  await rm(path.join(destination, '.git'), { recursive: true, force: true });
  return { commit };
}
