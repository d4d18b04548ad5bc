import { readFileSync } from 'node:fs';
import type { IndexNode } from './graph.ts';

interface ManifestEntry {
  unique_id?: string;
  resource_type?: string;
  name?: string;
  package_name?: string;
  tags?: string[];
  description?: string;
  config?: { materialized?: string };
  attached_node?: string | null;
}

interface Manifest {
  nodes?: Record<string, ManifestEntry>;
  sources?: Record<string, ManifestEntry>;
  exposures?: Record<string, ManifestEntry>;
  metrics?: Record<string, ManifestEntry>;
  semantic_models?: Record<string, ManifestEntry>;
  saved_queries?: Record<string, ManifestEntry>;
  unit_tests?: Record<string, ManifestEntry>;
  parent_map?: Record<string, string[]>;
  child_map?: Record<string, string[]>;
}

interface RunResults {
  results?: { unique_id: string; status: string }[];
}

/**
 * A project index read straight from manifest.json (and run_results.json), in the lineage's own shape.
 * For tests and the bench; the app reads the catalog's index instead.
 */
export function indexFromManifest(manifest: Manifest, runResults?: RunResults): IndexNode[] {
  const status = new Map((runResults?.results ?? []).map((r) => [r.unique_id, r.status]));
  const groups = [
    manifest.nodes,
    manifest.sources,
    manifest.exposures,
    manifest.metrics,
    manifest.semantic_models,
    manifest.saved_queries,
    manifest.unit_tests,
  ];
  return groups.flatMap((group) =>
    Object.entries(group ?? {}).map(([id, entry]) => ({
      uniqueId: id,
      resourceType: entry.resource_type ?? id.split('.')[0] ?? 'unknown',
      name: entry.name ?? id,
      packageName: entry.package_name,
      tags: entry.tags ?? [],
      materialization: entry.config?.materialized ?? null,
      status: status.get(id) ?? null,
      description: entry.description ?? null,
      parents: manifest.parent_map?.[id] ?? [],
      children: manifest.child_map?.[id] ?? [],
      attachedNode: entry.attached_node ?? null,
    })),
  );
}

/** Reads `<targetDir>/manifest.json` and, if present, `run_results.json` beside it into an index. */
export function readManifestIndex(manifestFile: string, runResultsFile?: string): IndexNode[] {
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  let runResults: RunResults | undefined;
  if (runResultsFile) {
    try {
      runResults = JSON.parse(readFileSync(runResultsFile, 'utf8')) as RunResults;
    } catch {
      runResults = undefined;
    }
  }
  return indexFromManifest(manifest, runResults);
}
