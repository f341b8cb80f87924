/**
 * The one store (zustand): loaded checkpoints in drop order, the selection, busy state, and the
 * dropped files by path (kept for downloads and repair). Components read slices of it; the worker
 * client writes to it.
 */
import { createStore } from 'zustand';
import { bindStore } from './bindStore';
import type { CheckpointSummary } from '../core/conventions/summary';
import type { OtherFolder } from '../core/folder/plan';
import { notReadSummary } from '../core/conventions/summary';
import type { EventFileScalars } from '../core/tensorboard/eventFile';
import type { Snapshot } from '../core/share/snapshot';
import type { BatchMessage, DroppedBlob, OpenProblem, PendingCheckpoint } from '../worker/protocol';

/** A checkpoint row: pending until its summary arrives. */
export interface CheckpointEntry {
  readonly id: string;
  readonly name: string;
  readonly path: string;
  readonly summary?: CheckpointSummary;
}

/** State and actions. */
export interface CheckpointState {
  readonly order: string[];
  readonly entries: Record<string, CheckpointEntry>;
  readonly otherFolders: OtherFolder[];
  readonly selectedId: string | undefined;
  /** Batches still being parsed. */
  readonly busy: number[];
  /** Dropped files by path (not rendered; used by downloads and repair). */
  readonly files: Map<string, Blob>;
  /** Sizes in bytes of the files analysed, by path, as the worker read them (the page never reads `File.size` of a whole drop). */
  readonly sizes: ReadonlyMap<string, number>;
  /** A message for the whole drop (e.g. nothing recognisable was dropped). */
  readonly notice: string | undefined;
  /** TensorBoard scalars by event-file path. */
  readonly scalars: Record<string, EventFileScalars>;
  /** Batches per epoch of the user's current dataset, when entered (for the dataset-size finding). */
  readonly currentBatchesPerEpoch: number | undefined;
  setCurrentBatchesPerEpoch(n: number | undefined): void;
  /** The last drop's batch number, and the batches whose late messages are ignored (before a clear). */
  readonly lastBatch: number;
  /** The newest batch whose plan has arrived: below {@link lastBatch}, the last drop is still being opened. */
  readonly plannedBatch: number;
  readonly ignoreBatchesUpTo: number;
  /** Set when the page shows a shared snapshot (from a link) rather than dropped files. */
  readonly shared: { readonly created: string } | undefined;
  /** Replace everything with a shared snapshot. */
  loadSnapshot(s: Snapshot): void;
  /** Show a message for the whole page. */
  setNotice(message: string | undefined): void;
  /** Files found so far while dropped folders are being listed (before the worker gets them); undefined when none is. */
  readonly listing: number | undefined;
  setListing(files: number | undefined): void;
  /** Entries of drops that could not be opened, with why: kept until dismissed or "Clear all". */
  readonly openProblems: readonly OpenProblem[];
  /** Add a drop's problems (an entry already listed is replaced by its newer problem). */
  addOpenProblems(problems: readonly OpenProblem[]): void;
  dismissOpenProblems(): void;
  addFiles(files: DroppedBlob[], batch: number): void;
  /** Apply a burst of worker messages as one update (one render for many checkpoints). */
  receiveMany(ms: BatchMessage[]): void;
  select(id: string | undefined): void;
  /** Reading was stopped: unread checkpoints say so, nothing is busy. */
  stopPending(): void;
  remove(id: string): void;
  /** Remove every checkpoint, file and scalar series under a folder path (a live folder being re-read). */
  removeUnder(folder: string): void;
  clear(): void;
}

/** The summaries read so far, in table order (pending checkpoints left out). */
export function loadedSummaries(s: Pick<CheckpointState, 'order' | 'entries'>): CheckpointSummary[] {
  return s.order.flatMap((id) => (s.entries[id]?.summary ? [s.entries[id].summary as CheckpointSummary] : []));
}

/**
 * Apply a burst of worker messages to the state: the part of the state they change. Pure (the
 * state given is not changed); the entries, order and files are copied once per burst, not once per
 * message, so a burst of k summaries into n rows costs O(n + k), not O(n * k) (issue 15).
 */
function applyMessages(s: CheckpointState, ms: readonly BatchMessage[]): Partial<CheckpointState> {
  let entries: Record<string, CheckpointEntry> | undefined;
  let order: string[] | undefined;
  let inOrder: Set<string> | undefined;
  let files: Map<string, Blob> | undefined;
  let sizes: Map<string, number> | undefined;
  let scalars: Record<string, EventFileScalars> | undefined;
  let busy = s.busy;
  let otherFolders = s.otherFolders;
  let notice = s.notice;
  let selectedId = s.selectedId;
  let plannedBatch = s.plannedBatch;
  for (const m of ms) {
    // messages of drops made before "Clear all" (still on their way from the worker) are dropped
    if (m.batch <= s.ignoreBatchesUpTo && m.type !== 'done' && m.type !== 'failed') continue;
    switch (m.type) {
      case 'plan': {
        plannedBatch = Math.max(plannedBatch, m.batch);
        // the files as analysed: archives replaced by what they hold (for repair and downloads)
        files ??= new Map(s.files);
        sizes ??= new Map(s.sizes);
        for (const f of m.files) {
          // a dropped file the page holds already (from addFiles) comes without its Blob
          if (f.file) files.set(f.path, f.file);
          sizes.set(f.path, f.size);
        }
        entries ??= { ...s.entries };
        order ??= [...s.order];
        inOrder ??= new Set(order);
        for (const p of m.pending as PendingCheckpoint[]) {
          if (!inOrder.has(p.id)) {
            order.push(p.id);
            inOrder.add(p.id);
          }
          entries[p.id] = { id: p.id, name: p.name, path: p.path };
        }
        otherFolders = [...otherFolders.filter((o) => !m.otherFolders.some((n) => n.path === o.path)), ...m.otherFolders];
        notice = m.pending.length === 0 ? 'No checkpoint was found in what was dropped: drop a folder holding training_state.pth, or any .pth / .pt / .bin / .ckpt file.' : undefined;
        // a new drop selects what a resume would use (last_checkpoint), else its first regular checkpoint
        const pick = m.pending.find((p) => p.name === 'last_checkpoint') ?? m.pending.find((p) => !p.name.startsWith('.')) ?? m.pending[0];
        selectedId = pick?.id ?? selectedId ?? order[0];
        break;
      }
      case 'summaries':
        for (const summary of m.summaries) {
          const prev = (entries ?? s.entries)[summary.id];
          if (!prev) continue; // removed while it was being read
          entries ??= { ...s.entries };
          entries[summary.id] = { ...prev, summary };
        }
        break;
      case 'scalars':
        scalars ??= { ...s.scalars };
        scalars[m.path] = m.scalars;
        break;
      case 'done':
        busy = busy.filter((b) => b !== m.batch);
        break;
      case 'failed':
        busy = busy.filter((b) => b !== m.batch);
        notice = `Reading stopped: ${m.message}`;
        break;
    }
  }
  return { busy, otherFolders, notice, selectedId, plannedBatch, ...(entries && { entries }), ...(order && { order }), ...(files && { files }), ...(sizes && { sizes }), ...(scalars && { scalars }) };
}

/**
 * The store and its hook. Views read it through {@link bindStore}: updates made inside
 * `asBackground` (the worker's results) render in a React transition, the user's own at once.
 */
export const useCheckpoints = bindStore(
  createStore<CheckpointState>()((set) => ({
    order: [],
    entries: {},
    otherFolders: [],
    selectedId: undefined,
    busy: [],
    files: new Map(),
    sizes: new Map(),
    notice: undefined,
    scalars: {},
    currentBatchesPerEpoch: undefined,
    setCurrentBatchesPerEpoch: (n) => set({ currentBatchesPerEpoch: n }),
    shared: undefined,
    lastBatch: 0,
    plannedBatch: 0,
    ignoreBatchesUpTo: 0,
    loadSnapshot: (snap) =>
      set({
        order: snap.summaries.map((x) => x.id),
        entries: Object.fromEntries(snap.summaries.map((x) => [x.id, { id: x.id, name: x.name, path: x.path, summary: x }])),
        otherFolders: snap.otherFolders,
        scalars: snap.scalars,
        files: new Map(),
        sizes: new Map(),
        selectedId: (snap.summaries.find((x) => x.name === 'last_checkpoint') ?? snap.summaries[0])?.id,
        shared: { created: snap.created },
        notice: undefined,
      }),
    setNotice: (notice) => set({ notice }),
    listing: undefined,
    setListing: (listing) => set({ listing }),
    openProblems: [],
    addOpenProblems: (problems) =>
      set((s) => (problems.length === 0 ? {} : { openProblems: [...s.openProblems.filter((p) => !problems.some((n) => n.path === p.path)), ...problems] })),
    dismissOpenProblems: () => set({ openProblems: [] }),
    addFiles: (files, batch) =>
      set((s) => {
        const next = new Map(s.files);
        for (const f of files) next.set(f.path, f.file);
        // dropping files leaves a shared snapshot behind: what is shown is what was dropped
        const fromShared = s.shared ? { order: [], entries: {}, otherFolders: [], scalars: {}, shared: undefined } : {};
        return { ...fromShared, files: next, busy: [...s.busy, batch], notice: undefined, lastBatch: batch };
      }),
    receiveMany: (ms) => set((s) => applyMessages(s, ms)),
    select: (id) => set({ selectedId: id }),
    stopPending: () =>
      set((s) => ({
        busy: [],
        entries: Object.fromEntries(
          Object.entries(s.entries).map(([id, e]) => [
            id,
            e.summary ? e : { ...e, summary: notReadSummary(id, e.name, e.path) },
          ]),
        ),
      })),
    remove: (id) =>
      set((s) => {
        const entries = { ...s.entries };
        delete entries[id];
        const order = s.order.filter((x) => x !== id);
        return { entries, order, selectedId: s.selectedId === id ? order[0] : s.selectedId };
      }),
    removeUnder: (folder) =>
      set((s) => {
        const under = (p: string): boolean => p === folder || p.startsWith(`${folder}/`);
        const order = s.order.filter((id) => !under(id));
        const entries = Object.fromEntries(order.map((id) => [id, s.entries[id]]));
        return {
          order,
          entries,
          files: new Map([...s.files].filter(([p]) => !under(p))),
          sizes: new Map([...s.sizes].filter(([p]) => !under(p))),
          otherFolders: s.otherFolders.filter((o) => !under(o.path)),
          scalars: Object.fromEntries(Object.entries(s.scalars).filter(([p]) => !under(p))),
          selectedId: s.selectedId && entries[s.selectedId] ? s.selectedId : undefined,
        };
      }),
    clear: () => {
      // a shared snapshot lives in the URL: clearing removes it there too, so a reload stays empty
      if (typeof location !== 'undefined' && location.hash.startsWith('#s=')) history.replaceState(null, '', location.pathname + location.search);
      set((s) => ({ order: [], entries: {}, otherFolders: [], selectedId: undefined, files: new Map(), sizes: new Map(), notice: undefined, openProblems: [], scalars: {}, shared: undefined, busy: [], ignoreBatchesUpTo: s.lastBatch }));
    },
  })),
);
