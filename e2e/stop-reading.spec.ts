/**
 * Issue 6: a parse can be cancelled. A pickle of 45 million opcodes (within the opcode limit, so it
 * is parsed, slowly) keeps the worker busy; the page stays responsive and "Stop" ends the read.
 */
import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OWN_FIXTURES } from './helpers';

/** A pickle of 45 million opcodes (NONE, POP pairs), written to a new temp folder; its path. */
function slowPickle(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ckptview-slow-'));
  const n = 22_500_000;
  const body = Buffer.alloc(2 + 2 * n + 2);
  body[0] = 0x80;
  body[1] = 2;
  for (let i = 0; i < n; i++) (body[2 + 2 * i] = 0x4e), (body[3 + 2 * i] = 0x30);
  body[2 + 2 * n] = 0x4e;
  body[3 + 2 * n] = 0x2e;
  const slow = join(dir, 'slow.pkl');
  writeFileSync(slow, body);
  return slow;
}

test('Stop ends a long read; the page stays usable and can read again', async ({ page }) => {
  const slow = slowPickle();
  await page.goto('./');
  await page.getByTestId('files-input').setInputFiles(slow);
  await expect(page.getByTestId('busy')).toBeVisible();
  // the page answers while the worker parses
  await page.getByLabel('Filter checkpoints').fill('slow');
  await expect(page.getByLabel('Filter checkpoints')).toHaveValue('slow');
  await page.getByTestId('stop-reading').click();
  await expect(page.getByTestId('busy')).toHaveCount(0);
  // not read is not a problem with the file: the row says "not read", the card says why
  await expect(page.getByTestId('problem')).toHaveCount(0);
  await expect(page.getByTestId('checkpoint-table').locator('td[data-col="status"]')).toHaveText(['not read']);
  await expect(page.getByLabel('Warnings')).toContainText('reading was stopped');
  // a new worker reads the next drop
  await page.getByLabel('Filter checkpoints').fill('');
  await page.getByTestId('folder-input').setInputFiles(join(OWN_FIXTURES, 'enstack', 'best_model'));
  await expect(page.locator('[data-checkpoint="best_model"]').getByTestId('status')).toContainText('complete');
});

test('while a drop is read the chart keeps its lines and says it is drawn again when reading ends', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('folder-input').setInputFiles(join(OWN_FIXTURES, 'enstack_run'));
  const chart = page.getByTestId('history-chart');
  await expect(chart.getByTestId('series-toggle').first()).toBeVisible();
  const before = await chart.getByTestId('series-toggle').count();
  await expect(chart.getByTestId('chart-reading')).toHaveCount(0);
  await page.getByTestId('files-input').setInputFiles(slowPickle());
  await expect(page.getByTestId('busy')).toBeVisible();
  await expect(chart.getByTestId('chart-reading')).toHaveText('drawn again when reading ends');
  await expect(chart.getByTestId('series-toggle')).toHaveCount(before);
  await page.getByTestId('stop-reading').click();
  await expect(chart.getByTestId('chart-reading')).toHaveCount(0);
  await expect(chart.getByTestId('series-toggle')).toHaveCount(before);
});
