import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import * as api from '../../shared/http/signing-keys.ts';
import { callApi } from '../api/client.ts';
import { queryKeys } from '../api/queries.ts';
import './signing-keys.css';

const keysKey = ['admin', 'signing-keys'] as const;

function AddKeyForm() {
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [publicKey, setPublicKey] = useState('');
  const add = useMutation({
    mutationFn: () => callApi(api.addSigningKey, { body: { name, publicKey } }),
    onSuccess: () => {
      setName('');
      setPublicKey('');
      return Promise.all([
        client.invalidateQueries({ queryKey: keysKey }),
        client.invalidateQueries({ queryKey: queryKeys.plugins }),
      ]);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <form className="wb-card wb-form wb-keys-form" onSubmit={submit} aria-label="Trust a key">
      <h2 className="wb-card-title">Trust a key</h2>
      <div className="wb-form-row">
        <label>
          Name (who holds the private key)
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </label>
      </div>
      <label className="wb-keys-textarea">
        ed25519 public key (PEM, or base64)
        <textarea
          value={publicKey}
          onChange={(e) => setPublicKey(e.target.value)}
          required
          rows={4}
          spellCheck={false}
          placeholder={'-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----'}
        />
      </label>
      {add.isError && (
        <p className="wb-form-error" role="alert">
          {add.error.message}
        </p>
      )}
      <button type="submit" className="wb-button wb-button-primary" disabled={add.isPending}>
        Trust this key
      </button>
    </form>
  );
}

function RemoveButton({ keyId }: { keyId: string }) {
  const client = useQueryClient();
  const remove = useMutation({
    mutationFn: () => callApi(api.removeSigningKey, { params: { id: keyId } }),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: keysKey }),
        client.invalidateQueries({ queryKey: queryKeys.plugins }),
      ]),
  });
  return (
    <>
      <button
        type="button"
        className="wb-button"
        disabled={remove.isPending}
        onClick={() => {
          if (window.confirm(`Stop trusting key ${keyId}? Plugins it signed stop at once.`)) remove.mutate();
        }}
      >
        Remove
      </button>
      {remove.isError && (
        <span className="wb-form-error" role="alert">
          {remove.error.message}
        </span>
      )}
    </>
  );
}

/** Admin: the public keys plugin signatures are checked against (PLUGIN_SIGNATURES); changes apply at once. */
export function SigningKeysPage() {
  const keys = useQuery({ queryKey: keysKey, queryFn: () => callApi(api.listSigningKeys, {}) });
  return (
    <div className="wb-page">
      <header className="wb-page-header">
        <h1>Signing keys</h1>
        <p className="wb-muted">
          Plugins signed by these keys may run. A package signed by any other key, or changed after it was signed, is
          refused; an unsigned package runs unless the server requires signatures.
        </p>
      </header>
      {keys.isError && <div className="wb-plugin-error">Could not list the keys: {keys.error.message}</div>}
      <table className="wb-table" aria-label="Trusted signing keys">
        <thead>
          <tr>
            <th>Name</th>
            <th>Key id</th>
            <th>Added</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {keys.data?.keys.length === 0 && (
            <tr>
              <td colSpan={4} className="wb-muted">
                No key is trusted yet: signed plugins are refused until their key is added here.
              </td>
            </tr>
          )}
          {(keys.data?.keys ?? []).map((key) => (
            <tr key={key.keyId}>
              <td>
                <strong>{key.owner ?? '—'}</strong>
              </td>
              <td>
                <code>{key.keyId}</code>
              </td>
              <td>
                {key.source === 'setting' ? (
                  <span className="wb-muted">from PLUGIN_TRUSTED_KEYS</span>
                ) : (
                  <span>
                    {key.addedAt ? new Date(key.addedAt).toLocaleString() : ''}
                    {key.addedBy ? <span className="wb-muted"> by {key.addedBy}</span> : null}
                  </span>
                )}
              </td>
              <td>{key.source === 'admin' && <RemoveButton keyId={key.keyId} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <AddKeyForm />
    </div>
  );
}
