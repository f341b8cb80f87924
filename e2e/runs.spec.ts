/**
 * Runs: a parent folder holding two EnStack runs and one Hugging Face run shows three verdicts,
 * each naming only its own checkpoints; the lost end-of-epoch save of one run is found; the table
 * says which run each checkpoint belongs to; the chart draws one series per run; the CLI prints the
 * same three verdicts. On a phone-sized window the verdict comes before the repair controls.
 */
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseFolder, OWN_FIXTURES, ROOT } from './helpers';

/** A parent folder with three runs, copied from the fixtures: `runs/a` (EnStack), `runs/b` (EnStack run folder), `runs/hf` (HF Trainer). */
function threeRuns(): string {
  const parent = join(mkdtempSync(join(tmpdir(), 'ckptview-runs-')), 'runs');
  cpSync(join(OWN_FIXTURES, 'enstack'), join(parent, 'a'), { recursive: true });
  cpSync(join(OWN_FIXTURES, 'enstack_run'), join(parent, 'b'), { recursive: true });
  cpSync(join(OWN_FIXTURES, 'hf_trainer'), join(parent, 'hf'), { recursive: true });
  return parent;
}

test('three runs, three verdicts, each naming only its own checkpoints', async ({ page }) => {
  const dir = threeRuns();
  await page.goto('./');
  await chooseFolder(page, dir);
  const table = page.getByTestId('checkpoint-table');
  await expect(table.locator('tbody tr')).toHaveCount(11, { timeout: 30_000 });
  await expect(table.locator('td[data-col="status"]', { hasText: 'reading' })).toHaveCount(0, { timeout: 30_000 });
  const verdicts = page.getByTestId('verdict');
  await expect(verdicts).toHaveCount(3);
  // run a: last_checkpoint epoch 2 step 1200, recovery_checkpoint (epoch 3 step 450) holds more training
  await expect(page.locator('[data-run="enstack@runs/a"] [data-testid="verdict-happens"]')).toHaveText('Resuming from last_checkpoint will continue epoch 2 from step 1200.');
  await expect(page.locator('[data-run="enstack@runs/a"] [data-testid="verdict-action"]')).toContainText('Resume from recovery_checkpoint (epoch 3 step 450)');
  await expect(page.locator('[data-run="enstack@runs/b"] [data-testid="verdict-happens"]')).toHaveText('Resuming from last_checkpoint will continue epoch 2 from step 800.');
  await expect(page.locator('[data-run="hf-trainer@runs/hf"] [data-testid="verdict-happens"]')).toContainText('Resuming from checkpoint-700 will');
  // each lost-save finding names checkpoints of its own run only
  const lost = page.locator('[data-finding="lost-epoch-end"]');
  await expect(lost).toHaveCount(2);
  // the Run column tells the two last_checkpoint rows apart
  await expect(table.locator('tr[data-row="runs/a/last_checkpoint"] td[data-col="run"]')).toHaveText('a');
  await expect(table.locator('tr[data-row="runs/b/last_checkpoint"] td[data-col="run"]')).toHaveText('b');
  // one Best F1 series per run
  await expect(page.getByTestId('series-toggle').filter({ hasText: /^Best F1 \(a\)/ })).toHaveCount(1);
  await expect(page.getByTestId('series-toggle').filter({ hasText: /^Best F1 \(b\)/ })).toHaveCount(1);
});

test('the CLI prints the same three verdicts', () => {
  const dir = threeRuns();
  const r = spawnSync('npx', ['--no', 'tsx', join(ROOT, 'src/cli/main.ts'), 'inspect', dir], { encoding: 'utf8', cwd: ROOT });
  expect(r.stdout).toContain('Runs (3)');
  expect(r.stdout).toContain('  [act] a (EnStack, 5 checkpoints)\n    now: Resuming from last_checkpoint will continue epoch 2 from step 1200.');
  expect(r.stdout).toContain('  [act] b (EnStack, 5 checkpoints)\n    now: Resuming from last_checkpoint will continue epoch 2 from step 800.');
  expect(r.stdout).toMatch(/\[ok\] hf \(HF Trainer, 1 checkpoint\)\n {4}now: Resuming from checkpoint-700 will/);
});

test('on a phone the verdict comes before the repair controls', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('./');
  await chooseFolder(page, join(OWN_FIXTURES, 'enstack_run'));
  const verdict = page.getByTestId('verdict').first();
  await expect(verdict).toBeVisible();
  const repair = page.getByTestId('repair-button');
  await expect(repair).toBeVisible();
  const v = await verdict.boundingBox();
  const b = await repair.boundingBox();
  expect(v && b && v.y < b.y).toBe(true);
  // the repair preview says the repair is the second choice here
  await expect(page.getByTestId('repair-second-choice')).toContainText('Resume from recovery_checkpoint');
});

test('the table is one Tab stop; arrows move inside it and Enter opens a row', async ({ page }) => {
  await page.goto('./');
  await chooseFolder(page, join(OWN_FIXTURES, 'enstack_run'));
  const rows = page.getByTestId('checkpoint-table').locator('tbody tr');
  await expect(rows).toHaveCount(5, { timeout: 30_000 });
  // exactly one row is in the Tab order
  await expect(page.getByTestId('checkpoint-table').locator('tbody tr[tabindex="0"]')).toHaveCount(1);
  await page.getByTestId('checkpoint-table').locator('tbody tr[tabindex="0"]').focus();
  await page.keyboard.press('Home');
  await expect(rows.first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(rows.nth(1)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true');
  // Tab leaves the table instead of visiting every row
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('tbody') === null)).toBe(true);
});
