/**
 * Issue 16: where the browser has no `showDirectoryPicker` (Firefox, Safari), the live-folder
 * button is not offered and one line says why; the other entry points stay.
 */
import { expect, test } from '@playwright/test';

test('without showDirectoryPicker the live folder is replaced by a short explanation', async ({ page }) => {
  await page.addInitScript(() => {
    delete (window as unknown as Record<string, unknown>).showDirectoryPicker;
  });
  await page.goto('./');
  await expect(page.getByRole('button', { name: 'Try a sample' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Open live folder' })).toHaveCount(0);
  await expect(page.getByTestId('live-unavailable')).toHaveText(
    'Live folder (re-read a folder while training writes it) needs a Chromium-based browser; here, choose the folder again to see new checkpoints.',
  );
});

test('with showDirectoryPicker the button is offered and no explanation shown', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByRole('button', { name: 'Open live folder' })).toBeVisible();
  await expect(page.getByTestId('live-unavailable')).toHaveCount(0);
});
