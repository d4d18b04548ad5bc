import { Link, useLocation } from 'react-router';

export function NotFoundPage({ what }: { what?: string }) {
  const { pathname } = useLocation();
  return (
    <div className="wb-empty wb-page-empty" data-testid="not-found">
      <h1>Page not found</h1>
      <p>
        {what ?? (
          <>
            Nothing lives at <code>{pathname}</code>.
          </>
        )}
      </p>
      <Link to="/">Go to your first workspace</Link>
    </div>
  );
}
