/**
 * Findings that explain a whole drop, run by run (`runs/groupRuns.ts`: checkpoints of different
 * runs are never compared): each run's verdict (`runs/verdict.ts`) and where its resume starts,
 * checkpoints of one run that contradict each other (a lost end-of-epoch save); and for the whole
 * drop: leftovers of interrupted
 * saves (`.tmp_*`, `.backup_*`, the EnStack trainer's atomic-save folders), optimizer step counts
 * against the trainer's expectation (tolerance 20, as the EnStack trainer checks on resume), a
 * changed dataset size, Google Drive conflict copies and empty files.
 */
import type { CheckpointSummary } from '../conventions/summary';
import type { DroppedFile, OtherFolder } from '../folder/plan';
import { baseName } from '../folder/plan';
import { groupRuns, type Run } from '../runs/groupRuns';
import { isLeftover, placeRun, type Placed, type RunPlacement } from '../runs/placement';
import { checkFirst, resumeSentence, runVerdict, whereText, type RunVerdict } from '../runs/verdict';
import { expectedOptimizerSteps, positionOf } from './position';
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

/** One run with its verdict and its own findings. */
export interface RunReport {
  readonly run: Run;
  readonly verdict: RunVerdict;
  readonly findings: Finding[];
}

/** Runs with their verdicts, and every finding (per-run and drop-wide), most important first. */
export interface RunsReport {
  readonly runs: RunReport[];
  readonly findings: Finding[];
}

/** The checkpoint a plain resume of these checkpoints uses (the resume rule of their convention). */
export function resumeCheckpoint(summaries: readonly CheckpointSummary[]): CheckpointSummary | undefined {
  return placeRun(summaries).last;
}

/** The findings that compare the checkpoints of one run: where a resume starts, and a lost or older resume checkpoint. */
function runPositionFindings(run: Run, placement: RunPlacement, verdict: RunVerdict): Finding[] {
  const out: Finding[] = [];
  const { last, furthest, ahead, claimsComplete, started, lostEpochEnd } = placement;
  if (verdict.resumeFrom && verdict.resumeFrom !== last?.id) {
    // the trainer's own pick has no comparable position: the verdict says what a resume does
    out.push({ id: `resume:${verdict.resumeFrom}`, severity: verdict.severity === 'ok' ? 'info' : 'warning', title: 'Where a resume starts', sentence: verdict.happens, evidence: [verdict.assessment], checkpoints: [verdict.resumeFrom], run: run.id, suggestion: verdict.severity === 'ok' ? undefined : verdict.action });
    return out;
  }
  if (!last) return out;
  const p = last.progress;
  const what = verdict.severity === 'ok' ? undefined : [verdict.action, verdict.secondChoice].filter(Boolean).join(' Second choice: ');
  out.push({
    id: `resume:${last.id}`,
    severity: 'info',
    title: 'Where a resume starts',
    sentence: `${resumeSentence(last.name, last.position.resume).slice(0, -1)}${p.status === 'incomplete' && p.remainingBatches !== undefined ? ` (${plural(p.remainingBatches, 'batch', 'batches')} left in the epoch)` : ''}.`,
    evidence: [`${last.name}: ${whereText(last)}${p.totalBatches && p.status !== 'complete' ? ` of ${p.totalBatches}` : ''}`, ...(furthest && furthest !== last ? [`the furthest checkpoint is ${furthest.name}: ${whereText(furthest)}`] : [])],
    checkpoints: [last.id],
    run: run.id,
    suggestion: what,
  });
  if (ahead.length) {
    const parts: string[] = [];
    if (claimsComplete) parts.push(`${claimsComplete.name} says ${whereText(claimsComplete)} while ${last.name} says ${whereText(last)}`);
    else parts.push(`${last.name} says ${whereText(last)}`);
    if (started) parts.push(`${started.name} shows epoch ${started.progress.epoch} had started`);
    out.push({
      id: `lost-epoch-end:${last.id}`,
      // a lost save redoes training (an error); an older resume checkpoint is a warning, as its verdict says
      severity: lostEpochEnd ? 'error' : 'warning',
      title: lostEpochEnd ? 'The end-of-epoch save was lost' : `${last.name} is behind other checkpoints`,
      sentence: lostEpochEnd ? `${parts.join('; ')}: ${last.name}'s end-of-epoch save was lost` : `${parts.join('; ')}: ${last.name} is older than ${ahead.map((a) => a.name).join(', ')}`,
      evidence: [
        ...[last, ...ahead].map((s) => `${s.name}: ${whereText(s)}${s.optimizer?.steps !== undefined ? `, ${s.optimizer.steps} optimizer steps` : ''}`),
        ...(lostEpochEnd && p.remainingBatches !== undefined ? [`resuming from ${last.name} would train the last ${p.remainingBatches} batches of epoch ${p.epoch} again`] : []),
      ],
      checkpoints: [last.id, ...ahead.map((a) => a.id)],
      run: run.id,
      suggestion: what,
    });
  }
  return out;
}

/**
 * Run reports kept between calls of {@link analyzeRuns}, by run: a run whose label, checkpoint
 * summaries (the same objects, in the same order) and current batches per epoch are unchanged keeps
 * its report. The page analyses the whole drop again at every refresh while a drop streams in, and
 * most runs are unchanged each time (issue 15); the CLI analyses once and passes none.
 */
export class RunReportCache {
  private byRun = new Map<string, { readonly members: readonly CheckpointSummary[]; readonly current: number | undefined; readonly report: RunReport }>();

  /** The kept report of `run`, if its inputs are unchanged. */
  get(run: Run, members: readonly CheckpointSummary[], current: number | undefined): RunReport | undefined {
    const kept = this.byRun.get(run.id);
    if (!kept || kept.current !== current || kept.report.run.label !== run.label || kept.members.length !== members.length) return undefined;
    return kept.members.every((s, i) => s === members[i]) ? kept.report : undefined;
  }

  /** Keep exactly these reports (the runs of the last analysis). */
  keep(entries: readonly { members: readonly CheckpointSummary[]; current: number | undefined; report: RunReport }[]): void {
    this.byRun = new Map(entries.map((e) => [e.report.run.id, e]));
  }
}

/**
 * Every run with its verdict and findings, and the drop-wide findings.
 * @param cache reports of an earlier call to reuse for unchanged runs (see {@link RunReportCache})
 */
export function analyzeRuns(input: FindingsInput, cache?: RunReportCache): RunsReport {
  const out: Finding[] = [];
  const byId = new Map(input.summaries.map((s) => [s.id, s]));
  const runs: RunReport[] = [];
  const kept: { members: readonly CheckpointSummary[]; current: number | undefined; report: RunReport }[] = [];
  const current = input.currentBatchesPerEpoch;
  for (const run of groupRuns(input.summaries)) {
    const members = run.checkpointIds.map((id) => byId.get(id)).filter((s): s is CheckpointSummary => s !== undefined);
    let report = cache?.get(run, members, current);
    if (!report) {
      const placement = placeRun(members);
      const dataset = datasetFindings(run, placement, current);
      const verdict = withDatasetChange(runVerdict(run, members, placement), dataset);
      report = { run, verdict, findings: [...runPositionFindings(run, placement, verdict), ...stepFindings(run, members), ...dataset] };
    }
    kept.push({ members, current, report });
    runs.push(report);
    out.push(...report.findings);
  }
  cache?.keep(kept);
  out.push(...dropFindings(input));
  const order = { error: 0, warning: 1, info: 2 };
  const findings = out.sort((a, b) => order[a.severity] - order[b.severity]);
  return { runs, findings };
}

/** All findings, most important first. */
export function runFindings(input: FindingsInput): Finding[] {
  return analyzeRuns(input).findings;
}

/** Optimizer step counts against the trainer's expectation (EnStack trainer's resume check, tolerance 20). */
function stepFindings(run: Run, members: readonly CheckpointSummary[]): Finding[] {
  const out: Finding[] = [];
  for (const s of members) {
    if (!s.progress || positionOf(s) === undefined) continue;
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
      run: run.id,
    });
  }
  return out;
}

/** The dataset size changed: the saved batches per epoch differ from the current dataset's. */
function datasetFindings(run: Run, placement: RunPlacement, current: number | undefined): Finding[] {
  const out: Finding[] = [];
  if (current === undefined || current <= 0) return out;
  for (const s of placement.regular) {
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
      run: run.id,
    });
  }
  return out;
}

/**
 * A verdict that would let the run resume as it is, when the user's current dataset gives another
 * number of batches per epoch than the resume checkpoint was saved with (a dataset-size finding
 * for it): the resume lands elsewhere in the data, so the verdict asks to check first.
 */
function withDatasetChange(verdict: RunVerdict, dataset: readonly Finding[]): RunVerdict {
  const changed = dataset.find((f) => verdict.resumeFrom !== undefined && f.id === `dataset-size:${verdict.resumeFrom}`);
  if (!changed || verdict.severity !== 'ok') return verdict;
  return checkFirst(verdict, changed.sentence, 'Check that the dataset is the one this run trained on before resuming; if it changed on purpose');
}

/** Findings about the drop as a whole: interrupted saves, conflict copies, empty, unreadable and dangerous files, unreviewed imports. */
function dropFindings(input: FindingsInput): Finding[] {
  const out: Finding[] = [];
  const withProgress = input.summaries.filter((s) => s.progress !== undefined && positionOf(s) !== undefined);
  // 3. leftovers of interrupted saves
  const leftovers: { name: string; path: string; text: string; id?: string }[] = [];
  for (const f of input.otherFolders) {
    const name = baseName(f.path);
    if (isLeftover(name)) leftovers.push({ name, path: f.path, text: `${name} (${f.files.join(', ')} only, no training_state.pth)` });
  }
  for (const s of withProgress.filter((x) => isLeftover(x.name))) {
    leftovers.push({ name: s.name, path: s.path, id: s.id, text: `${s.name} (a copy of an older checkpoint: ${whereText(s as Placed)})` });
  }
  // distinct names: a drop of 100 runs has 100 last_checkpoint (one pass per leftover over each name was 100 x 1,000)
  const known = [...new Set(input.summaries.map((s) => s.name))].filter((n) => !isLeftover(n)).sort((a, b) => b.length - a.length);
  for (const l of leftovers) {
    // `.tmp_<name>_<random>` (tempfile.mkdtemp suffix) or `.backup_<name>`
    const rest = l.name.replace(/^\.(tmp|backup)_/, '');
    const target = known.find((n) => rest === n || rest.startsWith(`${n}_`)) ?? rest.replace(/_[A-Za-z0-9_]{6,8}$/, '');
    out.push({
      // by path: runs of one trainer leave leftovers of the same name (one finding each, told apart)
      id: `leftover:${l.path}`,
      severity: 'warning',
      title: 'A save was interrupted',
      sentence: `${l.text}: a save of ${target} was interrupted (the trainer writes .tmp_ first, keeps .backup_ until the new copy is in place, then deletes both).`,
      evidence: [l.text, `at ${l.path}`],
      checkpoints: l.id ? [l.id] : [],
      suggestion: l.name.startsWith('.tmp_') ? `Delete ${l.name} once ${target} reads correctly.` : `Keep ${l.name} until ${target} is confirmed good; it is the last complete copy.`,
    });
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

  // 9. imports nobody reviewed: treat as code (never a neutral "safe")
  for (const s of input.summaries) {
    if (s.safety?.verdict !== 'unknown') continue;
    const unknown = s.safety.findings.filter((f) => f.verdict === 'unknown');
    const names = [...new Set(unknown.map((f) => f.name))];
    out.push({
      id: `unknown-imports:${s.id}`,
      severity: 'warning',
      title: 'A file may run code when loaded',
      sentence: `${s.name} imports ${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''}, which ckptview has not reviewed: treat torch.load(weights_only=False) of it as running code. Load it only if you trust where it came from.`,
      evidence: unknown.slice(0, 20).map((f) => `${f.file}${f.member ? ` (${f.member})` : ''}: ${f.opcode} ${f.name} at byte ${f.offset}${f.called ? ', called' : ''}`),
      checkpoints: [s.id],
    });
  }
  return out;
}
