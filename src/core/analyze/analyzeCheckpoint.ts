/**
 * Turn one planned checkpoint into a {@link CheckpointSummary}: open its files through the given
 * opener, parse the training state, weights and config, run the safety scan, and collect every
 * problem as a sentence naming the file. One bad file never hides the others.
 */
import type { ByteSource } from '../bytes/byteSource';
import { CheckpointFormatError } from '../errors';
import { hasEpochAndStep, readEnstackState } from '../conventions/enstack';
import { configFields, summarizeSafetensors, summarizeStateDict } from '../conventions/modelWeights';
import { summarizeOptimizer } from '../conventions/stateDicts';
import type { CheckpointSummary, FileProblem, FileSummary, GlobalFinding, ModelSummary } from '../conventions/summary';
import { decideResume } from '../conventions/resumeDecision';
import type { CheckpointPlan, FileRole } from '../folder/plan';
import { problemOf } from '../conventions/plainValues';
import { asNumber, dictGet } from '../pickle/values';
import { readSafetensorsHeader } from '../safetensors/header';
import { safetySummary, scanGlobals } from '../safety/scan';
import { loadTorchFile } from '../torch/loadTorchFile';
import type { TorchFile } from '../torch/torchFile';

/** Opens a dropped file by its path. */
export type FileOpener = (path: string) => ByteSource;

const ROLE_NAMES: Record<FileRole, string> = {
  'training-state': 'training state',
  weights: 'model weights',
  config: 'model config',
  other: 'other',
};

/** The safety findings of every pickle of a parsed torch file. */
export function torchFileFindings(path: string, f: TorchFile): GlobalFinding[] {
  return scanGlobals(f.pickles.map((p) => ({ file: path, member: p.member, label: p.label, globals: p.result.globals })));
}

/**
 * Analyse one checkpoint. Never throws: problems are returned in `problems`.
 * @param sizes file sizes in bytes by path
 */
export async function analyzeCheckpoint(plan: CheckpointPlan, open: FileOpener, sizes: ReadonlyMap<string, number>): Promise<CheckpointSummary> {
  const problems: FileProblem[] = [];
  const warnings: string[] = [];
  const findings: GlobalFinding[] = [];
  const fileSummaries: FileSummary[] = plan.files.map((f) => ({ path: f.path, size: sizes.get(f.path) ?? 0, role: ROLE_NAMES[f.role] }));
  const setFile = (path: string, extra: Partial<FileSummary>): void => {
    const i = fileSummaries.findIndex((f) => f.path === path);
    if (i >= 0) fileSummaries[i] = { ...fileSummaries[i], ...extra };
  };
  let summary: Partial<CheckpointSummary> = {};
  let repair: CheckpointSummary['repair'] = { eligible: false, reason: 'no readable training state' };

  // Training state
  const stateSrc = open(plan.stateFile);
  let state: TorchFile | undefined;
  try {
    state = await loadTorchFile(stateSrc);
    setFile(plan.stateFile, { format: state.format === 'zip' ? 'torch.save zip' : state.format === 'legacy' ? 'torch.save legacy (pre-1.6)' : 'pickle', pickleProtocol: state.main.result.protocol });
    findings.push(...torchFileFindings(plan.stateFile, state));
    for (const a of state.anomalies) warnings.push(`${plan.stateFile}: ${a}`);
    for (const e of state.integrity) problems.push(problemOf(plan.stateFile, e));
  } catch (e) {
    problems.push(problemOf(plan.stateFile, e));
  }
  if (state) {
    try {
      if (plan.convention === 'enstack' || hasEpochAndStep(state.value)) {
        const s = await readEnstackState(stateSrc, state);
        summary = { progress: s.progress, bestValF1: s.bestValF1, bestValAcc: s.bestValAcc, optimizer: s.optimizer, scheduler: s.scheduler, scaler: s.scaler, history: s.history };
        warnings.push(...s.warnings);
      } else {
        const epoch = asNumber(dictGet(state.value, 'epoch'));
        const step = asNumber(dictGet(state.value, 'step'));
        const progress = epoch !== undefined && Number.isInteger(epoch) && step !== undefined ? decideResume(epoch, step, undefined) : undefined;
        summary = { progress, optimizer: await summarizeOptimizer(stateSrc, state, dictGet(state.value, 'optimizer_state_dict') ?? dictGet(state.value, 'optimizer')) };
        const model = summarizeStateDict(plan.stateFile, state.value);
        if (model) summary = { ...summary, model };
      }
      repair = state.integrity.length
        ? { eligible: false, reason: 'the file failed an integrity check (see the problems above), and a repair would hide the damage' }
        : hasEpochAndStep(state.value)
          ? { eligible: true, reason: 'epoch and step are saved at the top level of the state dict', file: plan.stateFile }
          : { eligible: false, reason: 'this file has no top-level epoch and step to repair' };
    } catch (e) {
      problems.push(problemOf(plan.stateFile, e));
    }
  }

  // Model weights
  let model: ModelSummary | undefined = summary.model;
  if (plan.weightsFile) {
    const w = plan.weightsFile;
    try {
      const src = open(w);
      if (w.endsWith('.safetensors')) {
        model = summarizeSafetensors(w, await readSafetensorsHeader(src));
        setFile(w, { format: 'safetensors' });
      } else {
        const tf = await loadTorchFile(src);
        findings.push(...torchFileFindings(w, tf));
        model = summarizeStateDict(w, tf.value);
        setFile(w, { format: tf.format === 'zip' ? 'torch.save zip' : 'torch.save legacy (pre-1.6)', pickleProtocol: tf.main.result.protocol });
      }
    } catch (e) {
      problems.push(problemOf(w, e));
    }
  }
  if (plan.configFile) {
    try {
      const src = open(plan.configFile);
      const text = new TextDecoder().decode(await src.read(0, Math.min(src.size, 4 * 1024 * 1024)));
      const fields = configFields(JSON.parse(text));
      if (model) model = { ...model, ...fields };
      setFile(plan.configFile, { format: 'JSON' });
    } catch (e) {
      problems.push(problemOf(plan.configFile, e instanceof SyntaxError ? new CheckpointFormatError('bad-json', plan.configFile, `config.json is not valid JSON: ${e.message}`) : e));
    }
  }

  return {
    id: plan.id,
    name: plan.name,
    path: plan.path,
    kind: state ? (plan.convention === 'enstack' ? 'enstack' : 'generic') : 'unreadable',
    files: fileSummaries,
    totalBytes: fileSummaries.reduce((a, f) => a + f.size, 0),
    ...summary,
    model,
    safety: findings.length || state ? safetySummary(findings) : undefined,
    problems,
    warnings,
    repair,
  };
}
