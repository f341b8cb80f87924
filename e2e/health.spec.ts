/**
 * Tensor health and checkpoint diff in the page: the NaN fixture's health check names the NaN
 * tensors and the negative exp_avg_sq; comparing the one-layer pair names exactly the changed
 * tensor. Values from the fixtures' expected.json (numpy's counts on the same tensors).
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chooseFolder, OWN_FIXTURES } from './helpers';

test('health check of a checkpoint with NaN in two tensors', async ({ page }) => {
  const e = JSON.parse(readFileSync(join(OWN_FIXTURES, 'health/nan_checkpoint/expected.json'), 'utf8')) as { tensors: Record<string, { nan: number }> };
  const withNaN = Object.entries(e.tensors).filter(([, t]) => t.nan > 0).map(([name]) => name);
  expect(withNaN.length).toBe(2);
  await page.goto('./');
  await chooseFolder(page, join(OWN_FIXTURES, 'health/nan_checkpoint'));
  await expect(page.getByTestId('status-card')).toHaveCount(1, { timeout: 30_000 });
  await page.getByText(/^Files \(/).click();
  await page.getByTestId('health-start').click();
  const findings = page.getByTestId('health-findings');
  await expect(findings).toBeVisible({ timeout: 30_000 });
  for (const name of withNaN) await expect(findings).toContainText(name);
  await expect(findings).toContainText('exp_avg_sq');
});

test('compare two checkpoints: exactly the changed tensor is named', async ({ page }) => {
  const e = JSON.parse(readFileSync(join(OWN_FIXTURES, 'health/diff_one_layer/expected.json'), 'utf8')) as { changed: string[] };
  await page.goto('./');
  await chooseFolder(page, join(OWN_FIXTURES, 'health/diff_one_layer'));
  await expect(page.getByTestId('checkpoint-table').locator('tbody tr')).toHaveCount(2, { timeout: 30_000 });
  const select = page.getByTestId('diff-select');
  await select.selectOption({ index: 1 });
  await page.getByTestId('diff-start').click();
  const changed = page.getByTestId('diff-changed');
  await expect(changed).toBeVisible({ timeout: 30_000 });
  await expect(changed.locator('li')).toHaveText(e.changed.map((n) => new RegExp(n.replace(/\./g, '\\.'))));
});
