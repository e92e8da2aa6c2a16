import type { IngestSummary } from '../ingest/ingest-files.js';
import { terminalText } from './terminal-text.js';

const ENCODING_NAMES: Record<string, string> = { gb18030: 'GB18030/GBK', big5: 'Big5' };

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
  if (s.dateProblems.length > 0) {
    lines.push(`Dated by the time of ingest (${s.dateProblems.length} article${s.dateProblems.length === 1 ? '' : 's'} whose date could not be used):`);
    for (const d of s.dateProblems.slice(0, 20)) lines.push(`  - ${d.file}: "${d.article}": ${d.reason}`);
    if (s.dateProblems.length > 20) lines.push(`  … and ${s.dateProblems.length - 20} more`);
  }
  if (s.guessedEncodings.length > 0) {
    const n = s.guessedEncodings.length;
    lines.push(`Guessed the encoding of ${n} file${n === 1 ? '' : 's'} (no byte-order mark or charset said it; not UTF-8):`);
    for (const g of s.guessedEncodings) lines.push(`  - ${g.file}: ${ENCODING_NAMES[g.encoding] ?? g.encoding} (${g.evidence})`);
  }
  // File names and reasons can quote what the files hold.
  return terminalText(lines.join('\n'));
}
