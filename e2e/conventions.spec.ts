/**
 * Trainers beyond EnStack, HF and Lightning, in the page: an Ultralytics run (an unstripped
 * last.pt that resumes at epoch + 1, a stripped best.pt that cannot be resumed), a timm output
 * folder, and a diffusers/Accelerate checkpoint folder. Values come from each fixture's
 * expected.json (what torch.load returned).
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chooseFolder, OWN_FIXTURES } from './helpers';

async function open(page: Page, rel: string, rows: number): Promise<void> {
  await page.goto('./');
  await chooseFolder(page, join(OWN_FIXTURES, rel));
  const table = page.getByTestId('checkpoint-table');
  await expect(table.locator('tbody tr')).toHaveCount(rows, { timeout: 30_000 });
  await expect(table.locator('td[data-col="status"]', { hasText: 'reading' })).toHaveCount(0, { timeout: 30_000 });
}

const row = (page: Page, name: string) => page.getByTestId('checkpoint-table').locator('tbody tr', { has: page.locator('td[data-col="name"]', { hasText: new RegExp(`^${name.replace(/\./g, '\\.')}$`) }) });

test('an Ultralytics run: last.pt resumes at epoch + 1 of train_args.epochs, the stripped best.pt is finished', async ({ page }) => {
  const e = JSON.parse(readFileSync(join(OWN_FIXTURES, 'ultralytics/runs/detect/train/weights/expected.json'), 'utf8'));
  await open(page, 'ultralytics/runs', 2);
  await expect(row(page, 'last.pt').locator('td[data-col="framework"]')).toHaveText('Ultralytics');
  await expect(row(page, 'last.pt').locator('td[data-col="epoch"]')).toHaveText(`${e['last.pt'].epoch} (from 0)`);
  await expect(row(page, 'last.pt').locator('td[data-col="optimizerSteps"]')).toHaveText(String(e['last.pt'].optimizer_steps));
  await expect(row(page, 'best.pt').locator('td[data-col="status"]')).toHaveText('finished');
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveCount(1);
  await expect(verdict.getByTestId('verdict-happens')).toContainText(`Resuming from last.pt will start epoch index ${e['last.pt'].epoch + 1}`);
  await expect(verdict.getByTestId('verdict-happens')).toContainText(`/${e['last.pt'].train_args_epochs}`);
  await row(page, 'best.pt').click();
  await expect(page.locator('[data-checkpoint$="best.pt"]').getByTestId('status')).toHaveText('Finished');
  await expect(page.locator('[data-checkpoint$="best.pt"]').getByTestId('planned-epochs')).toHaveText(String(e['best.pt'].train_args_epochs));
});

test('a timm output folder: version 2 epochs resume at epoch + 1; the recovery file holds the most training', async ({ page }) => {
  const e = JSON.parse(readFileSync(join(OWN_FIXTURES, 'timm/output/train/20261130-101500-resnet_tiny-32/expected.json'), 'utf8'));
  await open(page, 'timm/output', Object.keys(e).length);
  for (const name of Object.keys(e)) {
    await expect(row(page, name).locator('td[data-col="framework"]')).toHaveText('timm');
    await expect(row(page, name).locator('td[data-col="epoch"]')).toHaveText(`${e[name].epoch} (from 0)`);
  }
  const happens = page.getByTestId('verdict').getByTestId('verdict-happens');
  await expect(happens).toContainText(`Resuming from last.pth.tar will start epoch ${e['last.pth.tar'].resume_epoch} of ${e['last.pth.tar'].args_epochs}`);
  await expect(page.getByTestId('verdict').getByTestId('verdict-action')).toContainText('Resume from recovery-4-50.pth.tar');
  await row(page, 'model_best.pth.tar').click();
  // timm's `metric` (the eval metric of that epoch, top1 here) is shown with its value
  await expect(page.locator('[data-checkpoint$="model_best.pth.tar"] .field', { hasText: /metric/i }).first()).toContainText(e['model_best.pth.tar'].metric.toFixed(4));
});

test('an Accelerate (diffusers) folder: one checkpoint, the global step from the folder name, RNG state not the model', async ({ page }) => {
  const e = JSON.parse(readFileSync(join(OWN_FIXTURES, 'accelerate/diffusers/expected.json'), 'utf8'));
  await open(page, 'accelerate/diffusers', 1);
  const r = row(page, 'checkpoint-200');
  await expect(r.locator('td[data-col="framework"]')).toHaveText('Accelerate');
  await expect(r.locator('td[data-col="globalStep"]')).toHaveText(String(e.global_step));
  await expect(r.locator('td[data-col="files"]')).toHaveText(String(e.files.length));
  const card = page.locator('[data-checkpoint$="checkpoint-200"]');
  await expect(card.getByTestId('model')).toContainText(`${e.model_parameters} parameters`);
  await expect(card.getByTestId('model')).toContainText('diffusion_pytorch_model.safetensors');
  await expect(page.getByTestId('verdict').getByTestId('verdict-happens')).toContainText(`global step ${e.global_step}`);
});
