/** The CLI's file collection names what it does not read instead of skipping it silently. */
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { collectInputs } from '../src/cli/collectInputs';
import { OWN } from './support/fixtures';

test('a dangling link and a link to a folder are reported as skipped; the real file is collected', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'ckptview-links-')), 'run');
  mkdirSync(dir);
  copyFileSync(join(OWN, 'enstack', 'last_checkpoint', 'training_state.pth'), join(dir, 'training_state.pth'));
  symlinkSync('nowhere', join(dir, 'dangling.pt'));
  symlinkSync('..', join(dir, 'parent'));
  const r = collectInputs([dir]);
  expect(r.files.map((f) => f.path)).toEqual(['run/training_state.pth']);
  expect(r.skipped).toEqual([
    `${join(dir, 'dangling.pt')}: a link to nothing (its target is missing)`,
    `${join(dir, 'parent')}: a link to a folder, not followed (links may loop; the page's drop does not follow them either)`,
  ]);
});
