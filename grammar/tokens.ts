/**
 * The tokens of Feste and the lexer modes they live in. Keywords come before `Identifier`
 * (with `longer_alt`, so `letter` is a name, not `let` + `ter`); every keyword also belongs
 * to `AnyName`, which is what field names, named arguments and setting keys accept, so a
 * record may have a field called `type` or `from`.
 *
 * Modes: `main` is code; `"""` enters `template` (text); `{{` enters `expr` and `{%` enters
 * `tag`, which hold code again until `}}` / `%}`.
 */
import { createToken, Lexer, type TokenType } from "chevrotain";
import { stringLiteralPattern, templateCommentPattern, templateTextPattern, unterminatedStringPattern } from "./token-matchers.js";

/** Names accepted where any word may stand: fields, named arguments, setting keys. */
export const AnyName = createToken({ name: "AnyName", pattern: Lexer.NA, label: "a name" });
/** Statement separators: a significant newline or `;`. */
export const Separator = createToken({ name: "Separator", pattern: Lexer.NA, label: "a newline" });
/** Item separators in braces: a comma, a newline or `;`. */
export const ItemSep = createToken({ name: "ItemSep", pattern: Lexer.NA, label: "`,`" });

export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [AnyName],
  label: "a name",
});

function keyword(word: string, opts: { soft?: boolean } = {}): TokenType {
  return createToken({
    name: word[0].toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Identifier,
    // A soft keyword is special only where the grammar asks for it; elsewhere it is a name.
    categories: opts.soft ? [Identifier, AnyName] : [AnyName],
    label: `\`${word}\``,
  });
}

export const Language = keyword("language", { soft: true });
export const Lang = keyword("lang", { soft: true });
export const From = keyword("from", { soft: true });
export const Use = keyword("use");
export const Const = keyword("const");
export const Client = keyword("client");
export const Enum = keyword("enum");
export const Type = keyword("type");
export const Prompt = keyword("prompt");
export const Graph = keyword("graph");
export const Extern = keyword("extern");
export const Fn = keyword("fn");
export const Test = keyword("test");
export const Assert = keyword("assert");
export const Let = keyword("let");
export const For = keyword("for");
export const In = keyword("in");
export const If = keyword("if");
export const Else = keyword("else");
export const True = keyword("true");
export const False = keyword("false");
export const Null = keyword("null");
// Template tags only; in code they are plain names.
export const Elif = keyword("elif", { soft: true });
export const Endif = keyword("endif", { soft: true });
export const Endfor = keyword("endfor", { soft: true });
// State-carrying forms; soft, so `loop.index` in templates and `max(xs)` stay names.
export const Fold = keyword("fold", { soft: true });
export const Loop = keyword("loop", { soft: true });
export const Until = keyword("until", { soft: true });
export const Max = keyword("max", { soft: true });

// Soft keywords of chat calls and effects: `messages` opens a prompt section, `io` marks an
// effectful extern, `tools` is the chat-call argument. Everywhere else they are plain names.
export const Messages = keyword("messages", { soft: true });
export const Io = keyword("io", { soft: true });
export const Tools = keyword("tools", { soft: true });
const EFFECT_KEYWORDS = [Messages, Io, Tools];

const KEYWORDS = [
  Language, Lang, From, Use, Const, Client, Enum, Type, Prompt, Graph, Extern, Fn, Test,
  Assert, Let, For, In, If, Else, True, False, Null, Fold, Loop, Until, Max,
];

export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r\f\v\uFEFF]+/,
  group: Lexer.SKIPPED,
});
export const AnyWhiteSpace = createToken({
  name: "AnyWhiteSpace",
  pattern: /[ \t\r\n\f\v\uFEFF]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
export const DocComment = createToken({ name: "DocComment", pattern: /\/\/\/[^\n]*/, group: "comments" });
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\n]*/, group: "comments" });
export const Newline = createToken({
  name: "Newline",
  pattern: /\n/,
  line_breaks: true,
  categories: [Separator, ItemSep],
  label: "a newline",
});
export const Semicolon = createToken({
  name: "Semicolon",
  pattern: /;/,
  categories: [Separator, ItemSep],
  label: "`;`",
});

export const TemplateStart = createToken({
  name: "TemplateStart",
  pattern: /"""/,
  push_mode: "template",
  label: '`"""`',
});
/** `"""` met inside `{{ }}` or `{% %}`: the tag was never closed (reported by the lexer wrapper). */
export const TripleQuoteInCode = createToken({ name: "TripleQuoteInCode", pattern: /"""/, label: '`"""`' });
export const StringLiteral = createToken({
  name: "StringLiteral",
  // Hand-written: a regular expression overflows the stack on a megabyte string.
  pattern: stringLiteralPattern,
  start_chars_hint: ['"'],
  line_breaks: false,
  label: "a string",
});
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: unterminatedStringPattern,
  start_chars_hint: ['"'],
  line_breaks: false,
  label: "an unterminated string",
});
/** `“text”`: typographic quotes, usually pasted from a document; reported, then read as a string. */
export const CurlyString = createToken({
  name: "CurlyString",
  pattern: /[\u201C\u201D\u201E][^\u201C\u201D\u201E"\n\r]*[\u201C\u201D]/,
  label: "a string in curly quotes",
});
/** `.7`: a number without its leading digit; reported, then read as `0.7`. */
export const LeadingDotNumber = createToken({
  name: "LeadingDotNumber",
  pattern: /\.\d+(?:[eE][+-]?\d+)?/,
  label: "a number",
});
export const FloatLiteral = createToken({
  name: "FloatLiteral",
  pattern: /\d+\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+/,
  label: "a number",
});
export const IntLiteral = createToken({ name: "IntLiteral", pattern: /\d+/, label: "a number" });

function punct(name: string, pattern: RegExp, text: string, categories: TokenType[] = []): TokenType {
  return createToken({ name, pattern, label: `\`${text}\``, categories });
}

/** Every binary operator; precedence is applied when the AST is built, not by the grammar. */
export const BinaryOp = createToken({ name: "BinaryOp", pattern: Lexer.NA, label: "an operator" });
export const UnaryOp = createToken({ name: "UnaryOp", pattern: Lexer.NA, label: "`!` or `-`" });

export const Arrow = punct("Arrow", /->/, "->");
export const QuestionQuestion = punct("QuestionQuestion", /\?\?/, "??", [BinaryOp]);
export const AndAnd = punct("AndAnd", /&&/, "&&", [BinaryOp]);
export const OrOr = punct("OrOr", /\|\|/, "||", [BinaryOp]);
export const EqEq = punct("EqEq", /==/, "==", [BinaryOp]);
export const NotEq = punct("NotEq", /!=/, "!=", [BinaryOp]);
export const LessEq = punct("LessEq", /<=/, "<=", [BinaryOp]);
export const GreaterEq = punct("GreaterEq", />=/, ">=", [BinaryOp]);
export const Less = punct("Less", /</, "<", [BinaryOp]);
export const Greater = punct("Greater", />/, ">", [BinaryOp]);
export const Equals = punct("Equals", /=/, "=");
export const Bang = punct("Bang", /!/, "!", [UnaryOp]);
export const Plus = punct("Plus", /\+/, "+", [BinaryOp]);
export const Minus = punct("Minus", /-/, "-", [BinaryOp, UnaryOp]);
export const Star = punct("Star", /\*/, "*", [BinaryOp]);
export const Slash = punct("Slash", /\//, "/", [BinaryOp]);
export const Percent = punct("Percent", /%/, "%", [BinaryOp]);
export const LParen = punct("LParen", /\(/, "(");
export const RParen = punct("RParen", /\)/, ")");
export const LBracket = punct("LBracket", /\[/, "[");
export const RBracket = punct("RBracket", /]/, "]");
export const LCurly = punct("LCurly", /{/, "{");
export const RCurly = punct("RCurly", /}/, "}");
export const Comma = punct("Comma", /,/, ",", [ItemSep]);
export const Colon = punct("Colon", /:/, ":");
export const Dot = punct("Dot", /\./, ".");
export const Question = punct("Question", /\?/, "?");
export const Pipe = punct("Pipe", /\|/, "|");

// Template mode.
export const TemplateEnd = createToken({ name: "TemplateEnd", pattern: /"""/, pop_mode: true, label: '`"""`' });
export const ExprOpen = createToken({ name: "ExprOpen", pattern: /\{\{-?/, push_mode: "expr", label: "`{{`" });
export const TagOpen = createToken({ name: "TagOpen", pattern: /\{%-?/, push_mode: "tag", label: "`{%`" });
export const TemplateComment = createToken({
  name: "TemplateComment",
  pattern: templateCommentPattern,
  start_chars_hint: ["{"],
  line_breaks: true,
  group: Lexer.SKIPPED,
});
export const TemplateText = createToken({
  name: "TemplateText",
  pattern: templateTextPattern,
  line_breaks: true,
  label: "template text",
});
export const ExprClose = createToken({ name: "ExprClose", pattern: /-?\}\}/, pop_mode: true, label: "`}}`" });
export const TagClose = createToken({ name: "TagClose", pattern: /-?%\}/, pop_mode: true, label: "`%}`" });

const OPERATORS = [
  Arrow, QuestionQuestion, AndAnd, OrOr, EqEq, NotEq, LessEq, GreaterEq, Less, Greater,
  Equals, Bang, Plus, Minus, Star, Slash, Percent, LParen, RParen, LBracket, RBracket,
  LCurly, RCurly, Comma, Colon, Dot, Question,
];
const LITERALS = [StringLiteral, UnterminatedString, CurlyString, FloatLiteral, IntLiteral, LeadingDotNumber];

/** The lexer definition: one list of tokens per mode, most specific first. */
export const lexerDefinition = {
  defaultMode: "main",
  modes: {
    main: [WhiteSpace, DocComment, LineComment, Newline, Semicolon, TemplateStart, ...LITERALS,
      ...OPERATORS, ...KEYWORDS, ...EFFECT_KEYWORDS, Identifier],
    template: [TemplateEnd, ExprOpen, TagOpen, TemplateComment, TemplateText],
    expr: [AnyWhiteSpace, ExprClose, TripleQuoteInCode, ...LITERALS, ...OPERATORS, Pipe,
      ...KEYWORDS, Identifier],
    tag: [AnyWhiteSpace, TagClose, TripleQuoteInCode, ...LITERALS, ...OPERATORS, Pipe,
      Elif, Endif, Endfor, ...KEYWORDS, Identifier],
  },
};

/** Every token type the parser may see, including categories. */
export const allTokens: TokenType[] = [
  AnyName, Separator, ItemSep, BinaryOp, UnaryOp,
  WhiteSpace, AnyWhiteSpace, DocComment, LineComment, Newline, Semicolon, TemplateStart,
  TripleQuoteInCode, ...LITERALS, ...OPERATORS, Pipe, ...KEYWORDS, Elif, Endif, Endfor,
  ...EFFECT_KEYWORDS, Identifier, TemplateEnd, ExprOpen, TagOpen, TemplateComment, TemplateText, ExprClose, TagClose,
];

/** The one lexer instance; Chevrotain lexers are stateless between `tokenize` calls. */
export const lexer = new Lexer(lexerDefinition, {
  positionTracking: "full",
  ensureOptimizations: false,
});
