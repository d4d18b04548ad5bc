import { expect, inWorkspace, test } from './fixtures.ts';

test('SQL workspace: run a query with the keyboard, see an error, save a query and open it after a reload', async ({
  page,
}) => {
  await page.goto(inWorkspace());
  await page.getByRole('link', { name: 'SQL', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${inWorkspace('sql')}$`));
  await expect(page.getByRole('heading', { name: 'SQL', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'raw_customers', exact: true })).toBeVisible();

  const editor = page.getByRole('textbox', { name: 'SQL editor' });
  await editor.click();
  await page.keyboard.type('select id, first_name from raw_customers order by id');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('sql-summary')).toContainText('100 rows');
  const results = page.getByRole('region', { name: 'Query results' });
  await expect(results.getByRole('columnheader', { name: /first_name/ })).toContainText('VARCHAR');
  await expect(results.getByRole('row').nth(1)).toContainText('Michael');

  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('selec 1');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('sql-error')).toContainText('syntax error at or near "selec"');
  await expect(results).toHaveCount(0);

  const name = `Customer count ${Date.now()}`;
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('select count(*) as customers from raw_customers');
  await page.getByRole('button', { name: 'Save as…' }).click();
  await page.getByLabel('Name of the saved query').fill(name);
  await page.getByRole('form', { name: 'Save query as' }).getByRole('button', { name: 'Save' }).click();
  const saved = page.getByRole('list', { name: 'Saved queries' });
  await expect(saved.getByRole('button', { name, exact: true })).toBeVisible();

  await page.reload();
  await expect(editor).not.toContainText('count(*)');
  await saved.getByRole('button', { name, exact: true }).click();
  await expect(editor).toContainText('select count(*) as customers from raw_customers');
  await expect(page.getByTestId('sql-opened')).toContainText(name);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('sql-summary')).toContainText('1 row');
  await expect(results.getByRole('cell', { name: '100', exact: true })).toBeVisible();
});
