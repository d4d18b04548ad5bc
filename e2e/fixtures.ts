import { test as base, expect, type FrameLocator, type Locator, type Page } from '@playwright/test';

/** The first admin the e2e servers create (see playwright.config.ts). */
export const ADMIN = { username: 'admin', password: 'e2e-admin-password' };
/** The demo workspace the browser tests use. */
export const WORKSPACE = 'jaffle-shop-classic';

/** The URL of a page inside the test workspace. */
export const inWorkspace = (path = '') => `/w/${WORKSPACE}${path ? `/${path.replace(/^\//, '')}` : ''}`;

/**
 * What `plugin` renders within `scope`. Plugin UI runs isolated by default: each contribution is a sandboxed frame
 * (`iframe[data-plugin]`) that locators do not pierce, so its content is reached through the frame. Slot titles,
 * "from <plugin>" footers and error cards stay in the page. For `toContainText` on all of it, use `.locator('body')`.
 */
export const pluginContent = (scope: Page | Locator, plugin: string): FrameLocator =>
  scope.locator(`iframe[data-testid="plugin-frame"][data-plugin="${plugin}"]`).contentFrame();

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
