/**
 * Regenerates what `grammar/` derives from the parser: the CST types (`cst-types.ts`) and the
 * railroad syntax diagrams (`syntax-diagrams.html`). Run with `npm run grammar`; a test fails
 * when the checked-in files are stale.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderCstTypes, renderSyntaxDiagrams } from "../grammar/derived.js";

const dir = fileURLToPath(new URL("../grammar/", import.meta.url));
writeFileSync(dir + "cst-types.ts", renderCstTypes());
writeFileSync(dir + "syntax-diagrams.html", renderSyntaxDiagrams());
console.log("wrote grammar/cst-types.ts and grammar/syntax-diagrams.html");
