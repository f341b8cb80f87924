/**
 * "Copy link": the loaded summaries as a compressed URL fragment (see core/share/snapshot.ts). The
 * link holds the values; opening it shows the same table, cards, findings and chart.
 */
import { useState } from 'react';
import { encodeSnapshot, makeSnapshot } from '../core/share/snapshot';
import { loadedSummaries, useCheckpoints } from '../store/checkpointStore';
import { tensorReportsForLink } from './tensorReports';

/** Build the share URL of what is loaded now. */
export function currentShareUrl(includePaths: boolean): string {
  const st = useCheckpoints.getState();
  const fragment = encodeSnapshot(makeSnapshot(loadedSummaries(st), st.otherFolders, st.scalars, includePaths, undefined, tensorReportsForLink(new Set(st.order))));
  return `${location.origin}${location.pathname}${location.search}${fragment}`;
}

export function ShareControls() {
  const ready = useCheckpoints((s) => s.order.length > 0 && s.busy.length === 0 && !s.shared);
  const [paths, setPaths] = useState(false);
  const [link, setLink] = useState<string>();
  const [status, setStatus] = useState<string>();
  if (!ready) return null;
  const copy = (): void => {
    const url = currentShareUrl(paths);
    setLink(url);
    navigator.clipboard?.writeText(url).then(
      () => setStatus(`Link copied (${url.length} characters). It holds the values; no file leaves this computer.`),
      () => setStatus('Copy the link below (the clipboard is not available here).'),
    ) ?? setStatus('Copy the link below.');
  };
  return (
    <div className="share" role="group" aria-label="Share">
      <button type="button" onClick={copy} data-testid="copy-link">Copy link</button>
      <label className="small">
        <input type="checkbox" checked={paths} onChange={(e) => setPaths(e.currentTarget.checked)} /> include folder paths
      </label>
      {status ? <span className="small muted" role="status">{status}</span> : null}
      {link ? <input className="share-link" readOnly value={link} aria-label="Share link" data-testid="share-link" onFocus={(e) => e.currentTarget.select()} /> : null}
    </div>
  );
}
