/** Open a share link: when the page's URL fragment holds a snapshot, show it. */
import { useEffect } from 'react';
import { decodeSnapshot, SNAPSHOT_PREFIX } from '../core/share/snapshot';
import { useCheckpoints } from '../store/checkpointStore';

export function useSharedLink(): void {
  useEffect(() => {
    const open = (): void => {
      if (!location.hash.startsWith(SNAPSHOT_PREFIX)) return;
      try {
        useCheckpoints.getState().loadSnapshot(decodeSnapshot(location.hash));
      } catch (e) {
        useCheckpoints.getState().setNotice((e as Error).message);
      }
    };
    open();
    window.addEventListener('hashchange', open);
    return () => window.removeEventListener('hashchange', open);
  }, []);
}
