/** Run verdicts on the project's own fixtures: the one answer per run that the page, findings and CLI share. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { NOT_READ, notReadSummary } from '../src/core/conventions/summary';
import { analyzeRuns, RunReportCache } from '../src/core/findings/runFindings';
import { analyzeFolder, OWN } from './support/fixtures';

async function verdicts(dir: string) {
  const { summaries } = await analyzeFolder(dir);
  return analyzeRuns({ summaries, otherFolders: [], files: [] }).runs;
}

describe('run verdicts', () => {
  test('a file that runs code: the verdict says do not load it, before any resume advice', async () => {
    const runs = await verdicts(join(OWN, 'bad'));
    const v = runs[0].verdict;
    expect(v.severity).toBe('error');
    expect(v.happens).toBe('Loading malicious_os_system.pth with torch.load would run code it carries (see its safety section).');
    expect(v.action).toContain('Delete malicious_os_system.pth');
  });

  test('Ultralytics: the resume pick is last.pt; a stripped best.pt is never advised to be resumed', async () => {
    const runs = await verdicts(join(OWN, 'ultralytics', 'runs'));
    expect(runs).toHaveLength(1);
    expect(runs[0].verdict.resumeFrom).toBe('runs/detect/train/weights/last.pt');
    expect(runs[0].verdict.happens).toMatch(/^Resuming from last\.pt will start epoch index 5/);
  });

  test('the lost end-of-epoch save: resume from the furthest checkpoint first, the repair second and why', async () => {
    const runs = await verdicts(join(OWN, 'enstack_run'));
    const v = runs[0].verdict;
    expect(v.severity).toBe('error');
    expect(v.action).toBe('Resume from recovery_checkpoint (epoch 3 step 450): it holds the most training of this run.');
    expect(v.secondChoice).toMatch(/^Marking epoch 2 complete in last_checkpoint would start epoch 3 from batch 0 and discard what recovery_checkpoint trained beyond that\. Its optimizer has taken 1700 steps where epoch 2 complete means 1800/);
  });

  test('reading stopped part way through a run: never "resume as it is", and says how many were not read', async () => {
    const { summaries } = await analyzeFolder(join(OWN, 'enstack_run'));
    // as Stop leaves it: two checkpoints read, the other three not
    const read = new Set(['.backup_last_checkpoint', 'checkpoint_epoch3_step300']);
    const partly = summaries.map((s) => (read.has(s.name) ? s : notReadSummary(s.id, s.name, s.path)));
    expect(partly.filter((s) => s.kind === NOT_READ)).toHaveLength(3);
    const v = analyzeRuns({ summaries: partly, otherFolders: [], files: [] }).runs[0].verdict;
    expect(v.severity).toBe('warning');
    expect(v.assessment).toBe('3 of the 5 checkpoints of this run were not read (reading was stopped), so this may change once they are.');
    expect(v.action).toMatch(/^Drop the folder again to read them before resuming; from what was read: /);
    // read whole, the same run is an error (recovery_checkpoint holds more training)
    expect(analyzeRuns({ summaries, otherFolders: [], files: [] }).runs[0].verdict.severity).toBe('error');
  });

  test('with a cache, unchanged runs keep their reports and the result equals a fresh analysis', async () => {
    const enstack = (await analyzeFolder(join(OWN, 'enstack_run'))).summaries;
    const hf = (await analyzeFolder(join(OWN, 'hf_trainer'))).summaries;
    const cache = new RunReportCache();
    const first = analyzeRuns({ summaries: [...enstack, ...hf], otherFolders: [], files: [] }, cache);
    expect(first.runs).toHaveLength(2);
    // one HF summary arrives again as a new object (a refresh while reading): only its run is redone
    const hf2 = hf.map((s, i) => (i === 0 ? { ...s } : s));
    const second = analyzeRuns({ summaries: [...enstack, ...hf2], otherFolders: [], files: [] }, cache);
    const runOf = (r: typeof first, kind: string) => r.runs.find((x) => x.run.convention === kind);
    expect(runOf(first, 'enstack')?.verdict.severity).toBe('error');
    expect(runOf(second, 'enstack')).toBe(runOf(first, 'enstack'));
    expect(runOf(second, 'hf-trainer')).not.toBe(runOf(first, 'hf-trainer'));
    expect(second).toEqual(analyzeRuns({ summaries: [...enstack, ...hf2], otherFolders: [], files: [] }));
    // the current batches per epoch changes every run's dataset findings: nothing is kept
    const third = analyzeRuns({ summaries: [...enstack, ...hf2], otherFolders: [], files: [], currentBatchesPerEpoch: 2000 }, cache);
    expect(runOf(third, 'enstack')).not.toBe(runOf(second, 'enstack'));
    expect(third).toEqual(analyzeRuns({ summaries: [...enstack, ...hf2], otherFolders: [], files: [], currentBatchesPerEpoch: 2000 }));
  });

  test('two runs with the same leftover folder: one finding each, with distinct ids naming the folder', async () => {
    const a = (await analyzeFolder(join(OWN, 'enstack_run'))).summaries;
    // the same run again under another folder (as a drop of two copies of one trainer's output)
    const b = a.map((s) => ({ ...s, id: `copy/${s.id}`, path: `copy/${s.path}`, runFolder: s.runFolder === undefined ? undefined : `copy/${s.runFolder}` }));
    const { findings } = analyzeRuns({ summaries: [...a, ...b], otherFolders: [], files: [] });
    const leftovers = findings.filter((f) => f.id.startsWith('leftover:'));
    expect(leftovers).toHaveLength(2);
    expect(new Set(findings.map((f) => f.id)).size).toBe(findings.length);
    expect(leftovers.map((f) => f.evidence[1]).sort()).toEqual(['at copy/enstack_run/.backup_last_checkpoint', 'at enstack_run/.backup_last_checkpoint']);
  });

  test('a changed dataset size for the resume checkpoint: the verdict asks to check, and follows the field', async () => {
    const { summaries } = await analyzeFolder(join(OWN, 'hf_trainer'));
    const plain = analyzeRuns({ summaries, otherFolders: [], files: [] }).runs[0].verdict;
    expect(plain.severity).toBe('ok');
    const changed = analyzeRuns({ summaries, otherFolders: [], files: [], currentBatchesPerEpoch: 1000 }).runs[0].verdict;
    expect(changed.severity).toBe('warning');
    expect(changed.assessment).toMatch(/^checkpoint-700 was saved with \d+ batches per epoch; the dataset now gives 1000/);
    expect(changed.action).toBe(`Check that the dataset is the one this run trained on before resuming; if it changed on purpose: ${plain.action[0].toLowerCase()}${plain.action.slice(1)}`);
  });

  test('Git LFS pointers instead of the files: every file, JSON and safetensors included, says so', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ckptview-lfs-')), 'checkpoint-500');
    mkdirSync(dir);
    const pointer = 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 1467\n';
    for (const f of ['model.safetensors', 'config.json', 'trainer_state.json', 'optimizer.pt']) writeFileSync(join(dir, f), pointer);
    const { summaries } = await analyzeFolder(dir);
    expect(summaries).toHaveLength(1);
    expect(summaries[0].problems.map((p) => [p.file.split('/').pop(), p.code]).sort()).toEqual([
      ['config.json', 'lfs-pointer'],
      ['model.safetensors', 'lfs-pointer'],
      ['optimizer.pt', 'lfs-pointer'],
      ['trainer_state.json', 'lfs-pointer'],
    ]);
  });
});

describe('a legacy file that ends early', () => {
  test('its storages need more bytes than it holds: a truncated problem, never "weights_only loads it"', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const src = join(OWN, 'legacy_t7', 'checkpoint');
    const name = readdirSync(src).find((n) => n.endsWith('.t7')) as string;
    const whole = readFileSync(join(src, name));
    const dir = join(mkdtempSync(join(tmpdir(), 'ckptview-cut-')), 'cut');
    mkdirSync(dir);
    writeFileSync(join(dir, name), whole.subarray(0, whole.length - 8));
    const { summaries } = await analyzeFolder(dir);
    expect(summaries[0].problems.map((p) => p.code)).toEqual(['truncated']);
    expect(summaries[0].problems[0].message).toContain(`need ${statSync(join(src, name)).size} bytes`);
    expect(summaries[0].safety?.weightsOnlyLoads).toBe(false);
  });
});
