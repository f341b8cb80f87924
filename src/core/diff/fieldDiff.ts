/**
 * Counters, metrics and hyper-parameters of two checkpoint summaries side by side, as display
 * text: the shared position model (`conventions/summary.ts` TrainingPosition), saved metrics and
 * facts, optimizer / scheduler / scaler and model summaries.
 */
import type { CheckpointSummary } from '../conventions/summary';
import type { FieldRow } from './types';

type Value = string | number | boolean | undefined;

const text = (v: Value): string | undefined => (v === undefined ? undefined : typeof v === 'number' ? String(Number.isInteger(v) ? v : Number(v.toPrecision(6))) : String(v));

/**
 * The rows comparing `a` and `b`: one per field either has, in groups; fields both lack are left
 * out. `same` compares the display text.
 */
export function diffFields(a: CheckpointSummary, b: CheckpointSummary): FieldRow[] {
  const rows: FieldRow[] = [];
  const add = (group: string, label: string, x: Value, y: Value): void => {
    const ta = text(x);
    const tb = text(y);
    if (ta === undefined && tb === undefined) return;
    rows.push({ group, label, a: ta, b: tb, same: ta === tb });
  };
  const pa = a.position;
  const pb = b.position;
  add('position', 'epoch', pa?.epoch ?? a.progress?.epoch, pb?.epoch ?? b.progress?.epoch);
  add('position', 'epochs completed', pa?.epochsCompleted, pb?.epochsCompleted);
  add('position', 'step in epoch', pa?.stepInEpoch ?? a.progress?.step, pb?.stepInEpoch ?? b.progress?.step);
  add('position', 'steps per epoch', pa?.stepsPerEpoch ?? a.progress?.totalBatches, pb?.stepsPerEpoch ?? b.progress?.totalBatches);
  add('position', 'global step', pa?.globalStep, pb?.globalStep);
  add('position', 'resume', pa?.resume ?? a.progress?.resume.text, pb?.resume ?? b.progress?.resume.text);
  add('metrics', 'best F1', a.bestValF1, b.bestValF1);
  add('metrics', 'best accuracy', a.bestValAcc, b.bestValAcc);
  if (a.bestMetric || b.bestMetric) add('metrics', a.bestMetric?.name ?? b.bestMetric?.name ?? 'best metric', a.bestMetric?.value, b.bestMetric?.value);
  const metricNames = [...new Set([...(a.metrics ?? []), ...(b.metrics ?? [])].map((m) => m.name))];
  for (const n of metricNames) add('metrics', n, a.metrics?.find((m) => m.name === n)?.value, b.metrics?.find((m) => m.name === n)?.value);
  const factLabels = [...new Set([...(a.facts ?? []), ...(b.facts ?? [])].map((f) => f.label))];
  for (const l of factLabels) add('facts', l, a.facts?.find((f) => f.label === l)?.value, b.facts?.find((f) => f.label === l)?.value);
  add('optimizer', 'optimizer steps', a.optimizer?.steps, b.optimizer?.steps);
  add('optimizer', 'learning rate', a.optimizer?.lr, b.optimizer?.lr);
  add('optimizer', 'parameter states', a.optimizer?.paramStates, b.optimizer?.paramStates);
  add('scheduler', 'last_epoch', a.scheduler?.lastEpoch, b.scheduler?.lastEpoch);
  add('scheduler', 'last LR', a.scheduler?.lastLr, b.scheduler?.lastLr);
  add('scaler', 'scale', a.scaler?.scale, b.scaler?.scale);
  add('model', 'parameters', a.model?.parameters, b.model?.parameters);
  add('model', 'tensors', a.model?.tensors, b.model?.tensors);
  add('model', 'dtypes', a.model?.dtypes.join(', '), b.model?.dtypes.join(', '));
  add('files', 'size (bytes)', a.totalBytes, b.totalBytes);
  return rows;
}

/**
 * -1 when `a` is earlier in training than `b`, 1 when later, 0 when the positions are equal or
 * not comparable: by global step, else by (epochs completed, step in epoch).
 */
export function comparePositions(a: CheckpointSummary, b: CheckpointSummary): number {
  const ga = a.position?.globalStep;
  const gb = b.position?.globalStep;
  if (ga !== undefined && gb !== undefined && ga !== gb) return ga < gb ? -1 : 1;
  const ea = a.position?.epochsCompleted ?? a.progress?.epoch;
  const eb = b.position?.epochsCompleted ?? b.progress?.epoch;
  if (ea !== undefined && eb !== undefined && ea !== eb) return ea < eb ? -1 : 1;
  const sa = a.position?.stepInEpoch ?? a.progress?.step;
  const sb = b.position?.stepInEpoch ?? b.progress?.step;
  if (sa !== undefined && sb !== undefined && sa !== sb && ea === eb) return sa < sb ? -1 : 1;
  return 0;
}

/**
 * A checkpoint's name for sentences: its name, or `<folder>/<file>` for a single-file checkpoint
 * (two `checkpoint.pth` in `epoch_1/` and `epoch_2/` stay apart).
 */
export function checkpointLabel(s: CheckpointSummary): string {
  const parts = s.id.split('/');
  return parts.length > 1 && /\.[A-Za-z0-9]+$/.test(s.name) ? parts.slice(-2).join('/') : s.name;
}
