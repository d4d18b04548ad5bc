import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { AdminNotice } from '../../shared/plugin-budgets.schema.ts';
import { dismissNotice, listNotices } from '../../shared/http/notices.ts';
import { callApi } from '../api/client.ts';
import { useMe } from '../auth/session.ts';
import { noticesQueryKey } from './queries.ts';
import './notices.css';

function Notice({ notice }: { notice: AdminNotice }) {
  const client = useQueryClient();
  const dismiss = useMutation({
    mutationFn: () => callApi(dismissNotice, { params: { id: notice.id } }),
    onSettled: () => client.invalidateQueries({ queryKey: noticesQueryKey }),
  });
  const severity = notice.kind === 'plugin-auto-disabled' ? 'wb-notice-bad' : 'wb-notice-warn';
  return (
    <div className={`wb-notice ${severity}`} role="alert" data-testid="admin-notice" data-plugin={notice.plugin}>
      <span className="wb-notice-icon" aria-hidden="true">
        !
      </span>
      <p className="wb-notice-message">
        {notice.message}{' '}
        <time className="wb-muted" dateTime={notice.at}>
          {new Date(notice.at).toLocaleString()}
        </time>
      </p>
      <div className="wb-notice-actions">
        {notice.plugin && (
          <Link className="wb-button" to={`/admin/plugins/${encodeURIComponent(notice.plugin)}`}>
            Open diagnostics
          </Link>
        )}
        <button type="button" className="wb-button" disabled={dismiss.isPending} onClick={() => dismiss.mutate()}>
          Dismiss
        </button>
      </div>
      {dismiss.isError && <p className="wb-form-error">Could not dismiss: {dismiss.error.message}</p>}
    </div>
  );
}

/**
 * Notices to instance admins (a plugin disabled automatically, or over budget), above every page until one of
 * them dismisses it. Shown to instance admins only; new ones arrive with server events, without a reload.
 */
export function AdminNotices() {
  const isAdmin = Boolean(useMe().data?.user.isInstanceAdmin);
  const notices = useQuery({
    queryKey: noticesQueryKey,
    queryFn: () => callApi(listNotices, {}),
    enabled: isAdmin,
  });
  const list = isAdmin ? (notices.data?.notices ?? []) : [];
  if (list.length === 0) return null;
  return (
    <section className="wb-notices" aria-label="Notices to admins">
      {list.map((notice) => (
        <Notice key={notice.id} notice={notice} />
      ))}
    </section>
  );
}
