/**
 * Health reports and diffs made on this page, kept for the views and the share link (which
 * carries their summaries, never tensor values). A shared snapshot's reports are read from the
 * link itself.
 */
import { create } from 'zustand';
import type { CheckpointDiff, DiffSummary } from '../core/diff/types';
import { summarizeDiff } from '../core/diff/types';
import type { HealthReport, HealthSummary } from '../core/health/types';
import { summarizeHealth } from '../core/health/types';
import { decodeSnapshot, SNAPSHOT_PREFIX } from '../core/share/snapshot';

/** The reports of the page. */
interface TensorReportsState {
  /** Full health reports by checkpoint id. */
  readonly health: Record<string, HealthReport>;
  /** Diffs made, newest last, keyed `a|b`. */
  readonly diffs: Record<string, CheckpointDiff>;
  setHealth(id: string, r: HealthReport): void;
  setDiff(d: CheckpointDiff): void;
}

export const useTensorReports = create<TensorReportsState>()((set) => ({
  health: {},
  diffs: {},
  setHealth: (id, r) => set((s) => ({ health: { ...s.health, [id]: r } })),
  setDiff: (d) => set((s) => ({ diffs: { ...s.diffs, [`${d.a.id}|${d.b.id}`]: d } })),
}));

/** The summaries a share link carries: completed health scans and diffs of checkpoints still loaded. */
export function tensorReportsForLink(loadedIds: ReadonlySet<string>): { health: HealthSummary[]; diffs: DiffSummary[] } {
  const s = useTensorReports.getState();
  return {
    health: Object.entries(s.health).filter(([id]) => loadedIds.has(id)).map(([id, r]) => summarizeHealth(id, r)),
    diffs: Object.values(s.diffs).filter((d) => loadedIds.has(d.a.id) && loadedIds.has(d.b.id)).map(summarizeDiff),
  };
}

/** The health and diff summaries of the share link the page was opened with, if any. */
export function sharedTensorReports(): { health: HealthSummary[]; diffs: DiffSummary[] } {
  if (typeof location === 'undefined' || !location.hash.startsWith(SNAPSHOT_PREFIX)) return { health: [], diffs: [] };
  try {
    const snap = decodeSnapshot(location.hash);
    return { health: snap.health ?? [], diffs: snap.diffs ?? [] };
  } catch {
    return { health: [], diffs: [] };
  }
}
