/**
 * Share links: a snapshot of real summaries survives the round trip (NaN and -Infinity included),
 * carries no local paths unless asked, and stays short for a folder of 20 checkpoints.
 */
import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { decodeSnapshot, encodeSnapshot, makeSnapshot } from '../src/core/share/snapshot';
import { runFindings } from '../src/core/findings/runFindings';
import { analyzeFolder, OWN } from './support/fixtures';

describe('share snapshot', () => {
  test('round trip of a run folder: findings computed from the link equal the originals', async () => {
    const { plan, summaries } = await analyzeFolder(join(OWN, 'enstack_run'));
    const link = encodeSnapshot(makeSnapshot(summaries, plan.otherFolders, {}, false));
    const back = decodeSnapshot(link);
    expect(back.summaries.map((s) => [s.name, s.progress, s.bestValF1, s.bestValAcc, s.optimizer?.steps])).toEqual(summaries.map((s) => [s.name, s.progress, s.bestValF1, s.bestValAcc, s.optimizer?.steps]));
    const before = runFindings({ summaries, otherFolders: plan.otherFolders, files: [] }).map((f) => f.sentence);
    const after = runFindings({ summaries: back.summaries, otherFolders: back.otherFolders, files: [] }).map((f) => f.sentence);
    expect(after).toEqual(before);
  });

  test('no local paths unless asked', async () => {
    const { plan, summaries } = await analyzeFolder(join(OWN, 'enstack_run'));
    const withPaths = summaries.map((s) => ({ ...s, path: `home/alice/runs/${s.path}`, files: s.files.map((f) => ({ ...f, path: `home/alice/runs/${f.path}` })) }));
    const plain = decodeSnapshot(encodeSnapshot(makeSnapshot(withPaths, plan.otherFolders, {}, false)));
    expect(JSON.stringify(plain)).not.toContain('alice');
    const opted = decodeSnapshot(encodeSnapshot(makeSnapshot(withPaths, plan.otherFolders, {}, true)));
    expect(JSON.stringify(opted)).toContain('home/alice/runs');
  });

  test('no folder path anywhere: Lightning best_model_path, HF output_dir, ids', async () => {
    for (const dir of [join(OWN, 'lightning'), join(OWN, 'hf_trainer', 'checkpoint-700')]) {
      const { summaries } = await analyzeFolder(dir);
      const secret = summaries.map((s) => ({ ...s, id: `home/alice/${s.id}`, path: `home/alice/${s.path}` }));
      const text = JSON.stringify(decodeSnapshot(encodeSnapshot(makeSnapshot(secret, [], {}, false))));
      expect(text).not.toContain('alice');
      expect(text).not.toMatch(/"[^"]*\/[^"]*"/); // no string value with a slash survives
      expect(JSON.stringify(summaries)).toMatch(/ckpts\/|out\//); // the originals did hold paths
    }
  });

  test('NaN and -Infinity from trainer_state.json survive', async () => {
    const { summaries } = await analyzeFolder(join(OWN, 'hf_trainer', 'checkpoint-700'));
    const back = decodeSnapshot(encodeSnapshot(makeSnapshot(summaries, [], {}, false)));
    const grad = back.summaries[0].hf!.lossPoints.map((p) => p.gradNorm);
    expect(grad.some((g) => Number.isNaN(g))).toBe(true);
    expect(back.summaries[0].hf!.lossPoints).toEqual(summaries[0].hf!.lossPoints);
  });

  test('a folder of 20 different checkpoints makes a link under 6,000 characters', async () => {
    const { summaries } = await analyzeFolder(join(OWN, 'enstack_run'));
    // 20 checkpoints of one run: same structure, each with its own position, metrics and steps
    const twenty = Array.from({ length: 20 }, (_, i) => {
      const s = summaries[i % summaries.length];
      const step = 37 * i + 11;
      return {
        ...s,
        id: `run/checkpoint_epoch${i}_step${step}`,
        name: `checkpoint_epoch${i}_step${step}`,
        progress: s.progress && { ...s.progress, epoch: i + 1, step },
        bestValF1: 0.5 + i / 97,
        bestValAcc: 0.6 + i / 89,
        optimizer: s.optimizer && { ...s.optimizer, steps: 900 * i + step },
        totalBytes: 4000 + 13 * i,
      };
    });
    const link = encodeSnapshot(makeSnapshot(twenty, [], {}, false));
    expect(decodeSnapshot(link).summaries).toHaveLength(20);
    expect(link.length).toBeLessThan(6_000);
  });

  test('damaged links give a sentence, not a crash', () => {
    expect(() => decodeSnapshot('#s=N4Ig')).toThrow(/damaged|cut short/);
    expect(() => decodeSnapshot('#s=')).toThrow(/damaged|cut short/);
  });
});

describe('runs in a link without paths', () => {
  test('two runs stay two runs under anonymous names; findings are computed per run as before', async () => {
    const { analyzeRuns } = await import('../src/core/findings/runFindings');
    const a = (await analyzeFolder(join(OWN, 'enstack'))).summaries.map((s) => ({ ...s, id: `a/${s.id}`, path: `a/${s.path}` }));
    const b = (await analyzeFolder(join(OWN, 'enstack_run'))).summaries.map((s) => ({ ...s, id: `b/${s.id}`, path: `b/${s.path}` }));
    const local = analyzeRuns({ summaries: [...a, ...b], otherFolders: [], files: [] });
    const shared = decodeSnapshot(encodeSnapshot(makeSnapshot([...a, ...b], [], {}, false)));
    const back = analyzeRuns({ summaries: shared.summaries, otherFolders: [], files: [] });
    expect(back.runs.map((r) => r.run.label)).toEqual(['run 1', 'run 2']);
    expect(back.runs.map((r) => r.verdict.happens)).toEqual(local.runs.map((r) => r.verdict.happens));
    expect(back.findings.filter((f) => f.id.startsWith('lost-epoch-end')).length).toBe(2);
  });
});
