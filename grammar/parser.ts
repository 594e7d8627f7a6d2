/**
 * The Feste grammar as a Chevrotain CST parser: rules only, no semantic actions. The one
 * piece of context is `noRecord`: as in Rust, a record literal may not stand directly as the
 * list of a `for` or the condition of an `if`, so `for t in tickets {` opens the loop body.
 * Rule names match the AST kinds built from them (`promptDecl`, `forExpr`, ...).
 */
import { CstParser, EOF, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";
import * as T from "./tokens.js";

/** Describes a token the way diagnostics name it: `)`, a name `foo`, the end of the file. */
export function describeToken(tok: IToken): string {
  if (tok.tokenType === EOF) return "the end of the file";
  switch (tok.tokenType) {
    case T.Newline:
      return "a newline";
    case T.Identifier:
      return `\`${tok.image}\``;
    case T.StringLiteral:
    case T.UnterminatedString:
    case T.CurlyString:
      return "a string";
    case T.IntLiteral:
    case T.FloatLiteral:
      return `the number \`${tok.image}\``;
    case T.TemplateText:
      return "template text";
    case T.TemplateEnd:
    case T.TripleQuoteInCode:
      return 'the end of the template `"""`';
    default:
      return `\`${tok.image.trim()}\``;
  }
}

function describeType(t: TokenType): string {
  if (t === EOF) return "the end of the file";
  return typeof t.LABEL === "string" ? t.LABEL : `\`${t.name}\``;
}

function oneOf(items: string[]): string {
  const unique = [...new Set(items)];
  if (unique.length <= 1) return unique[0] ?? "something else";
  if (unique.length > 4) return `${unique.slice(0, 4).join(", ")} or something else`;
  return `${unique.slice(0, -1).join(", ")} or ${unique[unique.length - 1]}`;
}

/** What a rule is called in "expected ..." messages when no single token is expected. */
const RULE_WHAT: Record<string, string> = {
  program: "a declaration",
  declaration: "a declaration (`client`, `type`, `enum`, `const`, `prompt`, `graph`, `extern fn`, `test`, `use` or `language`)",
  clientSource: "an endpoint such as `openai.chat` or a combinator such as `fallback(a, b)`",
  typeRef: "a type",
  mapEntry: 'a key in quotes, such as `"billing": ...`',
  promptBody: 'a template string `"""`, role sections `{ system """...""" }` or `from "./file.txt"`',
  primary: "an expression",
  statement: "a `let`, an `assert` or an expression",
  templatePart: "template text, `{{` or `{%`",
  tagPart: "`if`, `for`, `elif`, `else`, `endif` or `endfor`",
};

/** Messages in Feste's voice: "expected `)`, found `}`". Codes are attached by the caller. */
export const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    // Only the top level ends at the end of the file, so what fits there is a declaration.
    if (expected === EOF) return `expected a declaration, found ${describeToken(actual)}`;
    const what = expected === T.Identifier && RULE_WHAT[ruleName] ? RULE_WHAT[ruleName] : describeType(expected);
    return `expected ${what}, found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `expected a declaration, found ${describeToken(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, customUserDescription, ruleName }) {
    const what =
      customUserDescription ??
      RULE_WHAT[ruleName] ??
      oneOf(expectedPathsPerAlt.flat().map((path) => describeType(path[0])));
    return `expected ${what}, found ${describeToken(actual[0])}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, customUserDescription, ruleName }) {
    const what =
      customUserDescription ?? RULE_WHAT[ruleName] ?? oneOf(expectedIterationPaths.map((p) => describeType(p[0])));
    return `expected ${what}, found ${describeToken(actual[0])}`;
  },
};

/**
 * The parser. Build it once (`parser`) and reuse it: construction analyses the grammar.
 * Chevrotain's grammar validations (ambiguities, left recursion, unreachable alternatives)
 * cost most of that; the shared instance skips them, so every command starts sooner, and
 * the grammar test builds one with `{ validate: true }`, which throws on any grammar error.
 */
export class FesteParser extends CstParser {
  constructor(options: { readonly validate?: boolean } = {}) {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3, nodeLocationTracking: "onlyOffset", errorMessageProvider, skipValidations: options.validate !== true });
    this.performSelfAnalysis();
  }

  program = this.RULE("program", () => {
    this.MANY(() => this.SUBRULE(this.declaration));
  });

  declaration = this.RULE("declaration", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.languageDecl) },
      { ALT: () => this.SUBRULE(this.useDecl) },
      { ALT: () => this.SUBRULE(this.constDecl) },
      { ALT: () => this.SUBRULE(this.clientDecl) },
      { ALT: () => this.SUBRULE(this.enumDecl) },
      { ALT: () => this.SUBRULE(this.typeDecl) },
      { ALT: () => this.SUBRULE(this.promptDecl) },
      { ALT: () => this.SUBRULE(this.graphDecl) },
      { ALT: () => this.SUBRULE(this.externDecl) },
      { ALT: () => this.SUBRULE(this.testDecl) },
    ]);
  });

  languageDecl = this.RULE("languageDecl", () => {
    this.CONSUME(T.Language);
    this.CONSUME(T.Identifier);
  });

  useDecl = this.RULE("useDecl", () => {
    this.CONSUME(T.Use);
    this.CONSUME(T.StringLiteral);
  });

  constDecl = this.RULE("constDecl", () => {
    this.CONSUME(T.Const);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  clientDecl = this.RULE("clientDecl", () => {
    this.CONSUME(T.Client);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.clientSource);
  });

  clientSource = this.RULE("clientSource", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME1(T.Identifier, { LABEL: "provider" });
          this.CONSUME(T.Dot);
          this.CONSUME(T.AnyName, { LABEL: "endpoint" });
          this.SUBRULE(this.settings);
        },
      },
      {
        ALT: () => {
          this.CONSUME2(T.Identifier, { LABEL: "combinator" });
          this.CONSUME(T.LParen);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME3(T.Identifier, { LABEL: "member" }) });
          this.CONSUME(T.RParen);
        },
      },
    ]);
  });

  settings = this.RULE("settings", () => {
    this.CONSUME(T.LCurly);
    this.OPTION(() => {
      this.SUBRULE(this.setting);
      this.MANY(() => {
        this.CONSUME(T.ItemSep);
        this.SUBRULE2(this.setting);
      });
      this.OPTION2(() => this.CONSUME2(T.ItemSep));
    });
    this.CONSUME(T.RCurly);
  });

  setting = this.RULE("setting", () => {
    this.CONSUME(T.AnyName);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expression);
  });

  enumDecl = this.RULE("enumDecl", () => {
    this.CONSUME(T.Enum);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LCurly);
    this.OPTION(() => {
      this.CONSUME(T.AnyName, { LABEL: "member" });
      this.MANY(() => {
        this.CONSUME(T.ItemSep);
        this.CONSUME2(T.AnyName, { LABEL: "member" });
      });
      this.OPTION2(() => this.CONSUME2(T.ItemSep));
    });
    this.CONSUME(T.RCurly);
  });

  typeDecl = this.RULE("typeDecl", () => {
    this.CONSUME(T.Type);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LCurly);
    this.OPTION(() => {
      this.SUBRULE(this.field);
      this.MANY(() => {
        this.CONSUME(T.ItemSep);
        this.SUBRULE2(this.field);
      });
      this.OPTION2(() => this.CONSUME2(T.ItemSep));
    });
    this.CONSUME(T.RCurly);
  });

  field = this.RULE("field", () => {
    this.CONSUME(T.AnyName);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeRef);
  });

  // A name, or a map type `{string: T}`, then `[]` and `?` suffixes.
  typeRef = this.RULE("typeRef", () => {
    this.OR1([
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.SUBRULE(this.mapType) },
    ]);
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.LBracket);
            this.CONSUME(T.RBracket);
          },
        },
        { ALT: () => this.CONSUME(T.Question) },
      ]);
    });
  });

  /** `{string: T}`: the key type is written out (only `string` is allowed, checked later). */
  mapType = this.RULE("mapType", () => {
    this.CONSUME(T.LCurly);
    this.CONSUME(T.Identifier, { LABEL: "key" });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeRef);
    this.CONSUME(T.RCurly);
  });

  params = this.RULE("params", () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.param);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.param);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
  });

  param = this.RULE("param", () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeRef);
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.expression);
    });
  });

  promptDecl = this.RULE("promptDecl", () => {
    this.CONSUME(T.Prompt);
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.params);
    this.OPTION(() => {
      this.CONSUME(T.Arrow);
      this.SUBRULE(this.typeRef);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Lang);
      this.CONSUME2(T.Identifier, { LABEL: "language" });
    });
    this.SUBRULE(this.promptBody);
  });

  promptBody = this.RULE("promptBody", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.template) },
      { ALT: () => this.SUBRULE(this.roleSections) },
      {
        ALT: () => {
          this.CONSUME(T.From);
          this.CONSUME(T.StringLiteral);
        },
      },
    ]);
  });

  roleSections = this.RULE("roleSections", () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.SUBRULE(this.roleSection);
      this.OPTION(() => this.CONSUME(T.Separator));
    });
    this.CONSUME(T.RCurly);
  });

  roleSection = this.RULE("roleSection", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.messagesSection) },
      {
        // `messages """…"""` is a messages section whose expression is a template (and so a
        // type error), never a role called `messages`.
        GATE: () => this.LA(1).tokenType !== T.Messages,
        ALT: () => {
          this.CONSUME(T.Identifier);
          this.SUBRULE(this.template);
        },
      },
    ]);
  });

  /** `messages EXPR`: the turns of a `Message[]` inserted between the other sections. */
  messagesSection = this.RULE("messagesSection", () => {
    this.CONSUME(T.Messages);
    this.SUBRULE(this.expression);
  });

  graphDecl = this.RULE("graphDecl", () => {
    this.CONSUME(T.Graph);
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.params);
    this.CONSUME(T.Arrow);
    this.SUBRULE(this.typeRef);
    this.SUBRULE(this.block);
  });

  externDecl = this.RULE("externDecl", () => {
    this.CONSUME(T.Extern);
    this.OPTION(() => this.CONSUME(T.Io));
    this.CONSUME(T.Fn);
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.params);
    this.CONSUME(T.Arrow);
    this.SUBRULE(this.typeRef);
    this.CONSUME(T.From);
    this.CONSUME(T.StringLiteral);
    this.OPTION2(() => this.SUBRULE(this.settings));
  });

  testDecl = this.RULE("testDecl", () => {
    this.CONSUME(T.Test);
    this.OR([{ ALT: () => this.CONSUME(T.Identifier) }, { ALT: () => this.CONSUME(T.StringLiteral) }]);
    this.SUBRULE(this.block);
  });

  block = this.RULE("block", () => {
    this.CONSUME(T.LCurly);
    this.OPTION(() => {
      this.SUBRULE(this.statement);
      this.MANY(() => {
        this.CONSUME(T.Separator);
        this.SUBRULE2(this.statement);
      });
    });
    this.CONSUME(T.RCurly);
  });

  statement = this.RULE("statement", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.letStmt) },
      { ALT: () => this.SUBRULE(this.assertStmt) },
      { ALT: () => this.SUBRULE(this.expression) },
    ]);
  });

  letStmt = this.RULE("letStmt", () => {
    this.CONSUME(T.Let);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  assertStmt = this.RULE("assertStmt", () => {
    this.CONSUME(T.Assert);
    this.SUBRULE(this.expression);
  });

  // Expressions: operands separated by binary operators, one flat list; the AST builder
  // applies precedence. One rule instead of one per precedence level keeps parsing fast.
  // `noRecord` travels down to `primary`.
  expression = this.RULE("expression", (noRecord = false) => {
    this.SUBRULE(this.unary, { ARGS: [noRecord] });
    this.MANY(() => {
      this.CONSUME(T.BinaryOp);
      this.SUBRULE2(this.unary, { ARGS: [noRecord] });
    });
  });

  // Prefix operators are a loop, not recursion, so `!!!!x` cannot exhaust the stack.
  unary = this.RULE("unary", (noRecord = false) => {
    this.MANY(() => this.CONSUME(T.UnaryOp));
    this.SUBRULE(this.postfix, { ARGS: [noRecord] });
  });

  postfix = this.RULE("postfix", (noRecord = false) => {
    this.SUBRULE(this.primary, { ARGS: [noRecord] });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.args) },
        {
          ALT: () => {
            this.CONSUME(T.Dot);
            this.CONSUME(T.AnyName);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LBracket);
            this.SUBRULE(this.expression);
            this.CONSUME(T.RBracket);
          },
        },
      ]);
    });
  });

  args = this.RULE("args", () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.argument);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.argument);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
  });

  argument = this.RULE("argument", () => {
    this.OPTION(() => {
      this.CONSUME(T.AnyName);
      this.CONSUME(T.Colon);
    });
    this.SUBRULE(this.expression);
  });

  primary = this.RULE("primary", (noRecord = false) => {
    this.OR({
      DEF: [
        { ALT: () => this.CONSUME(T.IntLiteral) },
        { ALT: () => this.CONSUME(T.FloatLiteral) },
        { ALT: () => this.CONSUME(T.StringLiteral) },
        { ALT: () => this.CONSUME(T.True) },
        { ALT: () => this.CONSUME(T.False) },
        { ALT: () => this.CONSUME(T.Null) },
        { ALT: () => this.SUBRULE(this.template) },
        // `fold`/`loop` are soft keywords: only `fold NAME =` / `loop NAME =` starts one.
        { GATE: () => this.LA(3).tokenType === T.Equals, ALT: () => this.SUBRULE(this.foldExpr), IGNORE_AMBIGUITIES: true },
        { GATE: () => this.LA(3).tokenType === T.Equals, ALT: () => this.SUBRULE(this.loopExpr), IGNORE_AMBIGUITIES: true },
        { GATE: () => !noRecord, ALT: () => this.SUBRULE(this.recordLiteral) },
        // Like a record literal, a map literal cannot stand as a `for` list or an `if` condition.
        { GATE: () => !noRecord, ALT: () => this.SUBRULE(this.mapLiteral) },
        { ALT: () => this.CONSUME(T.Identifier) },
        { ALT: () => this.SUBRULE(this.listLiteral) },
        { ALT: () => this.SUBRULE(this.parenExpr) },
        { ALT: () => this.SUBRULE(this.ifExpr) },
        { ALT: () => this.SUBRULE(this.forExpr) },
      ],
      ERR_MSG: "an expression",
    });
  });

  recordLiteral = this.RULE("recordLiteral", () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LCurly);
    this.OPTION(() => {
      this.SUBRULE(this.fieldInit);
      this.MANY(() => {
        this.CONSUME(T.ItemSep);
        this.SUBRULE2(this.fieldInit);
      });
      this.OPTION2(() => this.CONSUME2(T.ItemSep));
    });
    this.CONSUME(T.RCurly);
  });

  /** `{ "billing": "refunds team", "bug": "eng" }`; `{}` is the empty map. */
  mapLiteral = this.RULE("mapLiteral", () => {
    this.CONSUME(T.LCurly);
    this.OPTION(() => {
      this.SUBRULE(this.mapEntry);
      this.MANY(() => {
        this.CONSUME(T.ItemSep);
        this.SUBRULE2(this.mapEntry);
      });
      this.OPTION2(() => this.CONSUME2(T.ItemSep));
    });
    this.CONSUME(T.RCurly);
  });

  // A bare name as the key is parsed so the checker can say to quote it (FE2101).
  mapEntry = this.RULE("mapEntry", () => {
    this.OR([{ ALT: () => this.CONSUME(T.StringLiteral, { LABEL: "key" }) }, { ALT: () => this.CONSUME(T.AnyName, { LABEL: "key" }) }]);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expression);
  });

  fieldInit = this.RULE("fieldInit", () => {
    this.CONSUME(T.AnyName);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expression);
  });

  listLiteral = this.RULE("listLiteral", () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expression);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RBracket);
  });

  parenExpr = this.RULE("parenExpr", () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
  });

  // `else if` is a loop, not recursion, so a long chain cannot exhaust the stack. `else` may
  // start the next line; lookahead tells it from a record field named `else`.
  ifExpr = this.RULE("ifExpr", () => {
    this.CONSUME(T.If);
    this.SUBRULE(this.expression, { ARGS: [true] });
    this.SUBRULE(this.block);
    this.MANY({
      GATE: () => this.elseAhead(T.If),
      DEF: () => {
        this.OPTION(() => this.CONSUME(T.Separator));
        this.CONSUME(T.Else);
        this.CONSUME2(T.If);
        this.SUBRULE2(this.expression, { ARGS: [true] });
        this.SUBRULE2(this.block);
      },
    });
    this.OPTION2({
      GATE: () => this.elseAhead(T.LCurly),
      DEF: () => {
        this.OPTION3(() => this.CONSUME2(T.Separator));
        this.CONSUME2(T.Else);
        this.SUBRULE3(this.block);
      },
    });
  });

  /** `else` followed by `next`, possibly on the next line. */
  private elseAhead(next: TokenType): boolean {
    const k = this.LA(1).tokenType === T.Newline || this.LA(1).tokenType === T.Semicolon ? 2 : 1;
    return this.LA(k).tokenType === T.Else && this.LA(k + 1).tokenType === next;
  }

  forExpr = this.RULE("forExpr", () => {
    this.CONSUME(T.For);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.In);
    this.SUBRULE(this.expression, { ARGS: [true] });
    this.OPTION(() => {
      this.CONSUME(T.If);
      this.SUBRULE2(this.expression, { ARGS: [true] });
    });
    this.SUBRULE(this.block);
  });

  // `fold acc = INIT for x in xs { BODY }`: BODY's value is the next `acc`.
  foldExpr = this.RULE("foldExpr", () => {
    this.CONSUME(T.Fold);
    this.CONSUME(T.Identifier, { LABEL: "state" });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression, { LABEL: "init" });
    this.CONSUME(T.For);
    this.CONSUME2(T.Identifier, { LABEL: "binding" });
    this.CONSUME(T.In);
    this.SUBRULE2(this.expression, { LABEL: "iterable", ARGS: [true] });
    this.SUBRULE(this.block);
  });

  // `loop s = INIT until COND max N { BODY }`: N is a number or a constant's name.
  loopExpr = this.RULE("loopExpr", () => {
    this.CONSUME(T.Loop);
    this.CONSUME(T.Identifier, { LABEL: "state" });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression, { LABEL: "init" });
    this.CONSUME(T.Until);
    this.SUBRULE2(this.expression, { LABEL: "condition", ARGS: [true] });
    this.CONSUME(T.Max);
    this.OR([{ ALT: () => this.CONSUME(T.IntLiteral, { LABEL: "max" }) }, { ALT: () => this.CONSUME2(T.Identifier, { LABEL: "max" }) }]);
    this.SUBRULE(this.block);
  });

  // Templates: text, `{{ expr | filter }}`, `{% if %}` and `{% for %}` tags.
  template = this.RULE("template", () => {
    this.CONSUME(T.TemplateStart);
    this.SUBRULE(this.templateBody);
    this.CONSUME(T.TemplateEnd);
  });

  /** The inside of a template; also the start rule for `prompt p() from "./p.txt"` files. */
  templateBody = this.RULE("templateBody", () => {
    // A closing tag (`{% endif %}`, `{% else %}`, ...) ends the body; Chevrotain's repetition
    // lookahead only looks at what could start another part, so say it explicitly.
    this.MANY({ GATE: () => !this.atClosingTag(), DEF: () => this.SUBRULE(this.templatePart) });
  });

  private atClosingTag(): boolean {
    const next = this.LA(2).tokenType;
    return this.LA(1).tokenType === T.TagOpen && (next === T.Elif || next === T.Else || next === T.Endif || next === T.Endfor);
  }

  templatePart = this.RULE("templatePart", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.TemplateText) },
      { ALT: () => this.SUBRULE(this.interpolation) },
      { ALT: () => this.SUBRULE(this.templateIf) },
      { ALT: () => this.SUBRULE(this.templateFor) },
    ]);
  });

  interpolation = this.RULE("interpolation", () => {
    this.CONSUME(T.ExprOpen);
    this.SUBRULE(this.expression);
    this.MANY(() => this.SUBRULE(this.filter));
    this.CONSUME(T.ExprClose);
  });

  filter = this.RULE("filter", () => {
    this.CONSUME(T.Pipe);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.args));
  });

  templateIf = this.RULE("templateIf", () => {
    this.CONSUME(T.TagOpen);
    this.CONSUME(T.If);
    this.SUBRULE(this.expression);
    this.CONSUME(T.TagClose);
    this.SUBRULE(this.templateBody);
    this.MANY(() => this.SUBRULE(this.templateElif));
    this.OPTION(() => this.SUBRULE(this.templateElse));
    this.CONSUME2(T.TagOpen);
    this.CONSUME(T.Endif);
    this.CONSUME2(T.TagClose);
  });

  templateElif = this.RULE("templateElif", () => {
    this.CONSUME(T.TagOpen);
    this.CONSUME(T.Elif);
    this.SUBRULE(this.expression);
    this.CONSUME(T.TagClose);
    this.SUBRULE(this.templateBody);
  });

  templateElse = this.RULE("templateElse", () => {
    this.CONSUME(T.TagOpen);
    this.CONSUME(T.Else);
    this.CONSUME(T.TagClose);
    this.SUBRULE(this.templateBody);
  });

  templateFor = this.RULE("templateFor", () => {
    this.CONSUME(T.TagOpen);
    this.CONSUME(T.For);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.In);
    this.SUBRULE(this.expression);
    this.OPTION(() => {
      this.CONSUME(T.If);
      this.SUBRULE2(this.expression);
    });
    this.CONSUME(T.TagClose);
    this.SUBRULE(this.templateBody);
    this.CONSUME2(T.TagOpen);
    this.CONSUME(T.Endfor);
    this.CONSUME2(T.TagClose);
  });
}

/** The one parser instance. Set `input`, call a start rule, read `errors`. */
export const parser = new FesteParser();
