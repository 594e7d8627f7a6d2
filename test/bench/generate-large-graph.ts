/** A program whose one graph lowers to about `nodes` IR nodes of local pure work. */
export function generateLargeGraph(nodes: number): string {
  const lines = ["graph big(x: int, s: string) -> int {", "  let v0 = x + len(s)"];
  // Each line adds four nodes: its constant, a multiplication, an addition and a remainder.
  const count = Math.ceil(nodes / 4);
  for (let i = 1; i < count; i++) lines.push(`  let v${i} = (v${i - 1} * 3 + ${i}) % 1000003`);
  lines.push(`  v${count - 1}`, "}");
  return lines.join("\n") + "\n";
}
