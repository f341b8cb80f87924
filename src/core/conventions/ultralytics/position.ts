/**
 * The Ultralytics / YOLOv5 resume rule as a shared position. Source:
 * `ultralytics/engine/trainer.py:BaseTrainer.resume_training` (start_epoch = epoch + 1; asserts
 * start_epoch > 0, "training to N epochs is finished, nothing to resume") and
 * `strip_optimizer` (sets `epoch` to -1 and `optimizer` to None at the end of training); YOLOv5
 * `utils/torch_utils.py:smart_resume` applies the same rule. `epoch` is the 0-based index of the
 * epoch just finished; the v8/11 log prints epochs from 1 (`6/10`), YOLOv5's from 0 (`5/9`).
 */
import { finishedIndexPosition } from '../shared/position';
import type { TrainingPosition } from '../summary';

/** What the position is built from. */
export interface UltralyticsProgressFields {
  /** `epoch` as saved (-1 once stripped). */
  readonly epoch: number;
  /** `train_args.epochs` (YOLOv5: `opt.epochs`), when saved. */
  readonly plannedEpochs: number | undefined;
  /** Epochs recorded in `train_results` (one row of results.csv per finished epoch), when saved. */
  readonly epochsInResults: number | undefined;
  /** True when `optimizer` holds a state dict (not None). */
  readonly hasOptimizer: boolean;
  /** The file, for the sentences. */
  readonly file: string;
  /** YOLOv5 logs epochs from 0 (`37/299`), Ultralytics v8/11 from 1 (`38/100`). */
  readonly flavor: 'ultralytics' | 'yolov5';
}

/** The position of a stripped file (`epoch` -1): finished, not resumable. */
function strippedPosition(f: UltralyticsProgressFields): TrainingPosition {
  const ran = f.epochsInResults;
  const of = f.plannedEpochs !== undefined ? ` of ${f.plannedEpochs}` : '';
  return {
    epochsCompleted: ran,
    epoch: f.epoch,
    epochBase: 0,
    epochMeaning: 'index (from 0) of the epoch just finished; -1 = final weights stripped by strip_optimizer',
    stepInEpoch: ran !== undefined ? 0 : undefined,
    stepsPerEpoch: undefined,
    stepUnit: 'batches',
    globalStep: undefined,
    plannedEpochs: f.plannedEpochs,
    finished: true,
    resumable: false,
    resume: `fail: epoch -1 means training ended and strip_optimizer removed the optimizer${ran !== undefined ? ` (train_results holds ${ran}${of} epochs)` : ''}; Ultralytics stops with "training to ${f.plannedEpochs ?? 'N'} epochs is finished, nothing to resume". start a new run with model=${f.file} to train further`,
    note: 'Ultralytics final weights: epoch -1, optimizer, ema and best_fitness set to None (strip_optimizer); a fine-tune, not a resume, continues from them.',
  };
}

/**
 * The position of an Ultralytics or YOLOv5 checkpoint: stripped (`epoch` -1) = finished and not
 * resumable; otherwise epoch + 1 epochs done and a resume starts index epoch + 1 (finished when
 * that reaches the planned epochs); not resumable without an optimizer state.
 */
export function ultralyticsPosition(f: UltralyticsProgressFields): TrainingPosition {
  if (f.epoch < 0) return strippedPosition(f);
  const next = f.epoch + 1;
  const planned = f.plannedEpochs;
  const finished = planned !== undefined && next >= planned;
  const of = planned !== undefined ? `/${planned}` : '';
  const resume = !f.hasOptimizer
    ? `start epoch index ${next} with a fresh optimizer: the optimizer was not saved (None)`
    : finished
      ? `train nothing: epoch index ${f.epoch} was the last of ${planned} (start_epoch ${next} is past the end)`
      : f.flavor === 'yolov5'
        ? `start epoch ${next}${planned !== undefined ? ` (shown as ${next}/${planned - 1} in the YOLOv5 log)` : ''}: smart_resume sets start_epoch = epoch + 1`
        : `start epoch index ${next} (shown as ${next + 1}${of} in the Ultralytics log): resume_training sets start_epoch = epoch + 1`;
  return finishedIndexPosition(f.epoch, {
    stepsPerEpoch: undefined,
    stepUnit: 'batches',
    globalStep: undefined,
    plannedEpochs: planned,
    finished,
    resumable: f.hasOptimizer ? true : undefined,
    resume,
    note: 'Ultralytics saves only at epoch ends: epoch is the index (from 0) of the epoch just finished.',
  });
}
