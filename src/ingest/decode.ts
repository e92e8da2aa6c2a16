import chardet from 'chardet';
import iconv from 'iconv-lite';
import { NewsdeskError } from '../errors.js';

export interface Decoded {
  text: string;
  encoding: string;
}

// Chinese news arrives in these; anything chardet guesses beyond them is more likely a wrong guess than real.
const CHINESE_ENCODINGS = new Map([
  ['gb18030', 'gb18030'],
  ['gbk', 'gb18030'],
  ['gb2312', 'gb18030'],
  ['big5', 'big5'],
]);

/**
 * Decodes bytes as UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK or Big5. `declared` is an
 * encoding named by the document itself (an HTML meta tag or an HTTP header) and is tried before guessing.
 * Throws FILE_EMPTY, FILE_BINARY or DECODE_FAILED with a message naming `name`.
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
    // not UTF-8: try what the document declares, then what the bytes look like
  }
  const candidates: string[] = [];
  const declaredName = declared && CHINESE_ENCODINGS.get(declared.toLowerCase());
  if (declaredName) candidates.push(declaredName);
  for (const guess of chardet.analyse(bytes)) {
    const mapped = CHINESE_ENCODINGS.get(guess.name.toLowerCase());
    if (mapped && !candidates.includes(mapped)) candidates.push(mapped);
  }
  for (const fallback of ['gb18030', 'big5']) if (!candidates.includes(fallback)) candidates.push(fallback);
  for (const encoding of candidates) {
    const text = iconv.decode(Buffer.from(bytes), encoding);
    if (isPlausible(text)) return { text, encoding };
  }
  throw new NewsdeskError(
    'DECODE_FAILED',
    `${name} is not valid UTF-8, GB18030/GBK or Big5 text: skipped. Convert it to UTF-8 (for example with iconv -f <encoding> -t UTF-8) and ingest it again.`,
  );
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
