import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures.ts';

// The admin's control of a plugin's UI trust level, on its card: plain words, a confirmation before in-page, the
// choice audited with what it was before.

const PLUGIN = 'sql-tips';

async function levelOf(request: APIRequestContext): Promise<string> {
  return ((await (await request.get(`/api/plugins/${PLUGIN}`)).json()) as { uiTrust: string }).uiTrust;
}

test('an admin moves a plugin to in page only after confirming what it means, and back in one click', async ({
  page,
}) => {
  await page.goto('/admin/plugins');
  const control = page.locator(`[data-testid="plugin-card"][data-plugin="${PLUGIN}"]`).getByTestId('ui-trust');
  const isolated = control.getByRole('radio', { name: /Isolated \(recommended\)/ });
  const inPage = control.getByRole('radio', { name: /In page/ });
  await expect(isolated).toBeChecked();
  await expect(control).toContainText('reach only what the plugin was approved for');
  await expect(control).toContainText("each user's full rights");

  try {
    // Changing one's mind leaves it isolated: nothing was sent.
    await inPage.check();
    const confirm = control.getByRole('alertdialog');
    await expect(confirm).toContainText('act as themselves, with all their rights, admin actions included');
    await confirm.getByRole('button', { name: 'Keep isolated' }).click();
    await expect(confirm).toHaveCount(0);
    await expect(isolated).toBeChecked();
    expect(await levelOf(page.request)).toBe('isolated');

    await inPage.check();
    await control.getByRole('button', { name: 'Run in page' }).click();
    await expect.poll(() => levelOf(page.request)).toBe('in-page');
    await expect(inPage).toBeChecked();
    await expect(control.getByRole('alertdialog')).toHaveCount(0);
    const audit = (await (await page.request.get(`/api/audit?target=${PLUGIN}&limit=50`)).json()) as {
      entries: { action: string; details?: unknown }[];
    };
    expect(audit.entries.find((e) => e.action === 'plugin.ui-trust')?.details).toEqual({
      from: 'isolated',
      to: 'in-page',
    });

    // Back to isolated needs no confirmation.
    await isolated.check();
    await expect.poll(() => levelOf(page.request)).toBe('isolated');
    await expect(isolated).toBeChecked();
  } finally {
    await page.request.put(`/api/plugins/${PLUGIN}/ui-trust`, { data: { level: 'isolated' } });
  }
});
