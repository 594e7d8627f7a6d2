export function word_count(text: string): number {
  const words = text.trim().split(/\s+/u);
  return words.length === 1 && words[0] === "" ? 0 : words.length;
}
