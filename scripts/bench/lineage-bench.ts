// Times the lineage on the synthetic 4,122-node project (generated from fixtures/dbt-artifacts): building the
// graph from the index, focused and selector selections, a whole service answer, and the shell's layout of
// a full 400-node answer. Prints a table; asserts nothing. Usage: node scripts/bench/lineage-bench.ts [runs]
import path from 'node:path';
import { lineageLimits } from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';
import { artifactDirs } from '../../server/lineage/fixtures.ts';
import { buildProjectGraph, type ProjectGraph } from '../../server/lineage/graph.ts';
import { readManifestIndex } from '../../server/lineage/manifest-index.ts';
import { selectSubgraph, type SelectOptions } from '../../server/lineage/select.ts';
import { parseSelector } from '../../server/lineage/selector.ts';
import { createLineageService } from '../../server/lineage/service.ts';
import { computeLayout } from '../../shell/lineage/layout.ts';
import { median, percentile } from './support.ts';

const runs = Number(process.argv[2] ?? 30);

interface Row {
  what: string;
  median: number;
  p95: number;
  detail: string;
}

async function time(what: string, times: number, fn: () => unknown | Promise<unknown>): Promise<Row> {
  const samples: number[] = [];
  let detail = '';
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    const result = await fn();
    samples.push(performance.now() - started);
    if (typeof result === 'string') detail = result;
  }
  return { what, median: median(samples), p95: percentile(samples, 95), detail };
}

function describe(result: ReturnType<typeof selectSubgraph>): string {
  const cut = result.truncated ? `, cut from ${result.total}` : result.tooLarge ? `, refused (${result.total})` : '';
  return `${result.nodes.length} nodes, ${result.edges.length} edges${cut}`;
}

function selector(text: string) {
  const parsed = parseSelector(text);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.selector;
}

async function main(): Promise<void> {
  const dir = artifactDirs.synthetic;
  const readStarted = performance.now();
  const index = readManifestIndex(path.join(dir, 'manifest.json'), path.join(dir, 'run_results.json'));
  const readMs = performance.now() - readStarted;

  let graph: ProjectGraph = buildProjectGraph(index);
  const models = [...graph.nodes.values()].filter((n) => n.resourceType === 'model');
  const busiest = models.reduce((best, n) =>
    (graph.parents.get(n.id)?.length ?? 0) + (graph.children.get(n.id)?.length ?? 0) >
    (graph.parents.get(best.id)?.length ?? 0) + (graph.children.get(best.id)?.length ?? 0)
      ? n
      : best,
  );
  const mart = models.find((n) => graph.children.get(n.id)?.some((c) => c.startsWith('exposure.'))) ?? busiest;
  const base: SelectOptions = { up: 2, down: 2, limit: lineageLimits.defaultNodes };
  const service = createLineageService({ source: { index: () => index } });
  service.lineageBuild.register({ owner: 'bench', handle: () => ({}) });

  const rows: Row[] = [];
  rows.push(
    await time('full build: index to project graph', Math.max(5, Math.floor(runs / 3)), () => {
      graph = buildProjectGraph(index);
      return `${graph.nodes.size} drawn nodes from ${index.length} index entries`;
    }),
  );
  rows.push(
    await time(`focus ${busiest.name}, 2 up / 2 down`, runs, () =>
      describe(selectSubgraph(graph, { ...base, focus: busiest.id })),
    ),
  );
  rows.push(
    await time(`focus ${mart.name}, 10 up / 10 down`, runs, () =>
      describe(selectSubgraph(graph, { ...base, focus: mart.id, up: 10, down: 10 })),
    ),
  );
  rows.push(await time('whole project (refused: too large)', runs, () => describe(selectSubgraph(graph, base))));
  rows.push(
    await time(`selector +${mart.name}`, runs, () =>
      describe(selectSubgraph(graph, { ...base, selector: selector(`+${mart.name}`) })),
    ),
  );
  rows.push(
    await time('selector resource_type:model+ (cut at 400)', runs, () =>
      describe(selectSubgraph(graph, { ...base, selector: selector('resource_type:model+') })),
    ),
  );
  rows.push(
    await time('service answer: focus 2/2 with one overlay handler', runs, async () => {
      const answer = await service.graph('bench', {
        up: 2,
        down: 2,
        limit: lineageLimits.defaultNodes,
        focus: busiest.id,
      });
      return `${answer.nodes.length} nodes, ${Object.keys(answer.overlays).length} overlay`;
    }),
  );
  const big = selectSubgraph(graph, { ...base, selector: selector('resource_type:model+') });
  rows.push(
    await time('shell layout of the 400-node answer', 5, async () => {
      const positions = computeLayout({ nodes: big.nodes, edges: big.edges });
      return `${Object.keys(positions).length} nodes placed`;
    }),
  );

  console.log(`lineage on ${dir}`);
  console.log(
    `read and index manifest.json + run_results.json once: ${readMs.toFixed(0)} ms (${index.length} entries)\n`,
  );
  const width = Math.max(...rows.map((r) => r.what.length));
  console.log(`${'what'.padEnd(width)}  median ms     p95 ms  result`);
  for (const row of rows) {
    console.log(
      `${row.what.padEnd(width)}  ${row.median.toFixed(2).padStart(9)}  ${row.p95.toFixed(2).padStart(9)}  ${row.detail}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
