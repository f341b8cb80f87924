/** Shared helpers for the e2e tests: fixture locations and giving folders to the page. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The project's own fixtures (made by scripts/make_fixtures.py). */
export const OWN_FIXTURES = join(ROOT, 'fixtures');
/** Outside fixtures, present in CI at ../shared. */
export const SHARED_FIXTURES = join(ROOT, '..', 'shared', 'fixtures');
export const HAS_SHARED = existsSync(SHARED_FIXTURES);

/** Every file under `dir`, recursively. */
export function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

/**
 * Give a folder to the page's "Choose folder" control, as the browser would: each file with its
 * path relative to the folder's parent (webkitRelativePath). Playwright sets directories on
 * `webkitdirectory` inputs directly.
 */
export async function chooseFolder(page: Page, dir: string): Promise<void> {
  await page.getByTestId('folder-input').setInputFiles(dir);
}

/**
 * Drag folders or files onto the page as a file manager would: CDP `Input.dispatchDragEvent` with
 * their paths, so the page gets a real DataTransfer (entries and File System Access handles).
 * Chromium only.
 */
export async function dropPaths(page: Page, paths: string[]): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const data = { items: [], files: paths, dragOperationsMask: 1 };
  for (const type of ['dragEnter', 'dragOver', 'drop'] as const) await cdp.send('Input.dispatchDragEvent', { type, x: 200, y: 200, data });
  await cdp.detach();
}

/** Paths of the files under `dir` relative to its parent, for assertions. */
export function relativeFiles(dir: string): string[] {
  return walk(dir).map((p) => relative(dirname(dir), p));
}
