import assert from "node:assert/strict";
import { COMMAND_ALIASES, COMMANDS } from "../../src/bot/commands.ts";
import { t } from "../../src/i18n/mod.ts";
import { startLocalChat } from "../support/local_chat.ts";

Deno.test("commands: /top, /me and /lang answer as /leaderboard, /profile and /language", async () => {
  await using chat = await startLocalChat();
  const pairs = [["/top", "/leaderboard"], ["/me", "/profile"], ["/lang", "/language"]];
  for (const [alias, command] of pairs) {
    const viaAlias = await chat.send(alias);
    assert.notEqual(viaAlias, t("en", "unknown_command"), alias);
    assert.equal(viaAlias, await chat.send(command), alias);
  }
});

Deno.test("commands: every alias names a real command, clashes with none, and /help shows it", () => {
  const help = t("en", "help_text") + t("ru", "help_text");
  const aliases = Object.values(COMMAND_ALIASES).flat() as string[];
  for (const [command, names] of Object.entries(COMMAND_ALIASES)) {
    assert.ok((COMMANDS as readonly string[]).includes(command), command);
    for (const alias of names) {
      assert.ok(!(COMMANDS as readonly string[]).includes(alias), `${alias} is a command itself`);
      assert.equal(help.split(`(/${alias})`).length, 3, `both /help texts show /${alias}`);
    }
  }
  assert.equal(new Set(aliases).size, aliases.length);
});
