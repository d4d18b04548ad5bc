// The model-notes backend: an API to read and add notes on models, an artifact-load enricher that adds
// `noteCount` to each model with notes (under `extensions["model-notes"]`), and a search extension for notes.
import { readFileSync } from 'node:fs';
import type { BackendHost, BackendRequest, NodePatch } from '@dbt-workbench/plugin-sdk';
import { openNoteStore } from './store.ts';

const MAX_NOTE = 2000;

/** The unique ids of the nodes in a workspace's manifest, read from the file the host points at. */
function nodeIds(manifestFile: string): Set<string> {
  try {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { nodes?: object; sources?: object };
    return new Set([...Object.keys(manifest.nodes ?? {}), ...Object.keys(manifest.sources ?? {})]);
  } catch {
    return new Set();
  }
}

function modelOf(request: BackendRequest): string | undefined {
  const model = request.query.model;
  return typeof model === 'string' && model.length > 0 ? model : undefined;
}

export async function activate(host: BackendHost): Promise<void> {
  const store = openNoteStore(host.dataDir);

  await host.routes.register('GET', '/notes', (request) => {
    const model = modelOf(request);
    if (!model)
      return { status: 400, body: { error: { code: 'bad_request', message: 'model: pass ?model=<unique id>' } } };
    return { body: { model, notes: store.list(request.workspace.name, model) } };
  });

  await host.routes.register('POST', '/notes', async (request) => {
    const model = modelOf(request) ?? (request.body as { model?: unknown } | undefined)?.model;
    const text = (request.body as { text?: unknown } | undefined)?.text;
    if (typeof model !== 'string' || model.length === 0)
      return {
        status: 400,
        body: { error: { code: 'bad_request', message: 'model: pass ?model=<unique id> or a "model" field' } },
      };
    if (typeof text !== 'string' || text.trim().length === 0 || text.length > MAX_NOTE)
      return {
        status: 400,
        body: { error: { code: 'bad_request', message: `text: must be 1 to ${MAX_NOTE} characters` } },
      };
    if (request.workspace.role === 'viewer')
      return {
        status: 403,
        body: { error: { code: 'forbidden', message: 'Viewers may read notes; adding one needs the developer role' } },
      };
    const note = store.add(request.workspace.name, model, text.trim(), request.user.username);
    host.log.info('note added', { workspace: request.workspace.name, model });
    await host.metadata.refresh();
    return { status: 201, body: note };
  });

  await host.metadata.onArtifactLoad(({ workspace, artifacts }) => {
    const byModel = store.all(workspace);
    const models = Object.keys(byModel);
    if (models.length === 0) return [];
    const known = artifacts ? nodeIds(artifacts.manifest) : new Set(models);
    return models
      .filter((uniqueId) => known.has(uniqueId))
      .map((uniqueId): NodePatch => ({ uniqueId, fields: { noteCount: byModel[uniqueId]!.length } }));
  });

  await host.search.onIndexBuild(({ workspace }) =>
    Object.entries(store.all(workspace)).flatMap(([uniqueId, notes]) =>
      notes.map((note) => ({
        id: note.id,
        title: `Note on ${uniqueId.split('.').at(-1)}`,
        text: note.text,
        uniqueId,
        resourceType: 'note',
      })),
    ),
  );
}
