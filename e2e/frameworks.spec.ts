/**
 * Issue 5: Hugging Face Trainer folders and Lightning checkpoints show their framework's own resume
 * rule; any torch.save file can be browsed as a tree and searched. Issue 6: a dangerous file gets
 * a red banner naming the global, and its harmless fields still show.
 */
import { expect, test } from '@playwright/test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chooseFolder, OWN_FIXTURES, SHARED_FIXTURES } from './helpers';

interface HfExpected { epochs_completed: number; steps_into_epoch: number; steps_per_epoch: number; global_step: number }

for (const [label, root] of [['own', OWN_FIXTURES], ['shared', SHARED_FIXTURES]] as const) {
  test(`${label} HF Trainer folder: Trainer's resume line`, async ({ page }) => {
    const base = join(root, 'hf_trainer');
    test.skip(!existsSync(base), `${base} is not present`);
    const dir = join(base, readdirSync(base)[0]);
    const e = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as HfExpected;
    await page.goto('./');
    await chooseFolder(page, dir);
    const hf = page.getByTestId('hf-details');
    await expect(hf.getByTestId('hf-epochs-completed')).toHaveText(String(e.epochs_completed));
    await expect(hf.getByTestId('hf-steps-into-epoch')).toHaveText(String(e.steps_into_epoch));
    await expect(hf.getByTestId('hf-global-step')).toHaveText(String(e.global_step));
    await expect(hf.getByTestId('hf-resume')).toContainText(`step ${e.steps_into_epoch} of ${e.steps_per_epoch}`);
  });

  test(`${label} Lightning checkpoint: epoch and best score`, async ({ page }) => {
    const dir = join(root, 'lightning');
    test.skip(!existsSync(dir), `${dir} is not present`);
    const name = readdirSync(dir).filter((n) => n.endsWith('.ckpt')).sort()[0];
    const e = JSON.parse(readFileSync(join(dir, `${name}.expected.json`), 'utf8')) as { epoch: number; best_model_score: number; global_step: number };
    await page.goto('./');
    await page.getByTestId('files-input').setInputFiles(join(dir, name));
    const l = page.getByTestId('lightning-details');
    await expect(l.getByTestId('lightning-epoch')).toHaveText(String(e.epoch));
    await expect(l.getByTestId('lightning-global-step')).toHaveText(String(e.global_step));
    await expect(l.getByTestId('lightning-best-score')).toHaveText(e.best_model_score.toFixed(4));
  });
}

test('the whole value tree opens lazily and can be searched', async ({ page }) => {
  await page.goto('./');
  await chooseFolder(page, join(OWN_FIXTURES, 'enstack', 'last_checkpoint'));
  const card = page.getByTestId('status-card');
  await card.getByText('Contents (every key and value').click();
  const tree = card.getByTestId('value-tree');
  await expect(tree.getByText('optimizer_state_dict')).toBeVisible();
  await tree.getByRole('button', { name: 'Expand optimizer_state_dict' }).click();
  await expect(tree.getByText('param_groups')).toBeVisible();
  await tree.getByLabel('Search keys and values').fill('exp_avg_sq');
  await expect(tree.getByTestId('tree-hits').locator('li').first()).toContainText('optimizer_state_dict › state');
  await expect(tree.getByTestId('tree-hits')).toContainText('float32');
});

test('a dangerous file: red banner with the global, harmless fields still shown', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('files-input').setInputFiles(join(OWN_FIXTURES, 'bad', 'malicious_os_system.pth'));
  const card = page.getByTestId('status-card');
  await expect(card.getByTestId('danger-banner')).toContainText(/posix\.system|os\.system/);
  await expect(card.getByTestId('epoch')).toHaveText('1');
  await expect(card.getByTestId('step')).toHaveText('5');
  await expect(card.getByTestId('safety-finding').filter({ hasText: /system/ }).first()).toContainText(/at byte \d+/);
});

test('"Check every byte" reads the tensor data too and names a damaged storage', async ({ page }) => {
  const src = join(OWN_FIXTURES, 'enstack', 'last_checkpoint', 'training_state.pth');
  const bytes = readFileSync(src);
  // flip one byte inside the data of storage data/1 (its local header comes first in the file)
  const damaged = Buffer.from(bytes);
  const name = bytes.indexOf(Buffer.from('training_state/data/1'));
  const header = name - 30;
  expect(bytes.readUInt32LE(header)).toBe(0x04034b50);
  const data = header + 30 + bytes.readUInt16LE(header + 26) + bytes.readUInt16LE(header + 28);
  damaged[data + 3] ^= 0x01;
  await page.goto('./');
  await page.getByTestId('files-input').setInputFiles([{ name: 'training_state.pth', mimeType: 'application/octet-stream', buffer: bytes }]);
  const card = page.getByTestId('status-card');
  await card.getByText(/^Files \(/).click();
  await card.getByRole('button', { name: /Check every byte of training_state\.pth/ }).click();
  await expect(card.getByTestId('crc-ok')).toContainText('entries match their CRC-32');
  await page.getByRole('button', { name: 'Clear all' }).click();
  await page.getByTestId('files-input').setInputFiles([{ name: 'training_state.pth', mimeType: 'application/octet-stream', buffer: damaged }]);
  await page.getByTestId('status-card').getByText(/^Files \(/).click();
  await page.getByTestId('status-card').getByRole('button', { name: /Check every byte/ }).click();
  await expect(page.getByTestId('crc-bad')).toContainText('CRC-32 does not match');
});
