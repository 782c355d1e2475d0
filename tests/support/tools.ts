/**
 * Outside checkers the tests run (promtool, Redocly CLI): found where `.ci/install_tools` puts
 * them or on `PATH`. A missing tool fails the test with the command that installs it, never a
 * silent pass.
 *
 * @module
 */

/** Where `.ci/install_tools` installs npm tools. */
export function toolsDir(): string {
  const cache = Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME") ?? "."}/.cache`;
  return Deno.env.get("RVX_TOOLS_DIR") ?? `${cache}/rvx-tools`;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/**
 * The path of a tool: the first of `candidates` that exists, else `name` on `PATH`.
 *
 * @throws {Error} naming how to install the tool when it is nowhere.
 * @example
 * ```ts
 * const promtool = await requireTool("promtool", { install: "apt-get install prometheus" });
 * ```
 */
export async function requireTool(
  name: string,
  options: { candidates?: string[]; install: string },
): Promise<string> {
  const onPath = (Deno.env.get("PATH") ?? "").split(":").filter(Boolean).map((dir) =>
    `${dir}/${name}`
  );
  for (const path of [...options.candidates ?? [], ...onPath]) {
    if (await isFile(path)) return path;
  }
  throw new Error(
    `Cannot run this check: ${name} is not installed. Run \`bash .ci/install_tools\` ` +
      `(CI runs it), or ${options.install}`,
  );
}

/** What a tool printed and how it ended. */
export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a tool to its end, with `stdin` as its input when given.
 *
 * @example
 * ```ts
 * const run = await runTool(promtool, ["check", "metrics"], { stdin: text });
 * ```
 */
export async function runTool(
  path: string,
  args: string[],
  options: { stdin?: string; cwd?: string; env?: Record<string, string> } = {},
): Promise<ToolRun> {
  const child = new Deno.Command(path, {
    args,
    cwd: options.cwd,
    env: options.env,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const out = await child.output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}
