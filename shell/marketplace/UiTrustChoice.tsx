import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { PluginList, PluginSummary } from '../../shared/api.schema.ts';
import type { UiTrust } from '../../shared/ui-trust.schema.ts';
import { setPluginUiTrust } from '../../shared/http/plugins.ts';
import { callApi } from '../api/client.ts';
import { queryKeys } from '../api/queries.ts';
import './ui-trust.css';

const choices: { level: UiTrust; label: string; says: string }[] = [
  {
    level: 'isolated',
    label: 'Isolated (recommended)',
    says: 'Its screens run in a sealed frame and reach only what the plugin was approved for.',
  },
  {
    level: 'in-page',
    label: 'In page',
    says: "Its screens run inside the app with each user's full rights: they can do anything the signed-in user can, including admin actions.",
  },
];

/**
 * How a plugin's screens run, chosen by an instance admin on its card and on the approval screen. Moving to in-page
 * asks for confirmation first; open shells switch without a reload (the server announces the change).
 */
export function UiTrustChoice({ plugin }: { plugin: PluginSummary }) {
  const client = useQueryClient();
  const name = useId();
  const [confirming, setConfirming] = useState(false);
  // The level being sent, set in the click's own handler: the radio must not spring back for even one render while
  // the request is on its way.
  const [sending, setSending] = useState<UiTrust | null>(null);
  const change = useMutation({
    mutationFn: (level: UiTrust) => callApi(setPluginUiTrust, { params: { name: plugin.name }, body: { level } }),
    onSuccess: (saved) => {
      // The list shows the saved level at once; a refetch racing with the server's own announcement cannot undo it.
      client.setQueryData<PluginList>(
        queryKeys.plugins,
        (list) =>
          list && { plugins: list.plugins.map((p) => (p.name === saved.name ? { ...p, uiTrust: saved.uiTrust } : p)) },
      );
      setConfirming(false);
    },
    onSettled: () => {
      setSending(null);
      return client.invalidateQueries({ queryKey: queryKeys.plugins });
    },
  });
  const send = (level: UiTrust) => {
    setSending(level);
    change.mutate(level);
  };
  const shown = confirming ? 'in-page' : (sending ?? plugin.uiTrust);
  const choose = (level: UiTrust) => {
    if (level === plugin.uiTrust) return setConfirming(false);
    if (level === 'in-page') return setConfirming(true);
    send(level);
  };

  return (
    <fieldset className="wb-ui-trust" data-testid="ui-trust">
      <legend>Plugin screens</legend>
      {choices.map((choice) => (
        <label key={choice.level} className="wb-ui-trust-choice">
          <input
            type="radio"
            name={name}
            value={choice.level}
            checked={shown === choice.level}
            disabled={change.isPending}
            onChange={() => choose(choice.level)}
          />
          <span>
            <strong>{choice.label}</strong>
            <span className="wb-muted"> {choice.says}</span>
          </span>
        </label>
      ))}
      {confirming && (
        <div
          className="wb-ui-trust-confirm"
          role="alertdialog"
          aria-label={`Run ${plugin.displayName ?? plugin.name} in page?`}
        >
          <p>
            Run {plugin.displayName ?? plugin.name}&apos;s screens in the page? Every user who opens them lets its code
            act as themselves, with all their rights, admin actions included. Choose this only for plugins you trust as
            much as the app.
          </p>
          <button
            type="button"
            className="wb-button wb-button-danger"
            disabled={change.isPending}
            onClick={() => send('in-page')}
          >
            Run in page
          </button>
          <button type="button" className="wb-button" disabled={change.isPending} onClick={() => setConfirming(false)}>
            Keep isolated
          </button>
        </div>
      )}
      {change.error && <p className="wb-form-error">{change.error.message}</p>}
    </fieldset>
  );
}
