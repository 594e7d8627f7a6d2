#!/usr/bin/env node
/** The `feste` command line. Exit codes: 0 ok, 1 diagnostics or a failed run, 2 usage. */
import { Command, CommanderError } from "commander";
import { runCheck } from "./check-command.js";
import { runCompile, type CompileOptions } from "./compile-command.js";
import { runExec, type ExecOptions } from "./exec-command.js";
import { runExplain } from "./explain-command.js";
import { runInit } from "./init-command.js";
import { runFmt, type FmtOptions } from "./fmt-command.js";
import { runPlan, type PlanOptions } from "./plan-command.js";
import { runGraph, type GraphOptions } from "./graph-command.js";
import { runTests, type TestOptions } from "./test-command.js";
import { runWorker, type WorkerCommandOptions } from "./worker-command.js";
import { lspCommand } from "./lsp-command.js";
import { CliExit, collectPasses } from "./program-options.js";
import { VERSION } from "../version.js";
import { FesteRuntimeError } from "../ir/errors.js";
import { guardOutput, rememberSecrets } from "./secrets.js";
import { failuresAsJson, jsonFailures, reportFailure } from "./failure.js";
import { printRuntimeError } from "./runtime-error.js";

// Before anything can print: no key from the environment ever reaches the terminal.
rememberSecrets(process.env);
guardOutput();
// With --json every failure, a usage error included, is one JSON document on stdout.
failuresAsJson(process.argv.slice(2).includes("--json"));

const program = new Command()
  .name("feste")
  .description("Compiler and runtime for Feste, a typed prompt-graph language")
  .version(VERSION, "-v, --version")
  .exitOverride()
  .configureOutput({
    writeErr: (s) => process.stderr.write(s),
    outputError: (s, write) => (jsonFailures() ? reportFailure("usage", s.trim().replace(/^error: /, "")) : write(s)),
  });

program
  .command("check")
  .description("parse and type-check .feste files")
  .argument("<files...>", ".feste files to check")
  .option("--json", "print diagnostics as JSON on stdout")
  .action((files: string[], opts: { json?: boolean }) => {
    process.exitCode = runCheck(files, opts);
  });

program
  .command("compile")
  .description("generate a typed TypeScript module for each .feste file (and each module they use)")
  .argument("<files...>", ".feste files to compile")
  .requiredOption("-o, --out <dir>", "the folder to write the modules to")
  .option("--check", "write nothing; exit 1 if the folder is not what compile would write")
  .option("--clean", "also remove generated modules whose source still exists but was not compiled now")
  .action((files: string[], opts: CompileOptions) => {
    process.exitCode = runCompile(files, opts);
  });

program
  .command("exec")
  .description("run a graph and print its value as JSON")
  .argument("<file>", "the .feste file")
  .option("--graph <name>", "the graph to run (default: the only graph, or main)")
  .option("--input <json>", "the graph's arguments as JSON, or @file.json (default: FILE.input.json if present)")
  .option("--eager", "run statement by statement, each call awaited, no batching, printing each step")
  .option("--fake", "answer every call from the offline stand-in server started in this process")
  .option("--fake-latency <ms>", "with --fake: how long each stand-in request takes")
  .option("--no-opt <passes>", "switch optimizer passes off (comma separated)", collectPasses)
  .option("--cache <path>", `the answer cache to read and fill (default ${".feste/cache.sqlite"}; with --fake, none unless given)`)
  .option("--no-cache", "neither read nor write the answer cache")
  .option("--batch-api", "send OpenAI calls as Batch API jobs (half price, minutes to hours)")
  .option("--keep-going", "finish every branch a failed call does not affect; print the partial value and the failures")
  .option("--deadline <seconds>", "stop the run (and everything in flight) after this long")
  .option("--time-scale <factor>", "provider time over real time, for servers that simulate a faster clock (rpm and tpm windows shrink by this factor)")
  .option("--json", "print only the value as JSON (no progress line, no summary)")
  .option("--trace <file>", "write every request sent as Chrome trace-event JSON (open in Perfetto or chrome://tracing)")
  .option("--scheduler <kind>", "local (default), or bullmq: run calls as jobs on `feste worker` processes")
  .option("--redis <url>", "with --scheduler bullmq: the Redis server, e.g. redis://127.0.0.1:6379")
  .action(async (file: string, opts: ExecOptions) => {
    process.exitCode = await runExec(file, opts);
  });

program
  .command("plan")
  .description("show what running a graph will send: levels, batches, requests, tokens and cost")
  .argument("<file>", "the .feste file")
  .option("--graph <name>", "the graph to plan (default: the only graph, or main)")
  .option("--input <json>", "the graph's arguments as JSON, or @file.json, for exact counts")
  .option("--no-opt <passes>", "switch optimizer passes off (comma separated)", collectPasses)
  .option("--batch-api", "price OpenAI calls as Batch API jobs (half price)")
  .option("--json", "print the plan as JSON")
  .action(async (file: string, opts: PlanOptions) => {
    process.exitCode = await runPlan(file, opts);
  });

program
  .command("graph")
  .description("draw a graph as DOT, Mermaid or SVG, after or before optimization")
  .argument("<file>", "the .feste file")
  .option("--graph <name>", "the graph to draw (default: the only graph, or main)")
  .option("--format <format>", "dot, mermaid or svg", "dot")
  .option("--unoptimized", "draw the graph as lowered, before the optimizer")
  .option("--no-opt <passes>", "switch optimizer passes off (comma separated)", collectPasses)
  .action(async (file: string, opts: GraphOptions) => {
    process.exitCode = await runGraph(file, opts);
  });

program
  .command("fmt")
  .description("rewrite .feste files in the canonical layout, comments kept")
  .argument("<files...>", ".feste files to format in place")
  .option("--check", "write nothing; list the files that would change and exit 1 if any would")
  .action((files: string[], opts: FmtOptions) => {
    process.exitCode = runFmt(files, opts);
  });

program
  .command("test")
  .description("run the test blocks of .feste files: one line per test, failures with their line")
  .argument("[files...]", ".feste files (default: every .feste file under this folder)")
  .option("--fake", "answer every call from the offline stand-in server started in this process")
  .option("--filter <text>", "run only the tests whose name contains this text")
  .option("--record <dir>", "write each model answer to a JSON fixture in this folder")
  .option("--replay <dir>", "answer every call from the fixtures in this folder; send nothing")
  .option("--no-opt <passes>", "switch optimizer passes off (comma separated)", collectPasses)
  .option("--json", "print the results as JSON on stdout")
  .action(async (files: string[], opts: TestOptions) => {
    process.exitCode = await runTests(files, opts);
  });

program
  .command("worker")
  .description("serve the jobs of distributed runs (exec --scheduler bullmq) from Redis until Ctrl-C")
  .requiredOption("--redis <url>", "the Redis server the coordinators use, e.g. redis://127.0.0.1:6379")
  .option("--concurrency <n>", "model-call jobs in progress at once per client (default 32)")
  .option("--lock-duration <ms>", "how soon a dead worker's job is re-delivered (default 4000)")
  .option("--quiet", "print nothing but errors")
  .action(async (opts: WorkerCommandOptions) => {
    process.exitCode = await runWorker(opts);
  });

program
  .command("explain")
  .description("explain a diagnostic code, list them all, or list the builtins (`explain builtins`)")
  .argument("[code]", "a code such as FE2003")
  .action((code?: string) => {
    process.exitCode = runExplain(code);
  });

program
  .command("init")
  .description("write a starter project (a program, its input, npm scripts) that runs at once with --fake")
  .argument("[dir]", "a new or empty folder (default: this one)")
  .action((dir?: string) => {
    process.exitCode = runInit(dir);
  });

program.addCommand(lspCommand());

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (e instanceof CliExit) {
    process.exitCode = e.code;
  } else if (e instanceof FesteRuntimeError) {
    if (jsonFailures()) printRuntimeError(e, new Map(), /*json*/ true);
    else process.stderr.write(`error[${e.code}]: ${e.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`internal error: ${(e as Error).stack ?? e}\nplease report this as a bug\n`);
    process.exitCode = 70;
  }
}
