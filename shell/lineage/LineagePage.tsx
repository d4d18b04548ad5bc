import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { LineageGraph } from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';
import { ApiError } from '../api/client.ts';
import { useWorkspace } from '../workspaces/workspace-context.tsx';
import { LineageCanvas, type CanvasSelection } from './LineageCanvas.tsx';
import { drawnEdges } from './drawn-edges.ts';
import { EdgePanel } from './EdgePanel.tsx';
import { LineageControls } from './LineageControls.tsx';
import { lineageSearch, readLineageParams, viewKey, type LineageParams } from './lineage-params.ts';
import { NodePanel } from './NodePanel.tsx';
import { overlayView } from './overlay-view.ts';
import { useLineage } from './queries.ts';
import './lineage.css';

function plural(count: number, word: string): string {
  return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
}

/** `/w/:workspace/lineage?focus=&up=&down=&select=&types=`: the project's lineage graph. */
export function LineagePage() {
  const workspace = useWorkspace();
  const [search, setSearch] = useSearchParams();
  const params = useMemo(() => readLineageParams(search), [search]);
  const lineage = useLineage(workspace.name, params);
  const [selection, setSelection] = useState<CanvasSelection>(null);
  const selectNode = (id: string | null) => setSelection(id ? { kind: 'node', id } : null);

  const error = lineage.error;
  const selectorError = error instanceof ApiError && error.status === 400 && params.select ? error.message : null;
  // A mistyped selector keeps the last graph on screen, with the complaint under the selector box.
  const [lastGood, setLastGood] = useState<LineageGraph | undefined>(undefined);
  if (lineage.data && lineage.data !== lastGood) setLastGood(lineage.data);
  const graph = lineage.data ?? (selectorError ? lastGood : undefined);
  const overlays = useMemo(() => (graph ? overlayView(graph) : null), [graph]);
  // While the next view loads the previous one stays drawn, under the key it was fetched for.
  const [shownKey, setShownKey] = useState(() => viewKey(workspace.name, params));
  const currentKey = viewKey(workspace.name, params);
  if (lineage.data && !lineage.isPlaceholderData && shownKey !== currentKey) setShownKey(currentKey);

  const navigate = useCallback(
    (next: LineageParams) => {
      setSelection(next.focus && next.focus !== params.focus ? { kind: 'node', id: next.focus } : null);
      setSearch(lineageSearch(next));
    },
    [params.focus, setSearch],
  );
  const focusOn = (id: string, up: number, down: number) => navigate({ ...params, focus: id, up, down, select: null });

  const nodeById = (id: string) => graph?.nodes.find((n) => n.id === id);
  const selected = selection?.kind === 'node' ? (nodeById(selection.id) ?? null) : null;
  const selectedEdge =
    graph && overlays && selection?.kind === 'edge'
      ? (drawnEdges(graph, overlays).find((e) => e.id === selection.id) ?? null)
      : null;

  let summary = 'Dependencies between the models, sources, seeds and exposures of this project.';
  if (graph && !graph.tooLarge && graph.nodes.length > 0) {
    const focus = graph.nodes.find((n) => n.id === graph.focus);
    summary = `${plural(graph.nodes.length, 'node')}, ${plural(graph.edges.length, 'edge')}${focus ? ` around ${focus.name}` : params.select ? ` selected by ${params.select}` : ' in the whole project'}`;
  }

  return (
    <div className="wb-page wb-lineage-page">
      <header className="wb-page-header wb-lineage-header">
        <div>
          <h1>Lineage</h1>
          <p className="wb-muted" data-testid="lineage-summary">
            {summary}
          </p>
        </div>
        {(params.focus || params.select) && (
          <button
            type="button"
            className="wb-button"
            onClick={() => navigate({ ...params, focus: null, select: null, types: null })}
          >
            Whole project
          </button>
        )}
      </header>
      <LineageControls
        workspace={workspace.name}
        params={params}
        types={graph?.types ?? lastGood?.types ?? []}
        selectorError={selectorError}
        onChange={navigate}
      />
      {error && !selectorError && (
        <div className="wb-plugin-error" role="alert" data-testid="lineage-error">
          <strong>The lineage could not be loaded.</strong>
          <p>{error.message}</p>
          {params.focus && error instanceof ApiError && error.status === 404 && (
            <button type="button" className="wb-button" onClick={() => navigate({ ...params, focus: null })}>
              Show the whole project instead
            </button>
          )}
        </div>
      )}
      {graph && graph.overlayProblems.length > 0 && (
        <p className="wb-reason wb-lineage-problems">
          {graph.overlayProblems.map((p) => `${p.owner}: ${p.message}`).join(' · ')}
        </p>
      )}
      {overlays && overlays.graphNotes.length > 0 && (
        <ul className="wb-lineage-graph-notes">
          {overlays.graphNotes.map((note, i) => (
            <li key={`${note.owner}:${i}`}>
              {note.text} <span className="wb-muted">({note.owner})</span>
            </li>
          ))}
        </ul>
      )}
      {lineage.isPending && <p className="wb-loading">Loading the lineage…</p>}
      {graph?.truncated && (
        <p className="wb-reason" data-testid="lineage-truncated">
          {graph.message}
        </p>
      )}
      {graph && graph.tooLarge && (
        <div className="wb-empty" data-testid="lineage-too-large">
          <h2>Too large to draw at once</h2>
          <p>{graph.message}</p>
        </div>
      )}
      {graph && !graph.tooLarge && graph.nodes.length === 0 && (
        <div className="wb-empty" data-testid="lineage-empty">
          <h2>Nothing to draw</h2>
          <p>{graph.message ?? 'This selection has no nodes.'}</p>
        </div>
      )}
      {graph && overlays && graph.nodes.length > 0 && (
        <LineageCanvas
          graph={graph}
          overlays={overlays}
          viewKey={shownKey}
          selection={selection}
          onSelect={setSelection}
          busy={lineage.isPlaceholderData}
          panel={
            (selectedEdge && (
              <EdgePanel
                workspace={workspace.name}
                edge={selectedEdge}
                from={nodeById(selectedEdge.from)}
                to={nodeById(selectedEdge.to)}
                onSelectNode={selectNode}
                onClose={() => setSelection(null)}
              />
            )) ||
            (selected && (
              <NodePanel
                workspace={workspace.name}
                node={selected}
                badges={overlays.badges.get(selected.id) ?? []}
                notes={overlays.notes.get(selected.id) ?? []}
                isFocus={selected.id === graph.focus}
                up={params.focus ? params.up : 2}
                down={params.focus ? params.down : 2}
                onFocus={focusOn}
                onClose={() => setSelection(null)}
              />
            ))
          }
        />
      )}
    </div>
  );
}
