/**
 * Tensor health scan against numpy's statistics of the same tensors (fixtures/health, written by
 * scripts/fixtures_health.py with real torch; expected.json is numpy's answer).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytesSource, countingSource, type ByteSource } from '../src/core/bytes/byteSource';
import { checkHealth } from '../src/core/health/checkHealth';
import { decodeE4m3fnBits, decodeE5m2Bits } from '../src/core/health/floatDecoders';
import type { HealthReport, TensorHealth } from '../src/core/health/types';
import { OWN } from './support/fixtures';

const DIR = join(OWN, 'health');

interface ExpectedStats { numel: number; nan?: number; posInf?: number; negInf?: number; zeros?: number; min?: number; max?: number; mean?: number; rms?: number; skipped?: boolean }
interface Expected {
  format: string;
  tensors: Record<string, ExpectedStats>;
  nan_tensors: string[];
  inf_tensors?: string[];
  negative_exp_avg_sq?: string[];
  shape_mismatch?: string[];
  skipped?: string[];
}

function source(rel: string): ByteSource {
  return bytesSource(new Uint8Array(readFileSync(join(DIR, rel))), rel);
}

function expected(folder: string): Expected {
  return JSON.parse(readFileSync(join(DIR, folder, 'expected.json'), 'utf8')) as Expected;
}

function byName(r: HealthReport): Map<string, TensorHealth> {
  return new Map(r.files.flatMap((f) => f.tensors).map((t) => [t.name, t]));
}

/** Every tensor's statistics equal numpy's: counts exactly, min / max exactly, mean / RMS to 1e-12 relative. */
function expectStats(r: HealthReport, exp: Expected): void {
  const got = byName(r);
  expect([...got.keys()].sort()).toEqual(Object.keys(exp.tensors).sort());
  for (const [name, e] of Object.entries(exp.tensors)) {
    const t = got.get(name)!;
    expect(t.numel, name).toBe(e.numel);
    if (e.skipped) {
      expect(t.status, name).toBe('skipped');
      continue;
    }
    expect(t.status, name).toBe('read');
    expect({ nan: t.nan, posInf: t.posInf, negInf: t.negInf, zeros: t.zeros, min: t.min, max: t.max }, name).toEqual({ nan: e.nan, posInf: e.posInf, negInf: e.negInf, zeros: e.zeros, min: e.min, max: e.max });
    for (const k of ['mean', 'rms'] as const) {
      if (e[k] === undefined) expect(t[k], `${name} ${k}`).toBeUndefined();
      else expect(Math.abs(t[k]! - e[k]!), `${name} ${k}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(e[k]!)));
    }
  }
}

describe('health scan', () => {
  for (const folder of ['nan_checkpoint', 'nan_checkpoint_legacy']) {
    it(`${folder}: every tensor's counts, min, max, mean and RMS equal numpy's`, async () => {
      const exp = expected(folder);
      const r = await checkHealth([{ path: `${folder}/checkpoint.pth`, src: source(`${folder}/checkpoint.pth`) }], { checkpoint: folder });
      expect(r.files[0].format).toBe(exp.format);
      expectStats(r, exp);
      expect(r.complete).toBe(true);
      expect(r.tensorsSkipped).toBe(1);
      expect(r.tensorsRead).toBe(Object.keys(exp.tensors).length - 1);
      expect(byName(r).get('extras.strided')!.reason).toMatch(/not one contiguous range/);
    });

    it(`${folder}: findings name the NaN tensors, the all-zero bias, the negative exp_avg_sq and the transposed moments`, async () => {
      const exp = expected(folder);
      const r = await checkHealth([{ path: 'checkpoint.pth', src: source(`${folder}/checkpoint.pth`) }], { checkpoint: folder });
      const f = new Map(r.findings.map((x) => [x.id.split(':')[0], x]));
      expect(exp.nan_tensors).toEqual(['model.0.weight', 'extras.half']);
      expect(f.get('health-nan')!.title).toBe('2 tensors contain NaN');
      expect(f.get('health-nan')!.sentence).toContain('model.0.weight, extras.half');
      expect(f.get('health-nan')!.evidence).toEqual(['model.0.weight: 2 NaN of 32 elements (checkpoint.pth)', 'extras.half: 1 NaN of 5 elements (checkpoint.pth)']);
      expect(f.get('health-inf')!.evidence.map((e) => e.split(':')[0])).toEqual(exp.inf_tensors);
      expect(f.get('health-zero')!.evidence).toEqual(['model.2.bias [2] float32: 2 zeros (checkpoint.pth)']);
      expect(f.get('health-negative-second-moment')!.evidence).toEqual([`${exp.negative_exp_avg_sq![0]}: min -0.0010000000474974513 (checkpoint.pth)`]);
      expect(f.get('health-optimizer-shape')!.evidence).toEqual(['optimizer.state.2.exp_avg [4, 2] vs its parameter model.2.weight [2, 4]']);
      expect(r.findings.every((x) => x.checkpoints[0] === folder)).toBe(true);
    });
  }

  it('safetensors: float32, float16, bfloat16, float8 e4m3fn / e5m2 and int64 equal numpy', async () => {
    const r = await checkHealth([{ path: 'model.safetensors', src: source('safetensors_model/model.safetensors') }]);
    expectStats(r, expected('safetensors_model'));
    expect(r.findings.find((f) => f.id.startsWith('health-nan'))!.title).toBe('3 tensors contain NaN');
  });

  it('float8 decoders follow OCP OFP8: e4m3fn has no Inf and max 448, e5m2 max 57344', () => {
    expect(decodeE4m3fnBits(0x7e)).toBe(448);
    expect(decodeE4m3fnBits(0x7f)).toBeNaN();
    expect(decodeE4m3fnBits(0x78)).toBe(256);
    expect(decodeE4m3fnBits(0x01)).toBe(2 ** -9);
    expect(decodeE5m2Bits(0x7b)).toBe(57344);
    expect(decodeE5m2Bits(0x7c)).toBe(Infinity);
    expect(decodeE5m2Bits(0xfc)).toBe(-Infinity);
    expect(decodeE5m2Bits(0x7d)).toBeNaN();
  });

  it('reads in chunks no larger than the chunk size, reports progress, and reads each tensor byte once', async () => {
    const { source: src, stats } = countingSource(source('nan_checkpoint/checkpoint.pth'));
    const sizes: number[] = [];
    const inner = src.read.bind(src);
    const spy: ByteSource = { ...src, read: async (o, n) => (sizes.push(n), inner(o, n)) };
    const progress: number[] = [];
    const r = await checkHealth([{ path: 'c.pth', src: spy }], { chunkBytes: 16, onProgress: (d, t) => progress.push(d / t) });
    expect(progress.at(-1)).toBe(1);
    expect(r.bytesRead).toBe(r.bytesTotal);
    const exp = expected('nan_checkpoint');
    const read = byName(r);
    const size: Record<string, number> = { float16: 2, bfloat16: 2, float32: 4, float64: 8, int64: 8 };
    const tensorBytes = Object.entries(exp.tensors).filter(([, e]) => !e.skipped).reduce((n, [name, e]) => n + e.numel * size[read.get(name)!.dtype], 0);
    expect(r.bytesTotal).toBe(tensorBytes);
    // metadata reads aside, tensor reads are at most one chunk
    expect(stats.bytesRead).toBeGreaterThan(r.bytesRead);
    expect(sizes.filter((n) => n <= 16).length).toBeGreaterThan(20);
  });

  it('stops when aborted: the report is incomplete and names the tensors not read', async () => {
    const ctl = new AbortController();
    const r = await checkHealth([{ path: 'c.pth', src: source('nan_checkpoint/checkpoint.pth') }], { chunkBytes: 8, onProgress: (d) => d >= 64 && ctl.abort(), signal: ctl.signal });
    expect(r.complete).toBe(false);
    expect(r.bytesRead).toBeLessThan(r.bytesTotal);
    expect(r.files[0].tensors.some((t) => t.status === 'stopped')).toBe(true);
  });
});

describe('share link', () => {
  it('carries the health summary (counts, findings) without tensor values, ids and paths scrubbed', async () => {
    const { makeSnapshot, encodeSnapshot, decodeSnapshot } = await import('../src/core/share/snapshot');
    const { summarizeHealth } = await import('../src/core/health/types');
    const r = await checkHealth([{ path: 'runs/x/nan_checkpoint/checkpoint.pth', src: source('nan_checkpoint/checkpoint.pth') }], { checkpoint: 'runs/x/nan_checkpoint' });
    const snap = decodeSnapshot(encodeSnapshot(makeSnapshot([], [], {}, false, new Date(0), { health: [summarizeHealth('runs/x/nan_checkpoint', r)] })));
    const h = snap.health![0];
    expect(h).toMatchObject({ checkpoint: 'nan_checkpoint', tensorsRead: 23, tensorsSkipped: 1, nanTensors: 2, infTensors: 2, complete: true });
    expect(h.findings.map((f) => f.title)).toEqual(r.findings.map((f) => f.title));
    expect(JSON.stringify(h)).not.toContain('runs/x');
    expect(JSON.stringify(h)).not.toContain('0.3353649973869324'); // model.0.weight's max: never in a link
  });
});
