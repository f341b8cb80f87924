/**
 * Findings of a health scan, in words: NaN and infinite values (a run resumed from them continues
 * from NaN), all-zero weights, negative second moments in an optimizer state (Adam's `exp_avg_sq`
 * is a running mean of squared gradients, torch/optim/adam.py: it cannot be negative, so a negative
 * value means the state is corrupted), and optimizer states whose shape does not match their
 * parameter (the state belongs to another model, or the param order changed).
 */
import type { Finding } from '../findings/types';
import type { TensorFileIndex } from './tensorIndex';
import { FLOAT_DTYPES } from './tensorStats';
import type { FileHealth, TensorHealth } from './types';

/** Tensors named in a finding's sentence; the evidence lists up to {@link EVIDENCE_LIMIT}. */
const NAMED = 3;
const EVIDENCE_LIMIT = 20;

/** Optimizer slots that hold sums or means of squares (Adam / AdamW / AMSGrad, RMSprop, Adagrad): never negative. */
const SQUARE_SLOTS: ReadonlySet<string> = new Set(['exp_avg_sq', 'max_exp_avg_sq', 'square_avg', 'sum']);

/** Names of buffers a model state dict holds that are not parameters (BatchNorm). */
const BUFFER_SUFFIX = /(^|\.)(running_mean|running_var|num_batches_tracked)$/;

const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;

function names(ts: readonly TensorHealth[]): string {
  const shown = ts.slice(0, NAMED).map((t) => t.name).join(', ');
  return ts.length > NAMED ? `${shown} and ${ts.length - NAMED} more` : shown;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * Findings of a scan.
 * @param files the scanned tensors, per file
 * @param indexes the files' tensor indexes (for optimizer param order and the model's order)
 * @param checkpoint id put in each finding's `checkpoints`
 */
export function healthFindings(files: readonly FileHealth[], indexes: readonly TensorFileIndex[], checkpoint: string): Finding[] {
  const all = files.flatMap((f) => f.tensors);
  const out: Finding[] = [];
  const cps = checkpoint ? [checkpoint] : [];
  const nan = all.filter((t) => t.nan > 0);
  if (nan.length) {
    out.push({
      id: `health-nan:${checkpoint}`, severity: 'error', checkpoints: cps,
      title: `${plural(nan.length, 'tensor')} contain${nan.length === 1 ? 's' : ''} NaN`,
      sentence: `${plural(nan.length, 'tensor')} contain${nan.length === 1 ? 's' : ''} NaN: ${names(nan)}. A run resumed from this checkpoint starts from NaN.`,
      evidence: nan.slice(0, EVIDENCE_LIMIT).map((t) => `${t.name}: ${t.nan} NaN of ${t.numel} elements (${t.file})`),
      suggestion: 'Resume from an earlier checkpoint saved before the loss diverged.',
    });
  }
  const inf = all.filter((t) => t.posInf + t.negInf > 0);
  if (inf.length) {
    out.push({
      id: `health-inf:${checkpoint}`, severity: 'error', checkpoints: cps,
      title: `${plural(inf.length, 'tensor')} contain${inf.length === 1 ? 's' : ''} infinite values`,
      sentence: `${plural(inf.length, 'tensor')} contain${inf.length === 1 ? 's' : ''} +Inf or -Inf: ${names(inf)}.`,
      evidence: inf.slice(0, EVIDENCE_LIMIT).map((t) => `${t.name}: ${t.posInf} +Inf, ${t.negInf} -Inf of ${t.numel} elements (${t.file})`),
    });
  }
  const zero = all.filter((t) => t.status === 'read' && t.role !== 'optimizer' && FLOAT_DTYPES.has(t.dtype) && t.numel > 1 && t.zeros === t.numel);
  if (zero.length) {
    out.push({
      id: `health-zero:${checkpoint}`, severity: 'warning', checkpoints: cps,
      title: `${plural(zero.length, 'tensor')} ${zero.length === 1 ? 'is' : 'are'} all zeros`,
      sentence: `Every element of ${names(zero)} is 0: fine for a bias or a LoRA B matrix at initialisation, a lost save for trained weights.`,
      evidence: zero.slice(0, EVIDENCE_LIMIT).map((t) => `${t.name} ${shapeText(t.shape)} ${t.dtype}: ${t.numel} zeros (${t.file})`),
    });
  }
  const negative = all.filter((t) => t.role === 'optimizer' && SQUARE_SLOTS.has(lastPart(t.name)) && t.min !== undefined && t.min < 0);
  if (negative.length) {
    out.push({
      id: `health-negative-second-moment:${checkpoint}`, severity: 'error', checkpoints: cps,
      title: 'Negative second moments in the optimizer state',
      sentence: `${names(negative)} ${negative.length === 1 ? 'holds' : 'hold'} negative values: a running mean of squared gradients cannot be negative, so this optimizer state is corrupted.`,
      evidence: negative.slice(0, EVIDENCE_LIMIT).map((t) => `${t.name}: min ${t.min} (${t.file})`),
      suggestion: 'Resume with a fresh optimizer state, or from an earlier checkpoint.',
    });
  }
  const mismatches = shapeMismatches(indexes);
  if (mismatches.length) {
    out.push({
      id: `health-optimizer-shape:${checkpoint}`, severity: 'error', checkpoints: cps,
      title: 'Optimizer state does not match the model',
      sentence: `${plural(mismatches.length, 'optimizer state')} ${mismatches.length === 1 ? 'has' : 'have'} a shape that does not match ${mismatches.length === 1 ? 'its parameter' : 'their parameters'}: ${mismatches.slice(0, NAMED).join('; ')}${mismatches.length > NAMED ? `; and ${mismatches.length - NAMED} more` : ''}. Loading it into this model fails or trains with the wrong moments.`,
      evidence: mismatches.slice(0, EVIDENCE_LIMIT),
    });
  }
  return out;
}

const lastPart = (name: string): string => name.slice(name.lastIndexOf('.') + 1);

/**
 * Optimizer states whose moment shapes differ from each other, or from the parameter they belong
 * to. Parameter `i` of `param_groups[*].params` (in order) is paired with the i-th parameter of the
 * model's state dict (its registration order, BatchNorm buffers left out) only when the counts
 * are equal; otherwise only the moments are compared with each other.
 */
export function shapeMismatches(indexes: readonly TensorFileIndex[]): string[] {
  const out: string[] = [];
  const model = indexes.flatMap((ix) => ix.modelOrder.filter((n) => !BUFFER_SUFFIX.test(n)).map((n) => ix.tensors.find((t) => t.name === n)).filter((t) => t !== undefined && FLOAT_DTYPES.has(t.dtype)));
  for (const ix of indexes) {
    for (const opt of ix.optimizers) {
      const states = ix.tensors.filter((t) => t.optimizer?.path === opt.path && t.optimizer.slot !== 'step' && t.shape.length > 0);
      const byParam = new Map<number, typeof states>();
      for (const t of states) {
        const p = t.optimizer?.param ?? Number.NaN;
        byParam.set(p, [...(byParam.get(p) ?? []), t]);
      }
      const pairable = model.length > 0 && model.length === opt.paramIds.length;
      for (const [param, ts] of byParam) {
        const ref = ts[0];
        const odd = ts.find((t) => shapeText(t.shape) !== shapeText(ref.shape));
        if (odd) {
          out.push(`${odd.name} ${shapeText(odd.shape)} differs from ${ref.name} ${shapeText(ref.shape)}`);
          continue;
        }
        const at = opt.paramIds.indexOf(param);
        const p = pairable && at >= 0 ? model[at] : undefined;
        if (p && shapeText(p.shape) !== shapeText(ref.shape)) out.push(`${ref.name} ${shapeText(ref.shape)} vs its parameter ${p.name} ${shapeText(p.shape)}`);
      }
    }
  }
  return out;
}
