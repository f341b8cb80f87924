/**
 * Every file under dropped or picked folders, listed with many requests in flight. Each file's
 * `File` costs the browser one request (a handle's `getFile()`, an entry's `file()`); one at a time
 * a 6,800-file folder took 12 s to open in Chromium, with {@link REQUESTS_IN_FLIGHT} of them at
 * once about 2 s, and the main thread stays free (issue 15; `npm run bench -- --scale`, drop row).
 * A file or folder that cannot be opened becomes an {@link OpenProblem}; the rest is still listed.
 */
import type { DroppedBlob, OpenProblem } from '../worker/protocol';
import { yieldToPage } from '../worker/yieldToPage';

/** What a walk found: the files (sorted by path) and the entries it could not open. */
export interface Collected {
  readonly files: DroppedBlob[];
  readonly problems: OpenProblem[];
  /** True when the walk was stopped (its signal aborted) before it listed everything. */
  readonly stopped: boolean;
}

/**
 * A file or folder as both browser APIs describe it: File System Access handles
 * (`FileSystemHandle`, Chromium) and the older entries (`FileSystemEntry`, every browser).
 */
export interface FolderNode {
  readonly name: string;
  readonly kind: 'file' | 'directory';
  /** The file's contents and metadata; rejects if it was removed or cannot be read. */
  file(): Promise<Blob>;
  /** A folder's entries; rejects if it cannot be listed. */
  children(): Promise<FolderNode[]>;
}

/** Browser requests (`getFile`, `file`, folder listings) allowed at once. */
export const REQUESTS_IN_FLIGHT = 128;

/**
 * Milliseconds of requests started in one task before the walk gives the page a turn: each
 * `getFile()` call costs the page ~0.1-0.2 ms, and the answers come in bursts (50-60 ms tasks of
 * calls in a 6,800-file drop without this).
 */
export const SLICE_MS = 8;

/**
 * A counting gate: at most `limit` calls of {@link run} between start and end, and starts spread
 * over tasks of about {@link SLICE_MS}.
 */
class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private sliceStart = 0;
  private pause: Promise<void> | undefined;
  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    if (performance.now() - this.sliceStart > SLICE_MS) {
      this.pause ??= yieldToPage().then(() => {
        this.pause = undefined;
        this.sliceStart = performance.now();
      });
      await this.pause;
    }
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

/** The browser's error in words a person can act on (DOMException names from the File System and File API specs). */
export function describeOpenError(err: unknown): string {
  const named = typeof err === 'object' && err !== null && 'name' in err ? (err as { name: string; message?: string }) : undefined;
  const name = named?.name ?? '';
  const detail = named ? (named.message ?? '') : String(err);
  if (name === 'NotFoundError') return 'it was moved or deleted after it was dropped, or it is a symbolic link the browser does not follow';
  if (name === 'NotReadableError' || name === 'NotAllowedError' || name === 'SecurityError') return `the browser may not read it (permissions, or it changed after it was dropped)${detail ? `: ${detail}` : ''}`;
  return detail || 'the browser could not open it';
}

/**
 * Walk `roots` (each named by its own name, as a drop shows it), at most {@link REQUESTS_IN_FLIGHT}
 * browser requests at once.
 * @param onFound called with the number of files found so far, after each file
 * @param signal when aborted, no new request is made and the walk ends with `stopped`
 */
export async function walkFolders(roots: readonly FolderNode[], onFound?: (files: number) => void, signal?: AbortSignal): Promise<Collected> {
  const gate = new Gate(REQUESTS_IN_FLIGHT);
  const files: DroppedBlob[] = [];
  const problems: OpenProblem[] = [];
  const visit = async (node: FolderNode, path: string): Promise<void> => {
    if (signal?.aborted) return;
    if (node.kind === 'file') {
      try {
        const file = await gate.run(() => (signal?.aborted ? Promise.resolve(undefined) : node.file()));
        if (!file) return;
        files.push({ path, file });
        onFound?.(files.length);
      } catch (err) {
        problems.push({ path, message: describeOpenError(err) });
      }
      return;
    }
    let children: FolderNode[];
    try {
      children = await gate.run(() => node.children());
    } catch (err) {
      problems.push({ path, message: `the folder could not be listed: ${describeOpenError(err)}` });
      return;
    }
    await Promise.all(children.map((c) => visit(c, `${path}/${c.name}`)));
  };
  await Promise.all(roots.map((r) => visit(r, r.name)));
  return { files: files.sort(byPath), problems: byFolder(problems, files.map((f) => f.path)).sort(byPath), stopped: signal?.aborted ?? false };
}

/** Order by `path`, in code-unit order (as `sort()` orders strings). */
export function byPath(a: { readonly path: string }, b: { readonly path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * Problems under a folder none of whose files could be opened, as one problem of the highest such
 * folder (a run folder removed while it was listed is one line, not one per file and sub-folder it
 * held); problems next to files that opened stay one per entry.
 * @param found paths of the files that were opened
 */
export function byFolder(problems: readonly OpenProblem[], found: readonly string[] = []): OpenProblem[] {
  // every folder that holds a file that opened
  const occupied = new Set<string>();
  for (const path of found) for (let cut = path.lastIndexOf('/'); cut > 0; cut = path.lastIndexOf('/', cut - 1)) occupied.add(path.slice(0, cut));
  const groups = new Map<string, OpenProblem[]>();
  for (const p of [...problems].sort(byPath)) {
    // the highest folder above the problem that holds nothing that opened (the problem itself if none)
    let top = p.path;
    for (let cut = p.path.indexOf('/'); cut > 0; cut = p.path.indexOf('/', cut + 1)) {
      if (!occupied.has(p.path.slice(0, cut))) {
        top = p.path.slice(0, cut);
        break;
      }
    }
    const group = groups.get(top);
    if (group) group.push(p);
    else groups.set(top, [p]);
  }
  return [...groups.entries()].flatMap(([top, ps]) => {
    if (ps.length < 2) return ps;
    const same = ps.every((x) => x.message === ps[0].message);
    return [{ path: `${top}/`, message: same ? `${ps.length} entries in it: ${ps[0].message}` : `${ps.length} entries in it, e.g. ${ps[0].path.slice(top.length + 1)}: ${ps[0].message}` }];
  });
}

/** A File System Access handle (`getAsFileSystemHandle()`, `showDirectoryPicker()`) as a {@link FolderNode}. */
export function handleNode(handle: FileSystemHandle): FolderNode {
  return {
    name: handle.name,
    kind: handle.kind,
    file: () => (handle as FileSystemFileHandle).getFile(),
    children: async () => {
      const out: FolderNode[] = [];
      for await (const child of (handle as FileSystemDirectoryHandle).values()) out.push(handleNode(child));
      return out;
    },
  };
}

/** All entries of a folder: `readEntries` answers in parts (100 at a time in Chromium) until an empty one. */
function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = (): void =>
      reader.readEntries((part) => {
        if (part.length === 0) resolve(all);
        else {
          all.push(...part);
          next();
        }
      }, reject);
    next();
  });
}

/** A drop's `webkitGetAsEntry()` entry as a {@link FolderNode} (Firefox, Safari). */
export function entryNode(entry: FileSystemEntry): FolderNode {
  return {
    name: entry.name,
    kind: entry.isDirectory ? 'directory' : 'file',
    file: () => new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject)),
    children: async () => (await readAllEntries((entry as FileSystemDirectoryEntry).createReader())).map(entryNode),
  };
}
