/**
 * What analysing one checkpoint accumulates: per-file summaries, problems (each naming its file),
 * warnings, safety findings, and parsed torch files (each parsed once).
 */
import type { ByteSource } from '../bytes/byteSource';
import { CheckpointFormatError } from '../errors';
import { problemOf } from '../conventions/plainValues';
import type { FileProblem, FileSummary, GlobalFinding } from '../conventions/summary';
import type { CheckpointPlan } from '../folder/checkpointPlan';
import { scanGlobals } from '../safety/scan';
import { loadTorchFile } from '../torch/loadTorchFile';
import { rejectPlaceholder } from '../torch/sniff';
import type { TorchFile } from '../torch/torchFile';
import type { GlobalRef } from '../pickle/values';

/** Opens a dropped file by its path. */
export type FileOpener = (path: string) => ByteSource;

/** Largest JSON file read whole (config.json, trainer_state.json), in bytes. */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

/** The safety findings of every pickle of a parsed torch file. */
export function torchFileFindings(path: string, f: TorchFile): GlobalFinding[] {
  return scanGlobals(f.pickles.map((p) => ({ file: path, member: p.member, label: p.label, globals: p.result.globals })));
}

/** The reader note of a torch file that could not be read: its imports were not checked, so it may run code. */
const NOT_READ_NOTE: GlobalRef = {
  module: '',
  name: 'file not read',
  offset: 0,
  opcode: 'READ',
  called: false,
  resolved: true,
  callArgs: [],
  note: { level: 'unknown', text: 'the file could not be read (changed or removed since it was chosen?), so its imports were not checked' },
};

/** Mutable accumulator for one checkpoint's analysis. */
export class AnalysisContext {
  readonly problems: FileProblem[] = [];
  readonly warnings: string[] = [];
  readonly findings: GlobalFinding[] = [];
  readonly files: FileSummary[];
  private readonly torch = new Map<string, Promise<TorchFile | undefined>>();
  /** Set when a file is a bare pickle, which torch.load (weights_only or not) rejects. */
  barePickle = false;
  /** Set when a file failed an integrity check (ends early, CRC mismatch): torch.load fails on it, so never "weights_only loads it". */
  damaged = false;

  constructor(
    readonly plan: CheckpointPlan,
    readonly open: FileOpener,
    private readonly sizes: ReadonlyMap<string, number>,
    roleName: (role: string) => string = (role) => role,
  ) {
    this.files = plan.files.map((f) => ({ path: f.path, size: sizes.get(f.path) ?? 0, role: roleName(f.role) }));
  }

  /** True when a non-empty file was dropped at `path` (from the drop's listing: no read). */
  exists(path: string): boolean {
    return (this.sizes.get(path) ?? 0) > 0;
  }

  /** Paths of the plan's files with `role`. */
  paths(role: string): string[] {
    return this.plan.files.filter((f) => f.role === role).map((f) => f.path);
  }

  /** Record details of one file. */
  describe(path: string, extra: Partial<FileSummary>): void {
    const i = this.files.findIndex((f) => f.path === path);
    if (i >= 0) this.files[i] = { ...this.files[i], ...extra };
  }

  /** Record a problem with `path`. */
  fail(path: string, e: unknown): void {
    this.problems.push(problemOf(path, e));
  }

  /**
   * Parse a torch.save file once (later calls share the result): records its format, protocol,
   * safety findings, anomalies and integrity problems. Undefined (with a problem recorded) when it
   * cannot be read.
   */
  loadTorch(path: string): Promise<TorchFile | undefined> {
    let p = this.torch.get(path);
    if (!p) {
      p = loadTorchFile(this.open(path)).then(
        (f) => {
          this.describe(path, {
            format: f.format === 'zip' ? 'torch.save zip' : f.format === 'legacy' ? 'torch.save legacy (pre-1.6)' : f.format === 'tar' ? 'torch.save tar (pre-0.4)' : 'pickle',
            pickleProtocol: f.main.result.protocol,
          });
          if (f.format === 'pickle') this.barePickle = true; // torch.load rejects a bare pickle: never "weights_only loads it"
          if (f.integrity.length) this.damaged = true; // a truncated or corrupt file does not load either
          for (const finding of torchFileFindings(path, f)) this.findings.push(finding); // one per import site: may be 100,000s
          for (const a of f.anomalies) this.warnings.push(`${path}: ${a}`);
          for (const e of f.integrity) this.problems.push(problemOf(path, e));
          return f;
        },
        (e: unknown) => {
          this.fail(path, e);
          // a file that could not be read at all (changed or removed since it was chosen; not a
          // format error, which the reader scans past) was never scanned: its imports are unknown
          if (!(e instanceof CheckpointFormatError)) for (const finding of scanGlobals([{ file: path, label: 'file', globals: [NOT_READ_NOTE] }])) this.findings.push(finding);
          return undefined;
        },
      );
      this.torch.set(path, p);
    }
    return p;
  }

  /**
   * Read a JSON file whole, accepting NaN/Infinity only when `parse` does. Undefined (with a
   * problem recorded) when it cannot be read.
   */
  async readJson<T = unknown>(path: string, parse: (text: string) => T = (t) => JSON.parse(t) as T): Promise<T | undefined> {
    try {
      const src = this.open(path);
      if (src.size > MAX_JSON_BYTES) throw new CheckpointFormatError('limit-exceeded', path, `this JSON file is ${src.size} bytes, more than the ${MAX_JSON_BYTES} read.`);
      const bytes = await src.read(0, src.size);
      rejectPlaceholder(bytes.subarray(0, 512), src.size, path);
      const value = parse(new TextDecoder().decode(bytes));
      this.describe(path, { format: 'JSON' });
      return value;
    } catch (e) {
      this.fail(path, e instanceof SyntaxError ? new CheckpointFormatError('bad-json', path, `not valid JSON: ${e.message}`) : e);
      return undefined;
    }
  }
}
