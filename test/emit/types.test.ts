/**
 * The generated functions' types are exactly the declared ones (checked by `tsc` in
 * `npm run typecheck`, which covers this file; at run time these lines do nothing), and a
 * wrong input is a type error.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type { RunOptions } from "feste/runtime";
import { Category, classify, parseClassify, triage, type Draft, type Ticket } from "../../generated/support.js";
import { answer } from "../../generated/rag.js";
import { main as seed } from "../../generated/seed.js";
import { main as pipeline, type Post } from "../../generated/pipeline.js";
import { headline, type Article } from "../../generated/shared/common.js";
import type { Article as ReExported } from "../../generated/pipeline.js";

describe("generated types", () => {
  it("graph functions take and return the declared types", () => {
    expectTypeOf(triage).parameters.toEqualTypeOf<[input: { tickets: string[] }, options?: RunOptions]>();
    expectTypeOf(triage).returns.toEqualTypeOf<Promise<Draft[]>>();
    expectTypeOf(answer).parameter(0).toEqualTypeOf<{ question: string; passages: string[] }>();
    expectTypeOf(answer).returns.toEqualTypeOf<Promise<string>>();
    expectTypeOf(seed).returns.toEqualTypeOf<Promise<string[]>>();
    expectTypeOf(pipeline).parameter(0).toEqualTypeOf<{ articles: Article[] }>();
    expectTypeOf(pipeline).returns.toEqualTypeOf<Promise<Post[]>>();
  });

  it("records, enums, renderers and parsers are typed", () => {
    expectTypeOf<Ticket["category"]>().toEqualTypeOf<"billing" | "bug" | "feature" | "other">();
    expectTypeOf(Category).toEqualTypeOf<readonly ["billing", "bug", "feature", "other"]>();
    expectTypeOf<Ticket["note"]>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf(classify).parameters.toEqualTypeOf<[ticket: string]>();
    expectTypeOf(parseClassify).returns.toEqualTypeOf<Ticket>();
  });

  it("a parameter with a default is optional, and left out it renders the default", () => {
    expectTypeOf(headline).parameters.toEqualTypeOf<[text: string, max_words?: number]>();
    // Type-checks without the defaulted argument.
    const rendered = headline("Tides turn");
    expect(rendered.$prompt.messages[0].content).toContain("at most 10 words");
    expect(headline("Tides turn", 4).$prompt.messages[0].content).toContain("at most 4 words");
  });

  it("a module re-exports the types of the modules it uses", () => {
    expectTypeOf<ReExported>().toEqualTypeOf<Article>();
  });

  it("a wrong input is a type error", () => {
    // Never called: these only have to fail to type-check.
    const wrong = () => {
      // @ts-expect-error tickets must be strings
      void triage({ tickets: [1, 2] });
      // @ts-expect-error a missing parameter
      void answer({ question: "q" });
      // @ts-expect-error an unknown option
      void triage({ tickets: [] }, { eagerly: true });
      // @ts-expect-error not a Category
      const c: Ticket["category"] = "refund";
      return c;
    };
    expectTypeOf(wrong).toBeFunction();
  });
});
