import assert from "node:assert/strict";

/** Runs `deno task chat` with these lines on stdin; returns its exit code, stdout and stderr. */
async function chat(input: string[]): Promise<{ code: number; text: string; errors: string }> {
  const dir = await Deno.makeTempDir({ prefix: "rvx-chat-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../../src/cli/chat.ts", import.meta.url).pathname],
    env: {
      KV_PATH: `${dir}/chat.kv`,
      DEFAULT_LANGUAGE: "en",
      FLOOD_COOLDOWN_SECONDS: "0",
      NO_COLOR: "1",
    },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input.join("\n") + "\n"));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  await Deno.remove(dir, { recursive: true });
  const decoder = new TextDecoder();
  return { code, text: decoder.decode(stdout), errors: decoder.decode(stderr) };
}

Deno.test("chat: the terminal chat talks to the real bot through stdin and stdout", async () => {
  const { code, text, errors } = await chat([
    "/start",
    "Ethereum <b>fell</b> 8% after a bridge hack drained $100 million in ETH",
    "8",
    "/quit",
  ]);
  assert.equal(code, 0);
  assert.doesNotMatch(errors, /DeprecationWarning/);
  assert.match(text, /bot> 👋 Hi/);
  assert.match(text, /\[1\] 📰 Explain news/, "buttons are numbered");
  assert.match(text, /What happened/);
  assert.match(text, /ETH/);
  assert.ok(!/<b>|<i>/.test(text), "formatting is stripped to plain text");
  // The menu took [1]–[6]; the card's buttons continue from there.
  assert.match(text, /\[7\] 👍\s+\[8\] 👎\s+\[9\] 📌/);
  assert.match(text, /simpler words/, "pressing 8 (👎) re-explains");
});

Deno.test("chat: a button keeps its number after later messages ([10] still takes the quiz)", async () => {
  // /learn → [1] Crypto basics → [4] lesson 1, whose [10] is "Take the quiz"; the badge message
  // that follows the lesson brings no buttons and must not renumber the lesson's.
  const { code, text } = await chat(["/learn", "1", "4", "10", "/quit"]);
  assert.equal(code, 0);
  assert.match(text, /\[10\] 📝 Take the quiz\s+\[11\] Next ➡️\s+\[12\] 📘 Course/);
  const afterBadge = text.slice(text.indexOf("New badge"));
  assert.match(afterBadge, /Quiz: What a blockchain is/);
  assert.match(afterBadge, /\[13\] A/, "the quiz's buttons take the next numbers");
  assert.doesNotMatch(text, /at least 10 characters/);
});
