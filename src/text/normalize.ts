import * as OpenCC from 'opencc-js';
import { RARE_VARIANTS } from './rare-variants.js';

// Traditional → simplified from OpenCC's Hong Kong variant tables: the same as `t → cn`, and it also folds the
// Hong Kong standard forms (衞生署 → 卫生署, 敍 → 叙, 枱 → 台, 衹 → 只) that `t → cn` leaves as they are
// (OpenCC issue #169). Character-level mappings keep string length stable, which highlight offsets rely on.
const fromHongKong = OpenCC.Converter({ from: 'hk', to: 'cn' });

/**
 * Taiwan variant characters that `hk → cn` leaves unchanged or reads otherwise, each as opencc-js's `tw → cn` converts it (a test
 * checks every pair against it). Not the whole `tw → cn` converter: it also turns 著 into 着 and 么 into 幺
 * outside the phrases it knows, which would rewrite mainland text (显著 → 显着); 綫/線, 裏/裡 and 羣/群 are
 * already folded by `hk → cn`.
 */
export const TAIWAN_VARIANTS: ReadonlyArray<readonly [string, string]> = [
  ['痺', '痹'],
  ['睪', '睾'],
  ['簷', '檐'],
  ['潀', '潨'],
  ['鯰', '鲇'],
];
const fromTaiwan = OpenCC.CustomConverter(TAIWAN_VARIANTS.map(([from, to]) => [from, to]));
// Rare variants of simplified characters (砲 → 炮, 覇 → 霸; src/text/rare-variants.ts), after OpenCC, whose
// output they are read from.
const fromRareVariants = OpenCC.CustomConverter(RARE_VARIANTS.map(([from, to]) => [from, to]));
// Taiwan variants first: `hk → cn` would turn 鯰 into 鲶, where `tw → cn` gives the standard 鲇.
const toSimplified = (text: string): string => fromRareVariants(fromHongKong(fromTaiwan(text)));

/**
 * The one normalisation used for both indexing and queries: NFKC (full-width → half-width),
 * lower case, traditional → simplified (OpenCC's Hong Kong and Taiwan variant tables included), then rare variant
 * characters read as their common forms (Unihan's semantic variants, `RARE_VARIANTS`).
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
