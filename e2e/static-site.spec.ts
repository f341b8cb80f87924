/**
 * Issue 7: the built site works from a sub-path; a share link carries what was found to a fresh
 * browser with no files; a zipped folder reads like the folder; the page sends nothing anywhere.
 */
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseFolder, OWN_FIXTURES } from './helpers';

const SUBPATH = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 4173) + 1}/ckptview/`;

async function tableRows(page: Page): Promise<string[][]> {
  const rows = page.getByTestId('checkpoint-table').locator('tbody tr');
  const n = await rows.count();
  const out: string[][] = [];
  // every column but Run: a link without folder paths names runs "run 1", "run 2"...
  for (let i = 0; i < n; i++) out.push(await rows.nth(i).locator('td:not([data-col="run"])').allTextContents());
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

test('served from /ckptview/: load, copy the share link, open it in a fresh browser', async ({ page, browser }) => {
  await page.goto(SUBPATH);
  await expect(page).toHaveTitle(/ckptview/);
  await chooseFolder(page, join(OWN_FIXTURES, 'enstack_run'));
  await expect(page.getByTestId('checkpoint-table').locator('tbody tr')).toHaveCount(5);
  await expect(page.getByTestId('checkpoint-table').locator('td[data-col="status"]', { hasText: 'reading' })).toHaveCount(0);
  const before = await tableRows(page);
  const finding = await page.locator('[data-finding="lost-epoch-end"]').textContent();
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link.startsWith(`${SUBPATH}#s=`)).toBe(true);
  expect(link).not.toContain('fixtures'); // no local paths unless asked

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.getByTestId('shared-banner')).toBeVisible();
  await expect(other.getByTestId('checkpoint-table').locator('tbody tr')).toHaveCount(5);
  expect(await tableRows(other)).toEqual(before);
  await expect(other.locator('[data-finding="lost-epoch-end"]')).toHaveText(finding as string);
  const card = other.getByTestId('status-card');
  await expect(card.getByTestId('resume')).toContainText('continues epoch');
  await expect(other.getByTestId('series-toggle').first()).toBeVisible();
  await fresh.close();
});

for (const method of ['deflated', 'stored'] as const) {
  test(`a ${method} .zip of the run folder reads like the folder`, async ({ page }) => {
    const zip = join(mkdtempSync(join(tmpdir(), 'ckptview-zip-')), 'enstack_run.zip');
    execFileSync(process.env.TORCH_PYTHON ?? '/usr/bin/python3', [
      '-c',
      `import os, sys, zipfile
root = sys.argv[1]; out = sys.argv[2]
with zipfile.ZipFile(out, 'w', zipfile.ZIP_${method === 'deflated' ? 'DEFLATED' : 'STORED'}) as z:
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            z.write(p, os.path.relpath(p, os.path.dirname(root)))`,
      join(OWN_FIXTURES, 'enstack_run'),
      zip,
    ]);
    await page.goto('./');
    await chooseFolder(page, join(OWN_FIXTURES, 'enstack_run'));
    // rows first: before the plan arrives there are no rows, so none is "reading" either
    await expect(page.getByTestId('checkpoint-table').locator('tbody tr')).toHaveCount(5);
    await expect(page.getByTestId('checkpoint-table').locator('td[data-col="status"]', { hasText: 'reading' })).toHaveCount(0);
    const folderRows = await tableRows(page);
    await page.getByRole('button', { name: 'Clear all' }).click();
    await page.getByTestId('files-input').setInputFiles(zip);
    await expect(page.getByTestId('checkpoint-table').locator('tbody tr')).toHaveCount(5);
    await expect(page.getByTestId('checkpoint-table').locator('td[data-col="status"]', { hasText: 'reading' })).toHaveCount(0);
    expect(await tableRows(page)).toEqual(folderRows);
    await expect(page.locator('[data-finding="lost-epoch-end"]')).toBeVisible();
  });
}

test('no request leaves the page origin', async ({ page }) => {
  const outside: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) return; // blob:, data:
    if (u.origin !== new URL(page.url() === 'about:blank' ? 'http://127.0.0.1:4173/' : page.url()).origin) outside.push(r.url());
  });
  await page.goto('./');
  await chooseFolder(page, join(OWN_FIXTURES, 'enstack_run'));
  await expect(page.getByTestId('checkpoint-table').locator('tbody tr')).toHaveCount(5);
  await page.getByRole('button', { name: 'Try a sample' }).click();
  await page.getByTestId('copy-link').click();
  await page.waitForTimeout(500);
  expect(outside).toEqual([]);
});
