/**
 * What the bot's features use, passed down from the composition root.
 *
 * @module
 */
import { type AnalysisEngine } from "../analysis/engine.ts";
import { type Config } from "../config.ts";
import { type Clock } from "../core/clock.ts";
import { type Catalog } from "../learning/catalog.ts";
import { type Store } from "../store/kv.ts";
import { type FeatureHub } from "./hub.ts";

/** The services every feature composer is built with. */
export interface BotServices {
  config: Config;
  store: Store;
  engine: AnalysisEngine;
  clock: Clock;
  /** Asks the job runner to look for work (after the current turn has committed). */
  kickJobs: () => void;
  /** The course catalog (learning, glossary). */
  catalog: Catalog;
  /** Menus, card buttons, links and record families of all features (the registry). */
  hub: FeatureHub;
}
