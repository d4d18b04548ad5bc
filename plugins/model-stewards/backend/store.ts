// Stewards per workspace and model, in one JSON file in the plugin's data folder.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Stewardship {
  steward: string;
  since: string;
  assignedBy: string;
}

type Stewards = Record<string, Record<string, Stewardship>>;

export interface StewardStore {
  get(workspace: string, model: string): Stewardship | undefined;
  set(workspace: string, model: string, value: Stewardship): Stewardship | undefined;
}

export function openStewardStore(dataDir: string): StewardStore {
  const file = path.join(dataDir, 'stewards.json');
  const all: Stewards = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Stewards) : {};
  return {
    get: (workspace, model) => all[workspace]?.[model],
    set(workspace, model, value) {
      const previous = all[workspace]?.[model];
      (all[workspace] ??= {})[model] = value;
      // Written whole, then renamed: a crash never leaves half a file.
      writeFileSync(`${file}.tmp`, JSON.stringify(all));
      renameSync(`${file}.tmp`, file);
      return previous;
    },
  };
}
