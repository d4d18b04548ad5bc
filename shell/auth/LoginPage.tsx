import { useState, type FormEvent } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { useMe, useSignIn } from './session.ts';

/** Sign-in form; after signing in, goes back where the user was headed. */
export function LoginPage() {
  const [params] = useSearchParams();
  const next = params.get('next') ?? '/';
  const me = useMe();
  const signIn = useSignIn();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  if (me.data) return <Navigate to={next.startsWith('/') ? next : '/'} replace />;

  function submit(event: FormEvent) {
    event.preventDefault();
    signIn.mutate({ username, password });
  }

  return (
    <div className="wb-login">
      <form className="wb-card wb-login-card" onSubmit={submit}>
        <div className="wb-brand wb-brand-dark">
          <span className="wb-brand-mark" aria-hidden="true" />
          dbt-Workbench
        </div>
        <h1>Sign in</h1>
        <label>
          Username
          <input
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
            autoFocus
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {signIn.isError && (
          <p className="wb-form-error" role="alert">
            {signIn.error.message}
          </p>
        )}
        <button type="submit" className="wb-button wb-button-primary" disabled={signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
