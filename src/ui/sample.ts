/**
 * "Try a sample": fetch the sample checkpoint folder shipped under `public/sample/` (listed in its
 * `manifest.json`) and hand it to the parser like a drop.
 */
import type { DroppedBlob } from '../worker/protocol';

/** The sample manifest: each file's path inside the run folder and its stored name under `sample/`. */
interface SampleManifest {
  root: string;
  files: { path: string; file: string }[];
}

/** Load the sample run folder. */
export async function loadSample(): Promise<DroppedBlob[]> {
  const base = new URL('sample/', document.baseURI);
  const manifest = (await (await fetch(new URL('manifest.json', base))).json()) as SampleManifest;
  return Promise.all(
    manifest.files.map(async ({ path, file }) => {
      const res = await fetch(new URL(file, base));
      if (!res.ok) throw new Error(`sample file ${path}: HTTP ${res.status}`);
      return { path: `${manifest.root}/${path}`, file: new File([await res.blob()], path.split('/').pop() ?? path) };
    }),
  );
}
