/**
 * The safety verdict in words: a red ("runs code") or amber ("may run code: unknown imports")
 * banner when loading could run code, then every global outside the weights_only allowlist and
 * every reader note, where it is (file, zip member, pickle, opcode offset), whether it is called,
 * and what to do. What each verdict promises: `src/core/safety/types.ts` and the README.
 */
import type { SafetySummary } from '../core/conventions/summary';

const ORDER: Record<string, number> = { dangerous: 0, unknown: 1, harmless: 2, allowed: 3 };
const VERDICT_WORDS: Record<string, string> = { dangerous: 'runs code', unknown: 'unknown: treat as code', harmless: 'no code (reviewed)', allowed: 'weights_only allows' };

/** The safety section of the detail view. */
export function SafetyDetails({ safety }: { safety: SafetySummary }) {
  const notAllowed = safety.findings.filter((f) => f.verdict !== 'allowed').sort((a, b) => (ORDER[a.verdict] ?? 9) - (ORDER[b.verdict] ?? 9));
  const names = (v: string) => [...new Set(safety.findings.filter((f) => f.verdict === v).map((f) => f.name))];
  const list = (ns: string[]) => ns.slice(0, 8).map((n, i) => <span key={n}>{i ? ', ' : ''}<code>{n}</code></span>);
  const harmless = names('harmless');
  return (
    <div className="safety" data-testid="safety-details">
      {safety.verdict === 'dangerous' ? (
        <p className="safety-banner safety-dangerous" role="alert" data-testid="safety-banner">
          <strong>Runs code when loaded.</strong> {list(names('dangerous'))} can run commands or touch files. Never load this with{' '}
          <code>torch.load(weights_only=False)</code>; <code>weights_only=True</code> refuses it.
        </p>
      ) : safety.verdict === 'unknown' ? (
        <p className="safety-banner safety-unknown" role="alert" data-testid="safety-banner">
          <strong>May run code: unknown imports.</strong> {list(names('unknown'))} {names('unknown').length > 1 ? 'are' : 'is'} not on PyTorch's
          weights_only allowlist nor on this viewer's reviewed list, so loading with <code>weights_only=False</code> runs code this viewer cannot
          vouch for. Treat the file as code: load it only if you trust where it came from.
        </p>
      ) : safety.verdict === 'weights-only' ? (
        <p>
          Every global in every pickle is on PyTorch's weights_only allowlist and the archive reads as torch reads it:{' '}
          <code>torch.load(path, weights_only=True)</code> (the default since PyTorch 2.6) loads it.
        </p>
      ) : harmless.length === 0 ? (
        <p>No code runs when it is loaded, but <code>torch.load</code> rejects it: it is a plain pickle (written by <code>pickle.dump</code>), not a torch.save file.</p>
      ) : (
        <p>
          No code runs when it is loaded (every name is on this viewer's reviewed list), but <code>torch.load(weights_only=True)</code> (the default
          since PyTorch 2.6) rejects {list(harmless)}. Load it with <code>torch.serialization.add_safe_globals([...])</code> naming{' '}
          {harmless.length > 1 ? 'those' : 'that'} global{harmless.length > 1 ? 's' : ''}, or with <code>weights_only=False</code>.
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
                <td title={f.reason}>{VERDICT_WORDS[f.verdict] ?? f.verdict}</td>
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
