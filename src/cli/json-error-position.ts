/**
 * Where a JSON text stops being JSON, for `--input` errors: Node's `JSON.parse` names the
 * offending token but, for most mistakes, not where it is. A small scanner finds the offset
 * of the first error; only called after `JSON.parse` has failed.
 */

/** Line and column (1-based) of the first error in `text`, which `JSON.parse` rejected. */
export function jsonErrorPosition(text: string): { line: number; column: number } {
  const offset = firstJsonError(text);
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - (before.lastIndexOf("\n") + 1) + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const WORD = /true|false|null/y;

function firstJsonError(text: string): number {
  let i = 0;
  const space = () => {
    while (i < text.length && " \t\r\n".includes(text[i])) i++;
  };
  const token = (re: RegExp): boolean => {
    re.lastIndex = i;
    if (!re.test(text)) return false;
    i = re.lastIndex;
    return true;
  };
  // Iterative, with an explicit stack of open containers, so deep nesting cannot overflow.
  const open: ("[" | "{")[] = [];
  for (;;) {
    space();
    // A value.
    if (text[i] === "{" || text[i] === "[") {
      const kind = text[i] as "[" | "{";
      i++;
      space();
      if (text[i] === (kind === "{" ? "}" : "]")) {
        i++;
      } else {
        open.push(kind);
        if (kind === "{") {
          if (!token(STRING)) return i;
          space();
          if (text[i] !== ":") return i;
          i++;
        }
        continue;
      }
    } else if (!token(STRING) && !token(NUMBER) && !token(WORD)) return i;
    // After a value: a comma, a closing bracket, or the end.
    for (;;) {
      space();
      const top = open[open.length - 1];
      if (top === undefined) return i < text.length ? i : text.length;
      if (text[i] === ",") {
        i++;
        if (top === "{") {
          space();
          if (!token(STRING)) return i;
          space();
          if (text[i] !== ":") return i;
          i++;
        }
        break;
      }
      if (text[i] === (top === "{" ? "}" : "]")) {
        i++;
        open.pop();
        continue;
      }
      return i;
    }
  }
}
