/**
 * MMEngine (MMDetection 3.x and friends) and the mmcv 1.x runner: `work_dir/epoch_N.pth`,
 * `iter_N.pth`, `best_*.pth` holding `meta` {epoch, iter, mmengine_version | mmcv_version, cfg,
 * seed...}, `state_dict`, `message_hub`, `optimizer`, `param_schedulers`
 * (mmengine `runner/runner.py:Runner.save_checkpoint`, `runner/checkpoint.py:save_checkpoint`;
 * mmcv `runner/epoch_based_runner.py`), plus the `last_checkpoint` text file naming the file
 * `Runner.resume` loads when `resume=True` is given no path (`runner/checkpoint.py:find_latest_checkpoint`).
 *
 * Two ways in: a lone `.pth` whose `meta` carries the version (content match), and a folder
 * holding `last_checkpoint` (folder claim: the pointer, read together with the file it names).
 */
import type { AnalysisContext } from '../../analyze/context';
import { baseName } from '../../folder/paths';
import type { CheckpointClaim, FolderListing } from '../../folder/checkpointPlan';
import { dictGet, type PyValue } from '../../pickle/values';
import type { Convention, ConventionPart } from '../convention';
import { summarizeStateDict } from '../modelWeights';
import { notRepairable } from '../shared/repairEligibility';
import { summarizeOptimizer } from '../stateDicts';
import type { SavedFact, SavedMetric } from '../summary';
import { mmPosition } from './position';
import { bestScores, isMmCheckpoint, readMmMeta, savedBy } from './readMeta';
import { mmengineRepair } from './repair';

/** Largest `last_checkpoint` text read, in bytes (it holds one path). */
const MAX_POINTER_BYTES = 64 * 1024;

const REPAIR = notRepairable('MMEngine resumes from meta.epoch, meta.iter and the param schedulers together; ckptview does not edit them (rewriting last_checkpoint is the safe fix)');

/** The optimizer state inside `optimizer` (an OptimWrapper state dict, or a dict of them for OptimWrapperDict). */
function optimizerValue(root: PyValue): PyValue | undefined {
  const o = dictGet(root, 'optimizer');
  if (dictGet(o, 'state') !== undefined) return o;
  if (o?.kind === 'dict') return o.entries.map(([, v]) => v).find((v) => dictGet(v, 'state') !== undefined);
  return undefined;
}

/** Read one MMEngine/mmcv `.pth` into the shared parts (position, metrics, facts, model, optimizer). */
async function readFile(ctx: AnalysisContext, path: string): Promise<ConventionPart> {
  const state = await ctx.loadTorch(path);
  if (!state) return { kind: 'unreadable', repair: notRepairable('no readable training state') };
  const root = state.value;
  const meta = readMmMeta(root);
  const name = baseName(path);
  const cfg = dictGet(dictGet(root, 'meta'), 'cfg') ?? dictGet(dictGet(root, 'meta'), 'config');
  const cfgText = cfg?.kind === 'str' ? cfg.value : undefined;
  const optimizer = await summarizeOptimizer(ctx.open(path), state, optimizerValue(root));
  const position = mmPosition(meta, name, cfgText, optimizer !== undefined);
  const by = savedBy(name);
  if (by?.by === 'epoch' && meta.epoch !== undefined && by.n !== meta.epoch) {
    ctx.warnings.push(`${path}: the file name says epoch ${by.n} but meta.epoch is ${meta.epoch}: the stale-meta bug of mmcv PR #1108 (mmdetection #5505, #8513); the file name is the epoch it was saved after, while a resume follows meta.epoch ${meta.epoch}.`);
  }
  if (by?.by === 'iter' && meta.iter !== undefined && by.n !== meta.iter) {
    ctx.warnings.push(`${path}: the file name says iteration ${by.n} but meta.iter is ${meta.iter}; a resume follows meta.iter.`);
  }
  const metrics: SavedMetric[] = bestScores(root).map((b) => ({ ...b, best: true }));
  const scheds = dictGet(root, 'param_schedulers');
  const schedList = scheds?.kind === 'list' ? scheds.items : scheds?.kind === 'dict' ? scheds.entries.flatMap(([, v]) => (v.kind === 'list' ? v.items : [])) : [];
  const facts: SavedFact[] = [
    { label: meta.library === 'mmengine' ? 'meta.mmengine_version' : 'meta.mmcv_version', value: meta.version ?? '—' },
    ...(meta.epoch !== undefined ? [{ label: 'meta.epoch', value: String(meta.epoch) }] : []),
    ...(meta.iter !== undefined ? [{ label: 'meta.iter', value: String(meta.iter) }] : []),
    ...(by ? [{ label: 'file name', value: `${by.by} ${by.n}` }] : []),
    ...(meta.maxEpochs !== undefined ? [{ label: 'cfg max_epochs', value: String(meta.maxEpochs) }] : []),
    ...(meta.maxIters !== undefined ? [{ label: 'cfg max_iters', value: String(meta.maxIters) }] : []),
    ...(meta.seed !== undefined ? [{ label: 'meta.seed', value: String(meta.seed) }] : []),
    ...(schedList.length ? [{ label: 'param_schedulers', value: `${schedList.length} saved` }] : []),
  ];
  return {
    kind: 'mmengine',
    position,
    metrics,
    facts,
    optimizer,
    model: summarizeStateDict(path, root),
    repair: REPAIR,
  };
}

/** The path named in a `last_checkpoint` text, resolved against the files in its folder (by base name). */
function pointerTarget(ctx: AnalysisContext, pointerPath: string, text: string): { named: string; path: string | undefined } {
  const named = text.trim().split(/\r?\n/)[0]?.trim() ?? '';
  const want = baseName(named.replace(/\\/g, '/'));
  const dir = pointerPath.includes('/') ? pointerPath.slice(0, pointerPath.lastIndexOf('/') + 1) : '';
  const path = ctx.plan.files.find((f) => f.path === `${dir}${want}`)?.path;
  return { named, path };
}

/** Read a `last_checkpoint` pointer and the checkpoint it names. */
async function readPointer(ctx: AnalysisContext): Promise<ConventionPart> {
  const pointer = ctx.paths('last-checkpoint')[0];
  const src = ctx.open(pointer);
  const text = new TextDecoder().decode(await src.read(0, Math.min(src.size, MAX_POINTER_BYTES)));
  ctx.describe(pointer, { format: 'text' });
  const { named, path } = pointerTarget(ctx, pointer, text);
  if (!named) {
    ctx.warnings.push(`${pointer}: the file is empty: Runner.resume(resume=True) finds no checkpoint to resume and trains from scratch.`);
    return { kind: 'mmengine', facts: [{ label: 'last_checkpoint', value: '(empty)' }], repair: REPAIR };
  }
  if (!path) {
    ctx.warnings.push(`${pointer}: it names ${named}, which is not in this folder: Runner.resume(resume=True) fails to load it; point last_checkpoint at an existing, complete checkpoint.`);
    return {
      kind: 'mmengine',
      facts: [{ label: 'last_checkpoint', value: named }],
      position: {
        epochsCompleted: undefined, epoch: undefined, epochBase: 1, epochMeaning: 'meta.epoch of the named file (missing)', stepInEpoch: undefined,
        stepsPerEpoch: undefined, stepUnit: 'iterations', globalStep: undefined, finished: false, resumable: false,
        resume: `cannot resume: last_checkpoint names ${baseName(named)}, which is missing`,
      },
      repair: REPAIR,
    };
  }
  const part = await readFile(ctx, path);
  if (part.kind === 'unreadable') return part;
  const position = part.position && { ...part.position, resume: `${part.position.resume}; resume=True loads ${baseName(path)}, named by last_checkpoint` };
  return { ...part, position, facts: [{ label: 'last_checkpoint', value: named }, ...(part.facts ?? [])] };
}

/** MMEngine / mmcv. */
export const mmengine: Convention = {
  id: 'mmengine',
  label: 'MMEngine',
  repair: mmengineRepair,
  roles: { 'last-checkpoint': 'last_checkpoint pointer' },
  claimFolder(folder: FolderListing): CheckpointClaim[] {
    if (!folder.names.includes('last_checkpoint') || folder.claimed.has('last_checkpoint') || folder.sniffed.get('last_checkpoint') === 'zip' || folder.sniffed.get('last_checkpoint') === 'pickle') return [];
    const id = folder.join('last_checkpoint');
    // The .pth files are listed (role other) so the pointer can be resolved; each is still read on its own.
    const pth = folder.names.filter((n) => n.endsWith('.pth') && !folder.claimed.has(n));
    return [{ id, name: 'last_checkpoint', path: folder.dir, files: [{ path: id, role: 'last-checkpoint' }, ...pth.map((n) => ({ path: folder.join(n), role: 'other' }))] }];
  },
  matches: (file) => isMmCheckpoint(file.value),
  // mmengine runner/runner.py resume(resume=True): find_latest_checkpoint reads last_checkpoint
  pickResume: (checkpoints) => checkpoints.find((c) => c.name === 'last_checkpoint'),
  read(ctx) {
    return ctx.paths('last-checkpoint').length ? readPointer(ctx) : readFile(ctx, ctx.paths('training-state')[0]);
  },
};
