/**
 * The bot's services with the real feature registry and course catalog, for tests that build
 * the bot themselves (as `compose.ts` does).
 *
 * @module
 */
import { FEATURES } from "../../src/bot/features/mod.ts";
import { FeatureRegistry } from "../../src/bot/registry.ts";
import { type BotServices } from "../../src/bot/services.ts";
import { loadCatalog } from "../../src/learning/catalog.ts";

/** Adds the catalog and the registry of every feature to `base`. */
export async function withFeatures(
  base: Omit<BotServices, "catalog" | "hub">,
): Promise<{ services: BotServices; registry: FeatureRegistry }> {
  const registry = new FeatureRegistry(FEATURES);
  return { services: { ...base, catalog: await loadCatalog(), hub: registry }, registry };
}

/** The per-user record families the bot's features declare. */
export const FEATURE_FAMILIES = new FeatureRegistry(FEATURES).recordFamilies;
