/**
 * Findings of a checkpoint comparison: a save that did not write new weights (the newer
 * checkpoint's model tensors all identical to the older one's), an optimizer state that did not
 * change, and layers that never changed across a run of three or more checkpoints (frozen).
 */
import type { CheckpointSummary } from '../conventions/summary';
import type { Finding } from '../findings/types';
import { checkpointLabel, comparePositions } from './fieldDiff';
import type { TensorDiff } from './types';

const allIdentical = (ts: readonly TensorDiff[]): boolean => ts.length > 0 && ts.every((t) => t.status === 'identical');

/**
 * Findings of one comparison of `a` and `b` (either order).
 * @param tensors the per-tensor results of `diffTensors`
 */
export function pairFindings(a: CheckpointSummary, b: CheckpointSummary, tensors: readonly TensorDiff[]): Finding[] {
  const out: Finding[] = [];
  const order = comparePositions(a, b);
  const [older, newer] = order > 0 ? [b, a] : [a, b];
  const moved = order !== 0;
  const [oldName, newName] = [checkpointLabel(older), checkpointLabel(newer)];
  const ids = [a.id, b.id];
  const model = tensors.filter((t) => t.role === 'model');
  if (allIdentical(model)) {
    out.push({
      id: `diff-same-weights:${newer.id}`, severity: moved ? 'error' : 'info', checkpoints: ids,
      title: moved ? `Model weights identical to ${oldName}` : 'Same model weights',
      sentence: moved
        ? `${newName}'s model weights are identical to ${oldName}'s (older): the save did not write new weights, though its counters moved on.`
        : `${checkpointLabel(a)} and ${checkpointLabel(b)} hold the same model weights.`,
      evidence: [`${model.length} model tensors identical (${model[0].method})`],
      suggestion: moved ? `Do not trust ${newName}'s counters: resuming from it restarts from ${oldName}'s weights.` : undefined,
    });
  }
  const optimizer = tensors.filter((t) => t.role === 'optimizer');
  if (allIdentical(optimizer)) {
    out.push({
      id: `diff-same-optimizer:${newer.id}`, severity: moved ? 'warning' : 'info', checkpoints: ids,
      title: 'Optimizer state unchanged',
      sentence: `The optimizer state of ${newName} is identical to ${oldName}'s${moved ? ': no optimizer step was saved between them' : ''}.`,
      evidence: [`${optimizer.length} optimizer tensors identical`],
    });
  }
  return out;
}

/** A layer name: the tensor name without its last part (`model.0.weight` -> `model.0`). */
const layerOf = (name: string): string => (name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : name);

/**
 * Model tensors identical in every consecutive comparison of a run (at least 2 comparisons, i.e.
 * 3 checkpoints) while other model tensors changed: frozen layers.
 * @param diffs consecutive comparisons in training order
 * @returns the finding, or undefined when no layer is frozen (or every one is: that is the
 *          "identical weights" finding)
 */
export function frozenFinding(checkpoints: readonly CheckpointSummary[], diffs: readonly (readonly TensorDiff[])[]): Finding | undefined {
  if (diffs.length < 2) return undefined;
  const names = diffs[0].filter((t) => t.role === 'model').map((t) => t.name);
  const frozen = names.filter((n) => diffs.every((d) => d.find((t) => t.name === n)?.status === 'identical'));
  const changed = names.filter((n) => diffs.some((d) => d.find((t) => t.name === n)?.status === 'changed'));
  if (frozen.length === 0 || changed.length === 0) return undefined;
  const layers = [...new Set(frozen.map(layerOf))];
  return {
    id: `diff-frozen:${checkpoints[0].id}`, severity: 'warning', checkpoints: checkpoints.map((c) => c.id),
    title: `${layers.length} layer${layers.length === 1 ? '' : 's'} never changed across the run`,
    sentence: `These layers never changed across the ${checkpoints.length} checkpoints (${checkpointLabel(checkpoints[0])} to ${checkpointLabel(checkpoints[checkpoints.length - 1])}): ${layers.slice(0, 5).join(', ')}${layers.length > 5 ? ` and ${layers.length - 5} more` : ''}. They are frozen (requires_grad False, or missing from the optimizer) — intended for fine-tuning, a bug otherwise.`,
    evidence: frozen.slice(0, 20).map((n) => `${n}: identical in all ${checkpoints.length} checkpoints`),
  };
}
