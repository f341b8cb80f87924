/**
 * `torch.distributed.checkpoint` (DCP) directories (CONVENTIONS.md §9;
 * `torch/distributed/checkpoint/metadata.py`, `filesystem.py`, `default_planner.py`): `.metadata`
 * plus `__{rank}_{n}.distcp` data files. Used by Accelerate/HF Trainer FSDP
 * (`pytorch_model_fsdp_0/`), torchtune async saves and NeMo 2 (`weights/`). DCP has no resume rule
 * of its own: `dcp.load` fills the caller's state dict; progress is whatever the caller saved
 * (non-tensor values are `torch.save` blobs inside the `.distcp` files, read here).
 */
import type { AnalysisContext } from '../../analyze/context';
import type { ByteSource } from '../../bytes/byteSource';
import type { CheckpointClaim, FolderListing } from '../../folder/checkpointPlan';
import { dirOf } from '../../folder/paths';
import { loadTorchFile } from '../../torch/loadTorchFile';
import type { Convention, ConventionPart } from '../convention';
import { displayText } from '../plainValues';
import { notRepairable } from '../shared/repairEligibility';
import { numberOrScalar } from '../stateDicts';
import type { ModelSummary, SavedFact } from '../summary';
import { readDcpMetadata, type DcpMetadata } from './metadata';

const SHARD = /^__\d+_\d+\.distcp$/;
/** Non-tensor keys read as progress (`step`, `app.epoch`, `global_step`...). */
const PROGRESS_KEY = /(^|\.)(step|global_step|epoch|iteration|epochs_run|steps_run)$/;
/** Most non-tensor values read from their blobs. */
const MAX_OBJECTS = 32;

function claimFolder(folder: FolderListing): CheckpointClaim[] {
  const { dir, names, claimed } = folder;
  if (!names.includes('.metadata') || claimed.has('.metadata') || !names.some((n) => SHARD.test(n))) return [];
  const role = (n: string) => (n === '.metadata' ? 'dcp-metadata' : SHARD.test(n) ? 'dcp-shard' : n === 'common.pt' ? 'dcp-common' : 'other');
  const name = dir ? dir.slice(dir.lastIndexOf('/') + 1) : '.metadata';
  return [{ id: dir || '.metadata', name, path: dir, files: names.filter((n) => !claimed.has(n)).map((n) => ({ path: folder.join(n), role: role(n) })) }];
}

/** A view of bytes [offset, offset + length) of `src`. */
function sliceOf(src: ByteSource, offset: number, length: number, name: string): ByteSource {
  const size = Math.max(0, Math.min(length, src.size - offset));
  return { name, size, read: (o, n) => src.read(offset + Math.max(0, o), Math.max(0, Math.min(n, size - o))) };
}

/** The non-tensor values (`step`, `epoch`...) as text and numbers, read from their torch.save blobs. */
async function readObjects(ctx: AnalysisContext, dir: string, md: DcpMetadata): Promise<{ facts: SavedFact[]; numbers: Map<string, number> }> {
  const facts: SavedFact[] = [];
  const numbers = new Map<string, number>();
  for (const key of md.objects.slice(0, MAX_OBJECTS)) {
    const at = md.storage.get(key);
    if (!at) continue;
    const path = dir ? `${dir}/${at.file}` : at.file;
    try {
      const slice = sliceOf(ctx.open(path), at.offset, at.length, `${path}[${at.offset}:${at.offset + at.length}]`);
      const f = await loadTorchFile(slice);
      const n = await numberOrScalar(slice, f, f.value);
      if (n !== undefined) numbers.set(key, n);
      facts.push({ label: `saved object ${key}`, value: n !== undefined ? String(n) : displayText(f.value, 80) });
    } catch (e) {
      ctx.warnings.push(`${path}: the value of ${key} at bytes ${at.offset}..${at.offset + at.length} could not be read (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  return { facts, numbers };
}

function modelOf(path: string, md: DcpMetadata): ModelSummary | undefined {
  const tensors = md.tensors.filter((t) => !/^optim/.test(t.name));
  if (!tensors.length) return undefined;
  const counts = new Map<string, number>();
  let parameters = 0;
  for (const t of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    parameters += n;
    counts.set(t.dtype, (counts.get(t.dtype) ?? 0) + n);
  }
  return {
    file: path,
    parameters,
    tensors: tensors.length,
    dtypes: [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([d]) => d),
    tensorList: tensors.slice(0, 200).map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape })),
  };
}

async function read(ctx: AnalysisContext): Promise<ConventionPart> {
  const metaPath = ctx.paths('dcp-metadata')[0];
  const shards = ctx.files.filter((f) => ctx.paths('dcp-shard').includes(f.path));
  const shardBytes = shards.reduce((n, f) => n + f.size, 0);
  for (const p of ctx.paths('dcp-common')) await ctx.loadTorch(p);
  const facts: SavedFact[] = [{ label: 'shards', value: `${shards.length} .distcp files, ${shardBytes} bytes` }];
  const tf = await ctx.loadTorch(metaPath);
  const md = tf ? readDcpMetadata(tf.value) : undefined;
  if (tf && !md) ctx.warnings.push(`${metaPath}: not a torch.distributed.checkpoint Metadata pickle`);
  let numbers = new Map<string, number>();
  if (md) {
    facts.push({ label: 'entries', value: `${md.tensors.length} tensors, ${md.objects.length} other values${md.objects.length ? ` (${md.objects.slice(0, 8).join(', ')})` : ''}` });
    if (md.version) facts.push({ label: 'DCP version', value: md.version });
    const objs = await readObjects(ctx, dirOf(metaPath), md);
    facts.push(...objs.facts);
    numbers = objs.numbers;
  }
  const progressKeys = [...numbers.keys()].filter((k) => PROGRESS_KEY.test(k));
  const stepKey = progressKeys.find((k) => /(step|iteration|steps_run)$/.test(k));
  const epochKey = progressKeys.find((k) => /(epoch|epochs_run)$/.test(k));
  const saved = progressKeys.map((k) => `${k} ${numbers.get(k)}`).join(', ');
  return {
    kind: 'dcp',
    position: {
      epochsCompleted: undefined,
      epoch: epochKey ? numbers.get(epochKey) : undefined,
      epochBase: 0,
      epochMeaning: "the caller's own value (DCP defines no epoch)",
      stepInEpoch: undefined,
      stepsPerEpoch: undefined,
      stepUnit: 'optimizer steps',
      globalStep: stepKey ? numbers.get(stepKey) : undefined,
      finished: false,
      resumable: md !== undefined && shards.length > 0,
      resume: `dcp.load fills the caller's state dict; the training script decides where training restarts${saved ? ` (saved: ${saved})` : ''}`,
      note: 'torch.distributed.checkpoint has no resume rule of its own',
    },
    metrics: [],
    facts,
    model: md ? modelOf(metaPath, md) : undefined,
    repair: notRepairable('DCP values carry CRCs and fixed lengths recorded in .metadata; not edited'),
  };
}

/** `torch.distributed.checkpoint` directories. */
export const dcp: Convention = {
  id: 'dcp',
  label: 'torch.distributed.checkpoint',
  roles: { 'dcp-metadata': 'DCP metadata', 'dcp-shard': 'DCP data shard', 'dcp-common': 'NeMo common state' },
  claimFolder,
  read,
};
