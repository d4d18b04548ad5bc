import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ToolDescriptor } from '../../shared/tools.schema.ts';
import { ApiError } from '../api/client.ts';
import { propertyLabel, SchemaField, schemaProperties } from '../forms/SchemaField.tsx';
import { pluginTitle } from './PaletteSearch.tsx';
import { ToolResult } from './ToolResult.tsx';
import { useToolCall } from './tools-api.ts';
import { argumentsOf, serverFieldErrors, validateArguments } from './validate-arguments.ts';

const requiredOf = (schema: Record<string, unknown>) =>
  Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];

/** Where the tool comes from, in words: the plugin and its version, or the app itself. */
function Origin({ tool }: { tool: ToolDescriptor }) {
  return (
    <p className="wb-palette-origin" data-testid="tool-origin">
      {tool.plugin ? (
        <>
          From the plugin <strong>{pluginTitle(tool)}</strong> <span className="wb-muted">{tool.plugin.version}</span>
        </>
      ) : (
        <>Built into dbt-Workbench</>
      )}
      {' · '}
      {tool.effect === 'change' ? (
        <span className="wb-badge wb-badge-warn">Changes something</span>
      ) : (
        <span className="wb-badge wb-badge-neutral">Only reads</span>
      )}
    </p>
  );
}

/**
 * One tool: a form generated from its parameter schema that checks as you type, a confirmation before a tool that
 * changes something runs, the server's errors by their fields, and the result.
 */
export function ToolPanel({ workspace, tool, onBack }: { workspace: string; tool: ToolDescriptor; onBack(): void }) {
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const call = useToolCall(workspace, tool.id);
  const form = useRef<HTMLFormElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const runButton = useRef<HTMLButtonElement>(null);

  const args = argumentsOf(values);
  const local = validateArguments(tool.parameters, args);
  const server = call.error instanceof ApiError ? serverFieldErrors(call.error.details) : {};
  const shown = (field: string) => server[field] ?? (submitted || touched.has(field) ? local[field] : undefined);
  const required = requiredOf(tool.parameters);
  const fields = schemaProperties(tool.parameters);

  useEffect(() => {
    form.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, []);
  const askedBefore = useRef(false);
  useEffect(() => {
    // Into the question when it is asked, and back to the Run button when it is answered either way.
    if (confirming) confirmButton.current?.focus();
    else if (askedBefore.current) runButton.current?.focus();
    askedBefore.current = confirming;
  }, [confirming]);

  const change = (field: string, value: unknown) => {
    setValues((v) => ({ ...v, [field]: value }));
    setTouched((t) => new Set(t).add(field));
    setConfirming(false);
    // The server's word on a field is about the value sent, not the one being typed.
    if (call.isError) call.reset();
  };

  const cancelConfirm = () => setConfirming(false);

  const run = () => {
    setConfirming(false);
    call.mutate(args);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(local).length > 0) {
      form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    if (tool.effect === 'change') setConfirming(true);
    else run();
  };

  const formError = server[''] ?? (submitted ? local[''] : undefined);
  const callError = call.error && Object.keys(server).length === 0 ? call.error : null;

  return (
    <div className="wb-palette-tool" data-testid="tool-panel" data-tool={tool.id}>
      <button type="button" className="wb-link-button wb-palette-back" onClick={onBack}>
        ← All tools
      </button>
      <h2 className="wb-palette-tool-title">{tool.title}</h2>
      <Origin tool={tool} />
      <p className="wb-palette-tool-description">{tool.description}</p>
      <form
        ref={form}
        className="wb-palette-form"
        onSubmit={submit}
        noValidate
        aria-label={`Arguments of ${tool.title}`}
      >
        {fields.length === 0 && <p className="wb-muted">This tool takes no arguments.</p>}
        {fields.map(([name, schema]) => (
          <SchemaField
            key={name}
            name={name}
            schema={schema}
            value={values[name]}
            onChange={(value) => change(name, value)}
            error={shown(name)}
            required={required.includes(name)}
            label={propertyLabel(name)}
            describe
          />
        ))}
        {formError && (
          <p className="wb-form-error" role="alert">
            {formError}
          </p>
        )}
        {confirming ? (
          <div
            className="wb-palette-confirm"
            role="group"
            aria-labelledby="wb-palette-confirm-text"
            onKeyDown={(event) => {
              // Escape here takes back the question, not the whole tool.
              if (event.key !== 'Escape') return;
              event.preventDefault();
              event.stopPropagation();
              cancelConfirm();
            }}
          >
            <p id="wb-palette-confirm-text">
              <strong>{tool.title}</strong> changes something in this workspace
              {tool.plugin ? `, as ${pluginTitle(tool)}` : ''}. Run it with these values?
            </p>
            <div className="wb-palette-actions">
              <button ref={confirmButton} type="button" className="wb-button wb-button-primary" onClick={run}>
                Yes, run it
              </button>
              <button type="button" className="wb-button" onClick={cancelConfirm}>
                Cancel
              </button>
            </div>
          </div>
        ) : (
          <div className="wb-palette-actions">
            <button ref={runButton} type="submit" className="wb-button wb-button-primary" disabled={call.isPending}>
              {call.isPending ? 'Running…' : tool.effect === 'change' ? 'Run…' : 'Run'}
            </button>
          </div>
        )}
      </form>
      {callError && (
        <div className="wb-plugin-error wb-palette-call-error" role="alert" data-testid="tool-error">
          {callError.message}
          {callError instanceof ApiError && <span className="wb-muted"> ({callError.code})</span>}
        </div>
      )}
      {Object.keys(server).length > 0 && (
        <p className="wb-palette-sr" role="alert">
          The server refused the arguments: {Object.values(server).join(' ')}
        </p>
      )}
      {call.data && <ToolResult tool={tool} call={call.data} />}
    </div>
  );
}
