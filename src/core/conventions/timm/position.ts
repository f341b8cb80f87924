/**
 * timm's resume rule as a shared position. Source: `timm/models/_helpers.py:resume_checkpoint`
 * (resume_epoch = `epoch`, + 1 when `version` > 1; files without `version` were incremented
 * before saving) and `train.py` (start_epoch = resume_epoch unless `--start-epoch`; the LR
 * scheduler is stepped to start_epoch). A recovery file therefore resumes at the NEXT epoch: the
 * rest of the interrupted epoch is skipped.
 */
import type { TrainingPosition } from '../summary';
import type { TimmFileKind } from './fileName';

/** What the position is built from. */
export interface TimmFields {
  readonly epoch: number;
  /** `version` as saved (2 in current timm); undefined when absent. */
  readonly version: number | undefined;
  /** `args.epochs`, when saved. */
  readonly plannedEpochs: number | undefined;
  readonly fileKind: TimmFileKind;
  readonly hasOptimizer: boolean;
}

/** The epoch `resume_checkpoint` returns: `epoch + 1` for version >= 2, else `epoch`. */
export function timmResumeEpoch(epoch: number, version: number | undefined): number {
  return version !== undefined && version > 1 ? epoch + 1 : epoch;
}

/** The position of a timm checkpoint (epochs numbered from 0). */
export function timmPosition(f: TimmFields): TrainingPosition {
  const start = timmResumeEpoch(f.epoch, f.version);
  const recovery = f.fileKind.kind === 'recovery' ? f.fileKind : undefined;
  const planned = f.plannedEpochs;
  const finished = planned !== undefined && start >= planned;
  const v2 = f.version !== undefined && f.version > 1;
  const meaning = v2 ? `index (from 0) of the epoch just finished (version ${f.version})` : 'already incremented before saving (no version / version 1): the next epoch';
  const updatesDone = recovery ? recovery.batchIdx + 1 : undefined;
  const resume = finished
    ? `train nothing: resume_checkpoint returns epoch ${start}, which is args.epochs (${planned}): the run is finished`
    : recovery
      ? `start epoch ${start}${planned !== undefined ? ` of ${planned}` : ''} from batch 0: a recovery file saved ${updatesDone} updates into epoch ${f.epoch}, and timm's resume skips the rest of that epoch (resume_checkpoint returns epoch ${start})`
      : `start epoch ${start}${planned !== undefined ? ` of ${planned}` : ''} (resume_checkpoint: epoch${v2 ? ' + 1, version 2' : ', no version: already the next epoch'})`;
  return {
    epochsCompleted: recovery && v2 ? f.epoch : start,
    epoch: f.epoch,
    epochBase: 0,
    epochMeaning: recovery ? `index (from 0) of the epoch in progress (recovery file, ${updatesDone} updates done)` : meaning,
    stepInEpoch: recovery && v2 ? updatesDone : 0,
    stepsPerEpoch: undefined,
    stepUnit: 'optimizer steps',
    globalStep: undefined,
    plannedEpochs: planned,
    finished,
    resumable: f.hasOptimizer ? true : undefined,
    resume: f.hasOptimizer ? resume : `${resume}; but no optimizer state was saved, so the optimizer starts fresh`,
    note: recovery ? 'timm recovery files are mid-epoch saves; timm resumes them at the next epoch (the rest of the interrupted epoch is not trained).' : undefined,
  };
}
