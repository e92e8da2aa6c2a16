import type { IngestSummary } from '../ingest/ingest-files.js';

/** True when every file and record read was stored (or was already stored): the command then exits 0. */
export function everythingStored(s: IngestSummary): boolean {
  return s.skipped.length === 0 && s.problems.length === 0;
}

/** The end-of-run summary an admin reads: what was added, what was already there, what was skipped and why. */
export function renderIngestSummary(s: IngestSummary): string {
  const lines = [
    `Ingested ${s.files} file${s.files === 1 ? '' : 's'}: ${s.articles} new article${s.articles === 1 ? '' : 's'}, ${s.paragraphs} paragraphs, ${s.passages} passages` +
      (s.duplicates > 0 ? `; ${s.duplicates} already stored (skipped)` : '') + '.',
  ];
  if (s.skipped.length > 0) {
    lines.push(`Skipped ${s.skipped.length} file${s.skipped.length === 1 ? '' : 's'}:`);
    for (const k of s.skipped) lines.push(`  - ${k.reason.startsWith(k.file) ? k.reason : `${k.file}: ${k.reason}`}`);
  }
  if (s.problems.length > 0) {
    lines.push(`Skipped ${s.problems.length} record${s.problems.length === 1 ? '' : 's'} inside files:`);
    for (const p of s.problems.slice(0, 20)) lines.push(`  - ${p.file}${p.at ? `:${p.at}` : ''}: ${p.reason}`);
    if (s.problems.length > 20) lines.push(`  … and ${s.problems.length - 20} more`);
  }
  if (!everythingStored(s)) lines.push('Not everything was stored (see above): the command exits with status 1.');
  return lines.join('\n');
}
