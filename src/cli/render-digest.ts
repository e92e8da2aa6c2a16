import type { Digest } from '../digest/build-digest.js';
import { terminalText } from './terminal-text.js';

/** The terminal view of a digest (`npm run digest -- --preview`). */
export function renderDigestText(digest: Digest, title: string): string {
  if (digest.items.length === 0) return `${title}: no new articles between ${digest.since} and ${digest.until}.`;
  const lines = [`${title} (${digest.items.length} of ${digest.stories} stories from ${digest.articles} articles)`, ''];
  for (const item of digest.items) {
    lines.push(`■ ${terminalText(item.headline)}${item.sources.length > 1 ? ` — ${item.sources.length} outlets` : ''}`);
    if (item.summary) lines.push(`  ${terminalText(item.summary)}`);
    lines.push(`  ${item.sources.map((s) => [s.source, s.publishedDay, s.url].filter(Boolean).map((x) => terminalText(x!)).join(' ')).join(' · ')}`);
    lines.push('');
  }
  return lines.join('\n').trimEnd();
}
