/**
 * `feste lsp --stdio`: the language server for editors, speaking LSP on stdin and stdout.
 * The server is loaded only when this command runs, so other commands start as fast as before.
 */
import { Command } from "commander";
import { festeFilesUnder } from "./find-feste-files.js";
import { nodeHost } from "./node-host.js";

/** The `lsp` command, for `program.addCommand`. */
export function lspCommand(): Command {
  return new Command("lsp")
    .description("run the language server (diagnostics, hover, completion, rename, plan lens) for an editor")
    .option("--stdio", "talk LSP over stdin and stdout (the only transport; the default)")
    .action(async () => {
      const { createConnection, ProposedFeatures } = await import("vscode-languageserver/node");
      const { startServer } = await import("../lsp/index.js");
      const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
      startServer(connection, { ...nodeHost, festeFilesUnder });
      // The connection ends the process on `exit`; until then the command waits.
      await new Promise<never>(() => {});
    });
}
