/**
 * Characters that change how text around them is shown without being seen themselves: a hostile article can use
 * them to drive a terminal, to reverse the bot's own words after them, or to hide one string inside another.
 *
 * - C0 controls except tab and line feed (ESC starts terminal escape sequences; CR rewinds the line), DEL, and the
 *   C1 controls U+0080–U+009F (U+009B is a one-character CSI on many terminals).
 * - Bidirectional embeddings, overrides, isolates and marks (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C):
 *   an unclosed U+202E reverses everything after it, the bot's own source line included ("Trojan Source",
 *   CVE-2021-42574).
 * - Invisible characters with no job in news text: zero-width space U+200B, word joiner and invisible operators
 *   U+2060–U+2064, the byte-order mark U+FEFF, the Mongolian vowel separator U+180E, Hangul fillers (U+115F, U+1160,
 *   U+3164, U+FFA0: used to fake blank names) and Unicode tag characters U+E0000–U+E007F.
 *
 * Zero-width joiner and non-joiner (U+200D, U+200C) are kept: emoji sequences and several scripts need them, and
 * they cannot form markup.
 */
const INVISIBLE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u115f\u1160\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufeff\uffa0]|\udb40[\udc00-\udc7f]/g;

/**
 * Untrusted text without the characters above, for showing anywhere (Discord or a terminal). Line ends become
 * `\n` (CR LF, a lone CR, and U+2028/U+2029, which Discord and terminals may also break lines at), so a caller that
 * guards the start of each line sees every line start. Tabs and line feeds stay; nothing else is changed.
 * Lengths are in UTF-16 code units, like every string length here; the result is never longer than the input.
 */
export function withoutInvisibleControls(text: string): string {
  return text.replace(/\r\n?|[\u2028\u2029]/g, '\n').replace(INVISIBLE, '');
}
