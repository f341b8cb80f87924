/**
 * Replace the `.zip` archives among the input files by the files inside them, so a zipped run
 * folder (a Google Drive folder download) reads like the folder: stored entries become windows of
 * the archive (never copied), deflated ones in-memory copies (within the limits of
 * `zipArchive.ts`). A torch.save file named `.zip` is recognised and kept as it is.
 */
import type { CheckpointSummary, FileProblem } from '../conventions/summary';
import { problemOf } from '../conventions/plainValues';
import { readZipIndex } from '../zip/zipReader';
import type { FileAccess, InputFile } from '../pipeline/types';
import { isTorchArchive, listArchive } from './zipArchive';

/** The files to plan, and one summary for each archive that could not be (fully) read. */
export interface ExpandedInputs<H> {
  readonly files: InputFile<H>[];
  readonly problems: CheckpointSummary[];
}

/** A summary that shows an archive as a red row: `problem` says what could not be read. */
export function unreadableArchive(path: string, size: number, problem: FileProblem): CheckpointSummary {
  return {
    id: path,
    name: path.split('/').pop() ?? path,
    path,
    kind: 'unreadable',
    files: [{ path, size, role: 'archive' }],
    totalBytes: size,
    problems: [problem],
    warnings: [],
    repair: { eligible: false, reason: 'the archive could not be opened' },
  };
}

/**
 * Expand every `.zip` of `inputs` (by name, case-insensitively) that is an archive of files. An
 * archive's files keep the archive's folder in front of their paths; an archive without a single
 * top folder gets its stem as one. Never throws: an archive that cannot be opened, or entries that
 * cannot be taken out (encrypted, too large, a zip bomb, `..` in the name), become a problem summary.
 */
export async function expandArchives<H>(inputs: readonly InputFile<H>[], access: FileAccess<H>): Promise<ExpandedInputs<H>> {
  const files: InputFile<H>[] = [];
  const problems: CheckpointSummary[] = [];
  for (const d of inputs) {
    if (!/\.zip$/i.test(d.path)) {
      files.push(d);
      continue;
    }
    const session = access.session();
    try {
      const src = session.open(d.handle, d.path);
      if (isTorchArchive(await readZipIndex(src))) {
        files.push(d);
        continue;
      }
      const folder = d.path.includes('/') ? d.path.slice(0, d.path.lastIndexOf('/') + 1) : '';
      const stem = d.path.slice(folder.length).replace(/\.zip$/i, '');
      const skipped: string[] = [];
      for (const f of await listArchive(src, stem)) {
        const path = folder + f.path;
        if (f.kind === 'window') files.push({ path, size: f.size, handle: access.window(d.handle, f.offset, f.size) });
        else if (f.kind === 'bytes') files.push({ path, size: f.bytes.length, handle: access.fromBytes(f.bytes) });
        else skipped.push(`${f.path}: ${f.message}`);
      }
      if (skipped.length) {
        problems.push(unreadableArchive(d.path, d.size, { file: d.path, code: 'archive', message: `${skipped.length} file(s) in the archive were not read: ${skipped.join('; ')}` }));
      }
    } catch (e) {
      problems.push(unreadableArchive(d.path, d.size, problemOf(d.path, e)));
    } finally {
      await session.close();
    }
  }
  return { files, problems };
}
