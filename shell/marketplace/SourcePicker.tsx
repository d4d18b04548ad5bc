import { useState } from 'react';
import type { PackageSource } from './install-api.ts';

type Kind = 'file' | 'path' | 'git';

/**
 * Where a package comes from: a zip from this computer (uploaded), a folder or zip on the server, or a git
 * repository at a tag, branch or commit. Calls `onChange` with the source, or undefined while it is incomplete.
 */
export function SourcePicker({ onChange }: { onChange: (source: PackageSource | undefined) => void }) {
  const [kind, setKind] = useState<Kind>('file');
  const [file, setFile] = useState<File | undefined>();
  const [serverPath, setServerPath] = useState('');
  const [git, setGit] = useState('');
  const [ref, setRef] = useState('');

  function emit(next: { kind?: Kind; file?: File | undefined; serverPath?: string; git?: string; ref?: string }) {
    const k = next.kind ?? kind;
    const f = 'file' in next ? next.file : file;
    const p = (next.serverPath ?? serverPath).trim();
    const g = (next.git ?? git).trim();
    const r = (next.ref ?? ref).trim();
    if (k === 'file') onChange(f ? { file: f } : undefined);
    else if (k === 'path') onChange(p ? { path: p } : undefined);
    else onChange(g ? { git: g, ...(r ? { ref: r } : {}) } : undefined);
  }

  return (
    <div className="wb-market-source">
      <div className="wb-market-tabs" role="radiogroup" aria-label="Package source">
        {(
          [
            ['file', 'Zip file'],
            ['path', 'Path on the server'],
            ['git', 'Git repository'],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className={kind === value ? 'wb-market-tab wb-market-tab-on' : 'wb-market-tab'}>
            <input
              type="radio"
              name="package-source"
              value={value}
              checked={kind === value}
              onChange={() => {
                setKind(value);
                emit({ kind: value });
              }}
            />
            {label}
          </label>
        ))}
      </div>
      {kind === 'file' && (
        <label>
          Plugin package (.zip)
          <input
            type="file"
            accept=".zip,application/zip"
            aria-label="Plugin package (.zip)"
            onChange={(e) => {
              const chosen = e.target.files?.[0];
              setFile(chosen);
              emit({ file: chosen });
            }}
          />
        </label>
      )}
      {kind === 'path' && (
        <label>
          Absolute path of a plugin folder or .zip on the server
          <input
            value={serverPath}
            placeholder="/srv/plugins/model-owners"
            onChange={(e) => {
              setServerPath(e.target.value);
              emit({ serverPath: e.target.value });
            }}
          />
        </label>
      )}
      {kind === 'git' && (
        <div className="wb-form-row">
          <label className="wb-market-grow">
            Repository URL
            <input
              value={git}
              placeholder="https://github.com/acme/wb-model-owners.git"
              onChange={(e) => {
                setGit(e.target.value);
                emit({ git: e.target.value });
              }}
            />
          </label>
          <label>
            Tag, branch or commit (optional)
            <input
              value={ref}
              placeholder="v1.2.0"
              onChange={(e) => {
                setRef(e.target.value);
                emit({ ref: e.target.value });
              }}
            />
          </label>
        </div>
      )}
    </div>
  );
}
