import { test as base } from '@playwright/test';
import { ADMIN, expect, inWorkspace, signInAs, WORKSPACE } from './fixtures.ts';

base('signing in with the form opens the workspace; a wrong password says so', async ({ page }) => {
  await page.goto(inWorkspace());
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong username or password');

  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${WORKSPACE}$`));
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto(inWorkspace());
  await expect(page).toHaveURL(/\/login\?next=/);
});

base('a viewer sees their workspace but not the admin pages or other workspaces', async ({ page }) => {
  await signInAs(page, ADMIN.username, ADMIN.password);
  const username = `viewer-${Date.now()}`;
  const created = await page.request.post('/api/users', {
    data: { username, password: 'viewer-password-1', roles: { [WORKSPACE]: 'viewer' } },
  });
  expect(created.status()).toBe(201);
  await page.context().clearCookies();
  await signInAs(page, username, 'viewer-password-1');

  await page.goto('/');
  await expect(page).toHaveURL(new RegExp(`/w/${WORKSPACE}$`));
  await expect(page.getByRole('link', { name: 'Plugins' })).toHaveCount(0);
  await expect(page.getByLabel('Workspace').locator('option')).toHaveCount(1);

  await page.goto('/admin/plugins');
  await expect(page.getByTestId('forbidden')).toContainText('Admins only');
  expect((await page.request.get('/api/plugins')).status()).toBe(403);

  await page.goto('/w/jaffle-shop');
  await expect(page.getByTestId('not-found')).toContainText('No workspace named "jaffle-shop"');
  expect((await page.request.get('/api/workspaces/jaffle-shop/extensions')).status()).toBe(404);
});
