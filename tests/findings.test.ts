/**
 * Findings across a run folder (own fixtures/enstack_run, and ../shared/fixtures/enstack_run):
 * the lost end-of-epoch save, the interrupted-save leftovers, where a resume starts.
 */
import { describe, expect, test } from 'vitest';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runFindings } from '../src/core/findings/runFindings';
import type { CheckpointSummary } from '../src/core/conventions/summary';
import { analyzeFolder, OWN, SHARED, walk } from './support/fixtures';

interface RunExpected {
  checkpoints: string[];
  interrupted_save_leftovers: string[];
  finding?: string;
  latest_checkpoint?: string;
}

async function findingsOf(dir: string, currentBatchesPerEpoch?: number) {
  const { plan, summaries } = await analyzeFolder(dir);
  const files = walk(dir).map((p) => ({ path: relative(join(dir, '..'), p), size: statSync(p).size }));
  return { summaries, findings: runFindings({ summaries, otherFolders: plan.otherFolders, files, currentBatchesPerEpoch }) };
}

function checkRun(dir: string): void {
  const readExpected = (): RunExpected => JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as RunExpected;
  test(`${relative(join(dir, '..', '..'), dir)}: one row per checkpoint`, async () => {
    const expected = readExpected();
    const { summaries } = await findingsOf(dir);
    const names = summaries.filter((s) => s.kind === 'enstack').map((s) => s.name).sort();
    expect(names).toEqual([...expected.checkpoints].sort());
  });
  test(`${relative(join(dir, '..', '..'), dir)}: lost end-of-epoch save and leftovers`, async () => {
    const expected = readExpected();
    const { findings } = await findingsOf(dir);
    const lost = findings.find((f) => f.id.startsWith('lost-epoch-end:'));
    expect(lost).toBeDefined();
    if (expected.finding) expect(lost!.sentence).toBe(expected.finding);
    expect(lost!.sentence).toMatch(/end-of-epoch save was lost/);
    const leftovers = findings.filter((f) => f.id.startsWith('leftover:')).map((f) => f.evidence[0]);
    for (const l of expected.interrupted_save_leftovers) {
      expect(leftovers.some((x) => x.startsWith(l.replace(/\)$/, ''))), l).toBe(true);
    }
    const resume = findings.find((f) => f.id.startsWith('resume:'));
    expect(resume!.sentence).toMatch(/^Resuming from last_checkpoint will continue epoch \d+ from step \d+/);
    if (expected.latest_checkpoint) expect(resume!.evidence.join(' ')).toContain(`the furthest checkpoint is ${expected.latest_checkpoint}`);
  });
}

describe('own run folder', () => checkRun(join(OWN, 'enstack_run')));
describe.skipIf(!existsSync(join(SHARED, 'enstack_run')))('shared run folder', () => checkRun(join(SHARED, 'enstack_run')));

describe('single-checkpoint findings', () => {
  const base = (over: Partial<CheckpointSummary>): CheckpointSummary => ({
    id: 'x', name: 'last_checkpoint', path: 'x', kind: 'enstack', files: [], totalBytes: 0, problems: [], warnings: [],
    repair: { eligible: true, reason: '' }, ...over,
  });
  test('gradient accumulation explains a step count that divides evenly', async () => {
    const { summaries } = await analyzeFolder(join(OWN, 'enstack', 'last_checkpoint'));
    const s = summaries[0];
    const expectedSteps = (s.progress!.epoch - 1) * s.progress!.totalBatches! + s.progress!.step;
    const f = runFindings({ summaries: [{ ...s, optimizer: { ...s.optimizer!, steps: expectedSteps / 4 } }], otherFolders: [], files: [] });
    expect(f.find((x) => x.id.startsWith('optimizer-steps'))?.sentence).toContain('gradient accumulation over 4 batches');
    // the fixture itself is consistent: no step finding
    expect(runFindings({ summaries: [s], otherFolders: [], files: [] }).some((x) => x.id.startsWith('optimizer-steps'))).toBe(false);
  });
  test('a dataset of a different size is flagged with what resume will do', async () => {
    const { summaries } = await analyzeFolder(join(OWN, 'enstack', 'last_checkpoint'));
    const f = runFindings({ summaries, otherFolders: [], files: [], currentBatchesPerEpoch: 2000 });
    const d = f.find((x) => x.id.startsWith('dataset-size'));
    expect(d?.sentence).toContain(`saved with ${summaries[0].progress!.totalBatches} batches per epoch; the dataset now gives 2000`);
  });
  test('Drive conflict copies and empty files', () => {
    const f = runFindings({ summaries: [base({})], otherFolders: [], files: [{ path: 'run/training_state (1).pth', size: 10 }, { path: 'run/model.safetensors', size: 0 }] });
    expect(f.find((x) => x.id.startsWith('conflict'))?.sentence).toContain('conflict copy of training_state.pth');
    expect(f.find((x) => x.id.startsWith('empty'))?.sentence).toContain('run/model.safetensors is empty');
  });
});

describe('one-decimal rounding as the seed tool prints it (Python f"{x:.1f}")', () => {
  test('31.25 prints 31.2 (ties to even on the binary value), as Python does', async () => {
    const { roundOneDecimal } = await import('../src/core/display/round');
    // values printed by /usr/bin/python3: f'{31.25:.1f}' 31.2, f'{31.35:.1f}' 31.4, f'{1499/1500*100:.1f}' 99.9, f'{99.95:.1f}' 100.0
    expect(roundOneDecimal(31.25)).toBe(31.2);
    expect(roundOneDecimal(31.35)).toBe(31.4);
    expect(roundOneDecimal(80)).toBe(80);
    expect(roundOneDecimal((1200 / 1500) * 100)).toBe(80);
    expect(roundOneDecimal((1499 / 1500) * 100)).toBe(99.9);
    expect(roundOneDecimal(99.95)).toBe(100);
  });
});

describe('metric display keeps significant digits', () => {
  test('1.8339e-06 shows as 1.834e-6, not 0.0000; ordinary scores keep 4 decimals', async () => {
    const { metric4 } = await import('../src/core/display/format');
    expect(metric4(1.8339e-6)).toBe('1.834e-6');
    expect(metric4(0.6534)).toBe('0.6534');
    expect(metric4(0)).toBe('0.0000');
    expect(metric4(-Infinity)).toBe('-Infinity');
    expect(metric4(undefined)).toBe('—');
  });
});
