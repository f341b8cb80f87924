/** What to drop, shown before anything is loaded. */
export function EmptyState() {
  return (
    <section className="empty" aria-label="How to start">
      <h2>Drop a checkpoint folder anywhere on this page</h2>
      <p>
        For example <code>checkpoints/last_checkpoint/</code> with its <code>training_state.pth</code>, a whole
        <code> checkpoints/</code> folder, a Hugging Face <code>checkpoint-500/</code> folder, a Lightning <code>.ckpt</code>,
        <code> model.safetensors</code>, any <code>.pth</code> / <code>.pt</code> / <code>.bin</code> file, or a <code>.zip</code> of a folder
        (as Google Drive downloads it).
      </p>
      <p>
        ckptview reads only the metadata it needs, never runs the pickle inside, and never uploads anything: your files stay
        in this browser tab.
      </p>
    </section>
  );
}
