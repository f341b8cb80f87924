/**
 * The worker side of the value-tree view: parses a dropped torch file once (a few kept), then
 * answers child pages and searches, so a pickle with 100,000 entries never crosses to the page whole.
 */
import { blobSource } from '../core/bytes/byteSource';
import { loadTorchFile } from '../core/torch/loadTorchFile';
import type { TorchFile } from '../core/torch/torchFile';
import { childPage, searchTree, type SearchHit, type TreeNode } from '../core/tree/valueTree';

const KEEP = 4;

/** Parsed files by path, most recently used last. */
export class TreeService {
  private readonly cache = new Map<string, Promise<TorchFile>>();

  constructor(private readonly files: ReadonlyMap<string, Blob>) {}

  private load(path: string): Promise<TorchFile> {
    let p = this.cache.get(path);
    if (p) this.cache.delete(path);
    else {
      const blob = this.files.get(path);
      if (!blob) return Promise.reject(new Error(`${path} is no longer loaded: drop it again.`));
      p = loadTorchFile(blobSource(blob, path));
    }
    this.cache.set(path, p);
    while (this.cache.size > KEEP) this.cache.delete(this.cache.keys().next().value as string);
    return p;
  }

  /** A page of children of the node at `node`. */
  async children(path: string, node: number[], offset: number, limit: number): Promise<{ nodes: TreeNode[]; total: number }> {
    const f = await this.load(path);
    const page = childPage(f.value, node, offset, limit);
    if (!page) throw new Error('that entry no longer exists');
    return page;
  }

  /** Search keys and values. */
  async search(path: string, query: string): Promise<{ hits: SearchHit[]; complete: boolean }> {
    const f = await this.load(path);
    const r = searchTree(f.value, query);
    return { hits: r.hits, complete: r.complete };
  }
}
