// Sentence ends in Chinese and Latin text; a closing quote or bracket right after stays with its sentence.
const SENTENCE_END = /[。！？!?；;…]+[”’」』）)"']*|\.(?=\s|$)[”’"']*/gu;

/** Splits text into sentences, keeping each sentence's own punctuation; concatenating them gives the text back. */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  for (const match of text.matchAll(SENTENCE_END)) {
    const end = (match.index ?? 0) + match[0].length;
    if (end > start) sentences.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) sentences.push(text.slice(start));
  return sentences;
}

/** True when the text ends like a finished sentence (used to repair page breaks and to cut at sentence ends). */
export function endsSentence(text: string): boolean {
  return /[。！？!?；;…”’」』)）"'.:：]\s*$/u.test(text);
}
