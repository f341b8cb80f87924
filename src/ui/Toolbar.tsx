/** The controls: choose folder, choose files, try a sample, clear all. */
import { useRef, useState } from 'react';
import { useCheckpoints } from '../store/checkpointStore';
import { filesFromInput } from './collectFiles';
import { loadSample } from './sample';
import { submitFiles } from './useParser';
import { cancelOpening } from './openDrop';
import { LiveFolderControls } from './LiveFolderControls';

export function Toolbar() {
  const folderInput = useRef<HTMLInputElement>(null);
  const filesInput = useRef<HTMLInputElement>(null);
  const [sampleError, setSampleError] = useState<string>();
  const hasAny = useCheckpoints((s) => s.order.length > 0);
  const clear = useCheckpoints((s) => s.clear);
  return (
    <div className="toolbar" role="toolbar" aria-label="Load checkpoints">
      <button type="button" className="primary" onClick={() => folderInput.current?.click()}>Choose folder</button>
      <input
        ref={folderInput}
        type="file"
        hidden
        data-testid="folder-input"
        aria-label="Choose folder"
        webkitdirectory=""
        multiple
        onChange={(e) => {
          submitFiles(filesFromInput(e.currentTarget.files));
          e.currentTarget.value = '';
        }}
      />
      <button type="button" onClick={() => filesInput.current?.click()}>Choose files</button>
      <input
        ref={filesInput}
        type="file"
        hidden
        multiple
        data-testid="files-input"
        aria-label="Choose files"
        onChange={(e) => {
          submitFiles(filesFromInput(e.currentTarget.files));
          e.currentTarget.value = '';
        }}
      />
      <button
        type="button"
        onClick={() => {
          setSampleError(undefined);
          loadSample().then(submitFiles, (e: unknown) => setSampleError(`The sample could not be loaded: ${(e as Error).message}`));
        }}
      >
        Try a sample
      </button>
      {hasAny ? (
        <button
          type="button"
          className="subtle"
          onClick={() => {
            cancelOpening();
            clear();
          }}
        >
          Clear all
        </button>
      ) : null}
      {sampleError ? <span role="alert" className="problem">{sampleError}</span> : null}
      <LiveFolderControls />
    </div>
  );
}
