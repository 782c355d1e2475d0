/**
 * `GET /openapi.json` (the document generated from the routes' zod schemas; not a BotResponse)
 * and `GET /docs` (the same document as an offline HTML page).
 *
 * @module
 */
import { type Clock } from "../../core/clock.ts";
import { addRoute, type ApiRouter } from "../openapi.ts";
import { DocsPage, type OpenApiDocument } from "../views/docs.tsx";
import { sendPage } from "../views/page.tsx";

/** What the docs routes need. */
export interface DocsDeps {
  clock: Clock;
  version: string;
}

const DESCRIPTION = "Every JSON answer except `/openapi.json` is a BotResponse: " +
  "`{ success, status, data, error, error_code, timestamp, request_id, processing_time_ms }`, " +
  "all keys always present. Admin routes take `Authorization: Bearer <ADMIN_API_TOKEN>`; " +
  "`/api/v1/analyze` takes `Authorization: Bearer <API key>`. `/api/*` is limited per client IP " +
  "(`RateLimit-*` headers; 429 with `Retry-After`). Bodies over 102 400 bytes answer 413.";

/** The repository grants no licence; `identifier` is an SPDX expression (OpenAPI 3.1). */
const LICENSE = { name: "Proprietary", identifier: "LicenseRef-Proprietary" };

/**
 * Adds both routes to the root router (they describe everything registered on it, so add them
 * after the other routers are mounted; the document is built on first request).
 *
 * @example
 * ```ts
 * addDocsRoutes(app, { clock, version: "0.1.0" });
 * ```
 */
export function addDocsRoutes(app: ApiRouter, deps: DocsDeps): void {
  let document: OpenApiDocument | null = null;
  let page: ReturnType<typeof DocsPage> | null = null;

  function build(): OpenApiDocument {
    app.openAPIRegistry.registerComponent("securitySchemes", "adminToken", {
      type: "http",
      scheme: "bearer",
      description: "`ADMIN_API_TOKEN` (or the generated local token)",
    });
    app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
      type: "http",
      scheme: "bearer",
      bearerFormat: "rvx_…",
      description: "An API key created with `POST /api/v1/keys` or `deno task apikey create`",
    });
    app.openAPIRegistry.registerComponent("securitySchemes", "telegramSecret", {
      type: "apiKey",
      in: "header",
      name: "X-Telegram-Bot-Api-Secret-Token",
      description: "`WEBHOOK_SECRET`, sent by Telegram on every webhook call",
    });
    return app.getOpenAPI31Document({
      openapi: "3.1.0",
      info: {
        title: "RVX Bot API",
        version: deps.version,
        description: DESCRIPTION,
        license: LICENSE,
      },
      // Relative to where this document is served, so it holds on every host and port.
      servers: [{ url: "/", description: "The server that serves this document" }],
      tags: [
        { name: "public", description: "No auth" },
        { name: "analysis", description: "API key" },
        { name: "admin", description: "Admin token" },
        { name: "telegram", description: "Telegram's webhook secret" },
      ],
    }) as unknown as OpenApiDocument;
  }

  addRoute(app, deps.clock, {
    method: "get",
    path: "/openapi.json",
    operationId: "openApiDocument",
    tags: ["public"],
    summary: "This API as an OpenAPI 3 document (not wrapped in a BotResponse)",
    success: { kind: "raw-json", description: "The OpenAPI document" },
  }, (c) => {
    document ??= build();
    return c.json(document);
  });
  addRoute(app, deps.clock, {
    method: "get",
    path: "/docs",
    operationId: "docsPage",
    tags: ["public"],
    summary: "This API as an HTML page that works offline",
    success: { kind: "text", mediaType: "text/html", description: "The documentation page" },
  }, (c) => {
    document ??= build();
    page ??= DocsPage({ doc: document });
    return sendPage(c, page, { cache: "no-cache" });
  });
}
