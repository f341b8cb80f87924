/** What to drop, shown before anything is loaded. */
export function EmptyState() {
  return (
    <section className="empty" aria-label="How to start">
      <h2>Drop a checkpoint folder anywhere on this page</h2>
      <p>
        For example <code>checkpoints/last_checkpoint/</code> with its <code>training_state.pth</code>, a whole
        <code> checkpoints/</code> folder, or any <code>.pth</code>, <code>.pt</code>, <code>.bin</code> or <code>.ckpt</code> file.
      </p>
      <p>
        ckptview reads only the metadata it needs, never runs the pickle inside, and never uploads anything: your files stay
        in this browser tab.
      </p>
    </section>
  );
}
