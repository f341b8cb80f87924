/**
 * Metric history on a common training axis (recharts): best F1 / accuracy per checkpoint plus
 * per-evaluation history (history dicts, TensorBoard, trainer_state). Series can be toggled; with
 * several runs, the runs drawn are chosen and only their series are listed (a drop of 150 runs lists
 * a dozen toggles, not 2,700); hovering shows exact values; the chart downloads as SVG or PNG.
 */
import { useMemo, useRef, useState } from 'react';
import { useNearViewport } from './useNearViewport';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Series } from '../core/history/series';
import { useCheckpoints } from '../store/checkpointStore';
import { downloadBlob } from './downloads';
import { useSeries } from './useSeries';

/**
 * Lines drawn at first. A drop of hundreds of checkpoints has hundreds of series (one per HF
 * checkpoint's trainer_state, one per run's TensorBoard tag): more lines than anyone can read, and
 * recharts spent seconds of main-thread work per store update drawing them (issue 15). The others
 * stay in the list below, unticked, and can be ticked on.
 */
export const MAX_DRAWN = 12;

/** One colour per line drawn at first ({@link MAX_DRAWN}), no two alike. */
const COLORS = ['#2b59c3', '#d9480f', '#2f9e44', '#ae3ec9', '#1098ad', '#f08c00', '#e64980', '#5c7cfa', '#868e96', '#0ca678', '#74b816', '#5f3dc4'];

/**
 * The chart as a standalone SVG: CSS variables resolved to colours, a font set, and a legend of the
 * shown series appended below the plot, so the file reads the same outside the page.
 */
function svgOf(container: HTMLElement | null, legend: { name: string; color: string }[]): string | undefined {
  const svg = container?.querySelector('svg.recharts-surface');
  if (!svg) return undefined;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const css = getComputedStyle(document.documentElement);
  const resolve = (v: string): string => v.replace(/var\((--[a-z-]+)\)/g, (_m, name: string) => css.getPropertyValue(name).trim() || '#888');
  for (const el of [clone, ...clone.querySelectorAll('*')]) {
    for (const attr of ['stroke', 'fill', 'color', 'style']) {
      const v = el.getAttribute(attr);
      if (v && v.includes('var(')) el.setAttribute(attr, resolve(v));
    }
  }
  const ns = 'http://www.w3.org/2000/svg';
  const width = Number(svg.getAttribute('width')) || svg.getBoundingClientRect().width;
  const height = Number(svg.getAttribute('height')) || svg.getBoundingClientRect().height;
  // two legend columns where they fit, one on a narrow (phone) chart
  const columns = width >= 480 ? 2 : 1;
  const rows = Math.ceil(legend.length / columns);
  const total = height + 12 + rows * 18;
  clone.setAttribute('xmlns', ns);
  clone.setAttribute('height', String(total));
  clone.setAttribute('viewBox', `0 0 ${width} ${total}`);
  clone.setAttribute('font-family', 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif');
  clone.setAttribute('font-size', '12');
  const bg = document.createElementNS(ns, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', getComputedStyle(document.body).backgroundColor || '#fff');
  clone.insertBefore(bg, clone.firstChild);
  legend.forEach((l, i) => {
    const x = 16 + (i % columns) * (width / columns);
    const y = height + 12 + Math.floor(i / columns) * 18;
    const swatch = document.createElementNS(ns, 'rect');
    Object.entries({ x: x, y: y - 9, width: 12, height: 4, fill: l.color }).forEach(([k, v]) => swatch.setAttribute(k, String(v)));
    const text = document.createElementNS(ns, 'text');
    Object.entries({ x: x + 18, y, fill: css.getPropertyValue('--text').trim() || '#000' }).forEach(([k, v]) => text.setAttribute(k, String(v)));
    text.textContent = l.name;
    clone.append(swatch, text);
  });
  return new XMLSerializer().serializeToString(clone);
}

async function pngOf(svgText: string, width: number, height: number): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    const scale = 2;
    canvas.width = width * scale;
    canvas.height = height * scale;
    const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Ticks on the epoch axis: whole epochs, or halves when fewer than 4 epochs are shown. */
function epochTicks(min: number, max: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  const step = max - min <= 4 ? 0.5 : Math.max(1, Math.ceil((max - min) / 12));
  const out: number[] = [];
  for (let t = Math.floor(min / step) * step; t <= Math.ceil(max / step) * step + 1e-9; t += step) out.push(Math.round(t * 100) / 100);
  return out;
}

/** The runs that have series, in the order their first series appears. */
function runsOf(series: readonly Series[]): { id: string; label: string; count: number }[] {
  const out = new Map<string, { id: string; label: string; count: number }>();
  for (const s of series) {
    if (!s.run) continue;
    const r = out.get(s.run.id) ?? { id: s.run.id, label: s.run.label, count: 0 };
    r.count++;
    out.set(s.run.id, r);
  }
  return [...out.values()];
}

/**
 * Runs drawn at first: runs in order while their series that start on fit in {@link MAX_DRAWN}
 * lines (always at least one run).
 */
function defaultRuns(series: readonly Series[], runs: readonly { id: string }[]): string[] {
  const on = new Map<string, number>();
  for (const s of series) if (s.run && s.visible) on.set(s.run.id, (on.get(s.run.id) ?? 0) + 1);
  const out: string[] = [];
  let lines = series.filter((s) => !s.run && s.visible).length;
  for (const r of runs) {
    const n = on.get(r.id) ?? 0;
    if (out.length > 0 && lines + n > MAX_DRAWN) break;
    out.push(r.id);
    lines += n;
  }
  return out;
}

export function HistoryChart() {
  const series = useSeries();
  // the series are derived again only once reading ends (useSeries): say so while a drop is read
  const reading = useCheckpoints((s) => s.busy.length > 0);
  const runs = useMemo(() => runsOf(series), [series]);
  const [hidden, setHidden] = useState<Record<string, boolean>>({});
  // runs chosen by the user (undefined: the default choice, which follows what is loaded)
  const [chosenRuns, setChosenRuns] = useState<string[] | undefined>(undefined);
  const [runToAdd, setRunToAdd] = useState('');
  const box = useRef<HTMLDivElement>(null);
  const runPicker = useRef<HTMLSelectElement>(null);
  const [drawn, drawNow] = useNearViewport(box, series.length > 0);
  if (series.length === 0) return null;
  // many runs: only the series of the runs drawn are listed and plotted; the others are summarised
  // the user's choice, while one of its runs is still loaded; else the default
  const chosen = (chosenRuns ?? []).filter((id) => runs.some((r) => r.id === id));
  const drawnRuns = new Set(chosen.length ? chosen : defaultRuns(series, runs));
  const inChart = series.filter((s) => !s.run || drawnRuns.has(s.run.id));
  const otherRuns = runs.filter((r) => !drawnRuns.has(r.id));
  const setRuns = (ids: string[]): void => setChosenRuns(runs.filter((r) => ids.includes(r.id)).map((r) => r.id));
  // a run added by hand is drawn: its series that start on are ticked, even past the first 12 lines
  const addRun = (id: string): void => {
    if (!id) return;
    setRuns([...drawnRuns, id]);
    setHidden({ ...hidden, ...Object.fromEntries(series.filter((x) => x.run?.id === id && x.visible).map((x) => [x.id, false])) });
    setRunToAdd('');
  };
  const removeRun = (id: string): void => {
    setRuns([...drawnRuns].filter((x) => x !== id));
    setTimeout(() => runPicker.current?.focus(), 0); // the chip's button is gone: the run picker (rendered now) takes the focus
  };
  // the first MAX_DRAWN series that are on by default are drawn; later ones start unticked
  const drawnAtFirst = new Set(inChart.filter((s) => s.visible).slice(0, MAX_DRAWN).map((s) => s.id));
  const notDrawn = inChart.filter((s) => s.visible && !drawnAtFirst.has(s.id) && hidden[s.id] === undefined).length;
  const isVisible = (id: string, initial: boolean): boolean => (hidden[id] === undefined ? initial && drawnAtFirst.has(id) : !hidden[id]);
  const shown = inChart.filter((s) => isVisible(s.id, s.visible));
  const hasLoss = shown.some((s) => s.axis === 'loss');
  const xs = shown.flatMap((s) => s.points.map((p) => p.x));
  const ticks = epochTicks(Math.min(...xs), Math.max(...xs));
  const colorOf = new Map(inChart.map((s, i) => [s.id, COLORS[i % COLORS.length]]));
  const download = async (kind: 'svg' | 'png'): Promise<void> => {
    if (!box.current?.querySelector('svg.recharts-surface')) {
      // not drawn yet (out of view): draw it, then take the drawing two frames later
      drawNow();
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    }
    if (!box.current?.querySelector('svg.recharts-surface')) return;
    const legend = inChart.flatMap((s) => (isVisible(s.id, s.visible) ? [{ name: s.name, color: colorOf.get(s.id) as string }] : []));
    const text = svgOf(box.current, legend);
    if (!text) return;
    const rect = box.current!.querySelector('svg.recharts-surface')!.getBoundingClientRect();
    const height = rect.height + 12 + Math.ceil(legend.length / (rect.width >= 480 ? 2 : 1)) * 18;
    downloadBlob(kind === 'svg' ? new Blob([text], { type: 'image/svg+xml' }) : await pngOf(text, rect.width, height), `ckptview-history.${kind}`);
  };
  return (
    <section className="panel" aria-labelledby="chart-title" data-testid="history-chart">
      <div className="panel-head">
        <h2 id="chart-title">Metrics history</h2>
        {reading ? (
          <span className="muted small" data-testid="chart-reading">
            drawn again when reading ends
          </span>
        ) : null}
        <span className="spacer" />
        <button type="button" onClick={() => void download('svg')}>Download SVG</button>
        <button type="button" onClick={() => void download('png')}>Download PNG</button>
      </div>
      {runs.length > 1 ? (
        <div className="chart-runs" data-testid="chart-runs">
          <span className="muted small">Runs drawn:</span>
          {runs
            .filter((r) => drawnRuns.has(r.id))
            .map((r) => (
              <span key={r.id} className="run-chip" data-testid="chart-run">
                {r.label}
                {drawnRuns.size > 1 ? (
                  <button type="button" className="chip-remove" aria-label={`Stop drawing run ${r.label}`} onClick={() => removeRun(r.id)}>
                    ×
                  </button>
                ) : null}
              </span>
            ))}
          {otherRuns.length > 0 ? (
            <>
              <select ref={runPicker} className="long-list" aria-label="Another run to draw" value={runToAdd} data-testid="chart-add-run" onChange={(e) => setRunToAdd(e.currentTarget.value)}>
                <option value="">Another run…</option>
                {otherRuns.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.label} ({r.count} series)
                  </option>
                ))}
              </select>
              <button type="button" disabled={!runToAdd} onClick={() => addRun(runToAdd)} data-testid="chart-draw-run">
                Draw
              </button>
              <span className="muted small" data-testid="chart-runs-not-drawn">
                {otherRuns.length} other {otherRuns.length === 1 ? 'run' : 'runs'} not drawn ({otherRuns.reduce((n, r) => n + r.count, 0)} series)
              </span>
            </>
          ) : null}
        </div>
      ) : null}
      <fieldset className="series-toggles">
        <legend className="muted small">Series</legend>
        {inChart.map((s) => (
          <label key={s.id} className="toggle" data-testid="series-toggle" data-points={s.points.length} data-series={s.name}>
            <input type="checkbox" checked={isVisible(s.id, s.visible)} onChange={(e) => setHidden({ ...hidden, [s.id]: !e.currentTarget.checked })} />
            <span className="swatch" style={{ background: colorOf.get(s.id) }} aria-hidden="true" />
            {s.name} <span className="muted">({s.points.length})</span>
          </label>
        ))}
      </fieldset>
      {notDrawn > 0 ? <p className="muted small" data-testid="series-not-drawn">{notDrawn} more series not drawn at first (at most {MAX_DRAWN} lines): tick them above to plot them.</p> : null}
      {shown.length === 0 ? <p className="muted small">Every series is switched off: tick one above to plot it.</p> : null}
      <div ref={box} className="chart-box">
        {drawn ? (
        <ResponsiveContainer width="100%" height={320}>
          <LineChart margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
            <XAxis type="number" dataKey="x" domain={ticks.length ? [ticks[0], ticks[ticks.length - 1]] : ['dataMin', 'dataMax']} ticks={ticks} allowDuplicatedCategory={false} label={{ value: 'training progress (epochs)', position: 'insideBottom', offset: -4 }} tickFormatter={(v: number) => String(Math.round(v * 100) / 100)} stroke="var(--muted)" />
            <YAxis yAxisId="metric" domain={['auto', 'auto']} stroke="var(--muted)" width={60} label={{ value: 'score', angle: -90, position: 'insideLeft' }} />
            {hasLoss ? <YAxis yAxisId="loss" orientation="right" domain={['auto', 'auto']} stroke="var(--muted)" width={64} label={{ value: 'loss / lr', angle: 90, position: 'insideRight' }} /> : null}
            <Tooltip
              formatter={(value: unknown, name: unknown) => [typeof value === 'number' ? value.toPrecision(6) : String(value), String(name)]}
              labelFormatter={(x: unknown) => `x = ${typeof x === 'number' ? x.toFixed(3) : String(x)} epochs`}
            />
            {inChart.map((s) =>
              isVisible(s.id, s.visible) ? (
                <Line
                  key={s.id}
                  data={s.points as { x: number; y: number; label: string }[]}
                  dataKey="y"
                  name={s.name}
                  yAxisId={s.axis === 'loss' && hasLoss ? 'loss' : 'metric'}
                  stroke={colorOf.get(s.id)}
                  dot={s.points.length < 60}
                  isAnimationActive={false}
                  type="linear"
                />
              ) : null,
            )}
          </LineChart>
        </ResponsiveContainer>
        ) : (
          // drawn when it comes near the view: the same height, so nothing below moves then
          <div className="chart-placeholder muted small" style={{ height: 320 }} data-testid="chart-placeholder">
            The chart is drawn when it scrolls into view.
          </div>
        )}
      </div>
    </section>
  );
}
