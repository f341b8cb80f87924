/**
 * The resume decision of the EnStack seed tool (`scripts/debug_checkpoint.py`): `step == 0` means
 * epoch `epoch` completed and a resume starts epoch+1; `step >= total_batches` also means complete;
 * otherwise the epoch is incomplete at `step / total_batches`, printed with one decimal, and a
 * resume continues `epoch` from `step`. Without total_batches, progress cannot be determined.
 */
import type { TrainingProgress } from '../summary';
import { roundOneDecimal } from '../../display/round';

/**
 * Decide status, progress and resume point.
 * @param epoch epoch as saved (the trainer's 1-based epoch counter)
 * @param step batches done in that epoch
 * @param totalBatches batches per epoch as saved, or undefined/0 when absent
 */
export function decideResume(epoch: number, step: number, totalBatches: number | undefined): TrainingProgress {
  const total = totalBatches && totalBatches > 0 ? totalBatches : undefined;
  if (step === 0 || (total !== undefined && step >= total)) {
    return {
      epoch,
      step,
      totalBatches,
      status: 'complete',
      progressPercent: undefined,
      remainingBatches: undefined,
      resume: { epoch: epoch + 1, step: 0, text: `start epoch ${epoch + 1}` },
      note: step === 0 ? `step 0 marks epoch ${epoch} as completed` : `step ${step} reached total_batches ${total}: epoch ${epoch} completed`,
    };
  }
  return {
    epoch,
    step,
    totalBatches,
    status: 'incomplete',
    progressPercent: total !== undefined ? roundOneDecimal((step / total) * 100) : undefined,
    remainingBatches: total !== undefined ? total - step : undefined,
    resume: { epoch, step, text: `continue epoch ${epoch} from step ${step}` },
    note: total === undefined ? 'total_batches is missing (an older checkpoint): progress through the epoch cannot be determined' : undefined,
  };
}
