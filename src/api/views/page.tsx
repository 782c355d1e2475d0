/**
 * What every page shares: the HTML shell (`<main>` landmark, viewport, no favicon request), the
 * base styles (colours chosen for WCAG AA contrast in light and dark schemes), and the one place
 * that sets a page's Content-Security-Policy and caching. Pages are `hono/jsx`, so every
 * interpolation is escaped; the only raw HTML is what this module and `telegramHtml` produce.
 *
 * @module
 */
import { type Context } from "hono";
import { type Child } from "hono/jsx";
import { raw } from "hono/html";
import { type HtmlEscapedString } from "hono/utils/html";
import { type ContentfulStatusCode } from "hono/utils/http-status";

/** Rendered markup, as components return it (a promise when an async component is inside). */
export type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

/** What a page may do beyond showing itself with inline styles. */
export interface PagePolicy {
  /** Loads its script from `/assets/` (same origin). @default false */
  script?: boolean;
  /** Its script calls the page's own routes. @default false */
  connect?: boolean;
  /** It has a form posting to this origin. @default false */
  forms?: boolean;
  /** `no-store` for pages with admin data, `no-cache` for public ones. @default "no-store" */
  cache?: "no-store" | "no-cache";
}

/**
 * The page's Content-Security-Policy: nothing from anywhere unless the policy allows it, never
 * an inline script, no framing.
 *
 * @example
 * ```ts
 * pageCsp({ script: true }); // "default-src 'none'; script-src 'self'; …"
 * ```
 */
export function pageCsp(policy: PagePolicy): string {
  return [
    "default-src 'none'",
    policy.script ? "script-src 'self'" : null,
    policy.connect ? "connect-src 'self'" : null,
    "style-src 'unsafe-inline'",
    "img-src data:",
    "base-uri 'none'",
    `form-action ${policy.forms ? "'self'" : "'none'"}`,
    "frame-ancestors 'none'",
  ].filter((part) => part !== null).join("; ");
}

/**
 * Answers with a page under its policy (the other security headers come from the app-wide
 * `securityHeaders`, `middleware/security_headers.ts`).
 *
 * @example
 * ```ts
 * return sendPage(c, <DocsPage doc={doc} />, { cache: "no-cache" });
 * ```
 */
export function sendPage(
  c: Context,
  page: Markup,
  policy: PagePolicy = {},
  status: ContentfulStatusCode = 200,
): Response | Promise<Response> {
  c.header("Content-Security-Policy", pageCsp(policy));
  c.header("Cache-Control", policy.cache ?? "no-store");
  return c.html(page, status);
}

/** Styles every page starts from; pages add their own after these. */
const BASE_STYLE = `
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;background:#f3f5f8}
a{color:#1f4f8f}
.top{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;padding:.6rem 1rem;background:#1d2330;color:#fff}
.top h1{font-size:1.15rem;margin:0}.top a{color:#cfe0ff}.top nav{display:flex;gap:.8rem;flex-wrap:wrap}
.top .sign-out{margin:0 0 0 auto}.top button{font:inherit;font-size:13px;padding:.15rem .6rem;border-radius:6px;border:1px solid #8a94a6;background:#2a3242;color:#fff;cursor:pointer}
.muted{color:#4f586a}
code{font:13px ui-monospace,monospace}
:focus-visible{outline:3px solid #2f6fd0;outline-offset:2px}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (prefers-color-scheme:dark){body{background:#101317;color:#e3e7ee}a{color:#9cc0f5}.muted{color:#aab3c2}
:focus-visible{outline-color:#9cc0f5}}
`;

/** The admin pages, linked from each other's top bar. */
const ADMIN_PAGES = [
  { href: "/dashboard", label: "Dashboard" },
  { href: "/playground", label: "Playground" },
  { href: "/docs", label: "API docs" },
] as const;

/** An admin page's address. */
export type AdminPage = (typeof ADMIN_PAGES)[number]["href"];

/** Properties of {@linkcode Page}. */
export interface PageProps {
  title: string;
  /** The heading in the top bar. */
  heading: string;
  /** Styles after the base ones. */
  style?: string;
  /** A script under `/assets/` (needs `script: true` in the policy). */
  script?: string;
  /** An admin page: its top bar links to the others and has "Sign out" (needs `forms`). */
  current?: AdminPage;
  /** More controls in the top bar. */
  tools?: Child;
  /** After `<main>`. */
  footer?: Child;
  children?: Child;
}

/**
 * The HTML shell of a page: top bar (a `header` landmark), `main`, optional `footer`.
 *
 * @example
 * ```tsx
 * <Page title="RVX docs" heading="RVX Bot API"><p>…</p></Page>
 * ```
 */
export function Page(props: PageProps): Markup {
  return (
    <>
      {raw("<!doctype html>\n")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{props.title}</title>
          <link rel="icon" href="data:," />
          <style dangerouslySetInnerHTML={{ __html: BASE_STYLE + (props.style ?? "") }} />
          {props.script ? <script type="module" src={`/assets/${props.script}`}></script> : null}
        </head>
        <body>
          <header class="top">
            <h1>{props.heading}</h1>
            {props.tools}
            {props.current
              ? (
                <nav aria-label="Pages">
                  {ADMIN_PAGES.filter((link) => link.href !== props.current).map((link) => (
                    <a key={link.href} href={link.href}>{link.label}</a>
                  ))}
                </nav>
              )
              : null}
            {props.current
              ? (
                <form method="post" action="/sign-out" class="sign-out">
                  <button type="submit">Sign out</button>
                </form>
              )
              : null}
          </header>
          <main id="main">{props.children}</main>
          {props.footer ? <footer>{props.footer}</footer> : null}
        </body>
      </html>
    </>
  );
}
