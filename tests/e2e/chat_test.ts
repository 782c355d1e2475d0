import assert from "node:assert/strict";

Deno.test("chat: the terminal chat talks to the real bot through stdin and stdout", async () => {
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
  const input = [
    "/start",
    "Ethereum <b>fell</b> 8% after a bridge hack drained $100 million in ETH",
    "2",
    "/quit",
  ];
  await writer.write(new TextEncoder().encode(input.join("\n") + "\n"));
  await writer.close();
  const { code, stdout } = await child.output();
  const text = new TextDecoder().decode(stdout);
  await Deno.remove(dir, { recursive: true });
  assert.equal(code, 0);
  assert.match(text, /bot> 👋 Hi/);
  assert.match(text, /\[1\] 📰 Explain news/, "buttons are numbered");
  assert.match(text, /What happened/);
  assert.match(text, /ETH/);
  assert.ok(!/<b>|<i>/.test(text), "formatting is stripped to plain text");
  assert.match(text, /\[1\] 👍\s+\[2\] 👎\s+\[3\] 📌/);
  assert.match(text, /simpler words/, "pressing 2 (👎) re-explains");
});
