/**
 * Keep what other benchmarks and people wrote when `npm run bench` rewrites BENCHMARKS.md: every
 * `## ` section of the old file whose heading the new report does not have (the Scale and Health
 * sections that bench/scale.ts and bench/health.ts write between their markers, hand-written
 * measurements) goes back in, in its old order, before the new report's "## Run it".
 */

/** The `## ` sections of a markdown text: heading line -> the text from that line to the next `## ` heading. */
function sections(text: string): { heading: string; body: string }[] {
  const out: { heading: string; body: string }[] = [];
  const starts = [...text.matchAll(/^## .*$/gm)].map((m) => m.index ?? 0);
  for (let i = 0; i < starts.length; i++) {
    const body = text.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : text.length);
    out.push({ heading: body.split('\n')[0], body });
  }
  return out;
}

/**
 * `report` with the sections of `old` it lacks put back before its "## Run it" (or at its end).
 * A marker comment (`<!-- name:begin ... -->`) just before a kept section stays with it.
 */
export function keepSections(old: string, report: string): string {
  const have = new Set(sections(report).map((s) => s.heading));
  const kept = sections(old)
    .filter((s) => !have.has(s.heading) && s.heading !== '## Run it')
    .map((s) => s.body.replace(/\s+$/, ''));
  if (kept.length === 0) return report;
  // a marker comment sits at the end of the previous section's body: move begin markers with their section
  const text = kept.join('\n\n');
  const markers = [...old.matchAll(/<!-- (\w+):begin[^>]*-->\n(?=## )/g)];
  let withMarkers = text;
  for (const m of markers) {
    const heading = old.slice((m.index ?? 0) + m[0].length).split('\n')[0];
    if (!have.has(heading)) withMarkers = withMarkers.replace(m[0], '').replace(heading, `${m[0]}${heading}`);
  }
  const at = report.indexOf('\n## Run it');
  return at >= 0 ? `${report.slice(0, at)}\n${withMarkers}\n${report.slice(at)}` : `${report}\n${withMarkers}\n`;
}
