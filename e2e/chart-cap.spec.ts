import { expect, test } from '@playwright/test';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseFolder, OWN_FIXTURES } from './helpers';

// issue 15: a drop with hundreds of series draws at most 12 lines at first; the rest can be ticked on
test('many HF Trainer checkpoints: at most 12 lines drawn at first, the others can be ticked on', async ({ page }) => {
  test.setTimeout(120_000);
  const root = join(mkdtempSync(join(tmpdir(), 'ckptview-chart-')), 'runs');
  for (let r = 0; r < 3; r++) for (let i = 1; i <= 10; i++) cpSync(join(OWN_FIXTURES, 'hf_trainer', 'checkpoint-700'), join(root, `run_${r}`, `checkpoint-${i * 100}`), { recursive: true });
  await page.goto('./');
  await chooseFolder(page, root);
  await expect(page.locator('#table-title')).toContainText('(30 of 30)', { timeout: 60_000 });
  await expect(page.getByTestId('busy')).toHaveCount(0, { timeout: 60_000 });
  const chart = page.getByTestId('history-chart');
  const toggles = chart.getByTestId('series-toggle');
  expect(await toggles.count()).toBeGreaterThan(12);
  await expect(chart.locator('input[type=checkbox]:checked')).toHaveCount(12);
  await expect(chart.locator('path.recharts-line-curve')).toHaveCount(12);
  await expect(chart.getByTestId('series-not-drawn')).toContainText('more series not drawn');
  await chart.locator('input[type=checkbox]:not(:checked)').first().check();
  await expect(chart.locator('path.recharts-line-curve')).toHaveCount(13);
});
