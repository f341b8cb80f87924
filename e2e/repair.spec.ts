/**
 * Issue 3: click "Mark epoch N complete" in the page, save the downloaded training_state.pth, and
 * check it with real PyTorch (scripts/check_repair.py): epoch N, step 0, everything else equal.
 */
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseFolder, HAS_SHARED, OWN_FIXTURES, ROOT, SHARED_FIXTURES } from './helpers';

const PYTHON = process.env.TORCH_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

function checkWithTorch(original: string, repaired: string, epoch: number): { ok: boolean; problems: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'ckptview-e2e-'));
  const cases = join(dir, 'cases.json');
  writeFileSync(cases, JSON.stringify([{ original, repaired, epoch }]));
  const out = execFileSync(PYTHON, [join(ROOT, 'scripts', 'check_repair.py'), cases], { encoding: 'utf8' });
  return (JSON.parse(out.trim().split('\n').pop() as string) as { ok: boolean; problems: string[] }[])[0];
}

async function repairAndDownload(page: Page, folder: string, name: string, epoch: number): Promise<string> {
  await page.goto('./');
  await chooseFolder(page, folder);
  const card = page.locator(`[data-checkpoint="${name}"]`);
  await card.getByTestId('repair-epoch').fill(String(epoch));
  await expect(card.getByTestId('repair-preview')).toContainText(`start epoch ${epoch + 1}`);
  await card.getByTestId('repair-button').click();
  await expect(card.getByTestId('repair-done')).toContainText(`start epoch ${epoch + 1}`);
  const downloadPromise = page.waitForEvent('download');
  await card.getByTestId('download-repaired').click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe('training_state.pth');
  const saved = join(mkdtempSync(join(tmpdir(), 'ckptview-dl-')), 'training_state.pth');
  await download.saveAs(saved);
  return saved;
}

test('shared enstack/last_checkpoint: mark epoch 1 complete, download, torch.load agrees', async ({ page }) => {
  test.skip(!HAS_SHARED, '../shared/fixtures is not present');
  const folder = join(SHARED_FIXTURES, 'enstack', 'last_checkpoint');
  const saved = await repairAndDownload(page, folder, 'last_checkpoint', 1);
  const r = checkWithTorch(join(folder, 'training_state.pth'), saved, 1);
  expect(r.problems).toEqual([]);
  expect(r.ok).toBe(true);
});

test('own wide_epoch: epoch 300 needs a wider opcode; the download still loads', async ({ page }) => {
  const folder = join(OWN_FIXTURES, 'wide_epoch', 'last_checkpoint');
  const saved = await repairAndDownload(page, folder, 'last_checkpoint', 300);
  const r = checkWithTorch(join(folder, 'training_state.pth'), saved, 300);
  expect(r.problems).toEqual([]);
  expect(readFileSync(saved).length).toBeGreaterThan(readFileSync(join(folder, 'training_state.pth')).length);
});

test('the original downloads as training_state.pth.backup, byte for byte', async ({ page }) => {
  const folder = join(OWN_FIXTURES, 'enstack', 'last_checkpoint');
  await repairAndDownload(page, folder, 'last_checkpoint', 2);
  const card = page.locator('[data-checkpoint="last_checkpoint"]');
  const dl = page.waitForEvent('download');
  await card.getByTestId('download-backup').click();
  const backup = await dl;
  expect(backup.suggestedFilename()).toBe('training_state.pth.backup');
  const path = join(mkdtempSync(join(tmpdir(), 'ckptview-bak-')), 'b');
  await backup.saveAs(path);
  expect(readFileSync(path).equals(readFileSync(join(folder, 'training_state.pth')))).toBe(true);
});

test('a bad epoch gets a clear message and no repair button', async ({ page }) => {
  await page.goto('./');
  await chooseFolder(page, join(OWN_FIXTURES, 'enstack', 'last_checkpoint'));
  const card = page.locator('[data-checkpoint="last_checkpoint"]');
  await card.getByTestId('repair-epoch').fill('0');
  await expect(card.getByRole('alert')).toContainText('Epochs count from 1');
  await expect(card.getByTestId('repair-button')).toBeDisabled();
  await card.getByTestId('repair-epoch').fill('abc');
  await expect(card.getByRole('alert')).toContainText('whole number');
});
