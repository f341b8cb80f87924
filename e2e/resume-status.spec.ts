/**
 * Issue 2: a person drops the reported checkpoint folder and reads where a resume will start.
 * Values come from the fixture's expected.json (what torch.load returned).
 */
import { expect, test, type Locator } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chooseFolder, HAS_SHARED, OWN_FIXTURES, SHARED_FIXTURES } from './helpers';

interface Expected {
  epoch: number;
  step: number;
  total_batches: number;
  progress_percent: number | null;
  remaining_batches: number | null;
  resume: string;
  best_val_f1: number;
  best_val_acc: number;
  epoch_complete: boolean;
}

function expected(dir: string): Expected {
  return JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
}

async function checkCard(card: Locator, e: Expected): Promise<void> {
  await expect(card.getByTestId('epoch')).toHaveText(String(e.epoch));
  await expect(card.getByTestId('step')).toHaveText(String(e.step));
  if (e.total_batches) await expect(card.getByTestId('total-batches')).toHaveText(String(e.total_batches));
  await expect(card.getByTestId('best-f1')).toHaveText(e.best_val_f1.toFixed(4));
  await expect(card.getByTestId('best-acc')).toHaveText(e.best_val_acc.toFixed(4));
  if (e.epoch_complete) {
    await expect(card.getByTestId('status')).toHaveText(`Epoch ${e.epoch} complete`);
    await expect(card.getByTestId('resume')).toContainText(e.resume.replace(/^start/, 'starts'));
  } else {
    await expect(card.getByTestId('status')).toHaveText(`Epoch ${e.epoch} incomplete`);
    await expect(card.getByTestId('resume')).toContainText(e.resume.replace(/^continue/, 'continues'));
    if (e.progress_percent !== null) await expect(card.getByTestId('progress-percent')).toHaveText(`${e.progress_percent.toFixed(1)}%`);
    if (e.remaining_batches !== null) await expect(card.getByTestId('remaining')).toHaveText(String(e.remaining_batches));
  }
}

test('own fixture: last_checkpoint and best_model show status and resume decision', async ({ page }) => {
  await page.goto('./');
  for (const name of ['last_checkpoint', 'best_model']) {
    const dir = join(OWN_FIXTURES, 'enstack', name);
    await chooseFolder(page, dir);
    const card = page.locator(`[data-checkpoint="${name}"]`);
    await checkCard(card, expected(dir));
  }
});

test('shared fixture: the reported case reads epoch 1, step 1000 of 1270 (78.7%)', async ({ page }) => {
  test.skip(!HAS_SHARED, '../shared/fixtures is not present');
  await page.goto('./');
  const last = join(SHARED_FIXTURES, 'enstack', 'last_checkpoint');
  await chooseFolder(page, last);
  const card = page.locator('[data-checkpoint="last_checkpoint"]');
  await expect(card.getByTestId('epoch')).toHaveText('1');
  await expect(card.getByTestId('step')).toHaveText('1000');
  await expect(card.getByTestId('total-batches')).toHaveText('1270');
  await expect(card.getByTestId('progress-percent')).toHaveText('78.7%');
  await expect(card.getByTestId('remaining')).toHaveText('270');
  await expect(card.getByTestId('resume')).toContainText('continues epoch 1 from step 1000');
  await expect(card.getByTestId('best-f1')).toHaveText('0.0667');
  await expect(card.getByTestId('best-acc')).toHaveText('0.5000');
  await checkCard(card, expected(last));

  const best = join(SHARED_FIXTURES, 'enstack', 'best_model');
  await chooseFolder(page, best);
  const bestCard = page.locator('[data-checkpoint="best_model"]');
  await expect(bestCard.getByTestId('status')).toHaveText('Epoch 1 complete');
  await expect(bestCard.getByTestId('resume')).toContainText('starts epoch 2');
  await page.screenshot({ path: 'test-results/resume-status.png', fullPage: true });
});

test('a broken file shows a clear message and the rest of the drop still shows', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('files-input').setInputFiles([
    { name: 'training_state.pth', mimeType: 'application/octet-stream', buffer: Buffer.from('<!DOCTYPE html><html><body>Google Drive - Virus scan warning</body></html>') },
    { name: 'good_copy.pth', mimeType: 'application/octet-stream', buffer: readFileSync(join(OWN_FIXTURES, 'enstack', 'best_model', 'training_state.pth')) },
  ]);
  await expect(page.getByTestId('problem').first()).toContainText('HTML page');
  await page.getByTestId('checkpoint-table').locator('tr[data-row="good_copy.pth"]').click();
  const good = page.locator('[data-checkpoint="good_copy.pth"]');
  await expect(good.getByTestId('epoch')).toHaveText(String(expected(join(OWN_FIXTURES, 'enstack', 'best_model')).epoch));
});

test('Try a sample loads the shipped sample folder', async ({ page }) => {
  await page.goto('./');
  await page.getByRole('button', { name: 'Try a sample' }).click();
  await expect(page.getByTestId('status-card').first()).toBeVisible();
  await expect(page.getByTestId('epoch').first()).not.toHaveText('—');
});
