/**
 * Loads a program: the root file, every module it reaches through `use`, and every template
 * file named by `prompt ... from`, each parsed once. Reports missing files and `use` cycles.
 */
import { makeDiagnostic, type Diagnostic } from "../../diagnostics/index.js";
import type * as A from "./ast.js";
import { isRelative, resolveRelative, type CompilerHost } from "./host.js";
import { parse, parseTemplateFile } from "./parse.js";

export interface LoadedModule {
  readonly file: string;
  readonly module: A.Module;
  /** Each `use` with the file it names, resolved; `target` is undefined when not found. */
  readonly uses: readonly { readonly decl: A.UseDecl; readonly target?: string }[];
}

export interface LoadedProgram {
  readonly root: string;
  /** Modules by file, in dependency order: a module comes after the modules it uses. */
  readonly modules: ReadonlyMap<string, LoadedModule>;
  /** Parsed template files by resolved path. */
  readonly templates: ReadonlyMap<string, readonly A.TemplatePart[]>;
  /** The text of every file read, for rendering diagnostics. */
  readonly sources: ReadonlyMap<string, string>;
  readonly diagnostics: readonly Diagnostic[];
}

/** Parses `root` and everything it uses. `rootText` avoids reading the root twice. */
export function loadProgram(root: string, host: CompilerHost, rootText?: string): LoadedProgram {
  const modules = new Map<string, LoadedModule>();
  const templates = new Map<string, A.TemplatePart[]>();
  const sources = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const visiting: string[] = [];

  const visit = (file: string, text: string) => {
    sources.set(file, text);
    const parsed = host.parse ? host.parse(text, file) : parse(text, file);
    diagnostics.push(...parsed.diagnostics);
    visiting.push(file);
    const uses: { decl: A.UseDecl; target?: string }[] = [];
    // A file with syntax errors may hold half-parsed paths; its own errors come first.
    const broken = parsed.diagnostics.some((d) => d.severity === "error");
    for (const decl of broken ? [] : parsed.module.declarations) {
      if (decl.kind === "useDecl") uses.push(useTarget(decl, file));
      if (decl.kind === "promptDecl" && decl.body.kind === "fromFile") loadTemplate(file, decl.body.path);
    }
    for (const u of uses) {
      if (u.target === undefined) continue;
      if (visiting.includes(u.target)) {
        const cycle = [...visiting.slice(visiting.indexOf(u.target)), u.target].join(" -> ");
        diagnostics.push(makeDiagnostic("FE2022", u.decl.path.span, [cycle], { help: "move what both modules need into a third module" }));
        continue;
      }
      if (!modules.has(u.target)) visit(u.target, sources.get(u.target)!);
    }
    visiting.pop();
    modules.set(file, { file, module: parsed.module, uses });
  };

  const useTarget = (decl: A.UseDecl, from: string): { decl: A.UseDecl; target?: string } => {
    const spec = decl.path.value;
    const target = resolveRelative(from, spec);
    const text = isRelative(spec) && spec.endsWith(".feste") ? (sources.get(target) ?? host.readFile(target)) : undefined;
    if (text === undefined) {
      diagnostics.push(
        makeDiagnostic("FE2021", decl.path.span, [spec], {
          help: !isRelative(spec) ? `write it relative to this file, e.g. \`./${spec.replace(/^\/+/, "")}\`` : !spec.endsWith(".feste") ? "a module path ends in `.feste`" : undefined,
        }),
      );
      return { decl };
    }
    sources.set(target, text);
    return { decl, target };
  };

  const loadTemplate = (from: string, path: A.StringLit) => {
    const target = resolveRelative(from, path.value);
    if (templates.has(target)) return;
    const text = isRelative(path.value) ? host.readFile(target) : undefined;
    if (text === undefined) {
      diagnostics.push(
        makeDiagnostic("FE2023", path.span, [path.value], {
          help: isRelative(path.value) ? undefined : `write it relative to this file, e.g. \`./${path.value.replace(/^\/+/, "")}\``,
        }),
      );
      return;
    }
    sources.set(target, text);
    const parsed = parseTemplateFile(text, target);
    diagnostics.push(...parsed.diagnostics);
    templates.set(target, parsed.parts);
  };

  const text = rootText ?? host.readFile(root);
  if (text === undefined) {
    throw new Error(`loadProgram: the host cannot read the root file ${root}`);
  }
  visit(root, text);
  return { root, modules, templates, sources, diagnostics };
}
