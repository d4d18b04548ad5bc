/** Tells whether this page's Content-Security-Policy refused a URL's origin. */
export type PolicyRefusals = (url: string) => Promise<boolean>;

/**
 * Starts collecting the origins this page's Content-Security-Policy refuses, as the browser reports them. The
 * policy is fixed when the page loads (server/http/security-headers.ts allows the remote origins approved by
 * then), so a remote on an origin approved later is refused in this page until it is reloaded. The check waits a
 * moment, for the browser's report of a load that just failed.
 */
export function watchPolicyRefusals(): PolicyRefusals {
  const refused = new Set<string>();
  document.addEventListener('securitypolicyviolation', (event) => {
    if (URL.canParse(event.blockedURI)) refused.add(new URL(event.blockedURI).origin);
  });
  return async (url) => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return refused.has(new URL(url).origin);
  };
}
