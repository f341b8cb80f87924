/**
 * Issue 4: a whole checkpoints folder at once. The table has one row per checkpoint with each
 * folder's expected.json values, the chart has the TensorBoard series with the right number of
 * points, and the findings name the lost end-of-epoch save and the interrupted-save leftovers.
 */
import { expect, test, type Page } from '@playwright/test';
import { cpSync, existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseFolder, dropPaths, OWN_FIXTURES, SHARED_FIXTURES } from './helpers';

interface CkptExpected {
  epoch: number;
  step: number;
  total_batches: number;
  progress_percent: number | null;
  epoch_complete: boolean;
  best_val_f1: number;
  best_val_acc: number;
  optimizer_steps: number | null;
}
interface RunExpected {
  checkpoints: string[];
  interrupted_save_leftovers: string[];
  tensorboard_scalars: Record<string, unknown>;
  finding: string;
}

/** Check a run folder's table, chart and findings against its expected.json; `give` hands the folder to the page. */
async function checkRun(page: Page, dir: string, give: (page: Page, dir: string) => Promise<void> = chooseFolder): Promise<void> {
  const run = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as RunExpected;
  await page.goto('./');
  await give(page, dir);
  const table = page.getByTestId('checkpoint-table');
  await expect(table.locator('tbody tr')).toHaveCount(run.checkpoints.length);
  for (const name of run.checkpoints) {
    const e = JSON.parse(readFileSync(join(dir, name, 'expected.json'), 'utf8')) as CkptExpected;
    const row = table.locator('tbody tr', { has: page.locator('td[data-col="name"]', { hasText: new RegExp(`^${name.replace('.', '\\.')}$`) }) });
    await expect(row.locator('td[data-col="epoch"]')).toHaveText(String(e.epoch));
    await expect(row.locator('td[data-col="step"]')).toHaveText(String(e.step));
    await expect(row.locator('td[data-col="totalBatches"]')).toHaveText(String(e.total_batches));
    await expect(row.locator('td[data-col="status"]')).toHaveText(e.epoch_complete ? 'complete' : 'incomplete');
    if (e.progress_percent !== null) await expect(row.locator('td[data-col="progress"]')).toHaveText(`${e.progress_percent.toFixed(1)}%`);
    await expect(row.locator('td[data-col="bestF1"]')).toHaveText(e.best_val_f1.toFixed(4));
    await expect(row.locator('td[data-col="bestAcc"]')).toHaveText(e.best_val_acc.toFixed(4));
    if (e.optimizer_steps !== null) await expect(row.locator('td[data-col="optimizerSteps"]')).toHaveText(String(e.optimizer_steps));
  }
  // chart: every TensorBoard tag with its number of points
  for (const [tag, value] of Object.entries(run.tensorboard_scalars)) {
    const tagName = tag.replace(/ points$/, '');
    const count = Array.isArray(value) ? value.length : (value as number);
    await expect(page.locator(`[data-testid="series-toggle"][data-series="${tagName} (TensorBoard)"]`)).toHaveAttribute('data-points', String(count));
  }
  // findings
  const findings = page.getByTestId('findings');
  await expect(findings.locator('[data-finding="lost-epoch-end"]')).toContainText(run.finding);
  for (const leftover of run.interrupted_save_leftovers) {
    await expect(findings.locator('[data-finding="leftover"]', { hasText: leftover.split(' ')[0] })).toHaveCount(1);
  }
}

test('own run folder: table, chart and findings', async ({ page }) => {
  await checkRun(page, join(OWN_FIXTURES, 'enstack_run'));
  // the chart is drawn once it comes into view: one line per ticked series
  const chart = page.getByTestId('history-chart');
  await chart.locator('.chart-box').scrollIntoViewIfNeeded();
  const ticked = await chart.locator('input[type=checkbox]:checked').count();
  expect(ticked).toBeGreaterThan(0);
  await expect(chart.locator('path.recharts-line-curve')).toHaveCount(ticked);
  await expect(chart.getByTestId('chart-placeholder')).toHaveCount(0);
});

test('own run folder dragged onto the page (not chosen): the same table, chart and findings', async ({ page }) => {
  await checkRun(page, join(OWN_FIXTURES, 'enstack_run'), (p, dir) => dropPaths(p, [dir]));
});

test('own run folder dragged onto a page without File System Access handles (as Firefox and Safari): listed through entries, the same results', async ({ page }) => {
  await page.addInitScript(() => {
    delete (DataTransferItem.prototype as { getAsFileSystemHandle?: unknown }).getAsFileSystemHandle;
  });
  await checkRun(page, join(OWN_FIXTURES, 'enstack_run'), (p, dir) => dropPaths(p, [dir]));
  expect(await page.evaluate(() => 'getAsFileSystemHandle' in DataTransferItem.prototype)).toBe(false);
});

test('shared run folder: table, chart and findings', async ({ page }) => {
  test.skip(!existsSync(join(SHARED_FIXTURES, 'enstack_run')), '../shared/fixtures is not present');
  await checkRun(page, join(SHARED_FIXTURES, 'enstack_run'));
});

test('rows sort by column, filter by text, and open with the keyboard', async ({ page }) => {
  await page.goto('./');
  await chooseFolder(page, join(OWN_FIXTURES, 'enstack_run'));
  const table = page.getByTestId('checkpoint-table');
  await expect(table.locator('tbody tr')).toHaveCount(5);
  await table.getByRole('button', { name: 'Step', exact: true }).click();
  const steps = await table.locator('td[data-col="step"]').allTextContents();
  expect(steps.map(Number)).toEqual([...steps.map(Number)].sort((a, b) => a - b));
  await table.getByRole('button', { name: 'Step', exact: true }).click();
  const desc = await table.locator('td[data-col="step"]').allTextContents();
  expect(desc.map(Number)).toEqual([...desc.map(Number)].sort((a, b) => b - a));
  await page.getByLabel('Filter checkpoints').fill('recovery');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await page.getByLabel('Filter checkpoints').fill('');
  await table.locator('tbody tr').first().focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const second = await table.locator('tbody tr').nth(1).locator('td[data-col="name"]').textContent();
  await expect(page.locator(`[data-testid="status-card"][data-checkpoint$="${second}"]`)).toBeVisible();
});

test('100 checkpoint folders fill the table', async ({ page }) => {
  const root = join(mkdtempSync(join(tmpdir(), 'ckptview-100-')), 'checkpoints');
  for (let i = 0; i < 100; i++) cpSync(join(OWN_FIXTURES, 'enstack', 'last_checkpoint'), join(root, `checkpoint_${String(i).padStart(3, '0')}`), { recursive: true });
  await page.goto('./');
  await chooseFolder(page, root);
  const table = page.getByTestId('checkpoint-table');
  await expect(table.locator('tbody tr')).toHaveCount(100, { timeout: 30_000 });
  await expect(table.locator('td[data-col="status"]', { hasText: 'reading' })).toHaveCount(0, { timeout: 30_000 });
  // the page stayed responsive: it still answers input while and after reading
  await page.getByLabel('Filter checkpoints').fill('checkpoint_099');
  await expect(table.locator('tbody tr')).toHaveCount(1);
});

test('two folders and a file dragged together: one row each, read as when chosen', async ({ page, context }) => {
  const folders = [join(OWN_FIXTURES, 'enstack', 'last_checkpoint'), join(OWN_FIXTURES, 'enstack', 'best_model')];
  const file = join(OWN_FIXTURES, 'generic_plain', 'epoch_in_name', 'epoch_5.pth');
  await page.goto('./');
  await dropPaths(page, [...folders, file]);
  const table = page.getByTestId('checkpoint-table');
  await expect(page.locator('#table-title')).toContainText('(3 of 3)');
  await expect(table.locator('tbody tr')).toHaveCount(3);
  const last = JSON.parse(readFileSync(join(folders[0], 'expected.json'), 'utf8')) as CkptExpected;
  await expect(table.locator('tr[data-row="last_checkpoint"] td[data-col="epoch"]')).toHaveText(String(last.epoch));
  await expect(table.locator('tr[data-row="last_checkpoint"] td[data-col="step"]')).toHaveText(String(last.step));
  await expect(page.getByTestId('open-problems')).toHaveCount(0);
  // the same three given through the pickers: every row reads the same
  const chosen = await context.newPage();
  await chosen.goto('./');
  for (const f of folders) await chooseFolder(chosen, f);
  await chosen.getByTestId('files-input').setInputFiles(file);
  await expect(chosen.locator('#table-title')).toContainText('(3 of 3)');
  for (const id of ['last_checkpoint', 'best_model', 'epoch_5.pth']) {
    const text = ((await chosen.getByTestId('checkpoint-table').locator(`tr[data-row="${id}"]`).textContent()) ?? '').trim();
    expect(text.length).toBeGreaterThan(id.length);
    await expect(table.locator(`tr[data-row="${id}"]`)).toHaveText(text);
  }
});

test('a dropped link to a file is read; what cannot be opened is listed, kept across drops until dismissed', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'ckptview-links-'));
  symlinkSync(join(OWN_FIXTURES, 'generic_plain', 'epoch_in_name', 'epoch_5.pth'), join(dir, 'to_file.pth'));
  symlinkSync(join(dir, 'nowhere', 'gone.pth'), join(dir, 'dangling.pth'));
  await page.goto('./');
  await dropPaths(page, [join(dir, 'to_file.pth'), join(dir, 'dangling.pth'), join(OWN_FIXTURES, 'enstack', 'best_model')]);
  const table = page.getByTestId('checkpoint-table');
  await expect(page.locator('#table-title')).toContainText('(2 of 2)');
  // the link's target, read through the plain File the drop carries (Chromium's handle and entry refuse links)
  await expect(table.locator('tr[data-row="to_file.pth"] td[data-col="status"]')).not.toHaveText(/unreadable|reading/);
  const problems = page.getByTestId('open-problems');
  await expect(problems).toContainText('dangling.pth');
  await expect(problems).toContainText('symbolic link');
  // a later drop adds its rows and leaves the list; Dismiss removes it
  await dropPaths(page, [join(OWN_FIXTURES, 'enstack', 'last_checkpoint')]);
  await expect(page.locator('#table-title')).toContainText('(3 of 3)');
  await expect(problems).toContainText('dangling.pth');
  await problems.getByRole('button', { name: 'Dismiss' }).click();
  await expect(problems).toHaveCount(0);
});

test('more drops add to the set; a checkpoint can be removed; clear all', async ({ page }) => {
  await page.goto('./');
  await chooseFolder(page, join(OWN_FIXTURES, 'enstack', 'last_checkpoint'));
  await chooseFolder(page, join(OWN_FIXTURES, 'enstack', 'best_model'));
  const table = page.getByTestId('checkpoint-table');
  await expect(table.locator('tbody tr')).toHaveCount(2);
  await page.getByRole('button', { name: 'Remove best_model' }).click();
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await page.getByRole('button', { name: 'Clear all' }).click();
  await expect(page.getByText('Drop a checkpoint folder anywhere on this page')).toBeVisible();
});

test('300 checkpoint folders: only the rows in view are in the page; the keyboard still reaches the last one', async ({ page }) => {
  test.setTimeout(180_000);
  const root = join(mkdtempSync(join(tmpdir(), 'ckptview-300-')), 'checkpoints');
  for (let i = 0; i < 300; i++) cpSync(join(OWN_FIXTURES, 'enstack', 'last_checkpoint'), join(root, `checkpoint_${String(i).padStart(3, '0')}`), { recursive: true });
  await page.goto('./');
  await chooseFolder(page, root);
  const table = page.getByTestId('checkpoint-table');
  await expect(page.locator('#table-title')).toContainText('(300 of 300)', { timeout: 60_000 });
  await expect(table).toHaveAttribute('aria-rowcount', '301');
  const inDom = await table.locator('tbody tr[data-row]').count();
  expect(inDom).toBeGreaterThan(5);
  expect(inDom).toBeLessThan(80);
  await table.locator('tbody tr[tabindex="0"]').focus();
  await page.keyboard.press('End');
  await expect(table.locator('tbody tr[data-row="checkpoints/checkpoint_299"]')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-testid="status-card"][data-checkpoint="checkpoints/checkpoint_299"]')).toBeVisible();
  // and back to the top: the scroller is scrolled to 0 again
  await table.locator('tbody tr[data-row="checkpoints/checkpoint_299"]').focus();
  await page.keyboard.press('Home');
  await expect(table.locator('tbody tr[data-row="checkpoints/checkpoint_000"]')).toBeFocused();
  expect(await page.locator('.table-wrap.virtual').evaluate((el) => el.scrollTop)).toBe(0);
  // the row in the Tab order scrolled away with the mouse: Tab from the filter box still lands in the table
  const scroller = page.locator('.table-wrap.virtual');
  await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
  const scrolled = await scroller.evaluate((el) => el.scrollTop);
  await expect(table.locator('tbody tr[data-row="checkpoints/checkpoint_000"]')).toHaveCount(0);
  await page.getByLabel('Filter checkpoints').focus();
  // past the column headers' sort buttons
  const headers = await table.locator('thead button').count();
  for (let i = 0; i <= headers; i++) await page.keyboard.press('Tab');
  await expect(table.locator('tbody tr:focus')).toHaveCount(1);
  // a row in view, not one rendered above it: the table does not jump back
  expect(Math.abs((await scroller.evaluate((el) => el.scrollTop)) - scrolled)).toBeLessThan(40);
});
