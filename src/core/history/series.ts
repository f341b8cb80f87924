/**
 * Metric history series on a common training axis measured in epochs (x = 1.787 means 78.7% into
 * epoch 2; x = 2 means two epochs done): best F1 / accuracy per checkpoint, `history` dicts saved in
 * training states, and TensorBoard scalars (tags under `Epoch/` are logged per epoch, other tags per
 * global step, which becomes epochs through batches per epoch).
 */
import type { CheckpointSummary } from '../conventions/summary';
import { trainingAxis } from '../findings/position';
import { groupRuns } from '../runs/groupRuns';
import type { EventFileScalars } from '../tensorboard/eventFile';

/** One (x, y) point; `label` names its source (a checkpoint name, or a step). */
export interface SeriesPoint {
  readonly x: number;
  readonly y: number;
  readonly label: string;
}

/** A plotted series. */
export interface Series {
  readonly id: string;
  readonly name: string;
  /** `metric` (0..1 scores) or `loss` (other scale); the chart gives each its own y axis. */
  readonly axis: 'metric' | 'loss';
  readonly source: 'checkpoints' | 'history' | 'tensorboard' | 'trainer_state';
  readonly points: SeriesPoint[];
  /** Shown initially (large or odd-scale series start hidden). */
  readonly visible: boolean;
  /** The run the series belongs to (`runs/groupRuns.ts` id and label), when it belongs to one. */
  readonly run?: { readonly id: string; readonly label: string };
}

const isLoss = (name: string): boolean => /loss/i.test(name);
const isLr = (name: string): boolean => /(^|\/|_)lr$|learning_rate/i.test(name);

/** Batches per epoch to convert global steps: the most common saved total_batches. */
export function batchesPerEpoch(summaries: readonly CheckpointSummary[]): number | undefined {
  const counts = new Map<number, number>();
  for (const s of summaries) {
    const t = s.progress?.totalBatches;
    if (t) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** Build every series from the loaded summaries and event files. */
export function buildSeries(summaries: readonly CheckpointSummary[], scalars: Readonly<Record<string, EventFileScalars>>): Series[] {
  const out: Series[] = [];
  const perCheckpoint = (members: readonly CheckpointSummary[], pick: (s: CheckpointSummary) => number | undefined): SeriesPoint[] =>
    members
      .flatMap((s) => {
        const x = trainingAxis(s);
        const y = pick(s);
        return x !== undefined && y !== undefined && Number.isFinite(y) ? [{ x, y, label: s.name }] : [];
      })
      .sort((a, b) => a.x - b.x || a.label.localeCompare(b.label));
  // one series per run and metric: checkpoints of different runs are never joined into one line
  const runs = groupRuns(summaries);
  const byId = new Map(summaries.map((s) => [s.id, s]));
  const runOf = new Map<string, { id: string; label: string }>();
  for (const run of runs) for (const id of run.checkpointIds) runOf.set(id, { id: run.id, label: run.label });
  for (const run of runs) {
    const members = run.checkpointIds.flatMap((id) => byId.get(id) ?? []);
    const suffix = runs.length > 1 ? `${run.label}` : 'checkpoints';
    const key = runs.length > 1 ? `:${run.id}` : '';
    const ref = { id: run.id, label: run.label };
    const f1 = perCheckpoint(members, (s) => s.bestValF1);
    const acc = perCheckpoint(members, (s) => s.bestValAcc);
    if (f1.length) out.push({ id: `ckpt:best_val_f1${key}`, name: `Best F1 (${suffix})`, axis: 'metric', source: 'checkpoints', points: f1, visible: true, run: ref });
    if (acc.length) out.push({ id: `ckpt:best_val_acc${key}`, name: `Best accuracy (${suffix})`, axis: 'metric', source: 'checkpoints', points: acc, visible: true, run: ref });
  }

  // a history dict is per run (each checkpoint of a run repeats it): the first one of each run
  const seenHistory = new Set<string>();
  for (const s of summaries) {
    const run = runOf.get(s.id);
    for (const [metric, values] of Object.entries(s.history ?? {})) {
      const key = `${run?.id ?? ''}\u0000${metric}`;
      if (seenHistory.has(key)) continue;
      seenHistory.add(key);
      out.push({
        id: runs.length > 1 && run ? `history:${run.id}:${metric}` : `history:${metric}`,
        name: runs.length > 1 && run ? `${metric} (${run.label} history in ${s.name})` : `${metric} (history in ${s.name})`,
        axis: isLoss(metric) ? 'loss' : 'metric',
        source: 'history',
        points: values.map((y, i) => ({ x: i + 1, y, label: `epoch ${i + 1}` })),
        visible: !isLr(metric),
        run,
      });
    }
  }

  // Hugging Face log_history: x = the logged fractional epoch (epochs done, the same axis). Each
  // checkpoint's trainer_state.json holds the log up to its own step (transformers `trainer.py`
  // `_save_checkpoint` writes the whole `state.log_history`), so a run's checkpoints repeat one
  // log: it is drawn once per run, merged by global step (a later checkpoint's entry wins).
  for (const run of runs) {
    const members = run.checkpointIds.flatMap((id) => {
      const s = byId.get(id);
      return s?.hf ? [s] : [];
    });
    if (!members.length) continue;
    const metrics = new Map<string, Map<string, SeriesPoint>>();
    const add = (k: string, p: SeriesPoint, step: number | undefined): void => {
      const list = metrics.get(k) ?? new Map<string, SeriesPoint>();
      list.set(step === undefined ? `x${p.x}` : `s${step}`, p);
      metrics.set(k, list);
    };
    for (const s of members) {
      const hf = s.hf as NonNullable<CheckpointSummary['hf']>;
      for (const p of hf.evalPoints) {
        if (p.epoch === undefined) continue;
        for (const [k, y] of Object.entries(p.metrics)) {
          if (/runtime|per_second|samples|steps_per/.test(k) || !Number.isFinite(y)) continue;
          add(k, { x: p.epoch, y, label: `step ${p.step ?? '?'}` }, p.step);
        }
      }
      for (const p of hf.lossPoints) if (p.epoch !== undefined && Number.isFinite(p.loss)) add('loss', { x: p.epoch, y: p.loss, label: `step ${p.step ?? '?'}` }, p.step);
    }
    const where = members.length === 1 ? (members[0] as CheckpointSummary).name : runs.length > 1 ? run.label : 'run';
    for (const [k, points] of metrics) {
      const sorted = [...points.values()].sort((a, b) => a.x - b.x);
      out.push({ id: `hf:${run.id}:${k}`, name: `${k} (${where} trainer_state)`, axis: isLoss(k) ? 'loss' : 'metric', source: 'trainer_state', points: sorted, visible: true, run: { id: run.id, label: run.label } });
    }
  }

  const perEpoch = batchesPerEpoch(summaries);
  // an event file belongs to the run whose folder holds it (the deepest such folder)
  const runOfPath = (path: string): { id: string; label: string } | undefined => {
    let best: (typeof runs)[number] | undefined;
    for (const r of runs) if ((r.folder === '' || path.startsWith(`${r.folder}/`)) && (!best || r.folder.length > best.folder.length)) best = r;
    return best ? { id: best.id, label: best.label } : undefined;
  };
  for (const [path, file] of Object.entries(scalars)) {
    const run = runOfPath(path);
    for (const [tag, pts] of Object.entries(file.series)) {
      const byEpoch = /^epoch\//i.test(tag);
      if (!byEpoch && !perEpoch) continue;
      out.push({
        id: `tb:${path}:${tag}`,
        name: runs.length > 1 && run ? `${tag} (${run.label} TensorBoard)` : `${tag} (TensorBoard)`,
        axis: isLoss(tag) ? 'loss' : isLr(tag) ? 'loss' : 'metric',
        source: 'tensorboard',
        points: pts.map((p) => ({ x: byEpoch ? p.step : p.step / (perEpoch as number), y: p.value, label: `step ${p.step}` })),
        visible: !isLr(tag),
        run,
      });
    }
  }
  return out;
}
