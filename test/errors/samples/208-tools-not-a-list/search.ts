export function search(q: string): string[] { return [q]; }
