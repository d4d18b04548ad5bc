import { useState } from 'react';
import { resourceTypeStyle } from './resource-types.ts';
import { useLineageSearch } from './queries.ts';

/** A search box that lists matching nodes; choosing one focuses the graph on it. */
export function NodeFinder({ workspace, onPick }: { workspace: string; onPick(id: string): void }) {
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const search = useLineageSearch(workspace, text);
  const hits = search.data?.hits ?? [];
  const pick = (id: string) => {
    onPick(id);
    setText('');
    setOpen(false);
  };
  return (
    <div className="wb-lineage-finder">
      <label>
        Focus on
        <input
          type="search"
          value={text}
          placeholder="Find a node by name"
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && hits[0]) pick(hits[0].id);
            if (e.key === 'Escape') setOpen(false);
          }}
          aria-label="Find a node to focus on"
        />
      </label>
      {open && text.trim() && (
        <ul className="wb-lineage-finder-list" role="listbox" aria-label="Matching nodes">
          {search.isError && <li className="wb-form-error">{search.error.message}</li>}
          {search.isSuccess && hits.length === 0 && <li className="wb-muted">No node matches “{text.trim()}”.</li>}
          {hits.map((hit) => (
            <li key={hit.id} role="option" aria-selected={false}>
              <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => pick(hit.id)}>
                <span style={{ color: resourceTypeStyle(hit.resourceType).color }}>
                  {resourceTypeStyle(hit.resourceType).label}
                </span>{' '}
                {hit.name}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
