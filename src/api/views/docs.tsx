/**
 * The `/docs` page: the OpenAPI document rendered on the server as one self-contained page
 * (inline CSS, no script, no external URL), so it works offline and under a strict CSP.
 *
 * @module
 */
import { type Child } from "hono/jsx";
import { type Markup, Page } from "./page.tsx";

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

const STYLE = `
body{background:#fff}
main{margin:0 auto;max-width:60rem;padding:1rem 1.5rem}
h3{margin:1.5rem 0 .25rem}section{border-top:1px solid #d5dbe4;padding-bottom:.5rem}
pre{font:13px/1.4 ui-monospace,monospace;background:#f4f6f9;padding:.5rem;overflow:auto;max-height:24rem;margin:0}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #d5dbe4;padding:.25rem .5rem;text-align:left;vertical-align:top}
.method{display:inline-block;min-width:4rem;text-align:center;border-radius:4px;color:#fff;font-size:12px;font-weight:700;padding:1px 4px}
.get{background:#1e6b40}.post{background:#2a5895}.delete{background:#a02c2c}.put,.patch{background:#7a4f00}
.auth{font-size:12px;border:1px solid #5f687a;border-radius:4px;padding:0 4px;color:#3f4859}.auth.none{border-style:dashed}
ul{padding-left:1.2rem}
@media (prefers-color-scheme:dark){body{background:#14171c}pre{background:#1e232b}td,th,section{border-color:#2c333d}
.auth{color:#c3cad6;border-color:#8a94a6}}
`;

/** Inline code spans in descriptions (`x`) as `<code>`, the rest as text. */
function Prose(props: { text: string | undefined }): Markup {
  const parts = (props.text ?? "").split(/`([^`]+)`/);
  return <>{parts.map((part, i) => i % 2 === 1 ? <code key={i}>{part}</code> : part)}</>;
}

function anchor(method: string, path: string): string {
  return `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

/** A schema as indented JSON, in a box the keyboard can scroll. */
function SchemaBlock(props: { schema: unknown }): Markup {
  return <pre tabindex={0}>{JSON.stringify(props.schema, null, 2) ?? ""}</pre>;
}

function AuthLabel(props: { op: OperationLike }): Markup {
  const schemes = (props.op.security ?? []).flatMap((s) => Object.keys(s));
  if (schemes.length === 0) return <span class="auth none">no auth</span>;
  return (
    <>
      {schemes.map((s) => (
        <span class="auth">
          {s === "adminToken" ? "admin token" : s === "apiKey" ? "API key" : s}
        </span>
      ))}
    </>
  );
}

function MethodBadge(props: { method: string }): Markup {
  return <span class={`method ${props.method}`}>{props.method.toUpperCase()}</span>;
}

function Operation(props: { method: string; path: string; op: OperationLike }): Markup {
  const { method, path, op } = props;
  const params = op.parameters ?? [];
  const body = op.requestBody?.content?.["application/json"]?.schema;
  const responses = Object.entries(op.responses ?? {});
  return (
    <section id={anchor(method, path)}>
      <h3>
        <MethodBadge method={method} /> <code>{path}</code> <AuthLabel op={op} />
      </h3>
      <p>
        <Prose text={op.summary} />
      </p>
      {op.description
        ? (
          <p>
            <Prose text={op.description} />
          </p>
        )
        : null}
      {params.length > 0
        ? (
          <>
            <h4>Parameters</h4>
            <table>
              <tr>
                <th scope="col">name</th>
                <th scope="col">in</th>
                <th scope="col">required</th>
                <th scope="col">schema</th>
              </tr>
              {params.map((p) => (
                <tr>
                  <td>
                    <code>{p.name}</code>
                  </td>
                  <td>{p.in}</td>
                  <td>{p.required ? "yes" : "no"}</td>
                  <td>
                    <SchemaBlock schema={p.schema} />
                    <Prose text={p.description} />
                  </td>
                </tr>
              ))}
            </table>
          </>
        )
        : null}
      {body
        ? (
          <>
            <h4>Request body (application/json)</h4>
            <SchemaBlock schema={body} />
          </>
        )
        : null}
      <h4>Responses</h4>
      <table>
        <tr>
          <th scope="col">status</th>
          <th scope="col">meaning</th>
          <th scope="col">media type</th>
        </tr>
        {responses.map(([status, r]) => (
          <tr>
            <td>{status}</td>
            <td>
              <Prose text={r.description} />
            </td>
            <td>{Object.keys(r.content ?? {}).join(", ")}</td>
          </tr>
        ))}
      </table>
    </section>
  );
}

/**
 * The page.
 *
 * @example
 * ```tsx
 * return sendPage(c, <DocsPage doc={app.getOpenAPIDocument(config)} />, { cache: "no-cache" });
 * ```
 */
export function DocsPage(props: { doc: OpenApiDocument }): Markup {
  const { doc } = props;
  const operations: [string, string, OperationLike][] = [];
  for (
    const [path, item] of Object.entries(doc.paths ?? {}).sort(([a], [b]) => a.localeCompare(b))
  ) {
    for (const method of METHODS) {
      const op = item[method];
      if (op) operations.push([method, path, op]);
    }
  }
  const schemas: Child[] = Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) => (
    <section id={`schema-${name}`}>
      <h3>{name}</h3>
      <SchemaBlock schema={schema} />
    </section>
  ));
  return (
    <Page title={`${doc.info.title} ${doc.info.version}`} heading={doc.info.title} style={STYLE}>
      <p>
        Version {doc.info.version} · OpenAPI {doc.openapi} · the machine-readable document is at
        {" "}
        <code>/openapi.json</code>
      </p>
      {doc.info.description
        ? (
          <p>
            <Prose text={doc.info.description} />
          </p>
        )
        : null}
      <h2>Routes</h2>
      <ul>
        {operations.map(([method, path, op]) => (
          <li>
            <a href={`#${anchor(method, path)}`}>
              <MethodBadge method={method} /> <code>{path}</code>
            </a>{" "}
            <Prose text={op.summary} />
          </li>
        ))}
      </ul>
      <h2>Details</h2>
      {operations.map(([method, path, op]) => (
        <Operation key={anchor(method, path)} method={method} path={path} op={op} />
      ))}
      <h2>Schemas</h2>
      {schemas}
    </Page>
  );
}
