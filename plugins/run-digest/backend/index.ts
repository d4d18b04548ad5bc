// The run-digest backend: after every run it reads the run's run_results.json and keeps a digest (status
// counts, the slowest nodes, what failed or was skipped); it badges those nodes on the lineage graph, keeps the
// health of each workspace and schedule, picks up dbt invocations made outside the workbench when artifacts
// reload, and serves it all at GET /api/ext/run-digest/digests.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ArtifactFiles, BackendHost, BackendRun } from '@dbt-workbench/plugin-sdk';
import {
  badgesOf,
  shortTime,
  belongsToRun,
  headline,
  settingsOf,
  summarize,
  type RawRunResults,
  type RunDigest,
} from './digest.ts';
import { openDigestStore } from './store.ts';

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Maps a test to the node it tests, from the manifest (read only when some test failed or warned). */
function testedByFrom(manifestFile: string | undefined): (testId: string) => string | undefined {
  let nodes: Record<string, { attached_node?: unknown; depends_on?: { nodes?: unknown } }> | undefined;
  return (testId) => {
    if (!manifestFile) return undefined;
    nodes ??= ((readJson(manifestFile) as { nodes?: typeof nodes } | undefined)?.nodes ?? {}) as NonNullable<
      typeof nodes
    >;
    const test = nodes[testId];
    if (typeof test?.attached_node === 'string') return test.attached_node;
    const parents = Array.isArray(test?.depends_on?.nodes) ? (test.depends_on.nodes as unknown[]) : [];
    return parents.find((p): p is string => typeof p === 'string' && !p.startsWith('test.'));
  };
}

export async function activate(host: BackendHost): Promise<void> {
  const store = openDigestStore(host.dataDir);
  const settings = async () => settingsOf(await host.config.get());
  /** The artifact files of a workspace, from the hook's payload or the workspace list (both need read-metadata). */
  const filesOf = (workspace: string, given?: ArtifactFiles): ArtifactFiles | undefined => {
    if (given) return given;
    const targetDir = host.workspaces.find((w) => w.name === workspace)?.targetDir;
    if (!targetDir) return undefined;
    const file = (name: string) => path.join(targetDir, name);
    return {
      targetDir,
      manifest: file('manifest.json'),
      catalog: file('catalog.json'),
      runResults: file('run_results.json'),
    };
  };
  const resultsIn = async (files: ArtifactFiles | undefined) => {
    const doc = files && existsSync(files.runResults) ? readJson(files.runResults) : undefined;
    if (!doc || typeof doc !== 'object') return null;
    return summarize(doc as RawRunResults, (await settings()).slowest, testedByFrom(files?.manifest));
  };

  /** A dbt invocation found in `target/` that no digest covers yet: made outside the workbench, or before us. */
  const ingest = async (workspace: string, files: ArtifactFiles | undefined) => {
    const results = await resultsIn(files);
    if (!results || store.knows(workspace, results.invocationId)) return;
    const failed = (results.counts.error ?? 0) + (results.counts.fail ?? 0) + (results.counts['runtime error'] ?? 0);
    store.record(
      {
        id: `artifacts:${results.invocationId}`,
        source: 'artifacts',
        workspace,
        runId: null,
        status: failed > 0 ? 'failed' : 'success',
        trigger: null,
        schedule: null,
        startedAt: null,
        finishedAt: results.generatedAt || null,
        recordedAt: new Date().toISOString(),
        results,
      },
      (await settings()).keep,
    );
  };

  // Run post-processing: the digest of each run the workbench started.
  await host.runs.onComplete(async ({ workspace, run, status, artifacts }) => {
    const found = await resultsIn(filesOf(workspace, artifacts));
    const own = found && belongsToRun(found, run.startedAt as string | null) ? found : null;
    const digest: RunDigest = {
      id: run.id,
      source: 'run',
      workspace,
      runId: run.id,
      status: status ?? run.status,
      trigger: run.trigger,
      schedule: (run.schedule as RunDigest['schedule']) ?? null,
      startedAt: (run.startedAt as string | null) ?? null,
      finishedAt: (run.finishedAt as string | null) ?? null,
      recordedAt: new Date().toISOString(),
      results: own,
      ...(own
        ? {}
        : {
            note: found
              ? `This run wrote no run_results.json of its own: target/ holds an older one (${found.generatedAt}).`
              : 'This run left no run_results.json in target/.',
          }),
    };
    store.record(digest, (await settings()).keep);
  });

  // A scheduler hook: the health of each schedule (runs in a row that failed, the last success).
  await host.schedules.onRunComplete(({ workspace, schedule, run, status }) => {
    store.noteSchedule(workspace, schedule, run.id, status ?? run.status, finishedAt(run));
  });

  // Lifecycle events: the workspace's health after every run, with a log line when it fails; and dbt
  // invocations made outside the workbench, picked up when the artifacts on disk change.
  await host.events.on('on-run-complete', ({ workspace, run, status }) => {
    const health = store.noteRun(workspace, run.id, status ?? run.status, finishedAt(run));
    if (health.failingStreak > 0)
      host.log.warn(`run ${run.id} in ${workspace} ended ${health.lastStatus}`, {
        workspace,
        failingStreak: health.failingStreak,
      });
  });
  await host.events.on('on-artifact-load', ({ workspace, artifacts }) =>
    ingest(workspace, filesOf(workspace, artifacts)),
  );

  // A lineage overlay: badges on what failed or was skipped in the last run, and on its slowest nodes.
  await host.lineage.onBuild(async ({ workspace, nodes }) => {
    const latest = store.latest(workspace);
    if (!latest?.results) return undefined;
    const shown = new Set(nodes.map((n) => n.id));
    const when = shortTime(latest.finishedAt ?? latest.results.generatedAt);
    return {
      nodeBadges: badgesOf(latest, await settings()).filter((b) => shown.has(b.nodeId)),
      annotations: [{ text: `Last run (${when}): ${headline(latest.results)}` }],
    };
  });

  await host.routes.register('GET', '/digests', async (request) => {
    const workspace = request.workspace.name;
    const run = typeof request.query.run === 'string' ? request.query.run : undefined;
    const digests = store.list(workspace).filter((d) => run === undefined || d.runId === run);
    return {
      body: {
        workspace,
        settings: await settings(),
        health: store.health(workspace),
        schedules: store.schedules(workspace),
        digests,
      },
    };
  });

  // What is in target/ now, so the first lineage graph already has badges.
  for (const w of host.workspaces) await ingest(w.name, filesOf(w.name));
}

const finishedAt = (run: BackendRun) =>
  typeof run.finishedAt === 'string' ? run.finishedAt : new Date().toISOString();
