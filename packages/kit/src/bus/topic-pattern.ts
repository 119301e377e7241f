/**
 * AMQP topic matching (RabbitMQ's rules), so the in-process bus and handler lookup route exactly
 * like the broker: words are dot-separated, `*` matches one word, `#` matches zero or more.
 */
export function topicMatches(pattern: string, routingKey: string): boolean {
  if (pattern === routingKey) return true;
  if (!pattern.includes('*') && !pattern.includes('#')) return false;
  return matchWords(pattern.split('.'), 0, routingKey.split('.'), 0);
}

function matchWords(pattern: string[], p: number, words: string[], w: number): boolean {
  if (p === pattern.length) return w === words.length;
  const head = pattern[p];
  if (head === '#') {
    // `#` may swallow any number of words, including none.
    for (let skip = w; skip <= words.length; skip++) {
      if (matchWords(pattern, p + 1, words, skip)) return true;
    }
    return false;
  }
  if (w === words.length) return false;
  return (head === '*' || head === words[w]) && matchWords(pattern, p + 1, words, w + 1);
}
