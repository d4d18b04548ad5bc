import { useNotifications } from './notifications.ts';
import './notifications.css';

/** The corner where notifications appear; announced to screen readers as they arrive. */
export function Notifications() {
  const items = useNotifications((s) => s.items);
  const dismiss = useNotifications((s) => s.dismiss);
  return (
    <div className="wb-notifications" aria-live="polite">
      {items.map((n) => (
        <div
          key={n.id}
          className={`wb-notification wb-notification-${n.tone}`}
          role="status"
          data-testid="notification"
        >
          <div>
            <p>{n.message}</p>
            {n.source && <p className="wb-notification-source">from {n.source}</p>}
          </div>
          <button type="button" className="wb-link-button" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
