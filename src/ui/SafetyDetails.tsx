/**
 * The safety verdict in words: every global that torch.load(weights_only=True) would reject, where
 * it is (file, zip member, pickle, opcode offset), whether it is called, and what to do.
 */
import type { SafetySummary } from '../core/conventions/summary';

export function SafetyDetails({ safety }: { safety: SafetySummary }) {
  const notAllowed = safety.findings.filter((f) => f.verdict !== 'allowed');
  const unique = [...new Set(notAllowed.map((f) => f.name))];
  return (
    <div className="safety" data-testid="safety-details">
      {safety.verdict === 'safe' ? (
        <p>Every global in every pickle is on PyTorch's weights_only allowlist: <code>torch.load(path, weights_only=True)</code> (the default since PyTorch 2.6) loads it.</p>
      ) : safety.verdict === 'dangerous' ? (
        <p className="problem">
          Loading this with <code>torch.load(weights_only=False)</code> would run code: never do that. <code>weights_only=True</code> refuses it.
        </p>
      ) : unique.length === 0 ? (
        <p>
          No code is run by it, but <code>torch.load</code> rejects it: it is a plain pickle (written by <code>pickle.dump</code>), not a torch.save file.
        </p>
      ) : (
        <p>
          No code is run by it, but <code>torch.load(weights_only=True)</code> (the default since PyTorch 2.6) rejects {unique.map((n, i) => <span key={n}>{i ? ', ' : ''}<code>{n}</code></span>)}. Load it with{' '}
          <code>torch.serialization.add_safe_globals([...])</code> naming {unique.length > 1 ? 'those' : 'that'} global{unique.length > 1 ? 's' : ''}, or with <code>weights_only=False</code> if you trust where it came from.
        </p>
      )}
      {notAllowed.length ? (
        <table className="preview findings-table">
          <thead>
            <tr><th scope="col">Global</th><th scope="col">Verdict</th><th scope="col">Where</th><th scope="col">Called</th></tr>
          </thead>
          <tbody>
            {notAllowed.slice(0, 50).map((f, i) => (
              <tr key={i} className={`verdict-${f.verdict}`} data-testid="safety-finding">
                <td><code>{f.name}</code></td>
                <td title={f.reason}>{f.verdict}</td>
                <td>{f.file.split('/').pop()}{f.member ? ` › ${f.member}` : ''} › {f.pickle}, {f.opcode} at byte {f.offset}</td>
                <td>{f.called ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {notAllowed.length > 50 ? <p className="muted small">…and {notAllowed.length - 50} more.</p> : null}
    </div>
  );
}
