/**
 * Group the files of a drop into checkpoints, by path alone (no I/O). A folder holding
 * `training_state.pth` is an EnStack checkpoint; other torch.save files stand alone.
 */

/** A file as dropped: its path relative to the drop (forward slashes) and its size in bytes. */
export interface DroppedFile {
  readonly path: string;
  readonly size: number;
}

/** How a file serves its checkpoint. */
export type FileRole = 'training-state' | 'weights' | 'config' | 'other';

/** One checkpoint to analyse. */
export interface CheckpointPlan {
  /** Stable id: folder path, or file path for single-file checkpoints. */
  readonly id: string;
  readonly name: string;
  /** Folder path ('' for the drop root). */
  readonly path: string;
  readonly convention: 'enstack' | 'generic';
  /** The torch.save file holding the training state (or the single file). */
  readonly stateFile: string;
  readonly weightsFile?: string;
  readonly configFile?: string;
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
    const folderName = dir ? baseName(dir) : '(dropped files)';
    const claimed = new Set<string>();
    if (names.includes('training_state.pth')) {
      const weights = WEIGHT_FILES.find((w) => names.includes(w));
      const config = names.includes('config.json') ? 'config.json' : undefined;
      // The state, the weights and the config belong to the checkpoint; any other torch file in the
      // folder (a copy, a conflict copy) is also analysed on its own below.
      for (const n of ['training_state.pth', 'config.json', ...WEIGHT_FILES]) claimed.add(n);
      const filesOf = names.map((n) => ({
        path: join(n),
        role: (n === 'training_state.pth' ? 'training-state' : n === weights ? 'weights' : n === config ? 'config' : 'other') as FileRole,
      }));
      checkpoints.push({
        id: dir || 'training_state.pth',
        name: folderName,
        path: dir,
        convention: 'enstack',
        stateFile: join('training_state.pth'),
        weightsFile: weights ? join(weights) : undefined,
        configFile: config ? join(config) : undefined,
        files: filesOf,
      });
    }
    for (const n of names) {
      if (claimed.has(n) || !TORCH_EXTENSIONS.test(n)) continue;
      claimed.add(n);
      checkpoints.push({ id: join(n), name: n, path: dir, convention: 'generic', stateFile: join(n), files: [{ path: join(n), role: 'training-state' }] });
    }
    const rest = names.filter((n) => !claimed.has(n));
    if (rest.length === names.length && dir) otherFolders.push({ path: dir, files: rest });
  }
  return { checkpoints, otherFolders };
}
