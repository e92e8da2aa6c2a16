import * as OpenCC from 'opencc-js';

// Character-level traditional → simplified keeps string length stable, which highlight offsets rely on.
const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

/**
 * The one normalisation used for both indexing and queries: NFKC (full-width → half-width),
 * lower case, traditional → simplified.
 */
export function normalize(text: string): string {
  return toSimplified(text.normalize('NFKC').toLowerCase());
}

export interface NormalizedWithOffsets {
  text: string;
  /** offsets[i] = index in the original string of the character that produced normalised char i; one extra entry for the end. */
  offsets: number[];
}

/**
 * Like {@link normalize}, but remembers where each normalised character came from, so that
 * matched terms can be highlighted in the text exactly as stored.
 */
export function normalizeWithOffsets(original: string): NormalizedWithOffsets {
  let out = '';
  const offsets: number[] = [];
  let i = 0;
  for (const ch of original) {
    const piece = ch.normalize('NFKC').toLowerCase();
    for (let k = 0; k < piece.length; k++) offsets.push(i);
    out += piece;
    i += ch.length;
  }
  offsets.push(original.length);
  let simplified = toSimplified(out);
  if (simplified.length !== out.length) {
    // A phrase mapping changed the length; convert character by character so offsets stay aligned.
    simplified = '';
    for (let k = 0; k < out.length; k++) {
      const converted = toSimplified(out[k] ?? '');
      simplified += converted.length === 1 ? converted : (out[k] ?? '');
    }
  }
  return { text: simplified, offsets };
}
