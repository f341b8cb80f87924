/** The page: header with controls, then the checkpoints that were dropped. */
import { useCheckpoints } from '../store/checkpointStore';
import { DropTarget } from './DropTarget';
import { EmptyState } from './EmptyState';
import { StatusCard } from './StatusCard';
import { Toolbar } from './Toolbar';

export function App() {
  const order = useCheckpoints((s) => s.order);
  const entries = useCheckpoints((s) => s.entries);
  const busy = useCheckpoints((s) => s.busy.length > 0);
  const notice = useCheckpoints((s) => s.notice);
  const remove = useCheckpoints((s) => s.remove);
  return (
    <DropTarget>
      <header className="app-head">
        <div className="brand">
          <h1>ckptview</h1>
          <p className="muted">Where will your training resume? PyTorch checkpoints, read locally and safely.</p>
        </div>
        <Toolbar />
      </header>
      <main>
        {busy ? <p className="busy" role="status">Reading checkpoints…</p> : null}
        {notice ? <p className="problem" role="alert">{notice}</p> : null}
        {order.length === 0 ? <EmptyState /> : null}
        <div className="cards">
          {order.map((id) => (
            <StatusCard key={id} entry={entries[id]} onRemove={() => remove(id)} />
          ))}
        </div>
      </main>
      <footer className="muted foot">Files are read in this tab by a Web Worker and never leave your computer.</footer>
    </DropTarget>
  );
}
