// `npm run bench`: measures the targets of SPEC section 10 on this machine, prints the table and writes it
// into the README between the bench markers. Figures are ratios or bounds from one run; machines are noisy.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { benchShellLoad } from './bench/b1-shell-load.ts';
import { benchHotReload } from './bench/b2-hot-reload.ts';
import { benchEnablement } from './bench/b3-enablement.ts';
import { benchEvents } from './bench/b4-events.ts';
import { benchEnrichers } from './bench/b5-enrichers.ts';
import { benchRoutes } from './bench/b6-routes.ts';
import { benchDiscovery } from './bench/b7-discovery.ts';
import { benchCoreUnderFault } from './bench/b8-core-under-fault.ts';
import { benchIsolatedUi } from './bench/b9-isolated-ui.ts';
import { benchLineageFocus } from './bench/b9-lineage-focus.ts';
import { benchReplicaChanges } from './bench/b10-replica-changes.ts';
import { benchReplicaSchedules } from './bench/b11-replica-schedules.ts';
import { benchPostgresReads } from './bench/b12-postgres-reads.ts';
import { benchManyPlugins } from './bench/b13-many-plugins.ts';
import { benchBackends } from './bench/b14-backends.ts';
import { benchTeamDeploy } from './bench/b16-team-deploy.ts';
import { benchTools } from './bench/b15-tools.ts';
import { root, type BenchRow } from './bench/support.ts';

const benches: [id: string, run: () => Promise<BenchRow>][] = [
  ['B1', () => benchShellLoad([4931, 4932])],
  ['B2', () => benchHotReload(4933)],
  ['B3', () => benchEnablement(4934)],
  ['B4', benchEvents],
  ['B5', benchEnrichers],
  ['B6', benchRoutes],
  ['B7', benchDiscovery],
  ['B8', benchCoreUnderFault],
  ['B9', () => benchIsolatedUi(4935)],
  ['L1', () => benchLineageFocus(4936)],
  ['B10', benchReplicaChanges],
  ['B11', benchReplicaSchedules],
  ['B12', benchPostgresReads],
  ['B13', () => benchManyPlugins([4938, 4939])],
  ['B14', () => benchBackends(4940)],
  ['B15', benchTools],
  ['B16', () => benchTeamDeploy(4937)],
];

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

/** A table row as it stands in the README: its cells, the id first and the date it was measured last. */
type TableRow = [id: string, what: string, result: string, target: string, met: string, measured: string];

function rowsInReadme(text: string): TableRow[] {
  if (!text.includes(START) || !text.includes(END)) return [];
  return text
    .slice(text.indexOf(START), text.indexOf(END))
    .split('\n')
    .filter((line) => /^\| [A-Z]\d+ \|/.test(line))
    .map((line) => line.slice(2, -2).split(' | ') as TableRow)
    .filter((cells) => cells.length === 6);
}

// `npm run bench` measures every target; `npm run bench -- B1 B9` measures those and keeps the other rows of
// the README's table as they were, each with the date it was measured.
async function main(): Promise<void> {
  const wanted = process.argv.slice(2).map((id) => id.toUpperCase());
  const unknown = wanted.filter((id) => !benches.some(([known]) => known === id));
  if (unknown.length)
    throw new Error(`no benchmark named ${unknown.join(', ')}; known: ${benches.map(([id]) => id).join(', ')}`);
  const today = new Date().toISOString().slice(0, 10);
  const verdict = (pass: boolean | null) => (pass === null ? '—' : pass ? 'yes' : '**no**');
  const measured = new Map<string, TableRow>();
  for (const [id, run] of benches) {
    if (wanted.length && !wanted.includes(id)) continue;
    console.log(`running ${id}…`);
    let row: BenchRow;
    try {
      row = await run();
    } catch (error) {
      row = { id, what: 'failed to run', result: (error as Error).message, target: '', pass: false };
    }
    measured.set(id, [id, row.what, row.result, row.target, verdict(row.pass), today]);
  }

  const readme = path.join(root, 'README.md');
  const text = readFileSync(readme, 'utf8');
  const rows = new Map(rowsInReadme(text).map((row) => [row[0], row]));
  for (const [id, row] of measured) rows.set(id, row);
  const table = [
    `On ${process.platform}/${process.arch}, Node ${process.versions.node}, by \`npm run bench\` (each row says when it was measured).`,
    '',
    '| id | what | result | target | met | measured |',
    '| --- | --- | --- | --- | --- | --- |',
    ...[...rows.values()]
      .sort((a, b) => a[0].localeCompare(b[0], 'en', { numeric: true }))
      .map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n');
  console.log(`\n${table}\n`);
  if (text.includes(START) && text.includes(END)) {
    writeFileSync(
      readme,
      `${text.slice(0, text.indexOf(START) + START.length)}\n${table}\n${text.slice(text.indexOf(END))}`,
    );
    console.log('README.md benchmark table updated');
  }
  if ([...measured.values()].some((row) => row[4] === '**no**')) process.exitCode = 1;
}

await main();
