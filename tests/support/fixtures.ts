/** Test support: fixture locations, opening folders through the core like the worker does. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyzeCheckpoint } from '../../src/core/analyze/analyzeCheckpoint';
import type { CheckpointSummary } from '../../src/core/conventions/summary';
import { planDrop, type DropPlan } from '../../src/core/folder/plan';
import { bytesSource, type ByteSource } from '../../src/core/bytes/byteSource';
import { readFileSync } from 'node:fs';

export const ROOT = join(__dirname, '..', '..');
export const OWN = join(ROOT, 'fixtures');
export const SHARED = join(ROOT, '..', 'shared', 'fixtures');
export const REALWORLD = join(ROOT, '..', 'shared', 'realworld');
export const HAS_SHARED = existsSync(SHARED);

/** Every file under `dir`, recursively (absolute paths). */
export function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

/** Folders under `dir` (recursively, `dir` included) that hold an expected.json next to a training_state.pth. */
export function checkpointFolders(dir: string): string[] {
  return walk(dir)
    .filter((p) => p.endsWith('/training_state.pth') && existsSync(join(p, '..', 'expected.json')))
    .map((p) => join(p, '..'));
}

/** Analyse a folder on disk as if it had been dropped (paths relative to its parent). */
export async function analyzeFolder(dir: string): Promise<{ plan: DropPlan; summaries: CheckpointSummary[] }> {
  const parent = join(dir, '..');
  const files = walk(dir).map((p) => ({ path: relative(parent, p), size: statSync(p).size }));
  const sources = new Map<string, ByteSource>(files.map((f) => [f.path, bytesSource(new Uint8Array(readFileSync(join(parent, f.path))), f.path)]));
  const plan = planDrop(files);
  const sizes = new Map(files.map((f) => [f.path, f.size]));
  const summaries: CheckpointSummary[] = [];
  for (const c of plan.checkpoints) summaries.push(await analyzeCheckpoint(c, (p) => sources.get(p)!, sizes));
  return { plan, summaries };
}

/** A summary in the vocabulary of the fixtures' expected.json (what torch.load returned). */
export function asExpected(s: CheckpointSummary): Record<string, unknown> {
  const p = s.progress;
  return {
    kind: s.kind,
    epoch: p?.epoch,
    step: p?.step,
    total_batches: p?.totalBatches ?? 0,
    epoch_complete: p?.status === 'complete',
    progress_percent: p?.progressPercent ?? null,
    remaining_batches: p?.remainingBatches ?? null,
    resume: p?.resume.text,
    best_val_f1: s.bestValF1,
    best_val_acc: s.bestValAcc,
    model_parameters: s.model?.parameters,
    optimizer_steps: s.optimizer?.steps ?? null,
    optimizer_param_states: s.optimizer?.paramStates,
    scheduler_last_epoch: s.scheduler?.lastEpoch,
    scaler_scale: s.scaler?.scale,
    pickle_protocol: s.files.find((f) => f.role === 'training state')?.pickleProtocol,
  };
}
