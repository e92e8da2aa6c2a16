import { normalize } from '../text/normalize.js';
import { tokenize } from '../text/tokenize.js';

/**
 * Subscription keywords are plain words, matched with the same tokenizer as /ask (so 储能 matches
 * 储能超级工厂 and 儲能 matches 储能), never as regular expressions. A keyword matches when all its terms are
 * among the article's terms, or when its normalised text occurs in the article's normalised text
 * (for a keyword jieba would cut differently inside a longer word).
 */
export function matchesKeywords(keywords: readonly string[], articleText: string, articleTerms?: ReadonlySet<string>): boolean {
  const wanted = keywords.map((k) => k.trim()).filter((k) => k.length > 0);
  if (wanted.length === 0) return true;
  const terms = articleTerms ?? new Set(tokenize(articleText));
  const normalized = normalize(articleText);
  return wanted.some((keyword) => {
    const keywordTerms = tokenize(keyword);
    if (keywordTerms.length > 0 && keywordTerms.every((t) => terms.has(t))) return true;
    const needle = normalize(keyword).replace(/\s+/g, '');
    return needle.length > 0 && normalized.replace(/\s+/g, '').includes(needle);
  });
}

/** Splits what an admin typed ("储能, Tesla 特斯拉；脑机接口") into keywords. */
export function parseKeywords(input: string | null | undefined): string[] {
  if (!input) return [];
  return [...new Set(input.split(/[\s,，、;；|]+/).map((k) => k.trim()).filter((k) => k.length > 0))].slice(0, 25);
}
