/**
 * `GET /assets/{file}`: the pages' browser scripts, served as they are written in
 * `src/api/views/browser/` (plain JavaScript that `deno check` and `deno lint` see, so nothing
 * is built). Public: they hold no data; the routes they call check the admin session.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { z } from "@hono/zod-openapi";
import { type Clock } from "../../core/clock.ts";
import { t } from "../../i18n/mod.ts";
import { addRoute, type ApiRouter, createRouter } from "../openapi.ts";
import { sendError } from "../respond.ts";

/** The files under `/assets/`. */
export const ASSET_FILES = ["playground.js", "dashboard.js"] as const;

const BROWSER_DIR = new URL("../views/browser/", import.meta.url);

/**
 * @example
 * ```ts
 * app.route("/", assetsRoutes({ clock }));
 * ```
 */
export function assetsRoutes(deps: { clock: Clock }): ApiRouter {
  const router = createRouter();
  const loaded = new Map<string, Promise<{ body: string; etag: string }>>();

  async function load(file: string): Promise<{ body: string; etag: string }> {
    const body = await Deno.readTextFile(new URL(file, BROWSER_DIR));
    return { body, etag: `"${createHash("sha256").update(body).digest("hex").slice(0, 24)}"` };
  }

  addRoute(router, deps.clock, {
    method: "get",
    path: "/assets/{file}",
    operationId: "pageScript",
    tags: ["public"],
    summary: "A page's script (JavaScript)",
    params: z.object({ file: z.string().max(64) }),
    success: { kind: "text", mediaType: "text/javascript", description: "The script" },
    errors: [404],
  }, async (c, { params }) => {
    if (!(ASSET_FILES as readonly string[]).includes(params.file)) {
      return sendError(c, deps.clock, 404, "NOT_FOUND", t(c.get("lang"), "error_not_found"));
    }
    let asset = loaded.get(params.file);
    if (!asset) {
      asset = load(params.file);
      loaded.set(params.file, asset);
      // A failed read is not remembered: the next request tries again.
      asset.catch(() => loaded.delete(params.file));
    }
    const { body, etag } = await asset;
    c.header("Cache-Control", "no-cache");
    c.header("ETag", etag);
    if (c.req.header("If-None-Match") === etag) return c.body(null, 304);
    c.header("Content-Type", "text/javascript; charset=utf-8");
    return c.body(body);
  });
  return router;
}
