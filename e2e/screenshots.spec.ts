/**
 * Screenshots of the main views, for the README: `SCREENSHOT_DIR=docs npx playwright test
 * e2e/screenshots.spec.ts` refreshes docs/*.png; by default they go to test-results/screens/.
 * They double as a smoke test of each view.
 */
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { chooseFolder, OWN_FIXTURES } from './helpers';

const DIR = process.env.SCREENSHOT_DIR ?? 'test-results/screens';

test('empty page', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 640 });
  await page.goto('./');
  // the empty page offers every way in
  await expect(page.getByRole('button', { name: /Try a sample/i })).toBeVisible();
  await expect(page.getByRole('button', { name: /Choose folder/i })).toBeVisible();
  await expect(page.getByRole('button', { name: /Choose files/i })).toBeVisible();
  await page.screenshot({ path: join(DIR, 'empty.png') });
});

test('a whole run folder: findings, chart, table, detail view', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto('./');
  await chooseFolder(page, join(OWN_FIXTURES, 'enstack_run'));
  await expect(page.getByTestId('checkpoint-table').locator('tbody tr')).toHaveCount(5);
  await expect(page.getByTestId('checkpoint-table').locator('td[data-col="status"]', { hasText: 'reading' })).toHaveCount(0);
  await expect(page.getByTestId('finding').first()).toBeVisible();
  await expect(page.getByTestId('series-toggle').first()).toBeVisible();
  // the chart is drawn when it comes into view, as when a person scrolls down to it
  await page.getByTestId('history-chart').locator('.chart-box').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('history-chart').locator('path.recharts-line-curve').first()).toBeVisible();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(DIR, 'run-folder.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(DIR, 'run-folder-dark.png'), fullPage: false });
});

test('repair', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('./');
  await chooseFolder(page, join(OWN_FIXTURES, 'enstack', 'last_checkpoint'));
  const card = page.getByTestId('status-card');
  await card.getByTestId('repair-button').click();
  await expect(card.getByTestId('repair-done')).toBeVisible();
  await card.screenshot({ path: join(DIR, 'repair.png') });
});

test('framework and safety views', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto('./');
  await chooseFolder(page, join(OWN_FIXTURES, 'hf_trainer', 'checkpoint-700'));
  await expect(page.getByTestId('hf-details')).toBeVisible();
  await page.getByTestId('status-card').screenshot({ path: join(DIR, 'hf-trainer.png') });
  await page.getByRole('button', { name: 'Clear all' }).click();
  await page.getByTestId('files-input').setInputFiles(join(OWN_FIXTURES, 'bad', 'malicious_os_system.pth'));
  await expect(page.getByTestId('danger-banner')).toBeVisible();
  await page.getByTestId('status-card').screenshot({ path: join(DIR, 'dangerous.png') });
});
