export function slugify(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

export const titleCase = (text: string): string => text.replace(/\b\w/g, (c) => c.toUpperCase());
