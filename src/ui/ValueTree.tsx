/**
 * A lazily expanded tree of a torch file's whole value (keys, types, tensor dtype/shape/size,
 * numbers, strings, symbolic objects with their class path and state), with a search box. The
 * worker holds the value; the page asks for one page of children at a time.
 */
import { useEffect, useId, useState } from 'react';
import type { SearchHit, TreeNode } from '../core/tree/valueTree';
import { parserClient } from './useParser';

const PAGE = 200;

function Node({ file, node }: { file: string; node: TreeNode }) {
  const [open, setOpen] = useState(false);
  return (
    <li role="treeitem" aria-expanded={node.count ? open : undefined} aria-selected={false}>
      <div className="tree-row">
        {node.count ? (
          <button type="button" className="tree-toggle" onClick={() => setOpen(!open)} aria-label={`${open ? 'Collapse' : 'Expand'} ${node.label}`}>
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span className="tree-toggle" aria-hidden="true" />
        )}
        <span className="tree-key">{node.label}</span>
        <span className="tree-type">{node.type}</span>
        <span className="tree-preview">{node.preview}</span>
      </div>
      {open ? <Children file={file} node={node.path} /> : null}
    </li>
  );
}

function Children({ file, node }: { file: string; node: number[] }) {
  const [nodes, setNodes] = useState<TreeNode[]>([]);
  const [total, setTotal] = useState<number>();
  const [error, setError] = useState<string>();
  const load = (offset: number): void => {
    parserClient()
      .treeChildren(file, node, offset, PAGE)
      .then(
        (r) => {
          setNodes((prev) => (offset === 0 ? r.nodes : [...prev, ...r.nodes]));
          setTotal(r.total);
        },
        (e: unknown) => setError((e as Error).message),
      );
  };
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => load(0), [file, node.join('/')]);
  if (error) return <p className="problem">{error}</p>;
  if (total === undefined) return <p className="muted small">Loading…</p>;
  return (
    <ul role="group" className="tree-group">
      {nodes.map((n) => <Node key={n.path.join('/')} file={file} node={n} />)}
      {nodes.length < total ? (
        <li>
          <button type="button" className="link" onClick={() => load(nodes.length)}>
            Show {Math.min(PAGE, total - nodes.length)} more of {total - nodes.length} remaining
          </button>
        </li>
      ) : null}
    </ul>
  );
}

/** The tree of one file plus search. */
export function ValueTree({ files }: { files: string[] }) {
  const [file, setFile] = useState(files[0]);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<{ hits: SearchHit[]; complete: boolean }>();
  const searchId = useId();
  useEffect(() => {
    if (!query.trim()) return setHits(undefined);
    const t = setTimeout(() => {
      parserClient().treeSearch(file, query.trim()).then(setHits, () => setHits({ hits: [], complete: true }));
    }, 200);
    return () => clearTimeout(t);
  }, [file, query]);
  if (!file) return null;
  return (
    <div className="value-tree" data-testid="value-tree">
      <div className="tree-controls">
        {files.length > 1 ? (
          <select aria-label="File" value={file} onChange={(e) => setFile(e.currentTarget.value)}>
            {files.map((f) => <option key={f} value={f}>{f.split('/').pop()}</option>)}
          </select>
        ) : null}
        <label htmlFor={searchId} className="muted small">Search keys and values</label>
        <input id={searchId} type="search" className="filter" value={query} onChange={(e) => setQuery(e.currentTarget.value)} placeholder="e.g. exp_avg, lr, 1000" />
      </div>
      {hits ? (
        <ul className="search-hits" aria-label="Search results" data-testid="tree-hits">
          {hits.hits.map((h) => (
            <li key={h.path.join('/')}>
              <code>{h.labels.join(' › ')}</code> <span className="tree-type">{h.type}</span> <span className="tree-preview">{h.preview}</span>
            </li>
          ))}
          {hits.hits.length === 0 ? <li className="muted">No match.</li> : null}
          {!hits.complete ? <li className="muted">More matches exist; refine the search.</li> : null}
        </ul>
      ) : (
        <ul role="tree" aria-label={`Contents of ${file}`} className="tree-root">
          <Children file={file} node={[]} />
        </ul>
      )}
    </div>
  );
}
