/**
 * Group the files of a drop into checkpoints, by path alone (no I/O):
 * - a folder holding `training_state.pth` is an EnStack checkpoint (with its weights and config);
 * - a folder holding `trainer_state.json` is a Hugging Face Trainer `checkpoint-N/`;
 * - a `.ckpt` file is a PyTorch Lightning checkpoint (checked when parsed);
 * - a `*.safetensors.index.json` is a sharded weights set; a lone `.safetensors` is weights;
 * - any other torch.save-like file (`.pth .pt .bin .pkl .tar`) stands alone.
 */

/** A file as dropped: its path relative to the drop (forward slashes) and its size in bytes. */
export interface DroppedFile {
  readonly path: string;
  readonly size: number;
}

/** How a file serves its checkpoint. */
export type FileRole =
  | 'training-state'
  | 'trainer-state'
  | 'optimizer'
  | 'scheduler'
  | 'scaler'
  | 'rng-state'
  | 'training-args'
  | 'weights'
  | 'weights-index'
  | 'adapter-config'
  | 'config'
  | 'other';

/** Which reader handles a checkpoint. */
export type Convention = 'enstack' | 'hf-trainer' | 'lightning' | 'generic' | 'weights';

/** One checkpoint to analyse. */
export interface CheckpointPlan {
  /** Stable id: folder path, or file path for single-file checkpoints. */
  readonly id: string;
  readonly name: string;
  /** Folder path ('' for the drop root). */
  readonly path: string;
  readonly convention: Convention;
  /** Every file that belongs to the checkpoint, with its role. */
  readonly files: { path: string; role: FileRole }[];
}

/** Folders that hold files but no checkpoint (leftovers such as `.tmp_*` with only config.json). */
export interface OtherFolder {
  readonly path: string;
  readonly files: string[];
}

/** The result of planning a drop. */
export interface DropPlan {
  readonly checkpoints: CheckpointPlan[];
  readonly otherFolders: OtherFolder[];
}

const TORCH_EXTENSIONS = /\.(pth|pt|bin|ckpt|pkl|pickle|tar)$/i;
const WEIGHT_FILES = ['model.safetensors', 'pytorch_model.bin', 'adapter_model.safetensors', 'adapter_model.bin'];

/** Directory part of a path ('' for top level). */
export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** Last path component. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The first file of a plan with `role`, if any. */
export function fileWithRole(plan: CheckpointPlan, role: FileRole): string | undefined {
  return plan.files.find((f) => f.role === role)?.path;
}

/** Role of a file inside a Hugging Face Trainer checkpoint folder (transformers `trainer.py` names). */
function hfRole(name: string): FileRole {
  if (name === 'trainer_state.json') return 'trainer-state';
  if (name === 'optimizer.pt' || name === 'optimizer.bin') return 'optimizer';
  if (name === 'scheduler.pt' || name === 'scheduler.bin') return 'scheduler';
  if (name === 'scaler.pt') return 'scaler';
  if (/^rng_state(_\d+)?\.pth$/.test(name)) return 'rng-state';
  if (name === 'training_args.bin') return 'training-args';
  if (name === 'adapter_config.json') return 'adapter-config';
  if (name === 'config.json') return 'config';
  if (WEIGHT_FILES.includes(name) || /^model-\d+-of-\d+\.safetensors$/.test(name)) return 'weights';
  if (name.endsWith('.safetensors.index.json') || name.endsWith('.bin.index.json')) return 'weights-index';
  return 'other';
}

/** Plan the checkpoints of a drop. Order: folder path, then file name. */
export function planDrop(files: readonly DroppedFile[]): DropPlan {
  const byDir = new Map<string, string[]>();
  for (const f of files) {
    const d = dirOf(f.path);
    const list = byDir.get(d) ?? [];
    list.push(baseName(f.path));
    byDir.set(d, list);
  }
  const checkpoints: CheckpointPlan[] = [];
  const otherFolders: OtherFolder[] = [];
  for (const dir of [...byDir.keys()].sort()) {
    const names = byDir.get(dir)!.sort();
    const join = (n: string): string => (dir ? `${dir}/${n}` : n);
    // loose files at the top of a drop are named after the file that makes them a checkpoint
    const folderName = (file: string): string => (dir ? baseName(dir) : file);
    const claimed = new Set<string>();
    if (names.includes('trainer_state.json')) {
      const roles = names.map((n) => ({ path: join(n), role: hfRole(n) }));
      roles.forEach((r) => r.role !== 'other' && claimed.add(baseName(r.path)));
      checkpoints.push({ id: dir || 'trainer_state.json', name: folderName('trainer_state.json'), path: dir, convention: 'hf-trainer', files: roles });
    } else if (names.includes('training_state.pth')) {
      // The state, the weights and the config belong to the checkpoint; any other torch file in the
      // folder (a copy, a conflict copy) is also analysed on its own below.
      const weights = WEIGHT_FILES.find((w) => names.includes(w));
      for (const n of ['training_state.pth', 'config.json', ...WEIGHT_FILES]) claimed.add(n);
      checkpoints.push({
        id: dir || 'training_state.pth',
        name: folderName('training_state.pth'),
        path: dir,
        convention: 'enstack',
        files: names.map((n) => ({
          path: join(n),
          role: n === 'training_state.pth' ? 'training-state' : n === weights ? 'weights' : n === 'config.json' ? 'config' : 'other',
        })),
      });
    }
    const index = names.find((n) => n.endsWith('.safetensors.index.json'));
    if (index && !claimed.has(index)) {
      const shards = names.filter((n) => n.endsWith('.safetensors'));
      [index, ...shards].forEach((n) => claimed.add(n));
      checkpoints.push({
        id: join(index),
        name: index,
        path: dir,
        convention: 'weights',
        files: [{ path: join(index), role: 'weights-index' }, ...shards.map((n) => ({ path: join(n), role: 'weights' as const })), ...(names.includes('config.json') ? [{ path: join('config.json'), role: 'config' as const }] : [])],
      });
    }
    for (const n of names) {
      if (claimed.has(n)) continue;
      if (n.endsWith('.safetensors')) {
        claimed.add(n);
        const extra = n === 'adapter_model.safetensors' && names.includes('adapter_config.json') ? [{ path: join('adapter_config.json'), role: 'adapter-config' as const }] : [];
        const cfg = names.includes('config.json') && !claimed.has('config.json') ? [{ path: join('config.json'), role: 'config' as const }] : [];
        checkpoints.push({ id: join(n), name: n, path: dir, convention: 'weights', files: [{ path: join(n), role: 'weights' }, ...extra, ...cfg] });
        continue;
      }
      if (!TORCH_EXTENSIONS.test(n)) continue;
      claimed.add(n);
      checkpoints.push({ id: join(n), name: n, path: dir, convention: /\.ckpt$/i.test(n) ? 'lightning' : 'generic', files: [{ path: join(n), role: 'training-state' }] });
    }
    const rest = names.filter((n) => !claimed.has(n));
    if (rest.length === names.length && dir) otherFolders.push({ path: dir, files: rest });
  }
  return { checkpoints, otherFolders };
}
