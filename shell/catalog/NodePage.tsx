import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import type {
  CatalogColumn,
  CatalogTest,
  Extensions,
  NodeDetail,
  NodeRef,
} from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';
import { ApiError } from '../api/client.ts';
import { ExtensionSlot } from '../extensions/slots.tsx';
import { useWorkspace, workspacePath } from '../workspaces/workspace-context.tsx';
import { useCatalogFreshness, useNode } from './api.ts';
import { ArtifactErrorBanner } from './ArtifactErrorBanner.tsx';
import { RunBadge, TestBadge, TypeBadge } from './badges.tsx';
import { duration, nodePath, paragraphs, timeAgo, typeLabel } from './format.ts';
import { SqlBlock } from './SqlBlock.tsx';
import './catalog.css';

/** Plain-text paragraphs; descriptions are never rendered as HTML. */
function Description({ text }: { text: string }) {
  const parts = paragraphs(text);
  if (parts.length === 0) return <p className="wb-muted">No description.</p>;
  return (
    <div className="wb-cat-description" data-testid="description">
      {parts.map((p, i) => (
        <p key={i}>{p}</p>
      ))}
    </div>
  );
}

function ExtensionFields({ extensions }: { extensions: Extensions }) {
  const owners = Object.entries(extensions);
  if (owners.length === 0) return null;
  return (
    <dl className="wb-cat-ext">
      {owners.map(([owner, fields]) => (
        <div key={owner}>
          <dt>{owner}</dt>
          <dd>
            {Object.entries(fields)
              .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
              .join(' · ')}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function ColumnsTable({ columns }: { columns: CatalogColumn[] }) {
  if (columns.length === 0) {
    return <p className="wb-muted">No columns: none are documented and the warehouse catalog has none for it.</p>;
  }
  return (
    <table className="wb-table wb-cat-columns" aria-label="Columns">
      <colgroup>
        <col className="wb-cat-col-name" />
        <col className="wb-cat-col-type" />
        <col />
        <col className="wb-cat-col-tests" />
      </colgroup>
      <thead>
        <tr>
          <th>Column</th>
          <th>Type</th>
          <th>Description</th>
          <th>Tests</th>
        </tr>
      </thead>
      <tbody>
        {columns.map((column) => (
          <tr key={column.name} data-testid="column-row" data-column={column.name}>
            <td className="wb-cat-mono">{column.name}</td>
            <td className="wb-cat-mono">{column.type ?? <span className="wb-muted">unknown</span>}</td>
            <td>
              {column.description ? (
                <span className="wb-cat-pre-line">{column.description}</span>
              ) : (
                <span className="wb-muted">—</span>
              )}
              {column.tags.length > 0 && (
                <span className="wb-cat-tags">
                  {column.tags.map((tag) => (
                    <span key={tag} className="wb-chip">
                      {tag}
                    </span>
                  ))}
                </span>
              )}
              <ExtensionFields extensions={column.extensions} />
            </td>
            <td>
              <span className="wb-cat-badges">
                {column.tests.map((test) => (
                  <TestBadge key={test.uniqueId} status={test.status} label={test.testName} />
                ))}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TestsList({ tests }: { tests: CatalogTest[] }) {
  if (tests.length === 0) return <p className="wb-muted">No tests.</p>;
  const order = { fail: 0, error: 1, warn: 2, skipped: 3, 'not-run': 4, pass: 5 } as const;
  const sorted = [...tests].sort((a, b) => order[a.status] - order[b.status] || a.name.localeCompare(b.name));
  return (
    <table className="wb-table" aria-label="Tests">
      <colgroup>
        <col />
        <col className="wb-cat-col-name" />
        <col className="wb-cat-col-status" />
        <col />
      </colgroup>
      <thead>
        <tr>
          <th>Test</th>
          <th>Column</th>
          <th>Status</th>
          <th>Last result</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((test) => (
          <tr key={test.uniqueId} data-testid="test-row">
            <td>
              <span className="wb-cat-mono">{test.testName ?? test.name}</span>
              <div className="wb-cat-sub">
                {test.kind === 'generic' ? test.name : `${test.kind} test`}
                {test.severity && test.severity.toLowerCase() !== 'error' ? ` · severity ${test.severity}` : ''}
              </div>
            </td>
            <td className="wb-cat-mono">{test.columnName ?? <span className="wb-muted">—</span>}</td>
            <td>
              <TestBadge status={test.status} />
            </td>
            <td className="wb-cat-sub">
              {test.lastRun ? (
                <>
                  {test.lastRun.failures ? `${test.lastRun.failures} failing rows · ` : ''}
                  {test.lastRun.message && test.status !== 'pass' ? `${test.lastRun.message} · ` : ''}
                  {timeAgo(test.lastRun.completedAt)}
                </>
              ) : (
                'not run yet'
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Neighbours({ title, nodes, workspace }: { title: string; nodes: NodeRef[]; workspace: string }) {
  return (
    <section className="wb-card" aria-label={title}>
      <h2 className="wb-card-title">
        {title} <span className="wb-cat-count">{nodes.length}</span>
      </h2>
      {nodes.length === 0 ? (
        <p className="wb-muted">None.</p>
      ) : (
        <ul className="wb-cat-neighbours">
          {nodes.map((n) => (
            <li key={n.uniqueId}>
              <TypeBadge type={n.resourceType} />
              <Link to={nodePath(workspace, n.resourceType, n.uniqueId)} title={n.uniqueId}>
                {n.name}
              </Link>
              {n.lastRunStatus && n.lastRunStatus !== 'success' && <RunBadge status={n.lastRunStatus} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Facts({ node, workspace }: { node: NodeDetail; workspace: string }) {
  const rows: [string, ReactNode][] = [];
  if (node.relation) rows.push(['Relation', <code key="r">{node.relation}</code>]);
  if (node.materialization) rows.push(['Materialized', node.materialization]);
  if (node.tableType) rows.push(['In warehouse', node.tableType]);
  if (node.sourceName) rows.push(['Source', node.sourceName]);
  rows.push(['Owner', node.owner ?? <span className="wb-muted">none</span>]);
  if (node.group) rows.push(['Group', node.group]);
  if (node.access) rows.push(['Access', node.access]);
  if (node.version) rows.push(['Version', node.version]);
  rows.push(['Package', node.packageName]);
  if (node.path) rows.push(['File', <code key="p">{node.path}</code>]);
  if (node.lastRun) {
    rows.push([
      'Last run',
      <span key="l" title={node.lastRun.completedAt ?? undefined}>
        {timeAgo(node.lastRun.completedAt)}
        {node.lastRun.executionTime !== null && ` · ${duration(node.lastRun.executionTime)}`}
        {node.lastRun.message && <div className="wb-cat-sub">{node.lastRun.message}</div>}
      </span>,
    ]);
  }
  return (
    <section className="wb-card">
      <h2 className="wb-card-title">Details</h2>
      <dl className="wb-cat-facts">
        {rows.map(([label, value]) => (
          <div key={label} className="wb-cat-fact">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p className="wb-cat-actions">
        <Link to={`${workspacePath(workspace, 'lineage')}?focus=${encodeURIComponent(node.uniqueId)}`}>
          Show in lineage
        </Link>
      </p>
    </section>
  );
}

/** The core page a node's page is, for `page.widget` contributions. */
function widgetPage(resourceType: string): 'model.detail' | 'source.detail' | undefined {
  if (resourceType === 'model') return 'model.detail';
  if (resourceType === 'source') return 'source.detail';
  return undefined;
}

function backLink(resourceType: string): { to: string; label: string } {
  if (resourceType === 'source') return { to: 'models?resourceType=source', label: 'Sources' };
  if (resourceType === 'seed') return { to: 'models?resourceType=seed', label: 'Seeds' };
  if (resourceType === 'snapshot') return { to: 'models?resourceType=snapshot', label: 'Snapshots' };
  return { to: 'models', label: 'Models' };
}

/** `models/:uniqueId`, `sources/:uniqueId`, `seeds/:uniqueId`, `nodes/:uniqueId`: everything about one node. */
export function NodePage() {
  const workspace = useWorkspace();
  const uniqueId = useParams().uniqueId ?? '';
  const status = useCatalogFreshness(workspace.name);
  const node = useNode(workspace.name, uniqueId);

  if (node.isPending) return <div className="wb-loading wb-page-loading">Loading {uniqueId}…</div>;
  if (node.isError) {
    const missing = node.error instanceof ApiError && node.error.status === 404;
    return (
      <div className="wb-page">
        <ArtifactErrorBanner status={status} />
        {missing ? (
          <div className="wb-empty" data-testid="node-not-found">
            <h1>Not in this project</h1>
            <p>{node.error.message}</p>
            <Link to={workspacePath(workspace.name, 'models')}>All models</Link>
          </div>
        ) : (
          <div className="wb-plugin-error" role="alert">
            Could not load {uniqueId}: {node.error.message}
          </div>
        )}
      </div>
    );
  }

  const data = node.data;
  const back = backLink(data.resourceType);
  // Metrics, exposures and the like have no table: their empty column and test sections are left out.
  const relational = ['model', 'seed', 'snapshot', 'source'].includes(data.resourceType);
  const hostPage = widgetPage(data.resourceType);
  return (
    <div className="wb-page wb-cat-node" data-testid="node-page">
      <Link to={workspacePath(workspace.name, back.to)} className="wb-cat-back">
        ← {back.label}
      </Link>
      <header className="wb-page-header wb-cat-head">
        <div className="wb-cat-title">
          <h1>{data.name}</h1>
          <TypeBadge type={data.resourceType} />
          {data.materialization && <span className="wb-badge wb-badge-neutral">{data.materialization}</span>}
          {(data.lastRun || ['model', 'seed', 'snapshot'].includes(data.resourceType)) && (
            <RunBadge status={data.lastRun?.status} />
          )}
        </div>
        <p className="wb-muted wb-cat-mono">{data.relation ?? data.uniqueId}</p>
        {data.tags.length > 0 && (
          <p className="wb-cat-tags">
            {data.tags.map((tag) => (
              <Link
                key={tag}
                to={`${workspacePath(workspace.name, 'models')}?tag=${encodeURIComponent(tag)}`}
                className="wb-chip"
              >
                {tag}
              </Link>
            ))}
          </p>
        )}
      </header>
      <ArtifactErrorBanner status={status} />
      <div className="wb-cat-layout">
        <div className="wb-cat-main">
          <section className="wb-card">
            <h2 className="wb-card-title">Description</h2>
            <Description text={data.description} />
            <ExtensionFields extensions={data.extensions} />
          </section>
          {data.resourceType === 'model' && <ExtensionSlot slot="model.panel" slotProps={{ model: data }} />}
          {data.resourceType === 'source' && <ExtensionSlot slot="source.panel" slotProps={{ source: data }} />}
          {(relational || data.columns.length > 0) && (
            <section className="wb-cat-section">
              <h2 className="wb-card-title">
                Columns <span className="wb-cat-count">{data.columns.length}</span>
              </h2>
              <ColumnsTable columns={data.columns} />
            </section>
          )}
          {(relational || data.tests.length > 0) && (
            <section className="wb-cat-section">
              <h2 className="wb-card-title">
                Tests <span className="wb-cat-count">{data.tests.length}</span>
              </h2>
              <TestsList tests={data.tests} />
            </section>
          )}
          {(data.rawSql || data.compiledSql) && (
            <section className="wb-cat-section">
              <h2 className="wb-card-title">SQL</h2>
              <SqlBlock key={data.uniqueId} compiled={data.compiledSql} raw={data.rawSql} />
            </section>
          )}
        </div>
        <aside className="wb-cat-side">
          <Facts node={data} workspace={workspace.name} />
          <Neighbours title="Upstream" nodes={data.upstream} workspace={workspace.name} />
          <Neighbours title="Downstream" nodes={data.downstream} workspace={workspace.name} />
          {hostPage && (
            <ExtensionSlot
              slot="page.widget"
              filter={(e) => e.page === hostPage}
              slotProps={{ page: hostPage, node: data }}
            />
          )}
        </aside>
      </div>
      <p className="wb-muted wb-cat-sub">
        {typeLabel(data.resourceType)} <code>{data.uniqueId}</code>
      </p>
    </div>
  );
}
