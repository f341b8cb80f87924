/**
 * One answer per run: what a resume does now, whether that is what the user wants, and the one
 * recommended action. The rule agrees with the checks run afterwards: a repair is recommended only
 * when no checkpoint of the run holds more training than the repaired one would, and the second
 * choice says why it is second.
 */
import { plural } from '../display/plural';
import { NOT_READ, type CheckpointSummary } from '../conventions/summary';
import { conventionById } from '../conventions/registry';
import { comparePositions, expectedOptimizerSteps } from '../findings/position';
import type { Run } from './groupRuns';
import { at, namedLast, type Placed, type RunPlacement } from './placement';

/** The verdict of one run. */
export interface RunVerdict {
  readonly runId: string;
  /** `ok`: resuming does what the user expects; `warning`: it works but not as expected; `error`: it would redo or lose training. */
  readonly severity: 'ok' | 'warning' | 'error';
  /** What happens if you resume now, one sentence. */
  readonly happens: string;
  /** Whether that is what you want, and why. */
  readonly assessment: string;
  /** The one recommended action. */
  readonly action: string;
  /** The alternative, with why it comes second. */
  readonly secondChoice?: string;
  /** Checkpoint a resume uses now. */
  readonly resumeFrom?: string;
  /** Checkpoint the action concerns. */
  readonly target?: string;
}

/** "epoch 3 is complete" / "epoch 3 step 450" in the trainer's numbering. */
export function whereText(s: Placed): string {
  const p = s.progress;
  const base = s.position.epochBase === 0 ? ' (from 0)' : '';
  return p.status === 'complete' ? `epoch ${p.epoch}${base} is complete (step ${p.step})` : `epoch ${p.epoch}${base} step ${p.step}`;
}

/** "Resuming from X will start epoch 3." when the trainer's resume text reads as a verb phrase, else "Resuming from X: <text>." */
export function resumeSentence(name: string, text: string): string {
  const failing = /^fail:\s*/i.exec(text);
  if (failing) return `Resuming from ${name} would fail: ${text.slice(failing[0].length)}.`;
  return /^(start|continue|skip|train|resume|restart|load|follow|begin|run|repeat|redo)\b/i.test(text) ? `Resuming from ${name} will ${text}.` : `Resuming from ${name}: ${text}.`;
}

/** The checkpoint a resume picks among those with a position but no comparable epoch/step: the convention's pick, else the highest global step. */
function pickUnplaced(summaries: readonly CheckpointSummary[]): CheckpointSummary | undefined {
  const withPos = summaries.filter((s) => s.position && s.kind !== 'unreadable' && !s.problems.length);
  if (!withPos.length) return undefined;
  const picked = conventionById(withPos[0].kind)?.pickResume?.(withPos) ?? namedLast(withPos);
  if (picked) return picked;
  return [...withPos].sort((a, b) => (b.position?.globalStep ?? -1) - (a.position?.globalStep ?? -1))[0];
}

/** What to do with a finished run: nothing, or train further in the way the files allow. */
function finishedAction(s: CheckpointSummary): string {
  return s.position?.resumable === false
    ? `Nothing to resume: ${s.name} holds final weights only. To train further, start a new run from them.`
    : 'Nothing to do; to train further, raise the planned length (epochs or max_steps) and resume.';
}

/** The verdict for a resume checkpoint whose position cannot be compared with the others'. */
function unplacedVerdict(run: Run, s: CheckpointSummary): RunVerdict {
  const up = s.position as NonNullable<CheckpointSummary['position']>;
  return {
    runId: run.id,
    severity: up.resumable === false ? 'warning' : 'ok',
    happens: resumeSentence(s.name, up.resume),
    resumeFrom: s.id,
    assessment: up.finished ? 'The run reached its planned end.' : up.resumable === false ? `${s.name} lacks the files a resume needs.` : 'Where in the epoch the save was made is up to the training script.',
    action: up.finished ? finishedAction(s) : up.resumable === false ? 'Start a new run from these weights, or point the trainer at a checkpoint that exists; the training state cannot be restored as it is.' : 'Resume as it is.',
    target: s.id,
  };
}

/**
 * The verdict of a run from its placement. When reading was stopped with some of the run's
 * checkpoints read and some not, what the others hold is unknown: the verdict is never "ok" then
 * (an unread checkpoint may hold more training, or be the one a resume uses), and says how many
 * were not read.
 */
export function runVerdict(run: Run, summaries: readonly CheckpointSummary[], placement: RunPlacement): RunVerdict {
  const verdict = verdictOfRead(run, summaries, placement);
  const notRead = summaries.filter((s) => s.kind === NOT_READ).length;
  if (notRead === 0 || notRead === summaries.length) return verdict;
  const note = `${notRead} of the ${summaries.length} checkpoints of this run were not read (reading was stopped), so this may change once they are.`;
  if (verdict.severity !== 'ok') return { ...verdict, assessment: `${verdict.assessment} ${note}` };
  return checkFirst(verdict, note, 'Drop the folder again to read them before resuming; from what was read');
}

/**
 * An "ok" verdict turned into "check first": a warning whose assessment says why and whose action
 * asks `check` before the action it had ("<check>: <its action>").
 */
export function checkFirst(verdict: RunVerdict, why: string, check: string): RunVerdict {
  return { ...verdict, severity: 'warning', assessment: why, action: `${check}: ${verdict.action[0].toLowerCase()}${verdict.action.slice(1)}` };
}

/** The verdict from the checkpoints that were read. */
function verdictOfRead(run: Run, summaries: readonly CheckpointSummary[], placement: RunPlacement): RunVerdict {
  const { last, furthest, lostEpochEnd, ahead } = placement;
  // a file that runs code when loaded comes before any resume advice
  const dangerous = summaries.filter((s) => s.safety?.verdict === 'dangerous');
  if (dangerous.length) {
    const names = dangerous.map((s) => s.name).join(', ');
    return {
      runId: run.id,
      severity: 'error',
      happens: `Loading ${names} with torch.load would run code it carries (see its safety section).`,
      assessment: 'Do not load it in Python, and do not resume from it.',
      action: `Delete ${names}, or inspect it here only; resume from a checkpoint you saved yourself.`,
      target: dangerous[0].id,
    };
  }
  // the trainer's own pick may be a checkpoint without a comparable position (an mmengine
  // last_checkpoint naming a missing file, a DeepSpeed latest): it decides what a resume does
  const picked = conventionById(run.convention)?.pickResume?.(summaries.filter((s) => s.position && s.kind !== 'unreadable'));
  if (picked?.position && picked !== last && !placement.regular.some((s) => s.id === picked.id)) return unplacedVerdict(run, picked);
  if (!last) {
    const readable = summaries.filter((s) => s.kind !== 'unreadable' && s.kind !== NOT_READ);
    if (!readable.length && summaries.some((s) => s.kind === NOT_READ)) {
      return { runId: run.id, severity: 'warning', happens: `Reading was stopped before the checkpoints of ${run.label} were read.`, assessment: 'Nothing is known about them yet.', action: 'Drop the folder again to read them.' };
    }
    if (!readable.length) {
      return { runId: run.id, severity: 'error', happens: summaries.length === 1 ? `The checkpoint in ${run.label} could not be read.` : `None of the ${summaries.length} checkpoints in ${run.label} could be read.`, assessment: 'Nothing here can be resumed as it is.', action: 'See the problems listed for each file.' };
    }
    const unplaced = pickUnplaced(readable);
    if (unplaced?.position) return unplacedVerdict(run, unplaced);
    const withEpoch = readable.find((s) => s.progress);
    return {
      runId: run.id,
      severity: 'ok',
      happens: withEpoch
        ? `${withEpoch.name}: ${withEpoch.progress?.resume.text}.`
        : `${plural(readable.length, 'checkpoint holds', 'checkpoints hold')} model weights but no training position.`,
      assessment: withEpoch ? 'Where exactly the save was made cannot be told from the file alone.' : 'These are weights to load, not a run to resume.',
      action: withEpoch ? 'Check the training script for how it uses the saved epoch.' : 'Nothing to do.',
      target: withEpoch?.id,
    };
  }
  const pos = last.position;
  const resumeFrom = last.id;
  const happens = resumeSentence(last.name, pos.resume);
  if (pos.finished) {
    return { runId: run.id, severity: 'ok', happens, resumeFrom, assessment: 'The run reached its planned end.', action: finishedAction(last), target: last.id };
  }
  if (pos.resumable === false) {
    const other = placement.regular.filter((s) => s !== last && s.position.resumable !== false).sort((a, b) => comparePositions(at(b), at(a)))[0];
    return {
      runId: run.id,
      severity: 'warning',
      happens,
      resumeFrom,
      assessment: `${last.name} lacks the files a resume needs.`,
      action: other ? `Resume from ${other.name} (${whereText(other)}), which has them.` : 'Start a new run from these weights; the training state cannot be restored.',
      target: other?.id ?? last.id,
    };
  }
  if (lostEpochEnd) {
    const e = last.progress.epoch;
    const repaired = { epochsDone: at(last).epochsDone + 1, batchesInto: 0 };
    const steps = last.optimizer?.steps;
    const expectedAfter = last.progress.totalBatches ? expectedOptimizerSteps({ ...last.progress, status: 'complete', step: 0 }) : undefined;
    const stepsNote = steps !== undefined && expectedAfter !== undefined && Math.abs(steps - expectedAfter) > 20 ? ` Its optimizer has taken ${steps} steps where epoch ${e} complete means ${expectedAfter}, so the trainer's step check will warn.` : '';
    const skipped = last.progress.remainingBatches;
    if (furthest && furthest !== last && comparePositions(at(furthest), repaired) > 0) {
      return {
        runId: run.id,
        severity: 'error',
        happens,
        resumeFrom,
        assessment: `That trains ${skipped !== undefined ? `the last ${plural(skipped, 'batch', 'batches')} of ` : ''}epoch ${e} again: ${last.name}'s end-of-epoch save was lost, and ${furthest.name} holds more training.`,
        action: `Resume from ${furthest.name} (${whereText(furthest)}): it holds the most training of this run.`,
        secondChoice: `Marking epoch ${e} complete in ${last.name} would start epoch ${e + 1} from batch 0 and discard what ${furthest.name} trained beyond that.${stepsNote}`,
        target: furthest.id,
      };
    }
    return {
      runId: run.id,
      severity: 'error',
      happens,
      resumeFrom,
      assessment: `That trains ${skipped !== undefined ? `the last ${plural(skipped, 'batch', 'batches')} of ` : ''}epoch ${e} again: ${last.name}'s end-of-epoch save was lost.`,
      action: `Mark epoch ${e} complete in ${last.name}, so a resume starts epoch ${e + 1}.${stepsNote}`,
      target: last.id,
    };
  }
  if (ahead.length && furthest && furthest !== last) {
    return {
      runId: run.id,
      severity: 'warning',
      happens,
      resumeFrom,
      assessment: `${last.name} is behind ${ahead.map((a) => a.name).join(', ')}.`,
      action: `Resume from ${furthest.name} (${whereText(furthest)}) instead.`,
      target: furthest.id,
    };
  }
  return { runId: run.id, severity: 'ok', happens, resumeFrom, assessment: placement.regular.length > 1 ? `${last.name} is the furthest checkpoint of the run.` : 'Nothing in this run contradicts it.', action: 'Resume as it is.', target: last.id };
}
