import nodejieba from 'nodejieba';
import { normalize } from '../text/normalize.js';

export interface ClusterInput {
  id: number;
  title: string | null;
  text: string;
  publishedAt: string;
}

export interface Story<T extends ClusterInput> {
  articles: T[];
  /** The story's keywords with their summed TF-IDF weight, strongest first. */
  keywords: Array<{ word: string; weight: number }>;
}

/** Cosine similarity of two articles' keyword vectors above which they tell the same story. */
export const SAME_STORY_SIMILARITY = 0.35;
/** Reports of one story come out within days of each other; further apart, a similar text is a new story. */
export const SAME_STORY_MAX_DAYS = 4;
const KEYWORDS_PER_ARTICLE = 25;

type Vector = Map<string, number>;

/** The article's keywords by TF-IDF against jieba's bundled IDF table: what makes this text unlike others. */
function keywordVector(input: ClusterInput): Vector {
  const text = normalize(`${input.title ?? ''}\n${input.title ?? ''}\n${input.text}`);
  const vector: Vector = new Map();
  for (const { word, weight } of nodejieba.extract(text, KEYWORDS_PER_ARTICLE) as Array<{ word: string; weight: number }>) {
    vector.set(word, weight);
  }
  return vector;
}

function cosine(a: Vector, b: Vector): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, v] of a) {
    na += v * v;
    const w = b.get(k);
    if (w !== undefined) dot += v * w;
  }
  for (const v of b.values()) nb += v * v;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

const days = (a: string, b: string) => Math.abs(Date.parse(a) - Date.parse(b)) / 86_400_000;

/**
 * Groups articles that tell the same story (typically from several outlets) by the similarity of their
 * keywords; any two articles above the threshold end up in one story (single link).
 */
export function clusterStories<T extends ClusterInput>(articles: readonly T[]): Story<T>[] {
  const vectors = articles.map(keywordVector);
  const parent = articles.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (let i = 0; i < articles.length; i++) {
    for (let j = i + 1; j < articles.length; j++) {
      if (days(articles[i]!.publishedAt, articles[j]!.publishedAt) > SAME_STORY_MAX_DAYS) continue;
      if (cosine(vectors[i]!, vectors[j]!) >= SAME_STORY_SIMILARITY) parent[find(j)] = find(i);
    }
  }
  const groups = new Map<number, number[]>();
  articles.forEach((_, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), i]);
  });
  return [...groups.values()].map((members) => {
    const weights = new Map<string, number>();
    for (const i of members) for (const [w, v] of vectors[i]!) weights.set(w, (weights.get(w) ?? 0) + v);
    return {
      articles: members.map((i) => articles[i]!),
      keywords: [...weights].map(([word, weight]) => ({ word, weight })).sort((a, b) => b.weight - a.weight),
    };
  });
}
