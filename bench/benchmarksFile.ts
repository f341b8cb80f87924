/**
 * Writing BENCHMARKS.md without losing what other benchmarks and people wrote in it:
 * - `npm run bench` rewrites the file, keeping every `## ` section of the old file whose heading
 *   its report does not have (the Scale and Health sections, hand-written measurements);
 * - `--scale` and `--health` replace only their own section, between their marker comments.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

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

/**
 * Replace the text between the marker comments `begin` and `end` in `file` with `section` (which
 * holds both markers), or insert it before "## Run it" (at the end when there is none).
 */
export function writeMarkedSection(file: string, begin: string, end: string, section: string): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  let next: string;
  if (a >= 0 && b > a) next = text.slice(0, a) + section + text.slice(b + end.length);
  else {
    const run = text.indexOf('\n## Run it');
    next = run >= 0 ? `${text.slice(0, run)}\n${section}\n${text.slice(run)}` : `${text}\n${section}\n`;
  }
  writeFileSync(file, next);
}

