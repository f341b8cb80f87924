/**
 * Conformance: every EnStack-style checkpoint folder with an expected.json (values torch.load
 * returned) is read by the core with every field equal. Own fixtures always; ../shared/fixtures
 * when present (CI), except hf_trainer, lightning and bad, which other suites cover.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyzeFolder, asExpected, checkpointFolders, HAS_SHARED, OWN, SHARED } from './support/fixtures';

function compare(dir: string, root: string): void {
  test(relative(root, dir), async () => {
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, unknown>;
    const { summaries } = await analyzeFolder(dir);
    expect(summaries).toHaveLength(1);
    const s = summaries[0];
    expect(s.problems).toEqual([]);
    const actual = asExpected(s);
    for (const [key, value] of Object.entries(expected)) {
      if (!(key in actual)) continue;
      expect.soft(actual[key], `${key}`).toEqual(value);
    }
    // every field of expected.json that the summary speaks about was compared
    const compared = Object.keys(expected).filter((k) => k in actual);
    expect(compared.length).toBeGreaterThanOrEqual(13);
  });
}

describe('own fixtures', () => {
  const dirs = checkpointFolders(OWN);
  test('the fixture script produced checkpoint folders', () => expect(dirs.length).toBeGreaterThanOrEqual(8));
  for (const d of dirs) compare(d, OWN);
});

describe.skipIf(!HAS_SHARED)('shared fixtures (outside check)', () => {
  const dirs = HAS_SHARED
    ? checkpointFolders(SHARED).filter((d) => !/\/(hf_trainer|lightning|bad)(\/|$)/.test(relative(SHARED, d)))
    : [];
  for (const d of dirs) compare(d, SHARED);
});
