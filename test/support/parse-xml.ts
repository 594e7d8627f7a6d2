/**
 * `parseXml(text)`: how tests read XML (the SVG of `feste graph`), with @xmldom/xmldom. Any
 * warning or error the parser reports (an unclosed tag, an unquoted attribute, a bare `&`)
 * fails the parse, so a document that parses here is well-formed.
 */
import { DOMParser, type Element } from "@xmldom/xmldom";

/** An element with its attributes and child elements, and its text content. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  readonly text: string;
}

/** Parses a whole document; throws an Error saying "not well-formed XML" when it is not. */
export function parseXml(text: string): XmlElement {
  const problems: string[] = [];
  let doc;
  try {
    doc = new DOMParser({ onError: (level, message) => void problems.push(`${level}: ${message}`) }).parseFromString(text, "image/svg+xml");
  } catch (e) {
    problems.push(e instanceof Error ? e.message : String(e));
  }
  if (problems.length > 0 || !doc?.documentElement) throw new Error(`not well-formed XML: ${problems.join("; ") || "no root element"}`);
  return element(doc.documentElement);
}

function element(e: Element): XmlElement {
  const attributes: Record<string, string> = {};
  for (let i = 0; i < e.attributes.length; i++) attributes[e.attributes[i].name] = e.attributes[i].value;
  const children: XmlElement[] = [];
  for (let i = 0; i < e.childNodes.length; i++) {
    const c = e.childNodes[i];
    if (c.nodeType === c.ELEMENT_NODE) children.push(element(c as Element));
  }
  return { name: e.tagName, attributes, children, text: e.textContent ?? "" };
}
