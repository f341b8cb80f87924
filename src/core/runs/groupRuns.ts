/**
 * Runs: the checkpoints one training wrote. A run is the checkpoints of one convention in one run
 * folder: the parent of a checkpoint folder (`output_dir` of HF `checkpoint-N/`, the folder
 * holding EnStack's `last_checkpoint/`), or the folder holding a single-file checkpoint
 * (Ultralytics `weights/`, a Lightning `checkpoints/`). Findings and verdicts never compare
 * checkpoints of different runs.
 */
import { NOT_READ, type CheckpointSummary } from '../conventions/summary';
import { conventionLabel } from '../conventions/registry';
import { dirOf } from '../folder/paths';

/** One run and its checkpoints (ids, in the order given). */
export interface Run {
  /** Stable id: `<convention>@<run folder>`. */
  readonly id: string;
  /** The shortest path suffix that tells this run from the others (`run1`, `a/outputs`), `(top)` for the drop root. */
  readonly label: string;
  /** Run folder relative to the drop ('' for the root). */
  readonly folder: string;
  /** Convention id of its checkpoints. */
  readonly convention: string;
  readonly checkpointIds: string[];
}

/** The run folder of a checkpoint: the parent of a checkpoint folder, or the folder of a single-file checkpoint. */
export function runFolderOf(s: Pick<CheckpointSummary, 'id' | 'path' | 'runFolder'>): string {
  if (s.runFolder !== undefined) return s.runFolder;
  return s.id === s.path ? dirOf(s.path) : s.path;
}

/**
 * Shortest distinguishing path suffixes: the last component, lengthened until all differ. Counts
 * each suffix length once over all folders (O(folders x depth)), so 1,000 run folders are not a
 * million comparisons (issue 15).
 */
function labels(folders: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const parts = new Map(folders.map((f) => [f, f ? f.split('/') : []]));
  const suffix = (p: string[], k: number): string => p.slice(Math.max(0, p.length - k)).join('/');
  const counts = new Map<number, Map<string, number>>();
  const countOf = (k: number, key: string): number => {
    let m = counts.get(k);
    if (!m) {
      m = new Map();
      for (const g of folders) {
        const sk = suffix(parts.get(g) ?? [], k);
        m.set(sk, (m.get(sk) ?? 0) + 1);
      }
      counts.set(k, m);
    }
    return m.get(key) ?? 0;
  };
  for (const f of folders) {
    const mine = parts.get(f) ?? [];
    if (!mine.length) {
      out.set(f, '(top)');
      continue;
    }
    let n = 1;
    // another folder with the same last n components (the folder itself counts once)
    while (n < mine.length && countOf(n, suffix(mine, n)) > 1) n++;
    out.set(f, suffix(mine, n));
  }
  return out;
}

/**
 * Group summaries into runs, in the order their first checkpoint appears. Unreadable and not-read
 * checkpoints join the run of their folder's readable convention when there is one, else their own run.
 */
export function groupRuns(summaries: readonly Pick<CheckpointSummary, 'id' | 'path' | 'kind' | 'runFolder'>[]): Run[] {
  const byId = new Map<string, { folder: string; convention: string; ids: string[] }>();
  const readableIn = new Map<string, string>();
  const unclaimed = (kind: string): boolean => kind === 'unreadable' || kind === NOT_READ;
  for (const s of summaries) if (!unclaimed(s.kind) && !readableIn.has(runFolderOf(s))) readableIn.set(runFolderOf(s), s.kind);
  for (const s of summaries) {
    const folder = runFolderOf(s);
    const convention = unclaimed(s.kind) ? (readableIn.get(folder) ?? s.kind) : s.kind;
    const id = `${convention}@${folder}`;
    const run = byId.get(id) ?? { folder, convention, ids: [] };
    run.ids.push(s.id);
    byId.set(id, run);
  }
  const folders = [...new Set([...byId.values()].map((r) => r.folder))];
  const names = labels(folders);
  const perFolder = new Map<string, number>();
  for (const r of byId.values()) perFolder.set(r.folder, (perFolder.get(r.folder) ?? 0) + 1);
  return [...byId.entries()].map(([id, r]) => {
    const base = names.get(r.folder) ?? r.folder;
    return {
      id,
      folder: r.folder,
      convention: r.convention,
      checkpointIds: r.ids,
      // two conventions in one folder: name the convention too
      label: (perFolder.get(r.folder) ?? 0) > 1 ? `${base} (${conventionLabel(r.convention)})` : base,
    };
  });
}
