import { normalize } from '../text/normalize.js';
import { QUERY_STOPWORDS } from '../text/stopwords.js';
import { tokenizeWithSpans } from '../text/tokenize.js';
import type { IndexHit } from './passage-index.js';

/** How many of the best BM25 hits get the finer look (their articles, headlines, leads); the rest keep their BM25 order below them. */
export const RERANK_DEPTH = 30;

/** Characters within which question terms count as close together (about a clause of Chinese text). */
export const PROXIMITY_SPAN = 24;

/**
 * The weights of the rerank, each chosen by measurement on the CMRC trial set (README, "How we got there").
 * - `bigrams`: share of the question's character bigrams in the passage. Words alone miss names that jieba
 *   cuts differently in question and passage (0 → Recall@1 0.942, 1 → 0.951, 4 → 0.956, 6 → 0.956).
 * - `headline`: how well the article's headline matches the question (its own field, scored on the few
 *   dozen candidate articles rather than indexed: every passage of an article shares one headline).
 * - `lead`: the article's first passage, in proportion to the headline match: when the question's subject
 *   is the article's subject, the lead is where news states who and what.
 * - `proximity`: share of the question's terms found together within {@link PROXIMITY_SPAN} characters.
 * - `recent`: an article published when the question says (昨天, 上周, 本月): above every other feature, so
 *   that period's articles come first whenever one matches at all.
 * - `period`: an article published in the period a question names by date (2024年, 2月14日), which is as often
 *   what the news is about as when it came out: about one headline match, below a passage's own terms.
 *   Neither is measurable on CMRC (every article has one date).
 */
export interface RankingWeights {
  bigrams: number;
  recent: number;
  period: number;
  headline: number;
  lead: number;
  proximity: number;
}

export const RANKING_WEIGHTS: Readonly<RankingWeights> = { bigrams: 4, headline: 2, lead: 1, proximity: 2, recent: 20, period: 1 };

const RUN = /[\p{Script=Han}\p{Script=Latin}\p{Nd}]{2,}/gu;

function bigramsOf(normalized: string): Set<string> {
  const out = new Set<string>();
  for (const m of normalized.matchAll(RUN)) {
    const run = m[0];
    for (let k = 0; k + 2 <= run.length; k++) out.add(run.slice(k, k + 2));
  }
  return out;
}

/**
 * Bigrams of the question with its multi-character question words blanked out, so 什么时候 does not reward
 * every passage with 时候. Single-character particles stay: blanking them too measured −1 point Recall@1.
 */
export function questionBigrams(question: string): Set<string> {
  let text = question;
  const spans = tokenizeWithSpans(question).filter((t) => QUERY_STOPWORDS.has(t.term) && t.term.length > 1);
  if (spans.length > 0) {
    const units = text.split('');
    for (const s of spans) for (let i = s.start; i < s.end; i++) units[i] = ' ';
    text = units.join('');
  }
  return bigramsOf(normalize(text));
}

export interface RankedHit extends IndexHit {
  rank: number;
}

/** What the rerank needs to know about the question. */
export interface QuestionFeatures {
  /** The question's distinct search terms (normalised, stopwords removed). */
  terms: readonly string[];
  /** How many terms BM25 was asked for (after the postings budget). */
  searchedCount: number;
  bigrams: ReadonlySet<string>;
  /** The question as searched (time words out), normalised: for the headline's names it holds whole. */
  text?: string;
}

/** What the rerank reads from the store, for the candidate articles only. */
export interface RerankSource {
  passageTexts(passageIds: number[]): Promise<Map<number, string>> | Map<number, string>;
  /** articleId → its first passage. */
  leads(articleIds: number[]): Promise<Map<number, { id: number; text: string }>> | Map<number, { id: number; text: string }>;
  /** articleId → headline (null when the article has none). */
  headlines(articleIds: number[]): Promise<Map<number, string | null>> | Map<number, string | null>;
  /** The article's publication time (ISO 8601), for ordering equal scores newest first. */
  publishedAt(articleId: number): string | undefined;
  /** Whether the article was published in a period the question names, and how it names it (see time-words.ts). */
  period?(articleId: number): 'relative' | 'absolute' | undefined;
}

/** Share of `terms` found within `span` characters of each other somewhere in `text` (0 when fewer than two terms). */
export function proximityShare(text: string, terms: readonly string[], span = PROXIMITY_SPAN): number {
  if (terms.length < 2) return 0;
  const hits: Array<{ at: number; term: number }> = [];
  terms.forEach((term, t) => {
    for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + term.length)) hits.push({ at, term: t });
  });
  if (hits.length === 0) return 0;
  hits.sort((a, b) => a.at - b.at);
  const inWindow = new Map<number, number>();
  let best = 0;
  let from = 0;
  for (const hit of hits) {
    inWindow.set(hit.term, (inWindow.get(hit.term) ?? 0) + 1);
    while (hit.at - hits[from]!.at > span) {
      const old = hits[from++]!;
      const n = inWindow.get(old.term)! - 1;
      if (n === 0) inWindow.delete(old.term);
      else inWindow.set(old.term, n);
    }
    best = Math.max(best, inWindow.size);
  }
  return best / terms.length;
}

// A name's parts in a transliterated name (拉诺米·克罗莫维焦约); a bracketed qualifier (元皇后 (北齐孝昭帝), 某某（组图）).
const NAME_SEPARATORS = /[·・•‧]/u;
const BRACKETED = /[(（[【〔][^)）\]】〕]*[)）\]】〕]/gu;

/**
 * The names a headline gives its subject by, each of which a question may use alone: the headline without its
 * bracketed qualifiers (元皇后 in 元皇后 (北齐孝昭帝)) and, for a transliterated name, each of its parts (拉诺米 and
 * 克罗莫维焦约 in 拉诺米·克罗莫维焦约). Normalised, letters and digits only; names under two characters are left out.
 */
export function headlineNames(headline: string): string[] {
  const main = normalize(headline).replace(BRACKETED, ' ');
  const names = [main, ...(NAME_SEPARATORS.test(main) ? main.split(NAME_SEPARATORS) : [])];
  return [...new Set(names.map((n) => n.replace(/[^\p{L}\p{N}]/gu, '')).filter((n) => n.length >= 2))];
}

/**
 * How well a headline names the question's subject, 0–1: the mean of the share of the question's terms found
 * in the headline and the share of the headline those terms cover (so 黄蝉 matches the headline 黄蝉 better
 * than 软枝黄蝉). A question that holds one of the headline's names whole ({@link headlineNames}: 拉诺米 for
 * 拉诺米·克罗莫维焦约, 元皇后 for 元皇后 (北齐孝昭帝)) names the subject as fully as the whole headline would.
 * @param question the question, normalised ({@link normalize}); without it, only the terms count.
 */
export function headlineMatch(headline: string, terms: readonly string[], question?: string): number {
  const title = normalize(headline).replace(/[^\p{L}\p{N}]/gu, '');
  if (title.length === 0 || terms.length === 0) return 0;
  const covered = new Uint8Array(title.length);
  let found = 0;
  for (const term of terms) {
    let at = title.indexOf(term);
    if (at < 0) continue;
    found++;
    for (; at >= 0; at = title.indexOf(term, at + term.length)) covered.fill(1, at, at + term.length);
  }
  if (found === 0) return 0;
  let coveredChars = 0;
  for (const c of covered) coveredChars += c;
  const named = question !== undefined && headlineNames(headline).some((name) => question.includes(name));
  return (found / terms.length + (named ? 1 : coveredChars / title.length)) / 2;
}

/**
 * Orders hits for the reader, one passage per article. Every hit starts from BM25 (normalised to the best),
 * rewarded for covering more of the question's distinct terms, plus the time preference (`recent`, `period`).
 * The articles of the top {@link RERANK_DEPTH} hits are then looked at whole: each of their hit passages, and
 * their lead, is scored with the question's bigrams it holds, how close together the question's terms fall in
 * it, and its article's headline match (the lead once more). An article ranks by its best passage; the passage
 * shown is the one holding most of the question's terms its headline lacks. Equal scores: the newer article first.
 * @returns one hit per article, best first; `rank` is the article's score.
 */
export async function rerankAndCollapse(
  hits: readonly IndexHit[],
  question: QuestionFeatures,
  source: RerankSource,
  weights: RankingWeights = RANKING_WEIGHTS,
): Promise<RankedHit[]> {
  if (hits.length === 0) return [];
  const max = hits[0]?.score || 1;
  const base = (h: IndexHit) => (h.score / max) * (1 + h.matchedTerms.length / Math.max(1, question.searchedCount));
  const when = (h: IndexHit) => {
    const period = source.period?.(h.articleId);
    return period === 'relative' ? weights.recent : period === 'absolute' ? weights.period : 0;
  };
  const scored: RankedHit[] = hits.map((h) => ({ ...h, rank: base(h) + when(h) }));

  // The period a question names can lift articles BM25 alone ranked lower into the head.
  if (source.period) scored.sort((a, b) => b.rank - a.rank);
  const headArticles = [...new Set(scored.slice(0, RERANK_DEPTH).map((h) => h.articleId))];
  const inHead = new Set(headArticles);
  const headHits = scored.filter((h) => inHead.has(h.articleId));
  const texts = await source.passageTexts(headHits.map((h) => h.passageId));
  const leads = weights.lead > 0 ? await source.leads(headArticles) : new Map<number, { id: number; text: string }>();
  const headlines = weights.headline > 0 || weights.lead > 0 ? await source.headlines(headArticles) : new Map<number, string | null>();
  const match = new Map<number, number>();
  for (const a of headArticles) {
    const h = headlines.get(a);
    match.set(a, h ? headlineMatch(h, question.terms, question.text) : 0);
  }
  // A lead that matched no question term is still a candidate of its article when the headline names the subject.
  for (const [articleId, lead] of leads) {
    if ((match.get(articleId) ?? 0) > 0 && !texts.has(lead.id)) {
      texts.set(lead.id, lead.text);
      const leadHit: IndexHit = { passageId: lead.id, articleId, score: 0, matchedTerms: [] };
      headHits.push({ ...leadHit, rank: when(leadHit) });
      scored.push(headHits[headHits.length - 1]!);
    }
  }
  // The question's terms that its headline does not hold say what about the subject is asked (花期 in
  // 长柄艾纳香的花期): the lead is the default passage only when no other passage of its article holds more of them.
  const aspectsFound = new Map<number, number>();
  const bestAspects = new Map<number, number>();
  const normalized = new Map<number, string>();
  const normalizedHeadlines = new Map(headArticles.map((a) => [a, normalize(headlines.get(a) ?? '')]));
  for (const hit of headHits) {
    const text = normalize(texts.get(hit.passageId) ?? '');
    normalized.set(hit.passageId, text);
    const headline = normalizedHeadlines.get(hit.articleId) ?? '';
    let n = 0;
    for (const t of question.terms) if (!headline.includes(t) && text.includes(t)) n++;
    aspectsFound.set(hit.passageId, n);
    bestAspects.set(hit.articleId, Math.max(bestAspects.get(hit.articleId) ?? 0, n));
  }
  for (const hit of headHits) {
    const text = normalized.get(hit.passageId) ?? '';
    let rank = hit.rank;
    if (question.bigrams.size > 0) {
      const found = bigramsOf(text);
      let shared = 0;
      for (const b of question.bigrams) if (found.has(b)) shared++;
      rank += weights.bigrams * (shared / question.bigrams.size);
    }
    if (weights.proximity > 0) rank += weights.proximity * proximityShare(text, question.terms);
    const m = match.get(hit.articleId) ?? 0;
    rank += weights.headline * m;
    if (leads.get(hit.articleId)?.id === hit.passageId && aspectsFound.get(hit.passageId)! >= bestAspects.get(hit.articleId)!) rank += weights.lead * m;
    hit.rank = rank;
  }

  // The passage shown for an article is the one holding most of what is asked about its subject (its score
  // breaks ties); the article keeps the rank of its best-scoring passage. Measured +0.5 Recall@1: the name is
  // often in one window and the asked-about word (花期, 分布) in another.
  const chosen = new Map<number, RankedHit>();
  const articleRank = new Map<number, number>();
  for (const hit of headHits) {
    articleRank.set(hit.articleId, Math.max(articleRank.get(hit.articleId) ?? -Infinity, hit.rank));
    const current = chosen.get(hit.articleId);
    const more = current ? aspectsFound.get(hit.passageId)! - aspectsFound.get(current.passageId)! : 1;
    if (more > 0 || (more === 0 && hit.rank > current!.rank)) chosen.set(hit.articleId, hit);
  }
  for (const [articleId, hit] of chosen) hit.rank = articleRank.get(articleId)!;

  const published = new Map<number, string>();
  const publishedAt = (articleId: number) => {
    let p = published.get(articleId);
    if (p === undefined) published.set(articleId, (p = source.publishedAt(articleId) ?? ''));
    return p;
  };
  scored.sort((a, b) => b.rank - a.rank || (publishedAt(a.articleId) < publishedAt(b.articleId) ? 1 : publishedAt(a.articleId) > publishedAt(b.articleId) ? -1 : 0) || a.passageId - b.passageId);
  const seen = new Set<number>();
  const best: RankedHit[] = [];
  for (const hit of scored) {
    if (seen.has(hit.articleId)) continue;
    seen.add(hit.articleId);
    best.push(chosen.get(hit.articleId) ?? hit);
  }
  return best;
}
