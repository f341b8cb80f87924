/**
 * Findings that explain a whole checkpoints folder: where a resume of `last_checkpoint` starts,
 * checkpoints that contradict each other (a lost end-of-epoch save), leftovers of interrupted
 * saves (`.tmp_*`, `.backup_*`, the EnStack trainer's atomic-save folders), optimizer step counts
 * against the trainer's expectation (tolerance 20, as the EnStack trainer checks on resume), a
 * changed dataset size, Google Drive conflict copies and empty files.
 */
import type { CheckpointSummary } from '../conventions/summary';
import type { DroppedFile, OtherFolder } from '../folder/plan';
import { baseName } from '../folder/plan';
import { comparePositions, expectedOptimizerSteps, positionOf, type Position } from './position';
import type { Finding } from './types';
import { plural } from '../display/plural';

/** Step-count difference the EnStack trainer tolerates before warning. */
export const STEP_TOLERANCE = 20;
/** Above this difference the trainer calls the checkpoint possibly inconsistent. */
export const STEP_INCONSISTENT = 100;

/** Everything the findings look at. */
export interface FindingsInput {
  readonly summaries: readonly CheckpointSummary[];
  readonly otherFolders: readonly OtherFolder[];
  /** Every dropped file (path, size in bytes). */
  readonly files: readonly DroppedFile[];
  /** Batches per epoch of the current dataset, when the user entered it. */
  readonly currentBatchesPerEpoch?: number;
}

type Progressed = CheckpointSummary & { progress: NonNullable<CheckpointSummary['progress']>; position: NonNullable<CheckpointSummary['position']> };
/** The comparable position of a checkpoint known to have one. */
const at = (s: Progressed): Position => positionOf(s) as Position;

const isLeftover = (name: string): boolean => name.startsWith('.tmp_') || name.startsWith('.backup_');
const where = (s: Progressed): string =>
  s.progress.status === 'complete' ? `epoch ${s.progress.epoch} is complete (step ${s.progress.step})` : `epoch ${s.progress.epoch} step ${s.progress.step}`;

/** The checkpoint a plain resume uses: `last_checkpoint` when present (EnStack's resume path). */
export function resumeCheckpoint(summaries: readonly CheckpointSummary[]): CheckpointSummary | undefined {
  return summaries.find((s) => s.name === 'last_checkpoint' && s.progress) ?? summaries.find((s) => /^last/.test(s.name) && s.progress);
}

/** All findings, most important first. */
export function runFindings(input: FindingsInput): Finding[] {
  const out: Finding[] = [];
  // only checkpoints whose position is known (epochs completed and steps into the next) can be placed against others
  const withProgress = input.summaries.filter((s): s is Progressed => s.progress !== undefined && positionOf(s) !== undefined);
  const regular = withProgress.filter((s) => !isLeftover(s.name));
  const last = resumeCheckpoint(regular) as Progressed | undefined;

  // 1. where a resume starts, and the furthest checkpoint
  const furthest = [...regular].sort((a, b) => comparePositions(at(b), at(a)))[0];
  if (last) {
    const p = last.progress;
    out.push({
      id: `resume:${last.id}`,
      severity: 'info',
      title: 'Where a resume starts',
      sentence: `Resuming from ${last.name} will ${p.resume.text}${p.status === 'incomplete' && p.remainingBatches !== undefined ? ` (${plural(p.remainingBatches, 'batch', 'batches')} left in the epoch)` : ''}.`,
      evidence: [`${last.name}: epoch ${p.epoch}, step ${p.step}${p.totalBatches ? ` of ${p.totalBatches}` : ''}`, ...(furthest && furthest !== last ? [`the furthest checkpoint is ${furthest.name}: ${where(furthest)}`] : [])],
      checkpoints: [last.id],
    });
  }

  // 2. checkpoints ahead of last_checkpoint: its end-of-epoch save was lost or rolled back
  if (last) {
    const lp = at(last);
    // only checkpoints of the same run: the same parent folder, and the same batches per epoch when both say
    const parent = (x: CheckpointSummary): string => x.path.slice(0, Math.max(0, x.path.lastIndexOf('/')));
    const sameRun = (x: Progressed): boolean =>
      parent(x) === parent(last) && x.kind === last.kind && (!x.progress.totalBatches || !last.progress.totalBatches || x.progress.totalBatches === last.progress.totalBatches);
    const ahead = regular.filter((s) => s !== last && sameRun(s) && comparePositions(at(s), lp) > 0);
    if (ahead.length) {
      const byPos = (a: Progressed, b: Progressed): number => comparePositions(at(a), at(b));
      const claimsComplete = ahead.filter((s) => s.progress.status === 'complete' && s.progress.epoch >= last.progress.epoch).sort(byPos)[0];
      const started = ahead
        .filter((s) => s.progress.status === 'incomplete' && s.progress.epoch > last.progress.epoch)
        .sort((a, b) => Number(/^checkpoint_epoch/.test(b.name)) - Number(/^checkpoint_epoch/.test(a.name)) || byPos(a, b))[0];
      const lostEpochEnd = last.progress.status === 'incomplete' && (claimsComplete?.progress.epoch === last.progress.epoch || (started && started.progress.epoch > last.progress.epoch));
      const parts: string[] = [];
      if (claimsComplete) parts.push(`${claimsComplete.name} says ${where(claimsComplete)} while ${last.name} says ${where(last)}`);
      else parts.push(`${last.name} says ${where(last)}`);
      if (started) parts.push(`${started.name} shows epoch ${started.progress.epoch} had started`);
      const sentence = lostEpochEnd
        ? `${parts.join('; ')}: ${last.name}'s end-of-epoch save was lost`
        : `${parts.join('; ')}: ${last.name} is older than ${ahead.map((a) => a.name).join(', ')}`;
      out.push({
        id: `lost-epoch-end:${last.id}`,
        severity: 'error',
        title: lostEpochEnd ? 'The end-of-epoch save was lost' : `${last.name} is behind other checkpoints`,
        sentence,
        evidence: [
          ...[last, ...ahead].map((s) => `${s.name}: ${where(s)}${s.optimizer?.steps !== undefined ? `, ${s.optimizer.steps} optimizer steps` : ''}`),
          ...(lostEpochEnd && last.progress.remainingBatches !== undefined
            ? [`resuming from ${last.name} would train the last ${last.progress.remainingBatches} batches of epoch ${last.progress.epoch} again`]
            : []),
        ],
        checkpoints: [last.id, ...ahead.map((a) => a.id)],
        suggestion: lostEpochEnd
          ? `Mark epoch ${last.progress.epoch} complete in ${last.name} so a resume starts epoch ${last.progress.epoch + 1}${furthest && furthest !== last ? `, or resume from ${furthest.name} (${where(furthest)}), the furthest checkpoint` : ''}.`
          : `Resume from ${furthest.name} (${where(furthest)}) instead of ${last.name}.`,
      });
    }
  }

  // 3. leftovers of interrupted saves
  const leftovers: { name: string; text: string; id?: string }[] = [];
  for (const f of input.otherFolders) {
    const name = baseName(f.path);
    if (isLeftover(name)) leftovers.push({ name, text: `${name} (${f.files.join(', ')} only, no training_state.pth)` });
  }
  for (const s of withProgress.filter((x) => isLeftover(x.name))) {
    leftovers.push({ name: s.name, id: s.id, text: `${s.name} (a copy of an older checkpoint: ${where(s)})` });
  }
  const known = input.summaries.map((s) => s.name).filter((n) => !isLeftover(n)).sort((a, b) => b.length - a.length);
  for (const l of leftovers) {
    // `.tmp_<name>_<random>` (tempfile.mkdtemp suffix) or `.backup_<name>`
    const rest = l.name.replace(/^\.(tmp|backup)_/, '');
    const target = known.find((n) => rest === n || rest.startsWith(`${n}_`)) ?? rest.replace(/_[A-Za-z0-9_]{6,8}$/, '');
    out.push({
      id: `leftover:${l.name}`,
      severity: 'warning',
      title: 'A save was interrupted',
      sentence: `${l.text}: a save of ${target} was interrupted (the trainer writes .tmp_ first, keeps .backup_ until the new copy is in place, then deletes both).`,
      evidence: [l.text],
      checkpoints: l.id ? [l.id] : [],
      suggestion: l.name.startsWith('.tmp_') ? `Delete ${l.name} once ${target} reads correctly.` : `Keep ${l.name} until ${target} is confirmed good; it is the last complete copy.`,
    });
  }

  // 4. optimizer step count against the trainer's expectation
  for (const s of withProgress) {
    const expected = expectedOptimizerSteps(s.progress);
    const steps = s.optimizer?.steps;
    if (expected === undefined || steps === undefined) continue;
    const diff = Math.abs(steps - expected);
    if (diff <= STEP_TOLERANCE) continue;
    const k = steps > 0 ? expected / steps : 0;
    const accumulation = Number.isInteger(k) && k > 1;
    out.push({
      id: `optimizer-steps:${s.id}`,
      severity: accumulation ? 'info' : 'warning',
      title: 'Optimizer step count differs',
      sentence: accumulation
        ? `${s.name}: the optimizer took ${steps} steps where ${expected} batches were trained, exactly 1 step per ${k} batches: gradient accumulation over ${k} batches explains it.`
        : `${s.name}: the optimizer took ${steps} steps but epoch ${s.progress.epoch} step ${s.progress.step} means ${expected} batches (a difference of ${diff}${diff > STEP_INCONSISTENT ? ': the checkpoint may be inconsistent, e.g. the optimizer state comes from another save' : ', more than the trainer\'s tolerance of 20'}).`,
      evidence: [`optimizer steps: ${steps}`, `expected: ${s.progress.status === 'complete' ? `${s.progress.epoch} x ${s.progress.totalBatches}` : `(${s.progress.epoch} - 1) x ${s.progress.totalBatches} + ${s.progress.step}`} = ${expected}`],
      checkpoints: [s.id],
    });
  }

  // 5. dataset size change
  const current = input.currentBatchesPerEpoch;
  if (current !== undefined && current > 0) {
    for (const s of regular) {
      const saved = s.progress.totalBatches;
      if (saved === current) continue;
      out.push({
        id: `dataset-size:${s.id}`,
        severity: 'warning',
        title: 'The dataset size changed',
        sentence: saved
          ? `${s.name} was saved with ${saved} batches per epoch; the dataset now gives ${current}. A resume will ${s.progress.resume.text}${s.progress.status === 'incomplete' ? `, now ${((s.progress.step / current) * 100).toFixed(1)}% into an epoch of ${current} batches (${Math.max(0, current - s.progress.step)} left)` : ''}; the batches skipped are not the ones trained before.`
          : `${s.name} has no total_batches (an older checkpoint): the trainer treats it as legacy and uses the current ${current} batches per epoch.`,
        evidence: [`saved total_batches: ${saved ?? 'absent'}`, `current batches per epoch: ${current}`],
        checkpoints: [s.id],
      });
    }
  }

  // 6. Google Drive conflict copies and empty files
  for (const f of input.files) {
    const name = baseName(f.path);
    const m = /^(.*) \((\d+)\)(\.[^.]*)?$/.exec(name);
    if (m) {
      const original = `${m[1]}${m[3] ?? ''}`;
      out.push({
        id: `conflict:${f.path}`,
        severity: 'warning',
        title: 'A Google Drive conflict copy',
        sentence: `${f.path} looks like a Google Drive conflict copy of ${original}: two saves reached Drive at once, and the trainer reads only ${original}. Compare the two and keep the right one.`,
        evidence: [`${f.path}: ${f.size} bytes`],
        checkpoints: input.summaries.filter((s) => s.files.some((x) => x.path === f.path)).map((s) => s.id),
      });
    }
    if (f.size === 0) {
      out.push({
        id: `empty:${f.path}`,
        severity: 'error',
        title: 'An empty file',
        sentence: `${f.path} is empty (0 bytes): its save was interrupted or its copy failed.`,
        evidence: [`${f.path}: 0 bytes`],
        checkpoints: input.summaries.filter((s) => s.files.some((x) => x.path === f.path)).map((s) => s.id),
      });
    }
  }

  // 7. files that could not be read
  const unreadable = input.summaries.flatMap((s) => s.problems.map((p) => ({ s, p })));
  if (unreadable.length) {
    out.push({
      id: 'unreadable:all',
      severity: 'error',
      title: unreadable.length === 1 ? 'A file has a problem' : `${unreadable.length} files have problems`,
      sentence: unreadable.slice(0, 3).map(({ p }) => `${p.file}: ${p.message}`).join(' ') + (unreadable.length > 3 ? ` …and ${unreadable.length - 3} more (see the evidence).` : ''),
      evidence: unreadable.map(({ p }) => `${p.file}: ${p.message}`),
      checkpoints: [...new Set(unreadable.map(({ s }) => s.id))],
    });
  }

  // 8. dangerous files
  for (const s of input.summaries) {
    if (s.safety?.verdict !== 'dangerous') continue;
    const names = [...new Set(s.safety.findings.filter((f) => f.verdict === 'dangerous').map((f) => f.name))];
    out.push({
      id: `dangerous:${s.id}`,
      severity: 'error',
      title: 'A file would run code when loaded',
      sentence: `${s.name} imports ${names.join(', ')}: torch.load(weights_only=False) would run it. Do not load it in Python; its harmless fields are shown here.`,
      evidence: s.safety.findings.filter((f) => f.verdict === 'dangerous').map((f) => `${f.file}${f.member ? ` (${f.member})` : ''}: ${f.opcode} ${f.name} at byte ${f.offset}${f.called ? ', called' : ''}`),
      checkpoints: [s.id],
    });
  }
  const order = { error: 0, warning: 1, info: 2 };
  return out.sort((a, b) => order[a.severity] - order[b.severity]);
}
