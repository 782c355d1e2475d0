/**
 * The bot's features, in the order their handlers run, their commands are listed and their
 * `/export` sections follow each other: registering a feature is one line here
 * (docs/ARCHITECTURE.md, "How to add a feature"). "unhandled" stays last.
 *
 * @module
 */
import { type Feature } from "../feature.ts";
import { adminFeature } from "./admin/mod.ts";
import { analysisFeature } from "./analysis.ts";
import { bookmarksFeature } from "./bookmarks.ts";
import { feedbackFeature } from "./feedback.ts";
import { forgetFeature } from "./forget.ts";
import { glossaryFeature } from "./glossary.ts";
import { historyFeature } from "./history.ts";
import { learningFeature } from "./learning/mod.ts";
import { profileFeature } from "./profile.ts";
import { startFeature } from "./start.ts";
import { statsFeature } from "./stats.ts";
import { unhandledFeature } from "./unhandled.ts";

/** Every feature, in handler order. */
export const FEATURES: readonly Feature[] = [
  startFeature,
  analysisFeature,
  historyFeature,
  bookmarksFeature,
  learningFeature,
  profileFeature,
  statsFeature,
  glossaryFeature,
  feedbackFeature,
  forgetFeature,
  adminFeature,
  unhandledFeature,
];
