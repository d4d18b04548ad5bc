// The plugin SDK's reviewed public API: one api-extractor report in packages/plugin-sdk/etc/ for every module a
// plugin can import, that is every entry of the package's "exports" with the wildcards ("./contracts/*", "./node/*",
// "./build/*") expanded over src/. Reads the built declarations (npm run build -w packages/plugin-sdk first).
//   node scripts/sdk-api-report.ts          rewrites the reports (after reviewing the change; the diff goes in the PR)
//   node scripts/sdk-api-report.ts --check  the test gate: fails on any difference, a missing or a stale report
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
  CompilerState,
  ConsoleMessageId,
  Extractor,
  ExtractorConfig,
  ExtractorLogLevel,
  type IConfigFile,
} from '@microsoft/api-extractor';

const sdkDir = path.resolve(import.meta.dirname, '../packages/plugin-sdk');
const reportDir = path.join(sdkDir, 'etc');
const reportSuffix = '.api.md';

interface ApiEntry {
  /** What a plugin imports: `@dbt-workbench/plugin-sdk/contracts/versions`. */
  specifier: string;
  /** The built declaration file api-extractor reads, relative to the package. */
  declarations: string;
  /** The report's file name without `.api.md`: `plugin-sdk-contracts-versions`. */
  reportName: string;
}

type ExportTarget = { source?: string; types?: string } | string;

/** The package's entry modules, from its exports map: a wildcard entry yields one module per non-test source file. */
function apiEntries(packageDir: string): ApiEntry[] {
  const pkg = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, ExportTarget>;
  };
  const entries: ApiEntry[] = [];
  for (const [key, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string' || !target.source || !target.types) continue; // ./package.json
    const reportName = (stem: string) => `plugin-sdk${key.slice(1).replaceAll('/', '-').replace('*', stem)}`;
    const specifier = (stem: string) => `${pkg.name}${key.slice(1).replace('*', stem)}`;
    if (!key.includes('*')) {
      entries.push({ specifier: specifier(''), declarations: target.types, reportName: reportName('') });
      continue;
    }
    const [prefix, suffix] = target.source.split('*') as [string, string];
    const stems = readdirSync(path.join(packageDir, prefix))
      .filter((file) => file.endsWith(suffix) && !/\.test\.tsx?$/.test(file))
      .map((file) => file.slice(0, -suffix.length))
      .sort();
    for (const stem of stems) {
      entries.push({
        specifier: specifier(stem),
        declarations: target.types.replace('*', stem),
        reportName: reportName(stem),
      });
    }
  }
  return entries;
}

// The compiler preamble, and the per-report "changed" notices this script sums up once at the end (the diff stays).
const quiet = new Set<string>([
  ConsoleMessageId.Preamble,
  ConsoleMessageId.ApiReportNotCopied,
  ConsoleMessageId.ApiReportCopied,
  ConsoleMessageId.ApiReportCreated,
]);

function main(check: boolean): number {
  const entries = apiEntries(sdkDir);
  const missingBuild = entries.filter((e) => !existsSync(path.join(sdkDir, e.declarations)));
  if (missingBuild.length > 0) {
    console.error(
      `${missingBuild.map((e) => e.declarations).join(', ')} not built: run npm run build -w packages/plugin-sdk`,
    );
    return 1;
  }
  const baseConfigPath = path.join(sdkDir, 'api-extractor.json');
  const base = ExtractorConfig.loadFile(baseConfigPath);
  const configFor = (entry: ApiEntry) =>
    ExtractorConfig.prepare({
      configObject: {
        ...base,
        mainEntryPointFilePath: `<projectFolder>/${entry.declarations}`,
        apiReport: { ...base.apiReport, enabled: true, reportFileName: entry.reportName },
      } satisfies IConfigFile,
      configObjectFullPath: baseConfigPath,
      packageJsonFullPath: path.join(sdkDir, 'package.json'),
    });
  const configs = entries.map(configFor);
  // One TypeScript program for all entries: analysing each entry on its own would cost seconds apiece.
  const compilerState = CompilerState.create(configs[0]!, {
    additionalEntryPoints: configs.map((c) => c.mainEntryPointFilePath),
  });

  const changed: string[] = [];
  let errors = 0;
  entries.forEach((entry, i) => {
    const result = Extractor.invoke(configs[i]!, {
      localBuild: !check,
      compilerState,
      printApiReportDiff: check,
      messageCallback: (message) => {
        if (quiet.has(message.messageId)) message.logLevel = ExtractorLogLevel.None;
      },
    });
    errors += result.errorCount;
    if (result.apiReportChanged) changed.push(`${entry.reportName}${reportSuffix} (${entry.specifier})`);
  });

  const expected = new Set(entries.map((e) => `${e.reportName}${reportSuffix}`));
  const stale = readdirSync(reportDir).filter((file) => file.endsWith(reportSuffix) && !expected.has(file));
  if (!check) {
    for (const file of stale) rmSync(path.join(reportDir, file));
    console.log(
      `${entries.length} API reports in ${path.relative(process.cwd(), reportDir) || '.'}: ${changed.length} updated, ${stale.length} removed`,
    );
    return errors > 0 ? 1 : 0;
  }
  for (const file of stale) changed.push(`${file} (no such entry any more)`);
  if (changed.length > 0) {
    console.error(
      `The SDK's public API differs from its reviewed reports:\n  ${changed.join('\n  ')}\n` +
        'Review the change (a removal or an incompatible change needs a new plugin API major, see ' +
        'packages/plugin-sdk/README.md), then run npm run api-report -w packages/plugin-sdk and commit etc/.',
    );
  } else {
    console.log(`the SDK's public API matches its ${entries.length} reviewed reports`);
  }
  return changed.length > 0 || errors > 0 ? 1 : 0;
}

if (import.meta.main) process.exitCode = main(process.argv.includes('--check'));
