import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useMe } from './session.ts';

/** Renders its children for a signed-in user; otherwise sends them to sign in and back. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <div className="wb-loading wb-page-loading">Loading…</div>;
  if (me.isError) return <div className="wb-plugin-error">Could not reach the server: {me.error.message}</div>;
  if (!me.data)
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}
