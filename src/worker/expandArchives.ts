/**
 * Replace dropped .zip archives by the files inside them (as Blobs: stored entries are slices of
 * the archive, deflated ones are inflated copies), so a zipped folder reads like the folder.
 */
import { blobSource } from '../core/bytes/byteSource';
import { isTorchArchive, listArchive } from '../core/archive/zipArchive';
import type { CheckpointSummary } from '../core/conventions/summary';
import { problemOf } from '../core/conventions/plainValues';
import { readZipIndex } from '../core/zip/zipReader';
import type { DroppedBlob } from './protocol';

/** What a drop becomes: files to plan, and a summary for each archive that could not be opened. */
export interface Expanded {
  readonly files: DroppedBlob[];
  readonly problems: CheckpointSummary[];
}

function unreadable(path: string, size: number, problem: ReturnType<typeof problemOf>): CheckpointSummary {
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

/** Expand every `.zip` of a drop that is an archive of files (not a torch.save file named .zip). */
export async function expandArchives(dropped: DroppedBlob[]): Promise<Expanded> {
  const files: DroppedBlob[] = [];
  const problems: CheckpointSummary[] = [];
  for (const d of dropped) {
    if (!/\.zip$/i.test(d.path)) {
      files.push(d);
      continue;
    }
    const src = blobSource(d.file, d.path);
    try {
      if (isTorchArchive(await readZipIndex(src))) {
        files.push(d);
        continue;
      }
      const stem = d.path.replace(/\.zip$/i, '');
      const skipped: string[] = [];
      for (const f of await listArchive(src, stem.split('/').pop() ?? stem)) {
        const path = d.path.includes('/') ? `${d.path.slice(0, d.path.lastIndexOf('/'))}/${f.path}` : f.path;
        if (f.kind === 'window') files.push({ path, file: d.file.slice(f.offset, f.offset + f.size) });
        else if (f.kind === 'bytes') files.push({ path, file: new Blob([f.bytes as Uint8Array<ArrayBuffer>]) });
        else skipped.push(`${f.path}: ${f.message}`);
      }
      if (skipped.length) {
        problems.push({
          ...unreadable(d.path, d.file.size, { file: d.path, code: 'archive', message: `${skipped.length} file(s) in the archive were not read: ${skipped.join('; ')}` }),
          kind: 'unreadable',
        });
      }
    } catch (e) {
      problems.push(unreadable(d.path, d.file.size, problemOf(d.path, e)));
    }
  }
  return { files, problems };
}
