import { test as base, expect, type Page } from '@playwright/test';

/** The first admin the e2e servers create (see playwright.config.ts). */
export const ADMIN = { username: 'admin', password: 'e2e-admin-password' };
/** The demo workspace the browser tests use. */
export const WORKSPACE = 'jaffle-shop-classic';

/** The URL of a page inside the test workspace. */
export const inWorkspace = (path = '') => `/w/${WORKSPACE}${path ? `/${path.replace(/^\//, '')}` : ''}`;

/** Signs in through the API, as the sign-in form does, so the page's context holds the session cookie. */
export async function signInAs(page: Page, username: string, password: string): Promise<void> {
  const response = await page.request.post('/api/auth/login', { data: { username, password } });
  expect(response.status(), await response.text()).toBe(200);
}

/** Tests get a page already signed in as the admin. */
export const test = base.extend({
  page: async ({ page }, use) => {
    await signInAs(page, ADMIN.username, ADMIN.password);
    await use(page);
  },
});

export { expect };
