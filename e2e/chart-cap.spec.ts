import { expect, test } from '@playwright/test';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseFolder, OWN_FIXTURES } from './helpers';

// issue 15: a drop of many runs draws the runs that fit in 12 lines; each run's trainer_state log is
// one series per metric (not one per checkpoint); other runs are counted and can be drawn; at most
// 12 lines are drawn at first and the others can be ticked on
const RUNS = 4;
const LAST = `run_${RUNS - 1}`;

test('many HF Trainer runs: runs drawn while they fit in 12 lines, others added from the list, the rest ticked on', async ({ page }) => {
  test.setTimeout(120_000);
  const root = join(mkdtempSync(join(tmpdir(), 'ckptview-chart-')), 'runs');
  for (let r = 0; r < RUNS; r++) for (let i = 1; i <= 10; i++) cpSync(join(OWN_FIXTURES, 'hf_trainer', 'checkpoint-700'), join(root, `run_${r}`, `checkpoint-${i * 100}`), { recursive: true });
  await page.goto('./');
  await chooseFolder(page, root);
  await expect(page.locator('#table-title')).toContainText(`(${RUNS * 10} of ${RUNS * 10})`, { timeout: 60_000 });
  await expect(page.getByTestId('busy')).toHaveCount(0, { timeout: 60_000 });
  const chart = page.getByTestId('history-chart');
  const toggles = chart.getByTestId('series-toggle');
  // one series per metric and run: the 10 checkpoints of a run share one log
  await expect(chart.getByTestId('chart-run').last()).toHaveText(/run_\d/);
  await expect(chart.locator('[data-testid="series-toggle"][data-series$="(run_0 trainer_state)"]').first()).toBeVisible();
  const perRun = await chart.locator('[data-testid="series-toggle"][data-series$="(run_0 trainer_state)"]').count();
  expect(perRun).toBeGreaterThan(1);
  const runsThatFit = Math.max(1, Math.floor(12 / perRun));
  expect(runsThatFit).toBeLessThan(RUNS); // the fixture's log has enough metrics for some runs not to fit
  await expect(chart.getByTestId('chart-run')).toHaveCount(runsThatFit);
  await expect(toggles).toHaveCount(runsThatFit * perRun);
  await expect(chart.locator(`[data-testid="series-toggle"][data-series$="(${LAST} trainer_state)"]`)).toHaveCount(0);
  await expect(chart.getByTestId('chart-runs-not-drawn')).toContainText(`${RUNS - runsThatFit} other run`);
  // draw the last run: its series are listed; still at most 12 lines at first
  await chart.getByTestId('chart-add-run').selectOption({ label: `${LAST} (${perRun} series)` });
  await chart.getByTestId('chart-draw-run').click();
  await expect(chart.locator(`[data-testid="series-toggle"][data-series$="(${LAST} trainer_state)"]`)).toHaveCount(perRun);
  // a run added by hand is drawn, even past the first 12 lines
  const lines = runsThatFit * perRun + perRun;
  await expect(chart.locator('input[type=checkbox]:checked')).toHaveCount(lines);
  await expect(chart.locator('path.recharts-line-curve')).toHaveCount(lines);
  // and stop drawing a run again: its series go, the focus moves to the run picker
  await chart.getByRole('button', { name: 'Stop drawing run run_0' }).click();
  await expect(chart.locator('[data-testid="series-toggle"][data-series$="(run_0 trainer_state)"]')).toHaveCount(0);
  await expect(chart.getByTestId('chart-add-run')).toBeFocused();
});
