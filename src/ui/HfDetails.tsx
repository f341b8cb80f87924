/** Hugging Face Trainer details: Trainer's own resume rule, best metric, eval history, RNG states, training arguments. */
import type { HfTrainerSummary } from '../core/conventions/hfTrainer/readHfTrainer';
import { FieldList } from './FieldList';
import { int } from './format';

export function HfDetails({ hf }: { hf: HfTrainerSummary }) {
  return (
    <div className="framework" data-testid="hf-details">
      {hf.resume ? <p className="resume" data-testid="hf-resume">Trainer: {hf.resume.sentence}</p> : null}
      <FieldList
        items={[
          { label: 'global_step', value: int(hf.globalStep), testId: 'hf-global-step' },
          { label: 'epoch (fractional)', value: hf.epoch === undefined ? '—' : hf.epoch.toFixed(4) },
          { label: 'max_steps', value: int(hf.maxSteps) },
          { label: 'num_train_epochs', value: int(hf.numTrainEpochs) },
          { label: 'Update steps per epoch', value: `${int(hf.stepsPerEpoch)}${hf.stepsPerEpochSource ? ` (${hf.stepsPerEpochSource})` : ''}`, testId: 'hf-steps-per-epoch' },
          { label: 'Epochs completed', value: int(hf.epochsCompleted), testId: 'hf-epochs-completed' },
          { label: 'Steps into the current epoch', value: int(hf.stepsIntoEpoch), testId: 'hf-steps-into-epoch' },
          { label: 'Best metric', value: hf.bestMetric === undefined ? '—' : `${hf.bestMetric}${hf.bestMetricName ? ` (${hf.bestMetricName})` : ''}`, testId: 'hf-best-metric' },
          { label: 'Best checkpoint', value: hf.bestModelCheckpoint ?? '—' },
          { label: 'Eval points', value: String(hf.evalPoints.length) },
          { label: 'logging / eval / save steps', value: [hf.loggingSteps, hf.evalSteps, hf.saveSteps].map((x) => int(x)).join(' / ') },
        ]}
      />
      {hf.resume?.trainerLog.length ? (
        <details>
          <summary>What Trainer logs when it resumes</summary>
          <pre className="log">{hf.resume.trainerLog.join('\n')}</pre>
        </details>
      ) : null}
      {hf.rngStates.length ? (
        <details>
          <summary>RNG states ({hf.rngStates.length} file{hf.rngStates.length > 1 ? 's' : ''})</summary>
          <ul>
            {hf.rngStates.map((r) => (
              <li key={r.file}>
                {r.file.split('/').pop()}: {r.keys.join(', ')}
                {r.numpy ? `; numpy ${r.numpy.algorithm ?? ''}` : ''}
                {r.cpu ? `; cpu ${r.cpu.dtype} [${r.cpu.shape.join(', ')}]` : ''}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {hf.trainingArgs ? (
        <details>
          <summary>Training arguments ({hf.trainingArgs.className}, {hf.trainingArgs.fields.length} fields, read without running it)</summary>
          <table className="preview kv">
            <tbody>
              {hf.trainingArgs.fields.map((f) => (
                <tr key={f.key}><th scope="row">{f.key}</th><td>{String(f.value)}</td></tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
      {hf.nonFinite.length ? <p className="muted small">Non-finite values in trainer_state.json: {hf.nonFinite.join('; ')}</p> : null}
    </div>
  );
}
