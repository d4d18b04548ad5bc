import { useEffect, useRef } from 'react';
import type { ToolCallResult, ToolDescriptor } from '../../shared/tools.schema.ts';
import { propertyLabel } from '../forms/SchemaField.tsx';
import { renderToolMarkdown } from './markdown.ts';
import { cellText, resultView } from './result-view.ts';

/** A call's result as the tool's result schema says: a table, markdown or JSON. */
export function ToolResult({ tool, call }: { tool: ToolDescriptor; call: ToolCallResult }) {
  const view = resultView(call.view, tool.result, call.result);
  const section = useRef<HTMLElement>(null);
  // A long form can leave the result below the fold: bring each new one into view.
  useEffect(() => {
    section.current?.scrollIntoView({ block: 'nearest' });
  }, [call]);
  return (
    <section
      ref={section}
      className="wb-palette-result"
      aria-label={`Result of ${tool.title}`}
      data-testid="tool-result"
    >
      <p className="wb-muted wb-palette-result-meta">
        {view.kind === 'table'
          ? `${view.rows.length} row${view.rows.length === 1 ? '' : 's'}${view.caption ? ` · ${view.caption}` : ''}`
          : 'Result'}{' '}
        · {Math.round(call.durationMs)} ms
      </p>
      {view.kind === 'table' &&
        (view.rows.length === 0 ? (
          <p className="wb-muted">No rows.</p>
        ) : (
          <div className="wb-palette-table-wrap">
            <table className="wb-table wb-palette-table">
              <thead>
                <tr>
                  {view.columns.map((c) => (
                    <th key={c} scope="col" title={c}>
                      {propertyLabel(c)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {view.rows.map((row, i) => (
                  <tr key={i}>
                    {view.columns.map((c) => {
                      const text = cellText(row[c]);
                      return (
                        <td key={c} title={text}>
                          {text}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {view.kind === 'markdown' && (
        // Rendered without HTML and with only safe links (markdown.ts): a plugin's words, not its markup.
        <div className="wb-palette-markdown" dangerouslySetInnerHTML={{ __html: renderToolMarkdown(view.text) }} />
      )}
      {view.kind === 'json' && <pre className="wb-palette-json">{JSON.stringify(view.value, null, 2)}</pre>}
    </section>
  );
}
