#!/usr/bin/env node
/** The `feste` command line. Exit codes: 0 ok, 1 diagnostics or a failed run, 2 usage. */
import { Command, CommanderError } from "commander";
import { runCheck } from "./check-command.js";
import { runExplain } from "./explain-command.js";
import { VERSION } from "../version.js";

const program = new Command()
  .name("feste")
  .description("Compiler and runtime for Feste, a typed prompt-graph language")
  .version(VERSION, "-v, --version")
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

program
  .command("check")
  .description("parse and type-check .feste files")
  .argument("<files...>", ".feste files to check")
  .option("--json", "print diagnostics as JSON on stdout")
  .action((files: string[], opts: { json?: boolean }) => {
    process.exitCode = runCheck(files, opts);
  });

program
  .command("explain")
  .description("explain a diagnostic code, or list them all")
  .argument("[code]", "a code such as FE2003")
  .action((code?: string) => {
    process.exitCode = runExplain(code);
  });

try {
  program.parse(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else {
    process.stderr.write(`internal error: ${(e as Error).stack ?? e}\nplease report this as a bug\n`);
    process.exitCode = 70;
  }
}
