import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface TestWorkspace {
  name: string;
  /** Relative to the test's temp dir; `workspaces/<name>` by default, created with an empty target/. */
  projectDir?: string;
  runCommand?: string[];
}

/** Writes `<dir>/workbench.config.json` listing `workspaces`, each with its (empty) project folder; returns its path. */
export function writeWorkspacesFile(dir: string, workspaces: readonly TestWorkspace[]): string {
  for (const w of workspaces)
    mkdirSync(path.join(dir, w.projectDir ?? `workspaces/${w.name}`, 'target'), { recursive: true });
  const file = path.join(dir, 'workbench.config.json');
  writeFileSync(
    file,
    JSON.stringify({
      workspaces: workspaces.map((w) => ({
        name: w.name,
        projectDir: w.projectDir ?? `workspaces/${w.name}`,
        ...(w.runCommand ? { runCommand: w.runCommand } : {}),
      })),
    }),
  );
  return file;
}
