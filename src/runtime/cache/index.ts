/**
 * The persistent answer cache: `openCache` opens the SQLite file, `cachingBackend` wraps a
 * model backend so answers already paid for are read back instead of sent again.
 */
export { cachingBackend, type CachingOptions } from "./caching-backend.js";
export { CACHE_FORMAT, openCache, type AnswerCache, type CacheStats } from "./open-cache.js";
export { TRANSPORT_SETTINGS } from "./request-key.js";
