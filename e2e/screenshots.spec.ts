/**
 * Screenshots of the main views for the README (written to test-results/screens/; copy them to
 * docs/ when the views change). They also serve as a smoke test of the views with the sample.
 */
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { chooseFolder, OWN_FIXTURES } from './helpers';

test('status and repair views', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('./');
  await page.screenshot({ path: 'test-results/screens/empty.png' });
  await chooseFolder(page, join(OWN_FIXTURES, 'enstack', 'last_checkpoint'));
  const card = page.locator('[data-checkpoint="last_checkpoint"]');
  await card.getByTestId('repair-button').click();
  await expect(card.getByTestId('repair-done')).toBeVisible();
  await card.screenshot({ path: 'test-results/screens/repair.png' });
});

test('a whole run folder: findings, chart, table', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto('./');
  await chooseFolder(page, join(OWN_FIXTURES, 'enstack_run'));
  await expect(page.getByTestId('finding').first()).toBeVisible();
  await expect(page.getByTestId('series-toggle').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/run.png', fullPage: true });
});

test('framework and safety views', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto('./');
  await chooseFolder(page, join(OWN_FIXTURES, 'hf_trainer', 'checkpoint-700'));
  await expect(page.getByTestId('hf-details')).toBeVisible();
  await page.getByTestId('status-card').screenshot({ path: 'test-results/screens/hf.png' });
  await page.getByRole('button', { name: 'Clear all' }).click();
  await page.getByTestId('files-input').setInputFiles(join(OWN_FIXTURES, 'bad', 'malicious_os_system.pth'));
  await expect(page.getByTestId('danger-banner')).toBeVisible();
  await page.getByTestId('status-card').screenshot({ path: 'test-results/screens/dangerous.png' });
});
