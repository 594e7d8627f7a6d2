/** Pointing every client of a program at a stand-in server: what `--fake` and dry runs do. */
import type { IrClient } from "../../ir/nodes.js";
import type { StandInServer } from "./types.js";

/** A provider override sending each client to the server's OpenAI or Cohere side, with a dummy key. */
export function pointAt(server: StandInServer): (client: IrClient) => { baseURL: string; apiKey: string } {
  return (client) => ({ baseURL: client.provider === "cohere" ? server.cohereBaseURL : server.openaiBaseURL, apiKey: "stand-in" });
}
