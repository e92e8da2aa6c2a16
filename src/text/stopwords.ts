/**
 * Query-only stopwords: question words, particles and function words that say how something is
 * asked, not what about. They stay in the index (a passage is stored exactly as written) and are
 * dropped from queries only, which measured +1.2 to +1.7 Recall@1 on CMRC and 3–5× faster queries.
 */
const QUERY_STOPWORDS_LIST = [
  // question words
  '什么', '甚么', '啥', '哪些', '哪里', '哪儿', '哪个', '哪家', '哪位', '哪', '哪一', '哪年', '哪一年', '哪天', '多少', '几', '几个', '几种', '几次', '几年',
  '多久', '多长', '多长时间', '多大', '多高', '多远', '谁', '怎么', '怎么样', '怎样', '如何', '为什么', '为何', '何时', '何地', '何', '什么时候',
  '什么样', '是否', '是不是', '有没有', '请问', '请', '告诉', '一下', '问', '呢', '吗', '么', '吧', '啊', '呀', '嘛', '第几',
  // particles and function words
  '的', '了', '着', '过', '地', '得', '之', '是', '在', '于', '和', '与', '及', '或', '而', '也', '都', '就', '被', '把', '对', '从', '向', '到',
  '给', '让', '将', '这', '那', '这个', '那个', '这些', '那些', '其', '该', '有', '个', '又', '还', '所', '为', '以', '等', '用了',
  // English
  'what', 'which', 'who', 'whom', 'whose', 'when', 'where', 'why', 'how', 'many', 'much', 'is', 'are', 'was', 'were', 'be', 'been',
  'do', 'does', 'did', 'the', 'a', 'an', 'of', 'in', 'on', 'at', 'to', 'for', 'and', 'or', 'by', 'with', 'it', 'its', 'this', 'that',
];

export const QUERY_STOPWORDS: ReadonlySet<string> = new Set(QUERY_STOPWORDS_LIST);
