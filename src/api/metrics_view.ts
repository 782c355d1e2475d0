/**
 * What the metrics routes show, from BotMetrics (`src/metrics/`): the summary object for
 * `/api/v1/metrics` and Prometheus text (names prefixed `rvx_`) for `/metrics`, both read from
 * one pass over the durable counters.
 *
 * @module
 */
import {
  getMetricsSummary,
  type MetricsSummary,
  type MetricsSummaryDeps,
} from "../metrics/bot_metrics.ts";
import { prometheusText } from "../metrics/prometheus.ts";
import * as counters from "../store/counters.ts";
import { type Store } from "../store/kv.ts";

export { getMetricsSummary, type MetricsSummary, type MetricsSummaryDeps };

/**
 * The Prometheus text of `/metrics`.
 *
 * @example
 * ```ts
 * const text = await metricsText(store, { clock, version: VERSION });
 * ```
 */
export async function metricsText(store: Store, deps: MetricsSummaryDeps): Promise<string> {
  const [all, summary] = await Promise.all([
    counters.getAll(store),
    getMetricsSummary(store, deps),
  ]);
  return prometheusText(all, summary);
}
