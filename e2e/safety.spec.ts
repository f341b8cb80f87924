/**
 * Safety verdicts in the page (issue 12): a file with unknown imports gets an amber "may run
 * code" badge and banner, never a neutral badge; a file that runs code and then breaks still gets
 * the red verdict with the import and its byte offset; a real torch.save checkpoint keeps "no code
 * runs".
 */
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { OWN_FIXTURES } from './helpers';

const CORPUS = join(OWN_FIXTURES, 'safety_corpus');

test('unknown imports: amber badge and banner naming the import', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('files-input').setInputFiles(join(CORPUS, 'unknown_typing__eval_type.pth'));
  const card = page.getByTestId('status-card');
  const badge = card.getByTestId('safety');
  await expect(badge).toHaveText('May run code: unknown imports, treat as code');
  await expect(badge).toHaveClass(/safety-unknown/);
  await expect(badge).toHaveAttribute('role', 'alert');
  // amber (--warn-bg), not the neutral badge background
  await expect(badge).toHaveCSS('background-color', 'rgb(255, 241, 204)');
  await card.getByText('Safety: will torch.load').click();
  const banner = card.getByTestId('safety-banner');
  await expect(banner).toHaveClass(/safety-unknown/);
  await expect(banner).toContainText('typing._eval_type');
  await expect(card.getByTestId('safety-finding').first()).toContainText('unknown: treat as code');
});

test('runs code, then breaks: red verdict with the import and its offset', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('files-input').setInputFiles(join(CORPUS, 'error_bad_opcode.pth'));
  const card = page.getByTestId('status-card');
  await expect(card.getByTestId('safety')).toHaveText('Dangerous: runs code when loaded');
  await expect(card.getByTestId('safety')).toHaveCSS('background-color', 'rgb(253, 228, 225)');
  await expect(card.getByTestId('safety-banner')).toContainText('posix.system');
  await expect(card.getByTestId('safety-finding').filter({ hasText: 'posix.system' }).first()).toContainText('GLOBAL at byte 2');
});

test('a real torch.save checkpoint with numpy scalars: no code runs, weights_only rejects it', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('files-input').setInputFiles(join(OWN_FIXTURES, 'enstack', 'last_checkpoint', 'training_state.pth'));
  const badge = page.getByTestId('status-card').getByTestId('safety');
  await expect(badge).toHaveText('No code runs, but weights_only rejects it');
  await expect(badge).toHaveClass(/safety-no-code/);
  await expect(page.getByTestId('safety-banner')).toHaveCount(0);
});
