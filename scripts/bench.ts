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
import { root, type BenchRow } from './bench/support.ts';

async function main(): Promise<void> {
  const rows: BenchRow[] = [];
  const measure = async (label: string, run: () => Promise<BenchRow>) => {
    console.log(`running ${label}…`);
    try {
      rows.push(await run());
    } catch (error) {
      rows.push({ id: label, what: 'failed to run', result: (error as Error).message, target: '', pass: false });
    }
  };
  await measure('B1', () => benchShellLoad([4931, 4932]));
  await measure('B2', () => benchHotReload(4933));
  await measure('B3', () => benchEnablement(4934));
  await measure('B4', benchEvents);
  await measure('B5', benchEnrichers);
  await measure('B6', benchRoutes);
  await measure('B7', benchDiscovery);
  await measure('B8', benchCoreUnderFault);
  await measure('B9', () => benchIsolatedUi(4935));
  await measure('B9', () => benchLineageFocus(4935));
  rows.sort((a, b) => a.id.localeCompare(b.id));

  const verdict = (pass: boolean | null) => (pass === null ? '—' : pass ? 'yes' : '**no**');
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${process.platform}/${process.arch}, Node ${process.versions.node}, by \`npm run bench\`.`,
    '',
    '| id | what | result | target | met |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.id} | ${r.what} | ${r.result} | ${r.target} | ${verdict(r.pass)} |`),
  ].join('\n');
  console.log(`\n${table}\n`);

  const readme = path.join(root, 'README.md');
  const text = readFileSync(readme, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  if (text.includes(start) && text.includes(end)) {
    writeFileSync(
      readme,
      `${text.slice(0, text.indexOf(start) + start.length)}\n${table}\n${text.slice(text.indexOf(end))}`,
    );
    console.log('README.md benchmark table updated');
  }
  if (rows.some((r) => r.pass === false)) process.exitCode = 1;
}

await main();
