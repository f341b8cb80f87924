/**
 * An MMEngine / mmcv checkpoint's position in the shared model. Rules (CONVENTIONS.md §7):
 * saved by epoch, `meta.epoch` is the completed count and `Runner.resume` sets
 * `train_loop._epoch = meta.epoch`, so `EpochBasedTrainLoop.run` starts the next epoch at batch 0;
 * saved by iteration, `meta.iter` is the iterations done and `IterBasedTrainLoop.run` advances the
 * dataloader that many batches, while an epoch-based loop re-runs the whole interrupted epoch
 * (mmengine `runner/loops.py`).
 */
import type { TrainingPosition } from '../summary';
import { savedBy, type MmMeta } from './readMeta';

/** Whether the run uses an iteration-based loop: the file is `iter_N.pth` and the config names `IterBasedTrainLoop` / `max_iters`, or meta.epoch is 0 with iterations done. */
function iterationBased(meta: MmMeta, fileName: string, cfgText: string | undefined): boolean {
  if (cfgText && /IterBasedTrainLoop|IterBasedRunner|by_epoch\s*=\s*False/.test(cfgText)) return true;
  const by = savedBy(fileName);
  return by?.by === 'iter' && (meta.maxIters !== undefined || meta.epoch === 0);
}

/**
 * The position of one MMEngine/mmcv file (`fileName` is its base name, `hasOptimizer` whether it
 * holds optimizer state). Epoch numbers are shown as MMEngine logs them (`Epoch(train) [N]`, from 1).
 */
export function mmPosition(meta: MmMeta, fileName: string, cfgText: string | undefined, hasOptimizer: boolean): TrainingPosition {
  const { epoch, iter } = meta;
  const lib = meta.library === 'mmengine' ? 'MMEngine' : 'mmcv';
  const base = {
    epoch,
    epochBase: 1 as const,
    epochMeaning: 'meta.epoch: epochs completed (the loop counter + 1 when saved by epoch), i.e. the 0-based index of the next epoch',
    stepUnit: 'iterations' as const,
    globalStep: iter,
    resumable: hasOptimizer,
  };
  if (iterationBased(meta, fileName, cfgText)) {
    const finished = meta.maxIters !== undefined && iter !== undefined && iter >= meta.maxIters;
    return {
      ...base,
      epochsCompleted: epoch,
      stepInEpoch: undefined,
      stepsPerEpoch: undefined,
      plannedEpochs: undefined,
      finished,
      resume: iter === undefined
        ? 'where a resume starts cannot be told (meta.iter was not saved)'
        : finished
          ? `train nothing: meta.iter ${iter} has reached max_iters ${meta.maxIters}`
          : `continue at iteration ${iter}${meta.maxIters ? ` of ${meta.maxIters}` : ''} (IterBasedTrainLoop advances the dataloader ${iter} batches)`,
      note: `${lib} iteration-based run: meta.iter counts iterations (batches) over the whole run.`,
    };
  }
  const by = savedBy(fileName);
  const perEpoch = epoch !== undefined && epoch > 0 && iter !== undefined && Number.isInteger(iter / epoch) ? iter / epoch : undefined;
  const midEpoch = by?.by === 'iter';
  const finished = meta.maxEpochs !== undefined && epoch !== undefined && epoch >= meta.maxEpochs;
  return {
    ...base,
    epochsCompleted: epoch,
    stepInEpoch: epoch === undefined ? undefined : midEpoch ? undefined : 0,
    stepsPerEpoch: midEpoch ? undefined : perEpoch,
    plannedEpochs: meta.maxEpochs,
    finished,
    resume: epoch === undefined
      ? 'where a resume starts cannot be told (meta.epoch was not saved)'
      : finished
        ? `train nothing: meta.epoch ${epoch} has reached max_epochs ${meta.maxEpochs}`
        : midEpoch
          ? `re-run epoch ${epoch + 1} from its first batch (EpochBasedTrainLoop sets _epoch = ${epoch}; iteration ${iter ?? '?'} was saved inside that epoch and the iteration count continues from there)`
          : `start epoch ${epoch + 1}${meta.maxEpochs ? ` of ${meta.maxEpochs}` : ''} at its first batch (EpochBasedTrainLoop sets _epoch = ${epoch})`,
    note: `${lib} saves meta.epoch as the count of epochs completed; a resume continues at that value.`,
  };
}
