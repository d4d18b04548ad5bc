import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ValidationProblem } from '@dbt-workbench/plugin-sdk/contracts/validation';
import {
  ARTIFACT_FILES,
  parseCatalog,
  parseJsonText,
  parseManifest,
  parseRunResults,
  type ArtifactKind,
  type ParsedCatalog,
  type ParsedManifest,
  type ParsedRunResults,
  type ParseOutcome,
} from './parse.ts';

/** Each artifact's parsed form. */
export interface ParsedArtifacts {
  manifest: ParsedManifest;
  catalog: ParsedCatalog;
  runResults: ParsedRunResults;
}

/** What reading one artifact file found. `stamp` identifies the file version (size and mtime). */
export type ReadResult<K extends ArtifactKind> =
  | { state: 'missing' }
  | { state: 'unchanged'; stamp: string }
  | { state: 'ok'; stamp: string; value: ParsedArtifacts[K] }
  | { state: 'error'; stamp: string; message: string; problems: ValidationProblem[] };

const parsers: { [K in ArtifactKind]: (json: unknown) => ParseOutcome<ParsedArtifacts[K]> } = {
  manifest: parseManifest,
  catalog: parseCatalog,
  runResults: parseRunResults,
};

/** Lets pending I/O and requests run between the heavy steps of a load. */
export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Reads and checks one artifact from `targetDir`. When `previousStamp` equals the file's current stamp the
 * file is not read again (`unchanged`). The JSON parse runs on the main thread (about 0.1 s for 16 MB);
 * the load yields to the event loop before and after it so requests keep being served.
 */
export async function readArtifact<K extends ArtifactKind>(
  targetDir: string,
  kind: K,
  previousStamp: string | null = null,
): Promise<ReadResult<K>> {
  const file = ARTIFACT_FILES[kind];
  const full = path.join(targetDir, file);
  let stamp: string;
  try {
    const info = await stat(full);
    if (!info.isFile()) {
      return { state: 'error', stamp: 'not-a-file', message: `${file} is not a file`, problems: [] };
    }
    stamp = `${info.size}:${info.mtimeMs}:${info.ino}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return {
      state: 'error',
      stamp: 'unreadable',
      message: `cannot read ${file}: ${(error as Error).message}`,
      problems: [],
    };
  }
  if (stamp === previousStamp) return { state: 'unchanged', stamp };

  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return { state: 'error', stamp, message: `cannot read ${file}: ${(error as Error).message}`, problems: [] };
  }
  await yieldToLoop();
  const json = parseJsonText(file, text);
  if (!json.ok) return { state: 'error', stamp, message: json.message, problems: json.problems };
  await yieldToLoop();
  const parse: (json: unknown) => ParseOutcome<ParsedArtifacts[K]> = parsers[kind];
  const parsed = parse(json.json);
  if (!parsed.ok) return { state: 'error', stamp, message: parsed.message, problems: parsed.problems };
  return { state: 'ok', stamp, value: parsed.value };
}
