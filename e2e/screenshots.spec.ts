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
