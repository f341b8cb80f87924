/**
 * Checkpoint diff on fixtures/health/diff_* (scripts/fixtures_health.py, real torch): the changed
 * tensors are exactly the ones the script changed; zip pairs are decided from the central
 * directory without reading a tensor byte; legacy and safetensors pairs are hashed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytesSource, countingSource, type ReadStats } from '../src/core/bytes/byteSource';
import type { CheckpointSummary } from '../src/core/conventions/summary';
import { diffCheckpoints, diffRun, type DiffInput } from '../src/core/diff/diffCheckpoints';
import { summarizeDiff } from '../src/core/diff/types';
import { analyzeFolder, OWN } from './support/fixtures';

const DIR = join(OWN, 'health');

/** The checkpoints of a fixture folder, with counted byte sources over their files. */
async function inputs(folder: string): Promise<{ byName: Map<string, DiffInput>; stats: ReadStats[] }> {
  const { summaries } = await analyzeFolder(join(DIR, folder));
  const stats: ReadStats[] = [];
  const byName = new Map<string, DiffInput>();
  for (const s of summaries as CheckpointSummary[]) {
    const files = s.files.filter((f) => /\.(pth|safetensors)$/.test(f.path)).map((f) => {
      const c = countingSource(bytesSource(new Uint8Array(readFileSync(join(DIR, f.path))), f.path));
      stats.push(c.stats);
      return { path: f.path, src: c.source };
    });
    byName.set(s.path.split('/').pop()!, { summary: s, files });
  }
  return { byName, stats };
}

const expected = (folder: string): { changed: string[]; frozen?: string[] } => JSON.parse(readFileSync(join(DIR, folder, 'expected.json'), 'utf8'));

describe('checkpoint diff', () => {
  it('identical weights, different counters: the save did not write new weights; optimizer unchanged; no tensor byte read', async () => {
    const { byName } = await inputs('diff_same_weights');
    const [a, b] = [byName.get('epoch_1')!, byName.get('epoch_2')!];
    const d = await diffCheckpoints(b, a);
    expect(d.tensors.filter((t) => t.status !== 'identical')).toEqual([]);
    expect(d.counts).toEqual({ identical: 4 + 4 * 3, changed: 0, onlyA: 0, onlyB: 0, notCompared: 0 });
    expect(new Set(d.tensors.map((t) => t.method))).toEqual(new Set(['zip CRC-32']));
    expect(d.bytesHashed).toBe(0);
    const f = d.findings.find((x) => x.id.startsWith('diff-same-weights'))!;
    expect(f.severity).toBe('error');
    expect(f.sentence).toBe("epoch_2/checkpoint.pth's model weights are identical to epoch_1/checkpoint.pth's (older): the save did not write new weights, though its counters moved on.");
    expect(d.findings.find((x) => x.id.startsWith('diff-same-optimizer'))!.title).toBe('Optimizer state unchanged');
    const rows = new Map(d.fields.map((r) => [r.label, r]));
    expect(rows.get('epoch')).toMatchObject({ a: '2', b: '1', same: false });
    // no tensor byte read: the only reads of tensor data are the hashing ones, counted in bytesHashed
    expect(d.tensors.every((t) => t.method === 'zip CRC-32')).toBe(true);
  });

  for (const folder of ['diff_one_layer', 'diff_one_layer_legacy', 'diff_one_layer_safetensors']) {
    it(`${folder}: exactly the changed layer is changed`, async () => {
      const { byName } = await inputs(folder);
      const d = await diffCheckpoints(byName.get('a')!, byName.get('b')!);
      expect(d.tensors.filter((t) => t.status === 'changed').map((t) => t.name)).toEqual(expected(folder).changed);
      expect(d.counts.notCompared + d.counts.onlyA + d.counts.onlyB).toBe(0);
      const method = folder === 'diff_one_layer' ? 'zip CRC-32' : 'hashed';
      expect(d.tensors.every((t) => t.method === method)).toBe(true);
      if (method === 'hashed') expect(d.bytesHashed).toBeGreaterThan(0);
      else expect(d.bytesHashed).toBe(0);
      expect(d.findings.some((x) => x.id.startsWith('diff-same-weights'))).toBe(false);
      expect(summarizeDiff(d).changed).toEqual(expected(folder).changed);
    });
  }

  it('a zip checkpoint against a legacy one: the zip side uses its CRC record, the legacy side is hashed', async () => {
    const zip = (await inputs('diff_one_layer')).byName.get('a')!;
    const legacy = (await inputs('diff_one_layer_legacy')).byName.get('b')!;
    const d = await diffCheckpoints(zip, legacy);
    expect(d.tensors.filter((t) => t.status === 'changed').map((t) => t.name)).toEqual(['model.2.weight']);
    expect(d.counts.identical).toBe(d.tensors.length - 1);
  });

  it('a run of three: the layers that never changed are named', async () => {
    const { byName } = await inputs('diff_frozen_run');
    const r = await diffRun([...byName.values()]);
    expect(r.order.map((s) => s.path.split('/').pop())).toEqual(['ckpt_1', 'ckpt_2', 'ckpt_3']);
    const f = r.findings.find((x) => x.id.startsWith('diff-frozen'))!;
    expect(f.title).toBe('1 layer never changed across the run');
    expect(f.evidence.map((e) => e.split(':')[0])).toEqual(expected('diff_frozen_run').frozen);
    expect(f.sentence).toContain('model.0');
    for (const d of r.diffs) expect(d.tensors.filter((t) => t.role === 'model' && t.status === 'changed').map((t) => t.name)).toEqual(['model.2.weight', 'model.2.bias']);
  });
});

describe('ckptview health / diff (in-process CLI)', () => {
  const run = async (argv: string[]): Promise<{ code: number; out: string }> => {
    const { runCli } = await import('../src/cli/runCli');
    const out: string[] = [];
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => out.push(l) });
    return { code, out: out.join('\n') };
  };

  it('health names the NaN tensors and exits 1', async () => {
    const r = await run(['health', join(DIR, 'nan_checkpoint')]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('[error] 2 tensors contain NaN. 2 tensors contain NaN: model.0.weight, extras.half.');
    expect(r.out).toContain('23 tensors read, 1 skipped, 752 B of tensor data');
  });

  it('diff of a pair with one changed layer lists it (exit 1: its optimizer did not change); a save without new weights exits 1', async () => {
    const one = await run(['diff', join(DIR, 'diff_one_layer', 'a'), join(DIR, 'diff_one_layer', 'b')]);
    expect(one.code).toBe(1);
    expect(one.out).toContain('[warning] Optimizer state unchanged.');
    expect(one.out).not.toContain('Model weights identical');
    expect(one.out).toMatch(/changed\s+model\.2\.weight\s+\[zip CRC-32\]/);
    expect(one.out).toContain('tensors: 15 identical, 1 changed');
    const same = await run(['diff', join(DIR, 'diff_same_weights', 'epoch_1'), join(DIR, 'diff_same_weights', 'epoch_2')]);
    expect(same.code).toBe(1);
    expect(same.out).toContain('[error] Model weights identical to epoch_1/checkpoint.pth.');
  });
});
