// The backend half of `workbench-plugin dev --server`: the plugin's backend/ folder is uploaded to the developer's
// dev slot on the server when the session starts and again after every change there.
import { readdirSync, readFileSync, watch } from 'node:fs';
import path from 'node:path';

/** The files of `backend/` (without node_modules), by posix path inside it, base64-encoded, as the server takes them. */
export function backendFiles(backendDir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile())
        files[path.relative(backendDir, file).split(path.sep).join('/')] = readFileSync(file).toString('base64');
    }
  };
  walk(backendDir);
  return files;
}

/** Calls `changed` once things settle after changes under `backendDir`; resolves with what stops watching. */
export function watchBackend(backendDir: string, changed: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(backendDir, { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(changed, 150);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
