/**
 * Client settings as a request needs them: `{ env: "NAME" }` values read from the environment
 * the backend was given (never at compile time), and the API key found by the rule users are
 * told: the `api_key` setting, else the provider's usual variable. A missing key is FE4006 and
 * says how to fix it; the key itself never enters a message.
 */
import type { IrClient, SettingValue, Settings } from "../ir/nodes.js";
import { ProviderError } from "./errors.js";

/** Environment variables by name, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;
/** A setting value once `{ env }` has been read. */
export type PlainSetting = Exclude<SettingValue, { readonly env: string }>;
export type PlainSettings = Readonly<Record<string, PlainSetting>>;

/** The variable each provider's SDK reads its key from by default. */
export const KEY_VARIABLE = { openai: "OPENAI_API_KEY", cohere: "CO_API_KEY" } as const;

const FAKE_HINT = "or run with --fake to use the offline stand-in server";

function isEnvRef(v: SettingValue): v is { readonly env: string } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && "env" in v;
}

/**
 * The settings with every `{ env }` value read from `env`, `api_key` left out (see
 * `resolveApiKey`). A variable that is not set fails the request, naming the setting.
 */
export function resolveSettings(client: IrClient, settings: Settings, env: Env): PlainSettings {
  const out: Record<string, PlainSetting> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (key === "api_key") continue;
    if (!isEnvRef(value)) {
      out[key] = value;
      continue;
    }
    const read = env[value.env];
    if (read === undefined || read === "") {
      throw new ProviderError("FE4004", `client \`${client.name}\` (${client.endpoint}): setting \`${key}\` reads ${value.env}, which is not set`, {
        reason: "config",
      });
    }
    out[key] = read;
  }
  return out;
}

/** The environment variable `client`'s key is read from: its `api_key: env(...)`, else the provider's. */
export function keyVariable(client: IrClient): string {
  const setting = client.settings.api_key;
  return setting !== undefined && isEnvRef(setting) ? setting.env : KEY_VARIABLE[client.provider ?? "openai"];
}

/** The key for `client`: its `api_key` setting, else the provider's default variable; FE4006 if neither. */
export function resolveApiKey(client: IrClient, settings: Settings, env: Env): string {
  const setting = settings.api_key;
  if (typeof setting === "string" && setting.trim() !== "") return setting.trim();
  const variable = setting !== undefined && isEnvRef(setting) ? setting.env : KEY_VARIABLE[client.provider ?? "openai"];
  // A key pasted with its line ending is trimmed (HTTP would trim it anyway); the CLI warns.
  const key = env[variable]?.trim();
  if (key) return key;
  const how = setting !== undefined && isEnvRef(setting) ? `its \`api_key\` setting reads ${variable}, which is not set; set it` : `set ${variable}`;
  throw new ProviderError("FE4006", `client \`${client.name}\` has no API key: ${how}, ${FAKE_HINT}`, { reason: "config" });
}
