/**
 * Turn command-line paths into the files of a drop, named as the page names them: a folder's files
 * get paths relative to the folder's parent (what the browser's folder picker gives as
 * `webkitRelativePath`, e.g. `last_checkpoint/training_state.pth`); a file given on its own keeps
 * the name of its folder in front (`last_checkpoint/training_state.pth`), so a lone training state
 * is named after its checkpoint folder rather than "(dropped files)" as the page's file picker has it.
 * A `.zip` given on its own keeps its bare name (`run.zip`): the pipeline expands it into the
 * folder it holds, as the page does with a dropped zip.
 */
import { lstatSync, readdirSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { DroppedFile } from '../core/folder/plan';
import { CliError, EXIT } from './exitCodes';

/** The files of the drop and where each lives on disk. */
export interface CollectedInputs {
  /** Paths relative to the drop (forward slashes) with sizes in bytes, in the order found. */
  readonly files: DroppedFile[];
  /** Absolute path on disk of every drop path. */
  readonly absolute: Map<string, string>;
  /** Entries that were not read, each with the reason (a link to nothing, a link to a folder). */
  readonly skipped: string[];
}

const toSlashes = (p: string): string => p.split(sep).join('/');

/** Every regular file under `dir` (absolute), depth first in name order; directory symlinks are not followed. */
function walk(dir: string, skipped: string[]): { path: string; size: number }[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    throw new CliError(EXIT.badInput, `${dir}: this folder cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  const out: { path: string; size: number }[] = [];
  for (const n of names) {
    const p = join(dir, n);
    let st: Stats;
    try {
      st = lstatSync(p);
      if (st.isSymbolicLink()) {
        const target = statSync(p);
        if (target.isDirectory()) {
          skipped.push(`${p}: a link to a folder, not followed (links may loop; the page's drop does not follow them either)`);
          continue;
        }
        st = target;
      }
    } catch {
      skipped.push(`${p}: a link to nothing (its target is missing)`);
      continue;
    }
    if (st.isDirectory()) out.push(...walk(p, skipped));
    else if (st.isFile()) out.push({ path: p, size: st.size });
  }
  return out;
}

/**
 * Collect the files named by `args` (folders and files).
 * @throws CliError (exit 2) naming the first path that does not exist or cannot be read
 */
export function collectInputs(args: readonly string[]): CollectedInputs {
  const files: DroppedFile[] = [];
  const absolute = new Map<string, string>();
  const skipped: string[] = [];
  const add = (dropPath: string, abs: string, size: number): void => {
    // the same name from two arguments (two `last_checkpoint` folders): fall back to the path from here
    let p = dropPath;
    if (absolute.has(p) && absolute.get(p) !== abs) p = toSlashes(relative(process.cwd(), abs)).replace(/^(\.\.\/)+/, '') || dropPath;
    if (absolute.has(p)) return;
    absolute.set(p, abs);
    files.push({ path: p, size });
  };
  for (const arg of args) {
    const abs = resolve(arg);
    let st: Stats;
    try {
      st = statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new CliError(EXIT.badInput, code === 'ENOENT' ? `${arg}: no such file or folder.` : `${arg}: cannot be read (${code ?? (e as Error).message}).`);
    }
    if (st.isDirectory()) {
      const parent = dirname(abs);
      for (const f of walk(abs, skipped)) add(toSlashes(relative(parent, f.path)), f.path, f.size);
    } else {
      // a file keeps its folder's name (`last_checkpoint/training_state.pth`), so it is planned and
      // named like the folder it lives in, and files given from one folder form one checkpoint
      // a .zip is a folder of its own (a zipped run folder): named as the page names a dropped zip
      const parent = /\.zip$/i.test(abs) ? '' : basename(dirname(abs));
      add(parent ? `${parent}/${basename(abs)}` : basename(abs), abs, st.size);
    }
  }
  return { files, absolute, skipped };
}
