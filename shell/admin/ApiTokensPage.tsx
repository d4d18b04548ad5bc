import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  DEFAULT_TOKEN_DAYS,
  MAX_TOKEN_DAYS,
  TokenScope,
  type ApiToken,
  type CreatedApiToken,
} from '../../shared/api-tokens.schema.ts';
import * as api from '../../shared/http/tokens.ts';
import { callApi } from '../api/client.ts';
import './api-tokens.css';

const tokensKey = ['admin', 'api-tokens'] as const;

/** What each scope lets a token do, in the words an admin decides by. */
const scopeMeaning: Record<TokenScope, string> = {
  'plugins:deploy':
    'upload plugin packages (install a new plugin, update one) and read their state; new access still waits for your approval',
  'plugins:dev':
    'run a dev build of an approved plugin in your own browser sessions only (workbench-plugin dev --server); it gets no capability beyond the approved ones',
  mcp: "connect an agent to a workspace's MCP endpoint (/mcp/<workspace>) and use its tools with your rights; each call is audited",
};

const day = (iso: string) => new Date(iso).toLocaleDateString();

/** The secret of a token just made: shown once, with a copy button. */
function NewSecret({ token, onDone }: { token: CreatedApiToken; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <section className="wb-card wb-token-secret" aria-label="New token">
      <h2 className="wb-card-title">Token “{token.name}” made</h2>
      <p>Copy it now: it is shown only this once. Store it as a secret of your CI (for example WORKBENCH_TOKEN).</p>
      <div className="wb-token-secret-row">
        <code data-testid="token-secret">{token.token}</code>
        <button
          type="button"
          className="wb-button wb-button-primary"
          onClick={() => {
            void navigator.clipboard?.writeText(token.token).then(() => setCopied(true));
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="wb-button" onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedApiToken) => void }) {
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<TokenScope[]>(['plugins:deploy']);
  const [days, setDays] = useState(DEFAULT_TOKEN_DAYS);
  const create = useMutation({
    mutationFn: () => callApi(api.createApiToken, { body: { name, scopes, expiresInDays: days } }),
    onSuccess: (token) => {
      setName('');
      onCreated(token);
      return client.invalidateQueries({ queryKey: tokensKey });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const toggle = (scope: TokenScope, on: boolean) =>
    setScopes((now) => (on ? [...now, scope] : now.filter((s) => s !== scope)));
  return (
    <form className="wb-card wb-form wb-token-form" onSubmit={submit} aria-label="Make a token">
      <h2 className="wb-card-title">Make a token</h2>
      <div className="wb-form-row">
        <label>
          Name (who uses it, e.g. “finance CI”)
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </label>
        <label>
          Expires after (days, at most {MAX_TOKEN_DAYS})
          <input
            type="number"
            min={1}
            max={MAX_TOKEN_DAYS}
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
            required
          />
        </label>
      </div>
      <fieldset className="wb-token-scopes">
        <legend>Scopes</legend>
        {TokenScope.options.map((scope) => (
          <label key={scope} className="wb-token-scope">
            <input type="checkbox" checked={scopes.includes(scope)} onChange={(e) => toggle(scope, e.target.checked)} />
            <span>
              <code>{scope}</code>: {scopeMeaning[scope]}
            </span>
          </label>
        ))}
      </fieldset>
      {create.isError && (
        <p className="wb-form-error" role="alert">
          {create.error.message}
        </p>
      )}
      <button type="submit" className="wb-button wb-button-primary" disabled={create.isPending || scopes.length === 0}>
        Make token
      </button>
    </form>
  );
}

function RevokeButton({ token }: { token: ApiToken }) {
  const client = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => callApi(api.revokeApiToken, { params: { id: token.id } }),
    onSuccess: () => client.invalidateQueries({ queryKey: tokensKey }),
  });
  return (
    <>
      <button
        type="button"
        className="wb-button"
        disabled={revoke.isPending}
        onClick={() => {
          if (window.confirm(`Revoke the token “${token.name}”? Deploys using it fail from now on.`)) revoke.mutate();
        }}
      >
        Revoke
      </button>
      {revoke.isError && (
        <span className="wb-form-error" role="alert">
          {revoke.error.message}
        </span>
      )}
    </>
  );
}

function stateOf(token: ApiToken): { label: string; live: boolean } {
  if (token.revokedAt)
    return { label: `revoked ${day(token.revokedAt)}${token.revokedBy ? ` by ${token.revokedBy}` : ''}`, live: false };
  if (Date.parse(token.expiresAt) <= Date.now()) return { label: `expired ${day(token.expiresAt)}`, live: false };
  return { label: `expires ${day(token.expiresAt)}`, live: true };
}

/** Admin: API tokens for CI and plugin teams (`workbench-plugin deploy --token`), each limited to its scopes. */
export function ApiTokensPage() {
  const tokens = useQuery({ queryKey: tokensKey, queryFn: () => callApi(api.listApiTokens, {}) });
  const [made, setMade] = useState<CreatedApiToken | undefined>();
  return (
    <div className="wb-page">
      <header className="wb-page-header">
        <h1>API tokens</h1>
        <p className="wb-muted">
          A token lets a script or CI job call only the routes its scopes name, acting as the admin who made it. Plugin
          teams deploy with <code>workbench-plugin deploy --server URL --token T</code>; what a new version asks for
          still waits for approval on the Plugins page. Only a hash of each token is stored.
        </p>
      </header>
      {made && <NewSecret key={made.id} token={made} onDone={() => setMade(undefined)} />}
      {tokens.isError && <div className="wb-plugin-error">Could not list the tokens: {tokens.error.message}</div>}
      <table className="wb-table" aria-label="API tokens">
        <thead>
          <tr>
            <th>Name</th>
            <th>Scopes</th>
            <th>Made</th>
            <th>Last used</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tokens.data?.tokens.length === 0 && (
            <tr>
              <td colSpan={6} className="wb-muted">
                No token yet.
              </td>
            </tr>
          )}
          {(tokens.data?.tokens ?? []).map((token) => {
            const state = stateOf(token);
            return (
              <tr key={token.id} className={state.live ? undefined : 'wb-token-dead'}>
                <td>
                  <strong>{token.name}</strong>
                </td>
                <td>
                  {token.scopes.map((s) => (
                    <code key={s}>{s}</code>
                  ))}
                </td>
                <td>
                  {day(token.createdAt)}
                  {token.createdBy && <span className="wb-muted"> by {token.createdBy}</span>}
                </td>
                <td>
                  {token.lastUsedAt ? (
                    new Date(token.lastUsedAt).toLocaleString()
                  ) : (
                    <span className="wb-muted">never</span>
                  )}
                </td>
                <td>{state.label}</td>
                <td>{state.live && <RevokeButton token={token} />}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <CreateTokenForm onCreated={setMade} />
    </div>
  );
}
