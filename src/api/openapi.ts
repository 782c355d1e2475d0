/**
 * Routes described once: each route's zod schemas both validate the request (answering 400
 * `VALIDATION_ERROR_<FIELD>` or `VALIDATION_ERROR_BODY`) and generate the OpenAPI document, so the
 * validators and `/openapi.json` cannot drift apart.
 *
 * @module
 */
import { type Context, type MiddlewareHandler } from "hono";
import { OpenAPIHono, type RouteConfig, z } from "@hono/zod-openapi";
import { type Clock } from "../core/clock.ts";
import { type ApiEnv } from "./env.ts";
import { sendInvalid, sendInvalidBody } from "./respond.ts";

/** A router whose routes carry OpenAPI descriptions. */
export type ApiRouter = OpenAPIHono<ApiEnv>;

/**
 * A new router; mount it with `app.route("/", router)` so its descriptions join the document.
 *
 * @example
 * ```ts
 * const router = createRouter();
 * ```
 */
export function createRouter(): ApiRouter {
  return new OpenAPIHono<ApiEnv>();
}

/** The two ways a caller proves who it is (docs/OPERATIONS.md, "HTTP API"). */
export type SecurityScheme = "adminToken" | "apiKey";

/** An auth check in front of a route, and how the document names it. */
export interface Guard {
  scheme: SecurityScheme;
  middleware: MiddlewareHandler<ApiEnv>;
}

/** The BotResponse envelope (docs/OPERATIONS.md, "HTTP API") around a `data` schema. */
export function envelopeOf(data: z.ZodType): z.ZodType {
  return z.object({
    success: z.boolean(),
    status: z.enum(["ok", "error", "warning", "processing"]),
    data: data.nullable(),
    error: z.string().nullable(),
    error_code: z.string().nullable().openapi({ example: null }),
    timestamp: z.string().openapi({ format: "date-time" }),
    request_id: z.string().nullable(),
    processing_time_ms: z.number(),
  });
}

/** An error answer: `data` is null or a small object (e.g. `{ field }` for validation). */
export const ErrorEnvelopeSchema = envelopeOf(z.record(z.string(), z.unknown()))
  .openapi("ErrorResponse");

/** What a route's success looks like in the document. */
export type SuccessShape =
  | { kind: "json"; data: z.ZodType; status?: 200 | 201 }
  | { kind: "text"; mediaType: string; description: string }
  /** Bytes streamed as they are stored (e.g. a backup file). */
  | { kind: "file"; mediaType: string; description: string }
  | { kind: "raw-json"; description: string };

/** One route: method, path (OpenAPI style, `{id}`), docs, auth, and the input schemas. */
export interface RouteSpec<
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
> {
  method: "get" | "post" | "delete";
  path: string;
  /** Unique across the API: what client generators name the call (camelCase). */
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  guard?: Guard;
  query?: Q;
  params?: P;
  /** A JSON object body, required when given. */
  body?: B;
  success: SuccessShape;
  /** Error statuses beyond those implied by input, auth and `/api/*` (e.g. 404). */
  errors?: number[];
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** The validated input a handler receives. */
export interface RouteInput<Q, P, B> {
  query: Out<Q>;
  params: Out<P>;
  body: Out<B>;
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "`VALIDATION_ERROR_<FIELD>` naming the field, or `VALIDATION_ERROR_BODY`",
  401: "`UNAUTHORIZED`: missing or wrong credentials",
  403: "`FORBIDDEN`: the credentials do not allow this route",
  404: "`NOT_FOUND`, or the route's own code for what is missing",
  405: "`METHOD_NOT_ALLOWED`: this path with a method it does not serve (`Allow` lists those)",
  409: "The route's own code: the action conflicts with the record's state; nothing changed",
  413: "`PAYLOAD_TOO_LARGE`: body over 102 400 bytes",
  429: "`RATE_LIMIT_ERROR`, with `Retry-After` and `RateLimit-*` headers",
  500: "`INTERNAL_ERROR`",
  503: "`UNAVAILABLE` (KV down, or the admin API disabled) or a database error code",
};

function documentedErrors(
  spec: RouteSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>,
): number[] {
  // Every path answers 405 to the methods it does not serve (`app.ts`), so every operation has
  // at least one documented client error.
  const statuses = new Set<number>([405, ...(spec.errors ?? [])]);
  if (spec.query || spec.params || spec.body) statuses.add(400);
  if (spec.body) statuses.add(413);
  if (spec.guard) {
    statuses.add(401);
    statuses.add(403);
    if (spec.guard.scheme === "adminToken") statuses.add(503);
  }
  if (spec.path.startsWith("/api/")) statuses.add(429);
  statuses.add(500);
  return [...statuses].sort((a, b) => a - b);
}

function toRouteConfig(
  spec: RouteSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>,
): RouteConfig {
  const responses: RouteConfig["responses"] = {};
  const success = spec.success;
  if (success.kind === "json") {
    responses[String(success.status ?? 200)] = {
      description: "BotResponse with `data` as below",
      content: { "application/json": { schema: envelopeOf(success.data) } },
    };
  } else if (success.kind === "text") {
    responses["200"] = {
      description: success.description,
      content: { [success.mediaType]: { schema: z.string() } },
    };
  } else if (success.kind === "file") {
    responses["200"] = {
      description: success.description,
      content: {
        [success.mediaType]: {
          schema: z.string().openapi({ format: "binary" }),
        },
      },
    };
  } else {
    responses["200"] = {
      description: success.description,
      content: { "application/json": { schema: z.record(z.string(), z.unknown()) } },
    };
  }
  for (const status of documentedErrors(spec)) {
    responses[String(status)] = {
      description: ERROR_DESCRIPTIONS[status] ?? "Error",
      content: { "application/json": { schema: ErrorEnvelopeSchema } },
    };
  }
  const request: NonNullable<RouteConfig["request"]> = {};
  if (spec.query) request.query = spec.query as NonNullable<RouteConfig["request"]>["query"];
  if (spec.params) request.params = spec.params as NonNullable<RouteConfig["request"]>["params"];
  if (spec.body) {
    request.body = { required: true, content: { "application/json": { schema: spec.body } } };
  }
  return {
    method: spec.method,
    path: spec.path,
    operationId: spec.operationId,
    tags: spec.tags,
    summary: spec.summary,
    description: spec.description,
    security: spec.guard ? [{ [spec.guard.scheme]: [] }] : [],
    request,
    responses,
  };
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response };

/** Reads the body as a JSON object, or answers `VALIDATION_ERROR_BODY`. */
async function readJsonObject(c: Context<ApiEnv>, clock: Clock): Promise<Parsed<unknown>> {
  const type = c.req.header("Content-Type") ?? "";
  const charset = CHARSET.exec(type)?.[1]?.toLowerCase();
  if (!JSON_TYPE.test(type) || (charset && charset !== "utf-8" && charset !== "utf8")) {
    return { ok: false, response: sendInvalidBody(c, clock) };
  }
  try {
    const value: unknown = JSON.parse(utf8.decode(await c.req.arrayBuffer()));
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return { ok: false, response: sendInvalidBody(c, clock) };
    }
    return { ok: true, value };
  } catch {
    // Invalid UTF-8, invalid JSON, or a body stream that broke off.
    return { ok: false, response: sendInvalidBody(c, clock) };
  }
}

function check<S extends z.ZodType>(
  c: Context<ApiEnv>,
  clock: Clock,
  schema: S,
  value: unknown,
  whole: string,
): Parsed<z.output<S>> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const first = issue.code === "unrecognized_keys" ? issue.keys[0] : issue.path[0];
  const field = typeof first === "string" && /^[A-Za-z0-9_]{1,64}$/.test(first) ? first : whole;
  if (field === "body") return { ok: false, response: sendInvalidBody(c, clock) };
  return { ok: false, response: sendInvalid(c, clock, field, issue.message) };
}

function queryObject(c: Context<ApiEnv>): Record<string, string | string[]> {
  return Object.fromEntries(
    Object.entries(c.req.queries()).map(([k, v]) => [k, v.length === 1 ? v[0] : v]),
  );
}

/**
 * Adds a route: registers its description for the document and mounts guard → validation →
 * handler. The handler gets the parsed input; it never sees an invalid request.
 *
 * @example
 * ```ts
 * addRoute(router, clock, {
 *   method: "get", path: "/api/v1/users/{id}", tags: ["admin"], summary: "One user",
 *   guard: auth.admin, params: z.object({ id: z.coerce.number().int() }),
 *   success: { kind: "json", data: UserSchema },
 * }, (c, { params }) => sendOk(c, clock, { id: params.id }));
 * ```
 */
export function addRoute<
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(
  router: ApiRouter,
  clock: Clock,
  spec: RouteSpec<Q, P, B>,
  handler: (c: Context<ApiEnv>, input: RouteInput<Q, P, B>) => Response | Promise<Response>,
): void {
  router.openAPIRegistry.registerPath(toRouteConfig(spec));
  const path = spec.path.replace(/\{(\w+)\}/g, ":$1");
  const { query, params, body } = spec;
  const middleware: MiddlewareHandler<ApiEnv>[] = spec.guard ? [spec.guard.middleware] : [];
  router.on([spec.method.toUpperCase()], [path], ...middleware, async function validated(c) {
    const input = { query: undefined, params: undefined, body: undefined } as Record<
      string,
      unknown
    >;
    if (params) {
      const parsed = check(c, clock, params, c.req.param(), "params");
      if (!parsed.ok) return parsed.response;
      input.params = parsed.value;
    }
    if (query) {
      const parsed = check(c, clock, query, queryObject(c), "query");
      if (!parsed.ok) return parsed.response;
      input.query = parsed.value;
    }
    if (body) {
      const raw = await readJsonObject(c, clock);
      if (!raw.ok) return raw.response;
      const parsed = check(c, clock, body, raw.value, "body");
      if (!parsed.ok) return parsed.response;
      input.body = parsed.value;
    }
    return await handler(c, input as unknown as RouteInput<Q, P, B>);
  });
}
