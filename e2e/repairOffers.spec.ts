/**
 * Issue 14: the trainers' own repairs in the page. Repair an HF Trainer folder (mark epoch 3
 * complete: trainer_state.json edited, folder zip named checkpoint-939) and a Lightning .ckpt
 * (epoch 6 marked complete); the downloads pass the same check with real PyTorch / Python's json
 * (scripts/check_convention_repair.py), including the position each trainer's resume rule computes.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseFolder, OWN_FIXTURES, ROOT } from './helpers';

const PYTHON = process.env.TORCH_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

function check(c: Record<string, unknown>): { ok: boolean; problems: string[]; position: Record<string, number | string> | null } {
  const dir = mkdtempSync(join(tmpdir(), 'ckptview-e2e-offer-'));
  writeFileSync(join(dir, 'cases.json'), JSON.stringify([c]));
  const out = execFileSync(PYTHON, [join(ROOT, 'scripts', 'check_convention_repair.py'), join(dir, 'cases.json')], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop() as string)[0];
}

async function prepareAndDownload(page: Page, card: Locator, offerId: string, fileName: string): Promise<string> {
  const offer = card.getByTestId(`offer-${offerId}`);
  await offer.getByTestId('offer-button').click();
  await expect(offer.getByTestId('offer-done')).toContainText('Verified');
  const dl = page.waitForEvent('download');
  await offer.getByTestId('offer-download').first().click();
  const download = await dl;
  expect(download.suggestedFilename()).toBe(fileName);
  const saved = join(mkdtempSync(join(tmpdir(), 'ckptview-dl-')), fileName);
  await download.saveAs(saved);
  return saved;
}

test('HF Trainer: mark epoch 3 complete, guarded preview, download passes the check', async ({ page }) => {
  const folder = join(OWN_FIXTURES, 'hf_trainer', 'checkpoint-700');
  await page.goto('./');
  await chooseFolder(page, folder);
  const card = page.locator('[data-checkpoint="checkpoint-700"]');
  const offer = card.getByTestId('offer-hf-mark-complete');
  await expect(offer.getByTestId('offer-preview')).toContainText('939');
  await expect(offer.getByTestId('offer-side-effects')).toContainText('scheduler.pt and optimizer.pt are not changed');
  await expect(offer.getByTestId('offer-alternative')).toContainText('ignore_data_skip=True');
  const saved = await prepareAndDownload(page, card, 'hf-mark-complete', 'trainer_state.json');
  const r = check({ kind: 'json', original: join(folder, 'trainer_state.json'), repaired: saved, changes: [{ path: ['global_step'], after_json: '939' }, { path: ['epoch'], after_json: '3.0' }], rule: 'hf', U: 313 });
  expect(r.problems).toEqual([]);
  expect(r.position).toEqual({ epochs_trained: 3, steps_skipped: 0 });
  const zip = page.waitForEvent('download');
  await offer.getByTestId('offer-download-folder').click();
  expect((await zip).suggestedFilename()).toBe('checkpoint-939-repaired.zip');
});

test('Lightning: mark the interrupted epoch 6 complete, download passes the check', async ({ page }) => {
  const folder = join(mkdtempSync(join(tmpdir(), 'ckptview-lt-')), 'ckpts');
  mkdirSync(folder);
  copyFileSync(join(OWN_FIXTURES, 'lightning', 'epoch=6-step=800.ckpt'), join(folder, 'epoch=6-step=800.ckpt'));
  await page.goto('./');
  await chooseFolder(page, folder);
  const card = page.locator('[data-checkpoint="ckpts/epoch=6-step=800.ckpt"]');
  await expect(card.getByTestId('offer-lightning-mark-complete').getByTestId('offer-preview')).toContainText('start epoch 7');
  const saved = await prepareAndDownload(page, card, 'lightning-mark-complete', 'epoch=6-step=800.ckpt');
  const fit = ['loops', 'fit_loop', 'epoch_progress'];
  const r = check({
    kind: 'pickle',
    original: join(folder, 'epoch=6-step=800.ckpt'),
    repaired: saved,
    changes: [...['total', 'current'].map((p) => ({ path: [...fit, p, 'processed'], after_json: '7' })), ...['completed'].map((n) => ({ path: ['loops', 'fit_loop', 'epoch_loop.batch_progress', 'current', n], after_json: '50' })), { path: ['loops', 'fit_loop', 'epoch_loop.batch_progress', 'is_last_batch'], after_json: 'true' }],
    rule: 'lightning',
  });
  expect(r.problems).toEqual([]);
  expect(r.position).toEqual({ stage: 'RESUMED_ON_EPOCH_END', next_epoch: 7, batch: 0 });
});
