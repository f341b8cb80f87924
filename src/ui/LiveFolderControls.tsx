/**
 * "Open folder" (live), "Reload", and auto-refresh every 15 s while a training job writes checkpoints.
 * Where the browser lacks the File System Access API (Firefox, Safari) a one-line note replaces them.
 */
import { useEffect, useRef, useState } from 'react';
import { useCheckpoints } from '../store/checkpointStore';
import { canOpenLiveFolder, folderSignature, pickFolder, readFolder } from './liveFolder';
import { submitFiles } from './useParser';

const AUTO_MS = 15_000;

export function LiveFolderControls() {
  const [handle, setHandle] = useState<FileSystemDirectoryHandle>();
  const [auto, setAuto] = useState(false);
  const [status, setStatus] = useState<string>();
  const signature = useRef('');
  const removeUnder = useCheckpoints((s) => s.removeUnder);
  const addOpenProblems = useCheckpoints((s) => s.addOpenProblems);
  const reload = async (h: FileSystemDirectoryHandle, onlyIfChanged: boolean): Promise<void> => {
    const { files, problems } = await readFolder(h);
    const sig = folderSignature(files) + problems.map((p) => `!${p.path}`).join('');
    if (onlyIfChanged && sig === signature.current) return;
    signature.current = sig;
    removeUnder(h.name);
    submitFiles(files);
    // what could not be opened is listed with a drop's (OpenProblems), with why
    addOpenProblems(problems);
    setStatus(`Read ${files.length} files from ${h.name} at ${new Date().toLocaleTimeString()}${problems.length ? `; ${problems.length} could not be opened (listed above)` : ''}`);
  };
  useEffect(() => {
    if (!handle || !auto) return;
    const t = setInterval(() => void reload(handle, true).catch((e: unknown) => setStatus(`Auto-refresh stopped: ${(e as Error).message}`)), AUTO_MS);
    return () => clearInterval(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [handle, auto]);
  if (!canOpenLiveFolder()) {
    // Firefox and Safari have no showDirectoryPicker: say why the button is missing, and what to do instead
    return (
      <span className="small muted" data-testid="live-unavailable">
        Live folder (re-read a folder while training writes it) needs a Chromium-based browser; here, choose the folder again to see new checkpoints.
      </span>
    );
  }
  return (
    <div className="live" role="group" aria-label="Live folder">
      <button
        type="button"
        onClick={() =>
          pickFolder().then(
            (h) => {
              setHandle(h);
              void reload(h, false);
            },
            () => undefined,
          )
        }
        title="Keeps access to the folder so it can be read again (Chromium)"
      >
        Open live folder
      </button>
      {handle ? (
        <>
          <button type="button" data-testid="reload-folder" onClick={() => void reload(handle, false)}>Reload {handle.name}</button>
          <label className="small">
            <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.currentTarget.checked)} /> auto-refresh
          </label>
          {status ? <span className="small muted" role="status" data-testid="live-status">{status}</span> : null}
        </>
      ) : null}
    </div>
  );
}
