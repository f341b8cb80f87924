/**
 * One checkpoint's status as text: the fields of the page's status card (`src/ui/StatusCard.tsx`)
 * in the same words: the resume decision sentence, epoch, step, batches per epoch, progress,
 * remaining batches, best F1 / accuracy, optimizer / scheduler / grad scaler, model, safety verdict
 * with the globals outside the weights_only allowlist and their byte offsets, problems, warnings,
 * and whether "mark epoch complete" applies.
 */
import type { CheckpointSummary, GlobalFinding, SafetySummary } from '../core/conventions/summary';
import { conventionLabel } from '../core/conventions/registry';
import { SAFETY_LABELS } from '../core/safety/labels';
import { bytes, count, int, lr, metric4, percent, row } from './format';


/** The page's safety badge labels (shared with `src/ui/SafetyBadge.tsx`). */
export { SAFETY_LABELS };

/** Where a global is imported: `GLOBAL posix.system at byte 57 of training_state/data.pkl (malicious.pth)`. */
export function describeFinding(f: GlobalFinding): string {
  const where = f.member ? `${f.member} in ${f.file}` : `${f.pickle === 'object' || !f.pickle ? '' : `${f.pickle} of `}${f.file}`;
  return `${f.opcode} ${f.name} at byte ${f.offset} of ${where}${f.called ? ', called' : ''}`;
}

/** The resume decision as the status card words it. */
export function resumeSentence(s: CheckpointSummary): string | undefined {
  const p = s.progress;
  if (!p) return undefined;
  const pos = s.position;
  // a finished or stripped run, or a mid-epoch save resumed at another epoch (timm recovery): the trainer's own words
  if (pos && (pos.finished || pos.resumable === false || (p.status === 'incomplete' && p.resume.epoch !== p.epoch))) {
    const head = pos.finished ? 'Finished' : pos.resumable === false ? 'Not resumable' : `Epoch ${p.epoch} is incomplete`;
    return `${head}: a resume would ${pos.resume}.`;
  }
  if (p.status === 'complete') return `Epoch ${p.epoch} is complete: a resume starts epoch ${p.resume.epoch}.`;
  if (p.status === 'incomplete') return `Epoch ${p.epoch} is incomplete: a resume continues epoch ${p.epoch} from step ${p.step}.`;
  return `Status unknown: ${p.resume.text}.`;
}

/** The first finding of each name (a file may import one name 100,000 times). */
function firstPerName(findings: readonly GlobalFinding[]): GlobalFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => (seen.has(f.name) ? false : (seen.add(f.name), true)));
}

function safetyLines(safety: SafetySummary): string[] {
  const lines = [row('safety', SAFETY_LABELS[safety.verdict] ?? String(safety.verdict))];
  const dangerous = safety.findings.filter((f) => f.verdict === 'dangerous');
  for (const f of dangerous) lines.push(row('', `dangerous: ${describeFinding(f)}: ${f.reason}`));
  const unknown = firstPerName(safety.findings.filter((f) => f.verdict === 'unknown'));
  for (const f of unknown) lines.push(row('', `unknown, treat as code: ${describeFinding(f)}`));
  const rejected = [...new Set(safety.findings.filter((f) => f.verdict === 'harmless').map((f) => f.name))];
  if (rejected.length) lines.push(row('', `no code, but outside the weights_only allowlist: ${rejected.join(', ')}`));
  return lines;
}

/** The status block of one checkpoint, as lines. */
export function formatSummary(s: CheckpointSummary): string[] {
  const p = s.progress;
  const lines: string[] = [];
  const status = p ? (p.status === 'complete' ? `epoch ${p.epoch} complete` : p.status === 'incomplete' ? `epoch ${p.epoch} incomplete` : 'status unknown') : s.problems.length ? 'unreadable' : 'status unknown';
  const tags = s.kind === 'unreadable' ? ['unreadable'] : [conventionLabel(s.kind), s.position?.finished ? 'finished' : status];
  lines.push(`${s.name}${s.path && s.path !== s.name ? `  (${s.path})` : ''}  [${[...tags, bytes(s.totalBytes)].join(', ')}]`);
  const sentence = resumeSentence(s);
  if (sentence) lines.push(`  ${sentence}`);
  if (p?.note) lines.push(`  (${p.note})`);
  if (p) {
    lines.push(row('epoch', int(p.epoch)));
    lines.push(row('step', p.stepSaved === false ? 'not saved' : int(p.step)));
    lines.push(row('batches per epoch', p.totalBatches ? int(p.totalBatches) : 'not saved'));
    lines.push(row('progress', p.status === 'complete' ? 'complete' : p.progressPercent !== undefined ? percent(p.progressPercent) : 'progress unknown'));
    lines.push(row('remaining batches', int(p.remainingBatches)));
    lines.push(row('resume', p.resume.text));
  }
  if (s.bestValF1 !== undefined || s.bestValAcc !== undefined || (p && (s.kind === 'enstack' || s.kind === 'generic'))) {
    lines.push(row('best F1', metric4(s.bestValF1)));
    lines.push(row('best accuracy', metric4(s.bestValAcc)));
  }
  if (s.bestMetric) lines.push(row(/^best/i.test(s.bestMetric.name) ? s.bestMetric.name : `best ${s.bestMetric.name}`, metric4(s.bestMetric.value)));
  for (const m of s.metrics ?? []) {
    if (m.name === 'best_val_f1' || m.name === 'best_val_acc' || m.name === s.bestMetric?.name) continue;
    lines.push(row(m.name, metric4(m.value)));
  }
  const pos = s.position;
  if (!p && pos) lines.push(row('resume', pos.resume));
  if (pos?.globalStep !== undefined) lines.push(row(pos.stepUnit === 'iterations' ? 'iterations' : 'global step', int(pos.globalStep)));
  if (pos?.plannedEpochs !== undefined) lines.push(row('planned epochs', int(pos.plannedEpochs)));
  if (pos?.finished) lines.push(row('resumable', 'finished: a resume trains nothing'));
  else if (pos?.resumable === false) lines.push(row('resumable', 'no: the files a resume needs are missing'));
  for (const f of s.facts ?? []) lines.push(row(f.label, f.value));
  if (p || s.optimizer) {
    lines.push(row('optimizer', s.optimizer ? `present: ${s.optimizer.paramStates} parameter states, ${s.optimizer.steps !== undefined ? `${s.optimizer.steps} steps` : 'step count unknown'}` : 'absent'));
    lines.push(row('scheduler', s.scheduler ? `present: last_epoch ${int(s.scheduler.lastEpoch)}, lr ${lr(s.scheduler.lastLr)}` : 'absent'));
    lines.push(row('grad scaler', s.scaler ? `present: scale ${s.scaler.scale ?? '—'}` : 'absent'));
  }
  if (s.model) {
    lines.push(row('model', `${s.model.architecture ?? s.model.modelType ?? s.model.file.split('/').pop()}: ${count(s.model.parameters)} parameters (${s.model.dtypes.join(', ')})`));
  }
  if (s.safety) lines.push(...safetyLines(s.safety));
  if (p) lines.push(row('mark complete', s.repair.eligible ? `available (${s.repair.reason})` : `not available: ${s.repair.reason}`));
  for (const pr of s.problems) lines.push(`  problem: ${pr.file}${pr.member ? ` (${pr.member})` : ''}: ${pr.message}`);
  for (const w of s.warnings) lines.push(`  warning: ${w}`);
  return lines;
}
