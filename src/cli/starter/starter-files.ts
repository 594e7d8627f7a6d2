/**
 * The files `feste init` writes: a first program that runs at once with `--fake`, its input,
 * a package.json whose scripts run each command on it, a tsconfig for the generated module,
 * a README and a .gitignore. Pure data: the command decides where they go.
 */

/** File names and contents, in the order they are listed to the user (sorted by code point). */
export function starterFiles(projectName: string): ReadonlyArray<readonly [string, string]> {
  const files: [string, string][] = [
    [".gitignore", "node_modules/\n.feste/\ngraph.svg\n"],
    ["README.md", README.replace("{{name}}", projectName)],
    ["main.feste", PROGRAM],
    ["main.input.json", JSON.stringify(INPUT, null, 2) + "\n"],
    ["package.json", JSON.stringify(packageJson(projectName), null, 2) + "\n"],
    ["tsconfig.json", JSON.stringify(TSCONFIG, null, 2) + "\n"],
  ];
  return files;
}

/** A name npm accepts, made from the folder's name. */
export function packageName(folder: string): string {
  const name = folder.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[._-]+|-+$/g, "");
  return name === "" ? "feste-project" : name.slice(0, 214);
}

function packageJson(name: string) {
  return {
    name,
    version: "0.1.0",
    private: true,
    type: "module",
    scripts: {
      check: "feste check main.feste",
      plan: "feste plan main.feste --input @main.input.json",
      exec: "feste exec main.feste --fake",
      graph: "feste graph main.feste --format svg > graph.svg",
      compile: "feste compile main.feste -o generated",
      // The compiled module is plain TypeScript: check it as a consumer would build it.
      typecheck: "tsc -p tsconfig.json",
    },
    // `npx tsc` without this fetches an unrelated package named `tsc`.
    devDependencies: { typescript: "^5.9.3" },
  };
}

const TSCONFIG = {
  compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true },
  include: ["**/*.ts"],
};

const INPUT = {
  reviews: [
    "Arrived in two days, well packed, and the book is lovely. Will order again.",
    "The story was fine but the cover was torn and nobody answered my email about it.",
    "Please add a gift-wrap option at checkout; otherwise a great little shop.",
  ],
};

const PROGRAM = `// main.feste: a first Feste program. It reads customer reviews, one model call per review
// (batched by the runtime), and returns a typed record for each.
//
//   npm run exec      runs it offline against Feste's stand-in model (--fake)
//   npm run plan      shows the requests it would send, before anything runs

client gpt: openai.chat { model: "gpt-4o-mini", temperature: 0 }

enum Mood { positive, mixed, negative }

type Review {
  mood: Mood
  summary: string
  /// What the shop could do, when the review asks for something.
  action: string?
}

/// The \`-> Review\` asks the model for JSON that fits \`Review\` and checks the answer.
prompt read(review: string) -> Review {
  system """
    You read customer reviews for a small online bookshop.
    """
  user """
    Review: {{ review }}
    """
}

graph main(reviews: string[]) -> Review[] {
  for r in reviews {
    gpt(read(r))
  }
}
`;

const README = `# {{name}}

A Feste project: \`main.feste\` is the program, \`main.input.json\` its
input.

\`\`\`sh
npm install --save-dev /path/to/feste   # or the tarball \`npm pack\` made in Feste's folder
npm run exec                            # run main.feste offline (the stand-in model)
\`\`\`

| script | what it does |
| --- | --- |
| \`npm run check\` | parse and type-check \`main.feste\` |
| \`npm run plan\` | the requests a run will send, with a token and cost estimate |
| \`npm run exec\` | run \`main\` on \`main.input.json\`, answered offline by Feste's stand-in model (\`--fake\`) |
| \`npm run graph\` | the optimized graph as SVG, in \`graph.svg\` |
| \`npm run compile\` | a typed TypeScript module in \`generated/main.ts\` |

To call a real model, set \`OPENAI_API_KEY\` and run \`npx feste exec main.feste\`. Answers are
cached in \`.feste/cache.sqlite\`, so a second run costs nothing.

From TypeScript, after \`npm run compile\`:

\`\`\`ts
import { main } from "./generated/main.js";

const reviews = await main({ reviews: ["Fast delivery, lovely book."] }, { fake: true });
\`\`\`
`;
