/**
 * Issue 7: axe-core finds no serious or critical accessibility violations on the main views
 * (empty page, a run folder with table, findings and chart, a detail view with repair, a dangerous
 * file), in light and dark colour schemes; every control is reachable by keyboard.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { chooseFolder, OWN_FIXTURES } from './helpers';

async function seriousViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`main views have no serious violations (${scheme})`, async ({ page }) => {
    // four full-page axe runs: about 30 s on a quiet 2-core machine, twice that under load
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('./');
    expect(await seriousViolations(page)).toEqual([]);
    await chooseFolder(page, join(OWN_FIXTURES, 'enstack_run'));
    await expect(page.getByTestId('checkpoint-table').locator('tbody tr')).toHaveCount(5);
    await expect(page.getByTestId('checkpoint-table').locator('td[data-col="status"]', { hasText: 'reading' })).toHaveCount(0);
    await expect(page.getByTestId('series-toggle').first()).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    const card = page.getByTestId('status-card');
    await card.getByTestId('repair-button').click();
    await expect(card.getByTestId('repair-done')).toBeVisible();
    await card.getByText('Contents (every key and value').click();
    await card.getByText('Safety: will torch.load').click();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Clear all' }).click();
    await page.getByTestId('files-input').setInputFiles(join(OWN_FIXTURES, 'bad', 'malicious_os_system.pth'));
    await expect(page.getByTestId('danger-banner')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
}

test('controls are reachable with the keyboard', async ({ page }) => {
  await page.goto('./');
  const seen: string[] = [];
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    seen.push(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ''));
  }
  expect(seen).toEqual(expect.arrayContaining(['Choose folder', 'Choose files', 'Try a sample']));
  // Enter on the focused "Try a sample" loads the sample
  await page.getByRole('button', { name: 'Try a sample' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('checkpoint-table').locator('tbody tr').first()).toBeVisible();
});
