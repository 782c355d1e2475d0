/**
 * The dashboard's dead-letter buttons: `POST /dashboard/dead_letters/{id}/retry|discard` and
 * `POST /dashboard/dead_letters/retry|discard` (every letter matching the form's filter). They
 * take the page's sign-in, act like the API (audited as `dashboard`), and answer 303 back to
 * the card with the outcome's code. HTML forms, not API: they are not in `/openapi.json`.
 *
 * @module
 */
import { type Context } from "hono";
import {
  type DeadLetterAction,
  type DeadLetterFilter,
  settleDeadLetter,
  settleMatching,
} from "../../actors/dead_letters.ts";
import { DEAD_LETTER_ID } from "../../store/dead_letters.ts";
import { type ApiEnv } from "../env.ts";
import { type ApiRouter, createRouter } from "../openapi.ts";
import { sendError } from "../respond.ts";
import { deadLettersHref } from "../views/dashboard/dead_letters.tsx";
import { BULK_MAX, type DeadLettersDeps } from "./dead_letters.ts";

/** What the buttons use: what the API's dead-letter routes use, with the page guard. */
export type DashboardDeadLettersDeps = DeadLettersDeps;

const DAY_MS = 86_400_000;

/** The filter the form carried (the card's current one), or null when it is malformed. */
function formFilter(form: Record<string, unknown>): DeadLetterFilter | null {
  const filter: DeadLetterFilter = {};
  const user = form.user_id;
  if (typeof user === "string" && user !== "") {
    if (!/^-?\d{1,16}$/.test(user)) return null;
    filter.userId = Number(user);
  }
  const code = form.error_code;
  if (typeof code === "string" && code !== "") {
    if (!/^[A-Z0-9_]{1,100}$/.test(code)) return null;
    filter.errorCode = code;
  }
  return filter;
}

/**
 * A form posted from another site is refused (the browser says so in `Sec-Fetch-Site`); the page
 * cookie is SameSite=Strict as well, so such a post would not be signed in anyway.
 */
function crossSite(c: Context<ApiEnv>): boolean {
  return c.req.header("Sec-Fetch-Site") === "cross-site";
}

/**
 * @example
 * ```ts
 * app.route("/", dashboardDeadLettersRoutes({ store, clock, guard: auth.page, retentionDays: 30 }));
 * ```
 */
export function dashboardDeadLettersRoutes(deps: DashboardDeadLettersDeps): ApiRouter {
  const router = createRouter();
  const { store, clock } = deps;
  const options = (c: Context<ApiEnv>) => ({
    now: clock.now(),
    retentionMs: deps.retentionDays * DAY_MS,
    by: { via: "dashboard", ip: c.get("clientIp") ?? null },
    onQueued: deps.scheduleActor,
  });
  const refuseCrossSite = (c: Context<ApiEnv>) =>
    sendError(c, clock, 403, "FORBIDDEN", "Dead-letter buttons work from the dashboard only");

  for (const action of ["retry", "discard"] as const satisfies DeadLetterAction[]) {
    router.post(
      `/dashboard/dead_letters/:id/${action}`,
      deps.guard.middleware,
      async function deadLetterButton(c) {
        if (crossSite(c)) return refuseCrossSite(c);
        const id = c.req.param("id");
        const filter = formFilter(await c.req.parseBody()) ?? {};
        if (!DEAD_LETTER_ID.test(id)) {
          return c.redirect(deadLettersHref({ ...filter, notice: "invalid" }), 303);
        }
        const outcome = await settleDeadLetter(store, action, id, options(c));
        const notice = outcome.ok ? (action === "retry" ? "retried" : "discarded") : outcome.code;
        return c.redirect(deadLettersHref({ ...filter, notice, id }), 303);
      },
    );
    router.post(
      `/dashboard/dead_letters/${action}`,
      deps.guard.middleware,
      async function deadLettersBulkButton(c) {
        if (crossSite(c)) return refuseCrossSite(c);
        const form = await c.req.parseBody();
        const filter = formFilter(form);
        const all = form.all === "true";
        if (
          filter === null ||
          (filter.userId === undefined && filter.errorCode === undefined && !all)
        ) {
          return c.redirect(deadLettersHref({ ...filter, notice: "invalid" }), 303);
        }
        if (form.confirm !== "yes") {
          return c.redirect(deadLettersHref({ ...filter, notice: "unconfirmed" }), 303);
        }
        const outcome = await settleMatching(store, action, filter, {
          ...options(c),
          max: BULK_MAX,
        });
        const notice = action === "retry" ? "bulk_retried" : "bulk_discarded";
        return c.redirect(deadLettersHref({ ...filter, notice, count: outcome.done }), 303);
      },
    );
  }
  return router;
}
