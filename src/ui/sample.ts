/**
 * "Try a sample": fetch the sample checkpoint folder shipped under `public/sample/` (listed in its
 * `manifest.json`) and hand it to the parser like a drop.
 */
import type { DroppedBlob } from '../worker/protocol';

/** Load the sample run folder. Paths in the manifest are relative to `sample/`. */
export async function loadSample(): Promise<DroppedBlob[]> {
  const base = new URL('sample/', document.baseURI);
  const manifest = (await (await fetch(new URL('manifest.json', base))).json()) as { root: string; files: string[] };
  return Promise.all(
    manifest.files.map(async (path) => {
      const res = await fetch(new URL(path.split('/').map(encodeURIComponent).join('/'), base));
      if (!res.ok) throw new Error(`sample file ${path}: HTTP ${res.status}`);
      return { path: `${manifest.root}/${path}`, file: new File([await res.blob()], path.split('/').pop() ?? path) };
    }),
  );
}
