/**
 * `POST /sign-in` and `POST /sign-out`: a browser signs in to the admin pages with the token
 * once (a form post) and gets a session cookie (`middleware/page_auth.ts`).
 *
 * @module
 */
import { type PageAuth } from "../middleware/page_auth.ts";
import { type ApiRouter, createRouter, ErrorEnvelopeSchema } from "../openapi.ts";

const HTML_PAGE = { "text/html": { schema: { type: "string" as const } } };
const ERROR_JSON = { "application/json": { schema: ErrorEnvelopeSchema } };
const TOO_LARGE = {
  description: "`PAYLOAD_TOO_LARGE`: body over 102 400 bytes",
  content: ERROR_JSON,
};
/** Anything unexpected: a BotResponse error (`INTERNAL_ERROR`). */
const UNEXPECTED = { description: "`INTERNAL_ERROR`", content: ERROR_JSON };

/**
 * @example
 * ```ts
 * app.route("/", signInRoutes(auth.pages));
 * ```
 */
export function signInRoutes(pages: PageAuth): ApiRouter {
  const router = createRouter();
  router.post("/sign-in", (c) => pages.signIn(c));
  router.post("/sign-out", (c) => pages.signOut(c));
  router.openAPIRegistry.registerPath({
    method: "post",
    path: "/sign-in",
    operationId: "signIn",
    security: [],
    tags: ["admin"],
    summary: "Signs a browser in to the admin pages (form post; answers with a session cookie)",
    description: "Form fields `token` (the admin token) and `next` (the page to return to). " +
      "Right token: 303 to `next` with an HttpOnly, SameSite=Strict session cookie " +
      "(`rvx_session`, a random id, never the token). Wrong tokens count against the client's " +
      "address: after 10 within 15 minutes, 429 until the oldest is 15 minutes old.",
    request: {
      body: {
        required: true,
        content: {
          "application/x-www-form-urlencoded": {
            schema: {
              type: "object",
              required: ["token"],
              properties: { token: { type: "string" }, next: { type: "string" } },
            },
          },
        },
      },
    },
    responses: {
      303: { description: "Signed in: the cookie is set; `Location` is the page" },
      401: { description: "Wrong token: the sign-in page again", content: HTML_PAGE },
      429: { description: "Too many wrong tokens from this address", content: HTML_PAGE },
      413: TOO_LARGE,
      503: { description: "Admin is disabled (no ADMIN_API_TOKEN on Deploy)", content: HTML_PAGE },
      default: UNEXPECTED,
    },
  });
  router.openAPIRegistry.registerPath({
    method: "post",
    path: "/sign-out",
    operationId: "signOut",
    security: [],
    tags: ["admin"],
    summary: "Ends the browser's session (its record in KV and the cookie)",
    responses: {
      303: { description: "Signed out; `Location` is the dashboard (which asks to sign in)" },
      413: TOO_LARGE,
      default: UNEXPECTED,
    },
  });
  return router;
}
