import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { test as base, type Browser, type Page } from '@playwright/test';
import { ADMIN, expect, signInAs, test } from './fixtures.ts';

const root = path.resolve(import.meta.dirname, '..');
/** Screenshots of the admin pages, looked at by whoever changes them. */
const screens = path.join(root, '.test-results', 'admin-pages');

/** A copy of the demo's jaffle shop project (its real dbt 1.x artifacts) in a folder of this test's own. */
function jaffleShopCopy(name: string): string {
  const folder = path.join(root, '.test-results', `e2e-projects-${Date.now()}`, name);
  cpSync(path.join(root, 'demo/workspaces/jaffle-shop'), folder, { recursive: true });
  return folder;
}

/** Signs in with the sign-in form, in a browser of its own, as a user would. */
async function userBrowser(browser: Browser, username: string, password: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
}

test('an admin adds a workspace from a dbt project folder, gives a user a role there, and the user sees its models', async ({
  page,
  browser,
}) => {
  // Several sign-ins (each a deliberate scrypt hash) and page loads on a shared machine.
  test.setTimeout(120_000);
  const name = `shop-${Date.now().toString(36)}`;
  const folder = jaffleShopCopy(name);
  const empty = path.join(path.dirname(folder), 'not-a-project');
  mkdirSync(empty);
  page.on('dialog', (dialog) => dialog.accept());
  try {
    await page.goto('/admin/workspaces');
    await expect(page.getByRole('heading', { name: 'Workspaces' })).toBeVisible();
    const form = page.getByRole('form', { name: 'Add a workspace' });
    await form.getByLabel('Name (in URLs)').fill(name);
    await form.getByLabel('Title').fill('Shop from the UI');
    await form.getByLabel('dbt project folder on the server').fill(empty);
    await form.getByRole('button', { name: 'Add workspace' }).click();
    await expect(form.getByRole('alert')).toContainText(
      `${empty} is not a dbt project: it holds neither dbt_project.yml nor target/manifest.json`,
    );

    await form.getByLabel('dbt project folder on the server').fill(folder);
    await form.getByRole('button', { name: 'Add workspace' }).click();
    await expect(form.getByRole('status')).toContainText('Added Shop from the UI; its dbt artifacts are loaded.');
    const row = page.getByTestId(`workspace-${name}`);
    await expect(row).toContainText('manifest found');
    await expect(row).toContainText('added here');
    await expect(page.getByLabel('Workspace').locator('option', { hasText: 'Shop from the UI' })).toHaveCount(1);
    mkdirSync(screens, { recursive: true });
    await page.screenshot({ path: path.join(screens, 'workspaces.png'), fullPage: true });

    // A new user, then a role in the new workspace from the Users page.
    const username = `shopper-${Date.now().toString(36)}`;
    await page.goto('/admin/users');
    const newUser = page.getByRole('form', { name: 'New user' });
    await newUser.getByLabel('Username').fill(username);
    await newUser.getByLabel('Password (10+ characters)').fill('shopper-password-1');
    await newUser.getByRole('button', { name: 'Create user' }).click();
    await expect(newUser.getByRole('status')).toContainText(`Created ${username}.`);
    await page.getByLabel(`${username}'s role in Shop from the UI`).selectOption('viewer');
    await expect(page.getByRole('status').filter({ hasText: `Saved ${username}'s workspace roles.` })).toBeVisible();

    const user = await userBrowser(browser, username, 'shopper-password-1');
    await expect(user).toHaveURL(new RegExp(`/w/${name}$`));
    await expect(user.getByLabel('Workspace').locator('option')).toHaveText(['Shop from the UI']);
    await user.goto(`/w/${name}/models`);
    await expect(user.getByRole('link', { name: 'customers', exact: true }).first()).toBeVisible();
    await user.context().close();

    // Rename from the page; then remove it: the folder stays on disk.
    await page.goto('/admin/workspaces');
    await page.getByTestId(`workspace-${name}`).getByRole('button', { name: 'Edit' }).click();
    await page
      .getByRole('form', { name: `Edit ${name}` })
      .getByLabel('Title')
      .fill('Shop, renamed');
    await page
      .getByRole('form', { name: `Edit ${name}` })
      .getByRole('button', { name: 'Save' })
      .click();
    await expect(page.getByTestId(`workspace-${name}`)).toContainText('Shop, renamed');
    await page.getByTestId(`workspace-${name}`).getByRole('button', { name: 'Remove' }).click();
    await expect(page.getByTestId(`workspace-${name}`)).toHaveCount(0);
    expect(existsSync(path.join(folder, 'target', 'manifest.json'))).toBe(true);
  } finally {
    // Other specs on this server count workspaces: never leave this one behind.
    await page.request.delete(`/api/workspaces/${name}`);
    rmSync(path.dirname(folder), { recursive: true, force: true });
  }
});

base(
  'an admin resets a password, deactivates and deletes a user; each ends their sessions',
  async ({ page, browser }) => {
    base.setTimeout(120_000);
    mkdirSync(screens, { recursive: true });
    await signInAs(page, ADMIN.username, ADMIN.password);
    page.on('dialog', (dialog) => dialog.accept());
    const username = `reset-${Date.now().toString(36)}`;
    const created = await page.request.post('/api/users', {
      data: { username, password: 'first-password-1', roles: { 'jaffle-shop-classic': 'developer' } },
    });
    expect(created.status()).toBe(201);
    const user = await userBrowser(browser, username, 'first-password-1');
    await expect(user).toHaveURL(/\/w\/jaffle-shop-classic$/);

    await page.goto('/admin/users');
    const row = page.getByTestId(`user-${username}`);
    await row.getByRole('button', { name: 'Reset password' }).click();
    await page.getByRole('button', { name: 'Generate one instead' }).click();
    const status = page.getByRole('status').filter({ hasText: `Set a new password for ${username}` });
    await expect(status).toContainText('their sessions ended');
    const generated = (await status.locator('code').textContent())!;
    expect(generated).toMatch(/^[\w-]{16}$/);
    await page.screenshot({ path: path.join(screens, 'users-password.png'), fullPage: true });

    await user.reload();
    await expect(user).toHaveURL(/\/login/);
    await user.getByLabel('Username').fill(username);
    await user.getByLabel('Password').fill(generated);
    await user.getByRole('button', { name: 'Sign in' }).click();
    await expect(user).toHaveURL(/\/w\/jaffle-shop-classic$/);

    await row.getByRole('button', { name: 'Deactivate' }).click();
    await expect(row).toContainText('deactivated');
    await expect(page.getByRole('status').filter({ hasText: `Deactivated ${username}` })).toBeVisible();
    await page.screenshot({ path: path.join(screens, 'users-deactivated.png'), fullPage: true });
    await user.reload();
    await expect(user).toHaveURL(/\/login/);
    await user.getByLabel('Username').fill(username);
    await user.getByLabel('Password').fill(generated);
    await user.getByRole('button', { name: 'Sign in' }).click();
    await expect(user.getByRole('alert')).toContainText('This account is deactivated; ask an admin to reactivate it');

    // The admin's own row: no deactivate or delete, and the last instance admin cannot be demoted.
    const mine = page.getByTestId(`user-${ADMIN.username}`);
    await expect(mine.getByRole('button', { name: 'Deactivate' })).toHaveCount(0);
    await mine.getByRole('button', { name: 'Remove instance admin' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'last active instance admin' })).toContainText(
      'admin is the last active instance admin and cannot be demoted',
    );

    await row.getByRole('button', { name: 'Delete' }).click();
    await expect(row).toHaveCount(0);
    await user.context().close();
  },
);
