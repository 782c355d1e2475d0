/**
 * The `/docs` page: the OpenAPI document rendered on the server as one self-contained HTML page
 * (inline CSS, no scripts, no external URL), so it works offline and under a strict CSP.
 *
 * @module
 */

/** The parts of an OpenAPI 3 document the page reads. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, OperationLike>>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}

interface OperationLike {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: {
    name: string;
    in: string;
    required?: boolean;
    description?: string;
    schema?: unknown;
  }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, unknown> }>;
}

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** The strict CSP the page is served with. */
export const DOCS_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function escape(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!,
  );
}

/** Inline code spans in descriptions (`x`), everything else escaped. */
function prose(text: string | undefined): string {
  if (!text) return "";
  return escape(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

function anchor(method: string, path: string): string {
  return `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

function schemaText(schema: unknown): string {
  return escape(JSON.stringify(schema, null, 2) ?? "");
}

function authLabel(op: OperationLike): string {
  const schemes = (op.security ?? []).flatMap((s) => Object.keys(s));
  if (schemes.length === 0) return '<span class="auth none">no auth</span>';
  return schemes.map((s) =>
    `<span class="auth">${
      s === "adminToken" ? "admin token" : s === "apiKey" ? "API key" : escape(s)
    }</span>`
  ).join(" ");
}

function operationHtml(method: string, path: string, op: OperationLike): string {
  const params = op.parameters ?? [];
  const body = op.requestBody?.content?.["application/json"]?.schema;
  const responses = Object.entries(op.responses ?? {});
  return `<section id="${anchor(method, path)}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code> ${
    authLabel(op)
  }</h3>
<p>${prose(op.summary)}</p>${op.description ? `\n<p>${prose(op.description)}</p>` : ""}
${
    params.length > 0
      ? `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>schema</th></tr>${
        params.map((p) =>
          `<tr><td><code>${escape(p.name)}</code></td><td>${escape(p.in)}</td><td>${
            p.required ? "yes" : "no"
          }</td><td><pre>${schemaText(p.schema)}</pre>${prose(p.description)}</td></tr>`
        ).join("")
      }</table>`
      : ""
  }${body ? `<h4>Request body (application/json)</h4><pre>${schemaText(body)}</pre>` : ""}
<h4>Responses</h4><table><tr><th>status</th><th>meaning</th><th>media type</th></tr>${
    responses.map(([status, r]) =>
      `<tr><td>${escape(status)}</td><td>${prose(r.description)}</td><td>${
        escape(Object.keys(r.content ?? {}).join(", "))
      }</td></tr>`
    ).join("")
  }</table>
</section>`;
}

/**
 * Renders the page.
 *
 * @example
 * ```ts
 * const html = renderDocs(app.getOpenAPIDocument(config));
 * ```
 */
export function renderDocs(doc: OpenApiDocument): string {
  const operations: [string, string, OperationLike][] = [];
  for (
    const [path, item] of Object.entries(doc.paths ?? {}).sort(([a], [b]) => a.localeCompare(b))
  ) {
    for (const method of METHODS) {
      const op = item[method];
      if (op) operations.push([method, path, op]);
    }
  }
  const index = operations.map(([method, path, op]) =>
    `<li><a href="#${
      anchor(method, path)
    }"><span class="method ${method}">${method.toUpperCase()}</span> <code>${
      escape(path)
    }</code></a> ${prose(op.summary)}</li>`
  ).join("\n");
  const schemas = Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) =>
    `<section id="schema-${escape(name)}"><h3>${escape(name)}</h3><pre>${
      schemaText(schema)
    }</pre></section>`
  ).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(doc.info.title)} ${escape(doc.info.version)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 1.5rem;color:#1d2330;background:#fff}
h1{margin-bottom:0}h3{margin:1.5rem 0 .25rem}section{border-top:1px solid #dde2ea;padding-bottom:.5rem}
code,pre{font:13px/1.4 ui-monospace,monospace}pre{background:#f4f6f9;padding:.5rem;overflow:auto;max-height:24rem;margin:0}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #dde2ea;padding:.25rem .5rem;text-align:left;vertical-align:top}
.method{display:inline-block;min-width:4rem;text-align:center;border-radius:4px;color:#fff;font-size:12px;font-weight:700;padding:1px 4px}
.get{background:#2f7d4f}.post{background:#2f5f9e}.delete{background:#a33}.put,.patch{background:#8a5a00}
.auth{font-size:12px;border:1px solid #8a94a6;border-radius:4px;padding:0 4px;color:#4a5468}.auth.none{border-style:dashed}
ul{padding-left:1.2rem}a{color:#2f5f9e;text-decoration:none}
@media (prefers-color-scheme:dark){body{background:#14171c;color:#e3e7ee}pre{background:#1e232b}td,th,section{border-color:#2c333d}a{color:#8fb3ea}}
</style>
</head>
<body>
<h1>${escape(doc.info.title)}</h1>
<p>Version ${escape(doc.info.version)} · OpenAPI ${
    escape(doc.openapi)
  } · the machine-readable document is at <code>/openapi.json</code></p>
${doc.info.description ? `<p>${prose(doc.info.description)}</p>` : ""}
<h2>Routes</h2>
<ul>
${index}
</ul>
<h2>Details</h2>
${operations.map(([method, path, op]) => operationHtml(method, path, op)).join("\n")}
<h2>Schemas</h2>
${schemas}
</body>
</html>
`;
}
