/**
 * Compare two checkpoints (or a run of them): fields from their summaries, tensors from their
 * files (`tensorDiff.ts`), and the findings.
 */
import type { CheckpointSummary } from '../conventions/summary';
import type { HealthInput } from '../health/checkHealth';
import { indexTensors } from '../health/tensorIndex';
import { checkpointLabel, comparePositions, diffFields } from './fieldDiff';
import { frozenFinding, pairFindings } from './diffFindings';
import { diffTensors, type IndexedCheckpoint, type TensorDiffOptions } from './tensorDiff';
import type { CheckpointDiff } from './types';
import type { Finding } from '../findings/types';

/** A checkpoint to compare: its summary and its tensor files (torch.save and safetensors). */
export interface DiffInput {
  readonly summary: CheckpointSummary;
  readonly files: readonly HealthInput[];
}

/**
 * Index the tensor files of a checkpoint (reads metadata only: central directory, pickle,
 * safetensors header, local headers); files that cannot be indexed are left out.
 */
export async function indexCheckpoint(c: DiffInput): Promise<IndexedCheckpoint> {
  const files: IndexedCheckpoint['files'][number][] = [];
  for (const f of c.files) {
    try {
      files.push({ path: f.path, src: f.src, index: await indexTensors(f.src) });
    } catch {
      // not a tensor file (or damaged): its tensors are not compared
    }
  }
  return { files };
}

/**
 * Compare `a` and `b`: fields side by side, every tensor, findings.
 * @param options hashing chunk size, progress and stop (hashing happens only where a side is not a
 *        whole-storage torch zip record)
 */
export async function diffCheckpoints(a: DiffInput, b: DiffInput, options: TensorDiffOptions = {}): Promise<CheckpointDiff> {
  return diffIndexed(a.summary, await indexCheckpoint(a), b.summary, await indexCheckpoint(b), options);
}

async function diffIndexed(sa: CheckpointSummary, ia: IndexedCheckpoint, sb: CheckpointSummary, ib: IndexedCheckpoint, options: TensorDiffOptions): Promise<CheckpointDiff> {
  const t = await diffTensors(ia, ib, options);
  return {
    a: { id: sa.id, name: checkpointLabel(sa) },
    b: { id: sb.id, name: checkpointLabel(sb) },
    fields: diffFields(sa, sb),
    tensors: t.tensors,
    counts: t.counts,
    bytesHashed: t.bytesHashed,
    complete: t.complete,
    findings: pairFindings(sa, sb, t.tensors),
  };
}

/**
 * Compare a run's checkpoints in training order (each with the next), then look for layers that
 * never changed (with 3 or more checkpoints).
 * @returns the consecutive diffs and the run's findings (the pairs' findings plus the frozen one)
 */
export async function diffRun(inputs: readonly DiffInput[], options: TensorDiffOptions = {}): Promise<{ order: CheckpointSummary[]; diffs: CheckpointDiff[]; findings: Finding[] }> {
  const sorted = [...inputs].sort((x, y) => comparePositions(x.summary, y.summary));
  const indexed: IndexedCheckpoint[] = [];
  for (const c of sorted) indexed.push(await indexCheckpoint(c));
  const diffs: CheckpointDiff[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) diffs.push(await diffIndexed(sorted[i].summary, indexed[i], sorted[i + 1].summary, indexed[i + 1], options));
  const order = sorted.map((c) => c.summary);
  const frozen = frozenFinding(order, diffs.map((d) => d.tensors));
  return { order, diffs, findings: [...diffs.flatMap((d) => d.findings), ...(frozen ? [frozen] : [])] };
}
