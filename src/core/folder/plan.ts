/**
 * Group the files of a drop into checkpoints (no I/O: names, plus what the first bytes said for
 * files whose name does not tell). Each folder is offered to the conventions of
 * `conventions/registry.ts` in order (`claimFolder`); a torch-like file nobody claimed stands
 * alone and its convention is decided by its content when it is parsed ({@link BY_CONTENT}).
 */
import { CONVENTIONS } from '../conventions/registry';
import type { SniffedKind } from '../torch/sniff';
import { BY_CONTENT, type CheckpointPlan, type DropPlan, type DroppedFile, type FolderListing, type OtherFolder } from './checkpointPlan';
import { baseName, dirOf } from './paths';

export { BY_CONTENT, type CheckpointPlan, type DropPlan, type DroppedFile, type OtherFolder } from './checkpointPlan';
export { baseName, dirOf } from './paths';

/** Extensions of files torch.load is usually given. */
const TORCH_EXTENSIONS = /\.(pth|pt|bin|ckpt|pkl|pickle|tar|t7|pkl\.\d+|pt\.\d+|pth\.\d+)$/i;
/** Extensions that are never a torch.save file, so their first bytes are not read. */
const NOT_TORCH = /\.(json|txt|md|rst|yaml|yml|toml|cfg|ini|py|sh|csv|tsv|log|html?|png|jpe?g|gif|svg|webp|safetensors|onnx|h5|npz|ipynb|lock|gitignore|gitattributes|model|vocab|spm|tiktoken|msgpack|wav|mp3|mp4)$/i;

/** True when a file's name does not tell whether it is a torch file, so its first bytes should be read. */
export function needsSniff(path: string): boolean {
  const name = baseName(path);
  if (name.startsWith('events.out.tfevents.')) return false;
  return !TORCH_EXTENSIONS.test(name) && !NOT_TORCH.test(name);
}

/** True when a file's name says it is never a torch.save file (JSON, text, images, safetensors...). */
export function neverTorchByName(path: string): boolean {
  return NOT_TORCH.test(baseName(path));
}

/** True when a sniffed kind could be a file torch.load opens (a zip or a pickle, legacy included). */
function torchLike(kind: SniffedKind | undefined): boolean {
  return kind === 'zip' || kind === 'pickle';
}

/** The first file of a plan with `role`, if any. */
export function fileWithRole(plan: CheckpointPlan, role: string): string | undefined {
  return plan.files.find((f) => f.role === role)?.path;
}

/**
 * Plan the checkpoints of a drop. Order: folder path, then the registry's order within a folder.
 * @param sniffed what the first bytes said, by path, for the files {@link needsSniff} picked
 */
export function planDrop(files: readonly DroppedFile[], sniffed: ReadonlyMap<string, SniffedKind> = new Map()): DropPlan {
  const byDir = new Map<string, string[]>();
  const subfolders = new Map<string, Set<string>>();
  for (const f of files) {
    const d = dirOf(f.path);
    const list = byDir.get(d) ?? [];
    list.push(baseName(f.path));
    byDir.set(d, list);
    // every ancestor knows its sub-folders
    for (let child = d; child; child = dirOf(child)) {
      const parent = dirOf(child);
      const set = subfolders.get(parent) ?? new Set<string>();
      set.add(baseName(child));
      subfolders.set(parent, set);
      if (!byDir.has(parent)) byDir.set(parent, []);
    }
  }
  const allPaths = files.map((f) => f.path).sort();
  const claimedPaths = new Set<string>();
  const checkpoints: CheckpointPlan[] = [];
  const otherFolders: OtherFolder[] = [];
  for (const dir of [...byDir.keys()].sort()) {
    const names = (byDir.get(dir) ?? []).sort();
    const join = (n: string): string => (dir ? `${dir}/${n}` : n);
    const prefix = dir ? `${dir}/` : '';
    const claimed = new Set(names.filter((n) => claimedPaths.has(join(n))));
    const sniffedHere = new Map<string, SniffedKind>();
    for (const n of names) {
      const k = sniffed.get(join(n));
      if (k) sniffedHere.set(n, k);
    }
    const listing: FolderListing = {
      dir,
      names,
      subfolders: [...(subfolders.get(dir) ?? [])].sort(),
      get below() {
        // the paths under `prefix` are one contiguous stretch of the sorted list: found by bisection,
        // so a drop of thousands of folders is not thousands of scans of every path (issue 15)
        const out: string[] = [];
        for (let i = lowerBound(allPaths, prefix); i < allPaths.length && allPaths[i].startsWith(prefix); i++) {
          if (allPaths[i].indexOf('/', prefix.length) >= 0) out.push(allPaths[i]);
        }
        return out;
      },
      sniffed: sniffedHere,
      claimed,
      join,
    };
    for (const convention of CONVENTIONS) {
      if (!convention.claimFolder) continue;
      for (const claim of convention.claimFolder(listing)) {
        checkpoints.push({ ...claim, convention: convention.id });
        for (const f of claim.files) {
          if (f.role === 'other') continue;
          claimedPaths.add(f.path);
          if (dirOf(f.path) === dir) claimed.add(baseName(f.path));
        }
      }
    }
    for (const n of names) {
      if (claimed.has(n)) continue;
      if (!TORCH_EXTENSIONS.test(n) && !torchLike(sniffedHere.get(n))) continue;
      claimed.add(n);
      claimedPaths.add(join(n));
      checkpoints.push({ id: join(n), name: n, path: dir, convention: BY_CONTENT, files: [{ path: join(n), role: 'training-state' }] });
    }
    const rest = names.filter((n) => !claimed.has(n));
    if (names.length && rest.length === names.length && dir) otherFolders.push({ path: dir, files: rest });
  }
  return { checkpoints, otherFolders };
}

/** The first index of sorted `list` whose item is not less than `key` (code-unit order, as `sort()`). */
function lowerBound(list: readonly string[], key: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
