import type { IngestSummary } from '../ingest/ingest-files.js';
import { terminalText } from './terminal-text.js';

const ENCODING_NAMES: Record<string, string> = { gb18030: 'GB18030/GBK', big5: 'Big5' };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The end-of-run summary an admin reads: files read apart from files skipped (each named with its reason),
 * what was added, what was already there (and under which other date, with the command that corrects it),
 * what stays removed.
 */
export function renderIngestSummary(s: IngestSummary): string {
  const lines = [
    `Ingested ${plural(s.files, 'file')}: ${plural(s.articles, 'new article')}, ${s.paragraphs} paragraphs, ${s.passages} passages` +
      (s.duplicates > 0 ? `; ${s.duplicates} already stored` : '') +
      (s.removedBefore > 0 ? `; ${s.removedBefore} removed earlier, not stored again` : '') +
      '.',
  ];
  if (s.skipped.length > 0) {
    lines.push(`Skipped ${plural(s.skipped.length, 'file')}:`);
    for (const k of s.skipped) lines.push(`  - ${k.reason.startsWith(k.file) ? k.reason : `${k.file}: ${k.reason}`}`);
  }
  if (s.problems.length > 0) {
    lines.push(`Skipped ${plural(s.problems.length, 'record')} inside files:`);
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
  if (s.redated.length > 0) {
    lines.push(`Already stored under another date (re-ingesting does not change a stored article):`);
    for (const r of s.redated) lines.push(`  - #${r.id} is dated ${r.storedDate}, ${r.file} says ${r.offeredDate}: to correct it, newsdesk articles edit ${r.id} --date ${r.offeredDate}`);
  }
  if (ingestExitCode(s) !== 0 && s.files > 0) lines.push('Not everything was stored (see above): the command exits with status 1.');
  // File names and reasons can quote what the files hold.
  return terminalText(lines.join('\n'));
}

/**
 * Exit status of an ingest (see the README's exit-code table): 1 when something offered was not stored (a file
 * skipped for any reason but being hidden, a bad record) or when nothing at all was found, else 0.
 */
export function ingestExitCode(s: IngestSummary): 0 | 1 {
  const notStored = s.skipped.some((k) => k.kind !== 'hidden') || s.problems.length > 0;
  return notStored || s.files === 0 ? 1 : 0;
}
