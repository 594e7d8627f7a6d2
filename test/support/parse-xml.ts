/**
 * `parseXml(text)`: the one function tests use to read XML (the SVG of `feste graph`). It is
 * a small strict reader of well-formed XML (elements, attributes, text, comments, CDATA,
 * processing instructions, a DOCTYPE without an internal subset) that throws on anything
 * malformed. It stands in until a maintained parser (`@xmldom/xmldom`) is a devDependency;
 * swapping it means rewriting this file only.
 */

/** An element with its attributes and child elements (text is kept joined, for checks). */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  readonly text: string;
}

const NAME = /^[A-Za-z_:][\w.:-]*/;
const ENTITY = /&(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;

/** Parses a whole document; throws `Error` with an offset when it is not well-formed XML. */
export function parseXml(text: string): XmlElement {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`not well-formed XML at offset ${i}: ${why}`);
  };
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const expect = (s: string) => {
    if (!text.startsWith(s, i)) fail(`expected ${JSON.stringify(s)}`);
    i += s.length;
  };
  const until = (end: string) => {
    const j = text.indexOf(end, i);
    if (j < 0) fail(`missing ${JSON.stringify(end)}`);
    const body = text.slice(i, j);
    i = j + end.length;
    return body;
  };
  const name = () => {
    const m = NAME.exec(text.slice(i, i + 200));
    if (!m) return fail("expected a name");
    i += m[0].length;
    return m[0];
  };
  const checkText = (s: string, from: number) => {
    for (let k = 0; k < s.length; k++) {
      if (s[k] === "<") fail(`a bare "<" at ${from + k}`);
      if (s[k] === "&") {
        ENTITY.lastIndex = k;
        if (!ENTITY.test(s)) fail(`an unknown entity at ${from + k}`);
      }
    }
  };
  /** Comments, processing instructions and white space between elements. */
  const misc = () => {
    for (;;) {
      skipSpace();
      if (text.startsWith("<!--", i)) {
        i += 4;
        if (until("-->").includes("--")) fail('"--" inside a comment');
      } else if (text.startsWith("<?", i)) until("?>");
      else return;
    }
  };
  const element = (): XmlElement => {
    expect("<");
    const tag = name();
    const attributes: Record<string, string> = {};
    for (;;) {
      const before = i;
      skipSpace();
      if (text.startsWith("/>", i)) {
        i += 2;
        return { name: tag, attributes, children: [], text: "" };
      }
      if (text[i] === ">") {
        i++;
        break;
      }
      if (i === before) fail("expected white space before an attribute");
      const key = name();
      if (key in attributes) fail(`attribute ${key} given twice`);
      skipSpace();
      expect("=");
      skipSpace();
      const quote = text[i];
      if (quote !== '"' && quote !== "'") fail("expected a quoted attribute value");
      i++;
      const start = i;
      const value = until(quote);
      checkText(value, start);
      attributes[key] = value;
    }
    const children: XmlElement[] = [];
    let body = "";
    for (;;) {
      if (i >= text.length) fail(`<${tag}> is never closed`);
      if (text.startsWith("</", i)) {
        i += 2;
        if (name() !== tag) fail(`</…> does not close <${tag}>`);
        skipSpace();
        expect(">");
        return { name: tag, attributes, children, text: body };
      }
      if (text.startsWith("<!--", i)) {
        i += 4;
        until("-->");
      } else if (text.startsWith("<![CDATA[", i)) {
        i += 9;
        body += until("]]>");
      } else if (text.startsWith("<?", i)) until("?>");
      else if (text[i] === "<") children.push(element());
      else {
        const start = i;
        const next = text.indexOf("<", i);
        const chunk = text.slice(i, next < 0 ? text.length : next);
        checkText(chunk, start);
        body += chunk;
        i += chunk.length;
      }
    }
  };
  if (text.startsWith("<?xml", i)) until("?>");
  misc();
  if (text.startsWith("<!DOCTYPE", i)) {
    const decl = until(">");
    if (decl.includes("[")) fail("an internal DTD subset is not supported");
  }
  misc();
  const root = element();
  misc();
  if (i !== text.length) fail("content after the root element");
  return root;
}
