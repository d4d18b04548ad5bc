import { useEffect, useState, type FormEvent } from 'react';
import {
  lineageLimits,
  overviewResourceTypes,
  type LineageTypeCount,
} from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';
import type { LineageParams } from './lineage-params.ts';
import { NodeFinder } from './NodeFinder.tsx';
import { filterableTypes, resourceTypeStyle } from './resource-types.ts';

export interface LineageControlsProps {
  workspace: string;
  params: LineageParams;
  /** Resource types of the project with their counts (from the last answer). */
  types: readonly LineageTypeCount[];
  /** The server's complaint about the selector, shown under the box. */
  selectorError: string | null;
  onChange(next: LineageParams): void;
}

/** The types a view draws when `types` is not set: all of them around a focus or selector, else the overview set. */
function defaultTypes(params: LineageParams, available: string[]): string[] {
  if (params.focus || params.select) return available;
  return available.filter((t) => (overviewResourceTypes as readonly string[]).includes(t));
}

interface LevelInputProps {
  label: string;
  value: number;
  disabled: boolean;
  onChange(n: number): void;
}

function LevelInput({ label, value, disabled, onChange }: LevelInputProps) {
  // The text being typed; committed once it is a level, put back on blur when it is not.
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  return (
    <label className="wb-lineage-level" title={disabled ? 'Focus on a node to choose levels' : undefined}>
      {label}
      <input
        type="number"
        min={0}
        max={lineageLimits.maxLevels}
        value={text}
        disabled={disabled}
        onChange={(e) => {
          setText(e.target.value);
          const n = Number(e.target.value);
          if (e.target.value.trim() !== '' && Number.isInteger(n) && n >= 0 && n <= lineageLimits.maxLevels) {
            if (n !== value) onChange(n);
          }
        }}
        onBlur={() => setText(String(value))}
      />
    </label>
  );
}

/** Focus finder, levels, resource types and the dbt selector box. */
export function LineageControls({ workspace, params, types, selectorError, onChange }: LineageControlsProps) {
  const [selector, setSelector] = useState(params.select ?? '');
  useEffect(() => setSelector(params.select ?? ''), [params.select]);

  const present = new Set(types.map((t) => t.resourceType));
  const available = filterableTypes.filter((t) => present.has(t));
  const defaults = defaultTypes(params, available);
  const shown = new Set(params.types ?? defaults);
  const toggle = (type: string) => {
    const next = available.filter((t) => (t === type ? !shown.has(t) : shown.has(t)));
    if (next.length === 0) return; // at least one type stays drawn
    const isDefault = next.length === defaults.length && next.every((t) => defaults.includes(t));
    onChange({ ...params, types: isDefault ? null : next });
  };
  const count = (type: string) => types.find((t) => t.resourceType === type)?.count ?? 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange({ ...params, select: selector.trim() || null });
  };

  return (
    <section className="wb-card wb-lineage-controls" aria-label="Lineage controls">
      <NodeFinder workspace={workspace} onPick={(id) => onChange({ ...params, focus: id, select: null })} />
      <LevelInput
        label="Upstream"
        value={params.up}
        disabled={!params.focus}
        onChange={(up) => onChange({ ...params, up })}
      />
      <LevelInput
        label="Downstream"
        value={params.down}
        disabled={!params.focus}
        onChange={(down) => onChange({ ...params, down })}
      />
      <form className="wb-lineage-selector" onSubmit={submit}>
        <label>
          Selector
          <input
            value={selector}
            onChange={(e) => setSelector(e.target.value)}
            placeholder="+orders  tag:nightly  2+customers+1"
            aria-invalid={selectorError ? true : undefined}
            aria-describedby={selectorError ? 'lineage-selector-error' : undefined}
            spellCheck={false}
          />
        </label>
        <button type="submit" className="wb-button">
          Apply
        </button>
        {params.select && (
          <button
            type="button"
            className="wb-link-button"
            onClick={() => {
              setSelector('');
              onChange({ ...params, select: null });
            }}
          >
            Clear
          </button>
        )}
      </form>
      {available.length > 0 && (
        <fieldset className="wb-lineage-types">
          <legend>Resource types</legend>
          {available.map((type) => {
            const style = resourceTypeStyle(type);
            return (
              <label key={type} className="wb-lineage-type-toggle">
                <input type="checkbox" checked={shown.has(type)} onChange={() => toggle(type)} />
                <span className="wb-lineage-swatch" style={{ background: style.color }} />
                {style.label} <span className="wb-muted">{count(type)}</span>
              </label>
            );
          })}
        </fieldset>
      )}
      {selectorError && (
        <p className="wb-form-error wb-lineage-selector-error" id="lineage-selector-error" role="alert">
          {selectorError}
        </p>
      )}
    </section>
  );
}
