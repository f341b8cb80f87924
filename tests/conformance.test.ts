/**
 * Conformance: every EnStack-style checkpoint folder with an expected.json (values torch.load
 * returned) is read by the core with EVERY field equal: the summary's values, and the container
 * facts read from the parsed file (top-level keys, pickle globals, zip layout). A key of
 * expected.json the test cannot compare fails the test. Own fixtures always; ../shared/fixtures
 * when present (CI), except hf_trainer, lightning and bad, which other suites cover.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { bytesSource } from '../src/core/bytes/byteSource';
import { expectedOptimizerSteps } from '../src/core/findings/position';
import { dictGet, dictKeys } from '../src/core/pickle/values';
import { loadTorchFile } from '../src/core/torch/loadTorchFile';
import { analyzeFolder, asExpected, checkpointFolders, HAS_SHARED, OWN, SHARED } from './support/fixtures';

/** The container facts of expected.json, read from the parsed training_state.pth. */
async function containerFacts(dir: string): Promise<Record<string, unknown>> {
  const path = join(dir, 'training_state.pth');
  const f = await loadTorchFile(bytesSource(new Uint8Array(readFileSync(path)), path));
  const members = f.zip ? f.zip.index.entries.map((e) => e.name) : [];
  const bestF1 = dictGet(f.value, 'best_val_f1');
  return {
    top_level_keys: dictKeys(f.value),
    pickle_globals: [...new Set(f.main.result.globals.filter((g) => g.opcode !== 'READ').map((g) => `${g.module}.${g.name}`))].sort(),
    container: f.format,
    zip_top_folder: f.zip ? f.zip.prefix.replace(/\/$/, '') : undefined,
    zip_members: f.zip ? members.length : undefined,
    has_byteorder: members.some((m) => m.endsWith('/byteorder')),
    has_serialization_id: members.some((m) => m.endsWith('/.data/serialization_id')),
    has_total_batches_key: dictGet(f.value, 'total_batches') !== undefined,
    best_val_type: bestF1?.kind === 'numpy-scalar' ? `numpy.${bestF1.dtype}` : bestF1?.kind === 'float' ? 'builtins.float' : undefined,
  };
}

function compare(dir: string, root: string): void {
  test(relative(root, dir), async () => {
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, unknown>;
    const { summaries } = await analyzeFolder(dir);
    expect(summaries).toHaveLength(1);
    const s = summaries[0];
    expect(s.problems).toEqual([]);
    const actual: Record<string, unknown> = {
      ...asExpected(s),
      ...(await containerFacts(dir)),
      expected_optimizer_steps: s.progress ? (expectedOptimizerSteps(s.progress) ?? null) : null,
    };
    // every key of expected.json is compared: none may be skipped
    expect(Object.keys(expected).filter((k) => !(k in actual))).toEqual([]);
    for (const [key, value] of Object.entries(expected)) {
      if (key === 'pickle_globals') expect.soft([...(actual[key] as string[])].sort(), key).toEqual([...(value as string[])].sort());
      else if (key === 'zip_top_folder' && value === null) expect.soft(actual[key] ?? null, key).toBeNull();
      else expect.soft(actual[key], `${key}`).toEqual(value);
    }
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
