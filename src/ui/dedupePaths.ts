/**
 * Keep every dropped file distinct: when a new drop brings a path that is already loaded for a
 * different file (two `last_checkpoint/` folders from different runs, two loose
 * `training_state.pth`), the new folder becomes `last_checkpoint [2]/...` and a loose file moves
 * into `dropped [2]/`, instead of silently replacing what is loaded. Dropping the same file again
 * (same name, size and modification time) replaces it, as a reload should.
 */
import type { DroppedBlob } from '../worker/protocol';

function sameFile(a: Blob, b: Blob): boolean {
  if (a === b) return true;
  const fa = a as Partial<File>;
  const fb = b as Partial<File>;
  return a.size === b.size && fa.lastModified !== undefined && fa.lastModified === fb.lastModified && fa.name === fb.name;
}

function topOf(path: string): string {
  const i = path.indexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** New paths for `files` so that none replaces a different loaded file or another file of the same drop. */
export function dedupePaths(files: readonly DroppedBlob[], loaded: ReadonlyMap<string, Blob>): DroppedBlob[] {
  const tops = new Set([...loaded.keys()].map(topOf).filter(Boolean));
  const freeTop = (base: string): string => {
    for (let n = 2; ; n++) if (!tops.has(`${base} [${n}]`)) return `${base} [${n}]`;
  };
  const groups = new Map<string, DroppedBlob[]>();
  for (const f of files) {
    const top = topOf(f.path);
    const group = groups.get(top);
    // pushed, not copied: a folder of 6,800 files is one group (a copy per file was quadratic)
    if (group) group.push(f);
    else groups.set(top, [f]);
  }
  const out: DroppedBlob[] = [];
  for (const [top, group] of groups) {
    if (top) {
      const clash = group.some((f) => loaded.has(f.path) && !sameFile(loaded.get(f.path) as Blob, f.file));
      const renamed = clash ? freeTop(top) : top;
      tops.add(renamed);
      for (const f of group) out.push(clash ? { path: `${renamed}${f.path.slice(top.length)}`, file: f.file } : f);
      continue;
    }
    const seen = new Set<string>();
    let spill: string | undefined;
    for (const f of group) {
      const clash = seen.has(f.path) || (loaded.has(f.path) && !sameFile(loaded.get(f.path) as Blob, f.file));
      seen.add(f.path);
      if (!clash) out.push(f);
      else {
        // a second file of the same name: into a folder of its own (one folder per clashing name)
        spill = freeTop('dropped');
        tops.add(spill);
        out.push({ path: `${spill}/${f.path}`, file: f.file });
      }
    }
  }
  return out;
}
