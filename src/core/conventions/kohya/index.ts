/**
 * kohya sd-scripts state folders (CONVENTIONS.md §11; `library/train_util.py`,
 * `train_network.py`): `{output_name}-{epoch:06d}-state/` = an Accelerate `save_state` folder
 * plus `train_state.json`. Resume (`train_network.py`): initial_step = `current_step`,
 * epoch_to_start = initial_step // ceil(len(train_dataloader) / GA); `current_epoch` is not read.
 * By default global_step restarts at 0 after a resume, so the next state's `current_step` is too
 * small (kohya_ss #2771): detected against the optimizer's step count.
 */
import type { AnalysisContext } from '../../analyze/context';
import type { CheckpointClaim, FolderListing } from '../../folder/checkpointPlan';
import { ACCELERATE_ROLES } from '../accelerate/index';
import { accelerateFiles, isAccelerateFolder } from '../accelerate/files';
import { readAccelerateState } from '../accelerate/readAccelerate';
import type { Convention, ConventionPart } from '../convention';
import { notRepairable } from '../shared/repairEligibility';
import type { SavedFact, TrainingPosition } from '../summary';
import { checkKohyaSteps, kohyaFolderName, kohyaTrainState } from './trainState';
import { kohyaRepair } from './repair';

function claimFolder(folder: FolderListing): CheckpointClaim[] {
  const { names, claimed, dir } = folder;
  if (!names.includes('train_state.json') || claimed.has('train_state.json')) return [];
  if (!isAccelerateFolder(names.filter((n) => n !== 'train_state.json'), claimed)) return [];
  const files = accelerateFiles(folder).map((f) => (f.path === folder.join('train_state.json') ? { ...f, role: 'train-state' } : f));
  const name = dir ? dir.slice(dir.lastIndexOf('/') + 1) : 'train_state.json';
  return [{ id: dir || 'train_state.json', name, path: dir, files }];
}

async function read(ctx: AnalysisContext): Promise<ConventionPart> {
  const s = await readAccelerateState(ctx);
  const statePath = ctx.paths('train-state')[0];
  const ts = kohyaTrainState(await ctx.readJson(statePath));
  const dir = ctx.plan.path || ctx.plan.name;
  const name = kohyaFolderName(dir);
  const optSteps = s.optimizer?.steps;
  const check = checkKohyaSteps(ts, optSteps, name);
  const S = ts.currentStep;
  const E = ts.currentEpoch;
  const per = check.stepsPerEpoch;
  if (S === undefined) ctx.warnings.push(`${statePath}: no numeric current_step: train_network.py cannot resume the step from this state`);
  if (check.restarted && S !== undefined) {
    const startsAt = per ? ` resuming from it starts epoch ${Math.floor(S / per) + 1} instead of ${Math.floor((check.expectedStep ?? S) / per) + 1};` : '';
    ctx.warnings.push(
      `${statePath}: current_step ${S} is smaller than the ${optSteps} steps the optimizer has taken${E !== undefined ? ` (current_epoch ${E}${per ? `, ${per} steps per epoch` : ''})` : ''}: global_step restarted at 0 after a resume without --skip_until_initial_step (kohya_ss #2771);${startsAt} current_step should be ${check.expectedStep}`,
    );
  }
  const resume =
    S === undefined
      ? 'train_network.py cannot read current_step: the run starts from step 0 unless --initial_step/--initial_epoch is given'
      : per
        ? `train_network.py reads only current_step ${S}: epoch_to_start = ${S} // ${per} = ${Math.floor(S / per)} (starts epoch ${Math.floor(S / per) + 1}, 1-based); global_step restarts at 0 unless --skip_until_initial_step`
        : `train_network.py reads only current_step ${S}: epoch_to_start = ${S} // ceil(len(train_dataloader) / gradient_accumulation_steps) (the dataset decides); global_step restarts at 0 unless --skip_until_initial_step`;
  const position: TrainingPosition = {
    epochsCompleted: per && S !== undefined ? Math.floor(S / per) : undefined,
    epoch: E,
    epochBase: 1,
    epochMeaning: 'current_epoch: 1-based number of the epoch being trained when saved (not read by resume)',
    stepInEpoch: per && S !== undefined ? S % per : undefined,
    stepsPerEpoch: per,
    stepUnit: 'optimizer steps',
    globalStep: S,
    finished: false,
    resumable: S !== undefined && ctx.paths('optimizer').length > 0,
    resume,
    note: 'kohya resumes from current_step alone; current_epoch is informational',
  };
  const facts: SavedFact[] = [
    { label: 'train_state.json current_epoch', value: E === undefined ? 'absent' : `${E} (1-based, not read by resume)` },
    { label: 'train_state.json current_step', value: S === undefined ? 'absent' : `${S} (the step resume starts from)` },
    ...(optSteps !== undefined ? [{ label: 'optimizer steps', value: `${optSteps} (Adam state step: every update across resumes)` }] : []),
    ...(per !== undefined ? [{ label: 'steps per epoch', value: `${per} (optimizer steps / current_epoch)` }] : []),
    ...s.facts,
  ];
  return {
    kind: 'kohya',
    position,
    metrics: [],
    facts,
    optimizer: s.optimizer,
    scheduler: s.scheduler,
    scaler: s.scaler,
    model: s.model,
    repair: notRepairable('kohya resumes from current_step in train_state.json; nothing to mark'),
  };
}

/** kohya sd-scripts `*-state/` folders. */
export const kohya: Convention = {
  id: 'kohya',
  label: 'kohya sd-scripts',
  repair: kohyaRepair,
  roles: { ...ACCELERATE_ROLES, 'train-state': 'kohya train state' },
  claimFolder,
  read,
  /** kohya resumes from the folder given to `--resume`; users give the last state saved: the highest current_epoch, then the highest current_step. */
  pickResume: (checkpoints) =>
    [...checkpoints].sort((a, b) => (b.position?.epoch ?? -1) - (a.position?.epoch ?? -1) || (b.position?.globalStep ?? -1) - (a.position?.globalStep ?? -1))[0],
};
