import chardet from 'chardet';
import iconv from 'iconv-lite';
import { NewsdeskError } from '../errors.js';
import { normalize } from '../text/normalize.js';
import { COMMON_HANZI } from './common-hanzi.js';

export interface Decoded {
  text: string;
  /** The encoding the text was read in: `utf-8`, `utf-8 (BOM)`, `utf-16le`, `utf-16be`, `gb18030` or `big5`. */
  encoding: string;
  /**
   * Set when nothing in the file said the encoding (no BOM, not valid UTF-8, no declaration) and it was chosen by
   * how the text reads: what was measured, for the ingest report (e.g. "9 of 9 Chinese characters common; as Big5 1 of 9").
   */
  guessed?: string;
}

// Labels for the Chinese encodings newsdesk reads, as documents and HTTP headers spell them (WHATWG encoding labels).
const CHINESE_ENCODINGS = new Map([
  ['gb18030', 'gb18030'],
  ['gbk', 'gb18030'],
  ['gb2312', 'gb18030'],
  ['x-gbk', 'gb18030'],
  ['cp936', 'gb18030'],
  ['windows-936', 'gb18030'],
  ['chinese', 'gb18030'],
  ['csgb2312', 'gb18030'],
  ['big5', 'big5'],
  ['big5-hkscs', 'big5'],
  ['cn-big5', 'big5'],
  ['x-x-big5', 'big5'],
  ['cp950', 'big5'],
]);

const LABELS: Record<string, string> = { gb18030: 'GB18030/GBK', big5: 'Big5' };
// Almost any byte pair is valid in both GB18030 and Big5, so validity cannot choose; GB18030 (mainland text) is
// tried first and keeps a tie.
const GUESS_ORDER = ['gb18030', 'big5'] as const;
// The better decoding is kept only when at least this share of its characters are common Chinese ones. Measured:
// the right decoding of news 0.99–1.00, of a headline with a rarer word (瘫痪) down to 0.67; the wrong one of the
// same bytes 0.0–0.75 (it loses the comparison); Shift_JIS Japanese read as GB18030 or Big5 0.17.
const MIN_COMMON_SHARE = 0.6;
// Two decodings closer than this are a tie.
const TIE = 0.05;
// The frequency check reads this many characters at most: enough to tell, cheap on a 10 MB file.
const SAMPLE_CHARACTERS = 4000;
// Detector confidence (chardet, 0–100) from which its word on a non-Chinese encoding is taken.
const SURE = 90;
// A document declaring a Japanese or Korean charset is not Chinese news (WHATWG labels of Shift_JIS, EUC-JP,
// ISO-2022-JP, EUC-KR).
const DECLARED_OTHER_CJK = /^(?:shift[_-]?jis|sjis|ms_kanji|windows-31j|x-sjis|csshiftjis|ms932|cp932|euc-jp|x-euc-jp|cseucpkdfmtjapanese|iso-2022-jp|csiso2022jp|euc-kr|ks_c_5601-1987|ks_c_5601-1989|ksc5601|ksc_5601|korean|windows-949|cseuckr|csksc56011987|iso-ir-149|iso-2022-kr)$/u;
// Multi-byte encodings of Japanese and Korean, as chardet names them.
const OTHER_CJK = new Set(['shift_jis', 'euc-jp', 'euc-kr', 'iso-2022-jp', 'iso-2022-kr']);
// Kana beyond this share of the Chinese characters marks Japanese.
const MAX_KANA_SHARE = 0.1;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const ODD = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Hangul}\u00c0-\u024f\u2160-\u217f\u2460-\u24ff\u2500-\u257f\u3220-\u32ff]/u;
const COMMON = new Set(COMMON_HANZI);
const HAN = /\p{Script=Han}/u;

/**
 * Decodes bytes as UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK or Big5.
 * - `declared` is an encoding named by the document itself (an HTML meta tag, an XML declaration or an HTTP
 *   header): a Chinese one is used when the bytes decode cleanly in it; a Japanese or Korean one (Shift_JIS,
 *   EUC-KR, …) makes the file refused, since newsdesk reads Chinese only; any other is taken for a mistake.
 * - Japanese and Korean bytes are refused too when chardet is sure of them (confidence ≥ 90) or kana run through
 *   the GB18030 reading.
 * - Otherwise GB18030 and Big5 are both tried and the one whose text has the larger share of common Chinese
 *   characters (the 3,000 most frequent, traditional forms counted through their simplified form) wins, GB18030 on
 *   a tie. Statistical detectors such as chardet cannot tell a one-line headline's encoding (a few characters
 *   carry no statistics); the frequency of what each decoding yields can. `guessed` says what was measured.
 * Throws FILE_EMPTY, FILE_BINARY, or DECODE_FAILED (naming the encoding chardet sees when it is a non-Chinese one),
 * each with a message naming `name`.
 */
export function decodeText(bytes: Uint8Array, name: string, declared?: string): Decoded {
  if (bytes.length === 0) throw new NewsdeskError('FILE_EMPTY', `${name} is empty: nothing to ingest.`);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: utf8(bytes.subarray(3), name), encoding: 'utf-8 (BOM)' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  if (looksBinary(bytes)) {
    throw new NewsdeskError('FILE_BINARY', `${name} looks like a binary file, not text: skipped. Ingest .txt, .md, .html, .json or .jsonl files.`);
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // not UTF-8: what the document declares, else what reads as Chinese
  }
  const buffer = Buffer.from(bytes);
  const declaredLabel = declared?.trim().toLowerCase();
  if (declaredLabel && DECLARED_OTHER_CJK.test(declaredLabel)) throw unsupported(name, `declares ${declared}`);
  const declaredEncoding = declaredLabel ? CHINESE_ENCODINGS.get(declaredLabel) : undefined;
  if (declaredEncoding) {
    const text = iconv.decode(buffer, declaredEncoding);
    if (isPlausible(text)) return { text, encoding: declaredEncoding };
  }
  // Any other declaration (utf-8 on bytes that are not, a server's default ISO-8859-1 on a GBK page) is a wrong
  // one, common on old sites: the bytes are read as they read.
  const guesses = chardet.analyse(bytes);
  const topGuess = guesses[0];
  const chineseConfidence = Math.max(0, ...guesses.filter((g) => CHINESE_ENCODINGS.has(g.name.toLowerCase())).map((g) => g.confidence));
  // EUC-KR and EUC-JP bytes are valid GB2312, and Hangul read as GB2312 is common Chinese characters: only a
  // detector's statistics tell them apart, and it is sure of them from a sentence or so on.
  if (topGuess && OTHER_CJK.has(topGuess.name.toLowerCase()) && topGuess.confidence >= SURE && topGuess.confidence > chineseConfidence) {
    throw unsupported(name, `looks like ${describeGuess(topGuess)} text`);
  }
  const readings = GUESS_ORDER.map((encoding) => {
    const text = iconv.decode(buffer, encoding);
    return { encoding, text, ...commonShare(text), plausible: isPlausible(text) };
  });
  let best: (typeof readings)[number] | undefined;
  for (const r of readings) if (r.plausible && (!best || r.share > best.share + TIE)) best = r;
  if (best && best.share >= MIN_COMMON_SHARE) {
    const others = readings
      .filter((r) => r !== best)
      .map((r) => `as ${LABELS[r.encoding]} ${r.plausible ? `${r.common} of ${r.han}` : 'not valid'}`);
    return { text: best.text, encoding: best.encoding, guessed: [`${best.common} of ${best.han} Chinese characters common`, ...others].join('; ') };
  }
  // GB2312 holds the Japanese kana, so EUC-JP text reads as GB18030 with kana all through it.
  const gb = readings[0];
  if (gb?.plausible && gb.kana > gb.han * MAX_KANA_SHARE) throw unsupported(name, 'looks like Japanese (EUC-JP) text');
  const seen = guesses.find((g) => !CHINESE_ENCODINGS.has(g.name.toLowerCase()) && g.confidence >= 50);
  if (seen) throw unsupported(name, `looks like ${describeGuess(seen)} text`);
  throw new NewsdeskError(
    'DECODE_FAILED',
    `${name} is not valid UTF-8, GB18030/GBK or Big5 text: skipped. Convert it to UTF-8 (for example with iconv -f <encoding> -t UTF-8) and ingest it again.`,
  );
}

function unsupported(name: string, what: string): NewsdeskError {
  return new NewsdeskError(
    'DECODE_FAILED',
    `${name} ${what}, which newsdesk does not read (it reads Chinese news in UTF-8, GB18030/GBK or Big5): skipped. ` +
      'If it is Chinese, convert it to UTF-8 (for example with iconv -f <encoding> -t UTF-8) and ingest it again.',
  );
}

function describeGuess(guess: { name: string; lang?: string }): string {
  return guess.lang ? `${new Intl.DisplayNames(['en'], { type: 'language' }).of(guess.lang) ?? guess.lang} (${guess.name})` : guess.name;
}

// How many of the (first SAMPLE_CHARACTERS) characters that a Chinese decoding yields are common Chinese ones.
// Traditional characters count through their simplified form, so Big5 news scores like GB news. Kana, Greek,
// Cyrillic, Hangul, box-drawing and accented letters count against a decoding: GBK has them in its symbol rows, and
// a wrong decoding lands there far more often than Chinese news uses them.
function commonShare(text: string): { common: number; han: number; kana: number; odd: number; share: number } {
  let common = 0;
  let han = 0;
  let kana = 0;
  let odd = 0;
  for (const ch of normalize(text.slice(0, SAMPLE_CHARACTERS))) {
    if (KANA.test(ch)) kana++;
    if (ODD.test(ch)) odd++;
    if (!HAN.test(ch)) continue;
    han++;
    if (COMMON.has(ch)) common++;
  }
  return { common, han, kana, odd, share: han + odd === 0 ? 0 : common / (han + odd) };
}

function utf8(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new NewsdeskError('DECODE_FAILED', `${name} starts with a UTF-8 mark but is not valid UTF-8: skipped. Re-save it as UTF-8.`, { cause: error });
  }
}

function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 8192);
  let control = 0;
  for (const b of sample) {
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return control > sample.length * 0.05;
}

// A wrong multi-byte decoding shows as replacement characters, private-use or unassigned code points.
function isPlausible(text: string): boolean {
  let bad = 0;
  let total = 0;
  for (const ch of text) {
    total++;
    if (ch === '\uFFFD' || /[\p{Co}\p{Cn}]/u.test(ch)) bad++;
  }
  return total > 0 && bad / total < 0.002;
}
