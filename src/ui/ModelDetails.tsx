/** Model weights: architecture, parameters, dtypes, size on disk, labels, adapter, tensor list. */
import type { ModelSummary } from '../core/conventions/summary';
import { FieldList } from './FieldList';
import { bytes, count } from './format';

export function ModelDetails({ m }: { m: ModelSummary }) {
  return (
    <div data-testid="model-details">
      <FieldList
        items={[
          { label: 'File', value: m.file.split('/').pop() ?? m.file },
          { label: 'Architecture', value: m.architecture ?? '—' },
          { label: 'model_type', value: m.modelType ?? '—' },
          { label: 'Parameters', value: count(m.parameters), testId: 'model-parameters' },
          { label: 'Tensors', value: count(m.tensors) },
          { label: 'dtypes', value: m.dtypes.join(', ') || '—' },
          { label: 'config dtype', value: m.configDtype ?? '—' },
          { label: 'Size on disk', value: m.bytesOnDisk !== undefined ? bytes(m.bytesOnDisk) : '—' },
          ...(m.shards ? [{ label: 'Shards', value: String(m.shards) }] : []),
          ...(m.labels?.length ? [{ label: 'Class labels (config.json)', value: m.labels.slice(0, 12).join(', ') + (m.labels.length > 12 ? '…' : '') }] : []),
        ]}
      />
      {m.adapter ? (
        <p className="small">Adapter: {Object.entries(m.adapter).map(([k, v]) => `${k} ${v}`).join(' · ')}</p>
      ) : null}
      {m.metadata ? <p className="small muted">__metadata__: {Object.entries(m.metadata).map(([k, v]) => `${k}=${v}`).join(', ')}</p> : null}
      {m.tensorList?.length ? (
        <details>
          <summary>Tensors{m.tensorList.length < m.tensors ? ` (first ${m.tensorList.length} of ${m.tensors})` : ` (${m.tensors})`}</summary>
          <table className="preview kv">
            <tbody>
              {m.tensorList.map((t) => (
                <tr key={t.name}><th scope="row"><code>{t.name}</code></th><td>{t.dtype}</td><td>[{t.shape.join(', ')}]</td></tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </div>
  );
}
