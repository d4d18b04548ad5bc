import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type {
  BudgetFigure,
  BudgetOverridesBody,
  PluginBudget as Budget,
  PluginBudgetStatus,
} from '../../../shared/plugin-budgets.schema.ts';
import { formatMs, formatSpan } from '../../../shared/plugin-health.ts';
import { getPluginBudget, setPluginBudget } from '../../../shared/http/plugin-operations.ts';
import { callApi } from '../../api/client.ts';
import './plugin-budget.css';

/** How each figure is shown and typed (the error rate as a percentage), with the input's bounds. */
const figures: {
  figure: BudgetFigure;
  label: string;
  unit: string;
  show(value: number): string;
  scale: number;
  input: { min: number; max?: number; step: number | 'any' };
}[] = [
  {
    figure: 'errorRate',
    label: 'Error rate',
    unit: '%',
    show: (v) => `${Math.round(v * 100)}%`,
    scale: 100,
    input: { min: 0, max: 100, step: 'any' },
  },
  { figure: 'p95Ms', label: 'Hook p95', unit: 'ms', show: formatMs, scale: 1, input: { min: 1, step: 1 } },
  { figure: 'restarts', label: 'Restarts', unit: 'per window', show: String, scale: 1, input: { min: 0, step: 1 } },
];

const budgetKey = (name: string) => ['plugins', name, 'budget'] as const;

function useBudget(name: string) {
  const client = useQueryClient();
  const status = useQuery({
    queryKey: budgetKey(name),
    queryFn: () => callApi(getPluginBudget, { params: { name } }),
    refetchInterval: 5_000,
  });
  const save = useMutation({
    mutationFn: (body: BudgetOverridesBody) => callApi(setPluginBudget, { params: { name }, body }),
    onSuccess: (data) => client.setQueryData(budgetKey(name), data),
  });
  return { status, save };
}

function Standing({ status }: { status: PluginBudgetStatus }) {
  if (status.autoDisabled)
    return (
      <p className="wb-reason" data-testid="budget-standing">
        Disabled automatically on {new Date(status.autoDisabled.at).toLocaleString()}: {status.autoDisabled.reason}.
        Enabling it again on the Plugins page gives it a fresh window.
      </p>
    );
  if (status.breaches.length === 0)
    return (
      <p className="wb-budget-ok" data-testid="budget-standing">
        Within budget.
      </p>
    );
  const action = status.effective.autoDisable ? 'it is disabled automatically' : 'admins are notified';
  return (
    <div className="wb-reason" data-testid="budget-standing">
      <strong>
        Over budget
        {status.overBudgetSince ? ` since ${new Date(status.overBudgetSince).toLocaleTimeString()}` : ''}
      </strong>
      : {status.breaches.map((b) => b.message).join('; ')}. If it stays over budget for{' '}
      {formatSpan(status.effective.windowMs)}, {action}.
    </div>
  );
}

/** The typed overrides: empty means the default. */
type Draft = Record<BudgetFigure, string>;

const draftOf = (status: PluginBudgetStatus): Draft => {
  const entries = figures.map(({ figure, scale }) => {
    const value = status.overrides[figure];
    return [figure, value === null ? '' : String(Math.round(value * scale * 1000) / 1000)];
  });
  return Object.fromEntries(entries) as Draft;
};

function OverrideForm({
  status,
  onSave,
  saving,
}: {
  status: PluginBudgetStatus;
  onSave: (b: BudgetOverridesBody) => void;
  saving: boolean;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(status));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: BudgetOverridesBody = {};
    for (const { figure, scale } of figures) {
      const text = draft[figure].trim();
      body[figure] = text === '' ? null : Number(text) / scale;
    }
    onSave(body);
  };
  const reset = (figure: BudgetFigure) => {
    setDraft({ ...draft, [figure]: '' });
    onSave({ [figure]: null });
  };
  const inForce = (figure: BudgetFigure, budget: Budget) =>
    figures.find((f) => f.figure === figure)!.show(budget[figure]);
  return (
    <form className="wb-budget-form" onSubmit={submit} aria-label="Budget overrides">
      <table className="wb-table wb-budget-table">
        <thead>
          <tr>
            <th>Figure</th>
            <th>Default</th>
            <th>Override</th>
            <th>In force</th>
          </tr>
        </thead>
        <tbody>
          {figures.map(({ figure, label, unit, input }) => (
            <tr key={figure} data-figure={figure}>
              <td>{label}</td>
              <td className="wb-muted">{inForce(figure, status.defaults)}</td>
              <td>
                <span className="wb-budget-input">
                  <input
                    type="number"
                    {...input}
                    aria-label={`${label} override`}
                    placeholder="default"
                    value={draft[figure]}
                    onChange={(e) => setDraft({ ...draft, [figure]: e.target.value })}
                  />
                  <span className="wb-muted">{unit}</span>
                  {status.overrides[figure] !== null && (
                    <button type="button" className="wb-link-button" disabled={saving} onClick={() => reset(figure)}>
                      Reset
                    </button>
                  )}
                </span>
              </td>
              <td>
                <strong>{inForce(figure, status.effective)}</strong>
                {status.overrides[figure] !== null && <span className="wb-chip wb-budget-chip">overridden</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="wb-budget-footer">
        <button type="submit" className="wb-button wb-button-primary" disabled={saving}>
          Save overrides
        </button>
        <span className="wb-muted">
          Judged over {formatSpan(status.effective.windowMs)}; the error rate from {status.effective.minCalls} calls on.
          Automatic disable is {status.effective.autoDisable ? 'on' : 'off'}.
        </span>
      </div>
    </form>
  );
}

/**
 * Admin: a plugin's budget on its diagnostics page: the figures in force (defaults and this plugin's overrides),
 * whether it is over them now, and a form to override or reset each figure.
 */
export function PluginBudget({ name }: { name: string }) {
  const { status, save } = useBudget(name);
  if (status.isPending) return <p className="wb-loading">Loading the budget…</p>;
  if (status.isError) return <p className="wb-form-error">Could not load the budget: {status.error.message}</p>;
  return (
    <div className="wb-budget" data-testid="plugin-budget">
      <Standing status={status.data} />
      <OverrideForm status={status.data} onSave={(body) => save.mutate(body)} saving={save.isPending} />
      {save.isError && <p className="wb-form-error">{save.error.message}</p>}
    </div>
  );
}
