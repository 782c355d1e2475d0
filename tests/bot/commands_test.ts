import assert from "node:assert/strict";
import { registerCommands } from "../../src/bot/commands.ts";
import { callbackKind, text } from "../../src/bot/callback_kind.ts";
import { defineFeature } from "../../src/bot/feature.ts";
import { FEATURES } from "../../src/bot/features/mod.ts";
import { FeatureRegistry } from "../../src/bot/registry.ts";
import { t } from "../../src/i18n/mod.ts";
import { startLocalChat } from "../support/local_chat.ts";

const registry = new FeatureRegistry(FEATURES);

Deno.test("commands: /top, /me and /lang answer as /leaderboard, /profile and /language", async () => {
  await using chat = await startLocalChat();
  const pairs = [["/top", "/leaderboard"], ["/me", "/profile"], ["/lang", "/language"]];
  for (const [alias, command] of pairs) {
    const viaAlias = await chat.send(alias);
    assert.notEqual(viaAlias, t("en", "unknown_command"), alias);
    assert.equal(viaAlias, await chat.send(command), alias);
  }
});

Deno.test("commands: /help lists every listed command with its aliases, from the features", async () => {
  await using chat = await startLocalChat();
  const help = await chat.send("/help");
  for (const command of registry.listedCommands()) {
    if (command.notInHelp) continue;
    assert.ok(help.includes(`/${command.name}`), command.name);
    for (const alias of command.aliases ?? []) assert.ok(help.includes(`(/${alias})`), alias);
  }
  assert.match(help, /\/profile \(\/me\)/);
  assert.match(help, /\/leaderboard \(\/top\)/);
});

Deno.test("commands: setMyCommands gets every described command per language, no admin command", async () => {
  const calls: { commands: { command: string; description: string }[]; lang?: string }[] = [];
  const api = {
    setMyCommands: (
      commands: { command: string; description: string }[],
      other?: { language_code?: string },
    ) => {
      calls.push({ commands, lang: other?.language_code });
      return Promise.resolve(true);
    },
  };
  await registerCommands(api as never, "ru", registry);
  assert.deepEqual(calls.map((c) => c.lang), ["ru", "en", undefined]);
  const en = calls[1].commands;
  for (const name of ["start", "help", "menu", "ask", "learn", "quiz", "profile", "leaderboard"]) {
    const found = en.find((c) => c.command === name);
    assert.ok(found, name);
    assert.equal(found.description, t("en", `command_${name}` as "command_start"));
  }
  assert.ok(!en.some((c) => c.command === "ban" || c.command === "broadcast"));
  assert.equal(calls[2].commands[0].description, t("ru", "command_start"));
});

Deno.test("registry: two features claiming one command, button prefix or gauge fail at start", () => {
  const a = defineFeature({ name: "a", commands: [{ name: "x" }], callbacks: [callbackKind("q")] });
  assert.throws(
    () => new FeatureRegistry([a, defineFeature({ name: "b", commands: [{ name: "x" }] })]),
    /Cannot register feature "b": command "x" is already declared by "a"/,
  );
  assert.throws(
    () => new FeatureRegistry([a, defineFeature({ name: "b", callbacks: [callbackKind("q")] })]),
    /button prefix "q"/,
  );
  assert.throws(
    () => new FeatureRegistry([defineFeature({ name: "b", callbacks: [callbackKind("m")] })]),
    /button prefix "m" is already declared by "registry"/,
  );
  assert.throws(() => new FeatureRegistry([a, a]), /the name "a"/);
});

Deno.test("callback kinds: pack and parse round-trip; forged or overlong data parses to null", () => {
  const kind = callbackKind("zz", {});
  assert.equal(kind.pack({}), "zz");
  assert.deepEqual(kind.parse("zz"), {});
  assert.equal(kind.parse("zz:1"), null);
  assert.equal(kind.parse("z".repeat(65)), null);
  assert.throws(() => callbackKind("Bad"), TypeError);
  // Telegram counts bytes: "w:" and 32 Cyrillic letters are 34 characters but 66 bytes.
  const word = callbackKind("w", { word: text("[а-я]{1,40}") });
  assert.equal(word.pack({ word: "я".repeat(31) }), `w:${"я".repeat(31)}`);
  assert.throws(() => word.pack({ word: "я".repeat(32) }), RangeError);
});
