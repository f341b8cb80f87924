/**
 * Share links: the parsed summaries of the loaded checkpoints (no tensor data, no file contents
 * beyond the fields shown, no local paths unless asked) as a compressed URL fragment: JSON,
 * DEFLATE (fflate, level 9), base64url (RFC 4648 section 5). JSON cannot hold NaN/Infinity, which
 * Hugging Face logs contain, so non-finite numbers are tagged.
 */
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import type { CheckpointSummary } from '../conventions/summary';
import type { OtherFolder } from '../folder/plan';
import { groupRuns } from '../runs/groupRuns';
import type { EventFileScalars } from '../tensorboard/eventFile';
import { classifyGlobal } from '../safety/globalLists';
import type { HealthSummary } from '../health/types';
import type { DiffSummary } from '../diff/types';

/** `module.name` back into module and name (the name is the last dotted part). */
function splitName(q: string): [string, string] {
  const i = q.lastIndexOf('.');
  return [q.slice(0, i), q.slice(i + 1)];
}

/** Format version of the fragment; bumped when the shape changes. */
export const SNAPSHOT_VERSION = 1;
/** The fragment prefix: `#s=<data>`. */
export const SNAPSHOT_PREFIX = '#s=';
/** Points kept per chart series in a link. */
export const MAX_SHARED_POINTS = 120;

/** What a share link carries. */
export interface Snapshot {
  readonly v: number;
  /** When it was made (ISO 8601). */
  readonly created: string;
  readonly summaries: CheckpointSummary[];
  readonly otherFolders: OtherFolder[];
  readonly scalars: Record<string, EventFileScalars>;
  /** Whether folder paths were included (else only names). */
  readonly paths: boolean;
  /** Tensor health scans made before sharing: counts and findings, never tensor values. */
  readonly health?: HealthSummary[];
  /** Checkpoint diffs made before sharing: fields, counts, changed tensor names, findings. */
  readonly diffs?: DiffSummary[];
}

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

function thin<T>(points: T[]): T[] {
  if (points.length <= MAX_SHARED_POINTS) return points;
  const step = points.length / MAX_SHARED_POINTS;
  const out: T[] = [];
  for (let i = 0; i < MAX_SHARED_POINTS - 1; i++) out.push(points[Math.floor(i * step)]);
  out.push(points[points.length - 1]);
  return out;
}

const SHARED_REPAIR = { eligible: false, reason: 'this is a shared snapshot: drop the files themselves to repair them' } as const;

function firstPerName<T extends { name: string }>(list: T[]): T[] {
  const seen = new Set<string>();
  return list.filter((f) => !seen.has(f.name) && (seen.add(f.name), true));
}

/** The fields of a summary a link carries: what the table, cards, findings and chart show. */
function slim(s: CheckpointSummary, paths: boolean): CheckpointSummary {
  const p = (x: string): string => (paths ? x : base(x));
  return {
    ...s,
    id: s.id,
    path: paths ? s.path : base(s.path),
    files: s.files.map((f) => ({ ...f, path: p(f.path) })),
    problems: s.problems.map((x) => ({ ...x, file: p(x.file) })),
    warnings: paths ? s.warnings : s.warnings.map((w) => w.replace(/(^|\s)[^\s:]*\/([^/\s:]+)/g, '$1$2')),
    model: s.model ? { ...s.model, file: p(s.model.file), tensorList: undefined } : undefined,
    // one finding per rejected global (the first place it appears); reasons are re-derived on decode
    safety: s.safety ? { ...s.safety, findings: firstPerName(s.safety.findings.filter((f) => f.verdict !== 'allowed')).map((f) => ({ ...f, file: p(f.file), reason: '' })) } : undefined,
    repair: SHARED_REPAIR,
    hf: s.hf
      ? {
          ...s.hf,
          state: { ...s.hf.state, log_history: [], stateful_callbacks: undefined },
          lossPoints: thin(s.hf.lossPoints),
          evalPoints: thin(s.hf.evalPoints),
          trainingArgs: s.hf.trainingArgs ? { ...s.hf.trainingArgs, fields: s.hf.trainingArgs.fields.slice(0, 40) } : undefined,
          files: [],
        }
      : undefined,
    lightning: s.lightning ? { ...s.lightning, stateDict: [], loops: undefined } : undefined,
  };
}

/** Every path-like token of a text (`/content/drive/x/y.ckpt`, `C:\\runs\\a`, `runs/a/b`) cut to its last part. */
export function scrubText(text: string): string {
  return text.replace(/(?:[A-Za-z]:)?[^\s'"(),;]*[\\/][^\s'"(),;]*/g, (token) => {
    const trimmed = token.replace(/[\\/]+$/, '');
    return trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
  });
}

/** A copy of plain data with every string value scrubbed of paths (keys are kept). */
function scrubDeep<T>(v: T, depth = 0): T {
  if (typeof v === 'string') return scrubText(v) as T;
  if (depth > 64 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => scrubDeep(x, depth + 1)) as T;
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, scrubDeep(x, depth + 1)])) as T;
}

/** Ids without folder paths: the checkpoint's name, made unique with [n]. */
function nameIds(summaries: readonly CheckpointSummary[]): Map<string, string> {
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const s of summaries) {
    let id = s.name;
    for (let n = 2; used.has(id); n++) id = `${s.name} [${n}]`;
    used.add(id);
    out.set(s.id, id);
  }
  return out;
}

/**
 * Build a snapshot of what is loaded, with the summaries of any health scans and diffs made
 * (`tensors`). Without `paths`, no folder path survives: ids become names,
 * file paths their base names, and every path-like text (a best_model_path, an output_dir, a
 * Colab Drive path in a message) its last part.
 */
export function makeSnapshot(summaries: readonly CheckpointSummary[], otherFolders: readonly OtherFolder[], scalars: Readonly<Record<string, EventFileScalars>>, paths: boolean, now = new Date(), tensors: { health?: HealthSummary[]; diffs?: DiffSummary[] } = {}): Snapshot {
  const ids = nameIds(summaries);
  // without paths, runs stay apart under anonymous names (a run folder's name may be a user name)
  const runOf = new Map(groupRuns(summaries).flatMap((r, i) => r.checkpointIds.map((c) => [c, `run ${i + 1}`] as const)));
  const id = (x: string): string => (paths ? x : (ids.get(x) ?? base(x)));
  const scrub = <T>(v: T): T => (paths ? v : scrubDeep(v));
  return {
    v: SNAPSHOT_VERSION,
    created: now.toISOString(),
    summaries: summaries.map((s) => (paths ? slim(s, true) : { ...scrubDeep(slim(s, false)), id: ids.get(s.id) as string, name: s.name, runFolder: runOf.get(s.id) })),
    otherFolders: otherFolders.map((o) => ({ path: paths ? o.path : base(o.path), files: o.files })),
    scalars: Object.fromEntries(
      Object.entries(scalars).map(([k, v]) => [paths ? k : base(k), { ...v, series: Object.fromEntries(Object.entries(v.series).map(([t, pts]) => [t, thin(pts)])) }]),
    ),
    paths,
    ...(tensors.health?.length ? { health: tensors.health.map((h) => ({ ...scrub(h), checkpoint: id(h.checkpoint), findings: h.findings.map((f) => ({ ...scrub(f), checkpoints: f.checkpoints.map(id) })) })) } : {}),
    ...(tensors.diffs?.length ? { diffs: tensors.diffs.map((d) => ({ ...scrub(d), a: id(d.a), b: id(d.b), findings: d.findings.map((f) => ({ ...scrub(f), checkpoints: f.checkpoints.map(id) })) })) } : {}),
  };
}

const replacer = (_k: string, v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? { '~n': String(v) } : typeof v === 'bigint' ? { '~b': v.toString() } : v);
const reviver = (_k: string, v: unknown): unknown => {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (typeof o['~n'] === 'string' && Object.keys(o).length === 1) return Number(o['~n']);
    if (typeof o['~b'] === 'string' && Object.keys(o).length === 1) return BigInt(o['~b']);
  }
  return v;
};

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The URL fragment (with `#s=`) for a snapshot. */
export function encodeSnapshot(s: Snapshot): string {
  return SNAPSHOT_PREFIX + toBase64Url(deflateSync(strToU8(JSON.stringify(s, replacer)), { level: 9 }));
}

/**
 * Read a fragment made by {@link encodeSnapshot}.
 * @throws Error with a sentence for the user when the link is cut short, damaged or of an unknown version
 */
export function decodeSnapshot(fragment: string): Snapshot {
  const data = fragment.startsWith(SNAPSHOT_PREFIX) ? fragment.slice(SNAPSHOT_PREFIX.length) : fragment;
  let s: Snapshot;
  try {
    if (!data) throw new Error('empty');
    s = JSON.parse(strFromU8(inflateSync(fromBase64Url(data))), reviver) as Snapshot;
  } catch {
    throw new Error('This share link is damaged or was cut short when it was copied.');
  }
  if (!s || s.v !== SNAPSHOT_VERSION || !Array.isArray(s.summaries)) throw new Error('This share link was made by another version of ckptview and cannot be read here.');
  return {
    ...s,
    summaries: s.summaries.map((x) => ({
      ...x,
      repair: SHARED_REPAIR,
      safety: x.safety ? { ...x.safety, findings: x.safety.findings.map((f) => ({ ...f, reason: classifyGlobal(...splitName(f.name)).reason })) } : undefined,
    })),
  };
}
