import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { validate } from '@dbt-workbench/plugin-sdk/contracts/validation';
import { WorkspaceName } from '../../shared/workspace-name.ts';

export { WorkspaceName };

/** One workspace in `workbench.config.json`. Paths are relative to the config file. */
const WorkspaceEntry = z.object({
  name: WorkspaceName,
  title: z.string().trim().min(1).max(80).optional(),
  projectDir: z.string().min(1, 'must not be empty'),
  targetDir: z.string().min(1).default('target'),
  seedsDir: z.string().min(1).default('seeds'),
  runCommand: z.array(z.string().min(1)).min(1, 'must name a program').default(['dbt', 'build']),
});

export const WorkbenchConfigFile = z
  .object({ workspaces: z.array(WorkspaceEntry).min(1, 'must list at least one workspace') })
  .refine((c) => new Set(c.workspaces.map((w) => w.name)).size === c.workspaces.length, {
    message: 'must not use a workspace name twice',
    params: { rule: 'unique' },
  });

/** A configured workspace with absolute paths. */
export interface Workspace {
  name: string;
  title: string;
  projectDir: string;
  targetDir: string;
  seedsDir: string;
  /** argv of the command a run executes, in `projectDir`. */
  runCommand: string[];
}

/** What defines a workspace: paths as written, `targetDir` and `seedsDir` relative to `projectDir`. */
export interface WorkspaceDefinition {
  name: string;
  title: string;
  projectDir: string;
  targetDir: string;
  seedsDir: string;
  runCommand: string[];
}

/** The workspace a definition describes, its paths resolved from `base` (the workspaces file's folder). */
export function resolveWorkspace(definition: WorkspaceDefinition, base: string): Workspace {
  const projectDir = path.resolve(base, definition.projectDir);
  return {
    ...definition,
    projectDir,
    targetDir: path.resolve(projectDir, definition.targetDir),
    seedsDir: path.resolve(projectDir, definition.seedsDir),
  };
}

/** Reads and checks the workspaces file; throws one error listing every problem. */
export function loadWorkspaces(file: string): Workspace[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the workspaces file ${file} (set WORKBENCH_CONFIG): ${(error as Error).message}`, {
      cause: error,
    });
  }
  const result = validate(WorkbenchConfigFile, json);
  if (!result.ok) {
    throw new Error(
      `The workspaces file ${file} is invalid:\n${result.problems.map((p) => `  - ${p.message}`).join('\n')}`,
    );
  }
  const base = path.dirname(file);
  return result.value.workspaces.map((w) => resolveWorkspace({ ...w, title: w.title ?? w.name }, base));
}
