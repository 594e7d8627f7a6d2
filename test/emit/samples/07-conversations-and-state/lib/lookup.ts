/** A stand-in for a dictionary service: the word, defined. */
export async function lookup(word: string): Promise<string> {
  return `${word}: a word`;
}
