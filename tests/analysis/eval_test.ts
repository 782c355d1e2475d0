/**
 * The offline analyzer on the labelled evaluation set (tests/analysis/eval/README.md): a change
 * that makes its answers worse fails here, in CI, instead of reaching users.
 */
import assert from "node:assert/strict";
import { analyzeOffline } from "../../src/analysis/providers/offline.ts";
import { type EvalFigures, loadEvalSet, scoreEvalSet } from "./eval/eval_set.ts";

/** How far a figure may fall below the recorded one before the test fails (wording changes). */
const MARGIN = 0.01;

const recorded: { all: EvalFigures; heldout: EvalFigures } = JSON.parse(
  await Deno.readTextFile(new URL("./eval/recorded.json", import.meta.url)),
);

Deno.test("eval set: at least 300 items, ru and en about equally, news and questions in both", async () => {
  const items = await loadEvalSet();
  assert.ok(items.length >= 300, `only ${items.length} items`);
  const ru = items.filter((item) => item.lang === "ru").length;
  assert.ok(Math.abs(ru / items.length - 0.5) <= 0.05, `${ru} of ${items.length} are ru`);
  for (const lang of ["ru", "en"]) {
    for (const kind of ["news", "question"]) {
      const count = items.filter((item) => item.lang === lang && item.kind === kind).length;
      assert.ok(count >= 30, `${lang} ${kind}: only ${count}`);
    }
  }
  // A held-out part, once read, joins the tuning part and a fresh one is written (README.md):
  // what matters is that the current one is big enough to measure.
  const heldout = items.filter((item) => item.split === "heldout").length;
  assert.ok(heldout >= 100 && heldout / items.length <= 0.35, `held-out part: ${heldout} items`);
  assert.equal(new Set(items.map((item) => item.id)).size, items.length, "ids are unique");
});

Deno.test("eval set: the offline analyzer's figures stay within the margin of those recorded", async () => {
  const report = scoreEvalSet(await loadEvalSet(), (item) => {
    const content = analyzeOffline({ text: item.text, lang: item.lang, mode: "default" });
    return { assets: content.assets, direction: content.sentiment.label, kind: content.kind };
  });
  const drops: string[] = [];
  for (const part of ["all", "heldout"] as const) {
    for (const [figure, value] of Object.entries(report[part])) {
      const floor = recorded[part][figure as keyof EvalFigures] - MARGIN;
      if (value < floor) {
        drops.push(
          `${part} ${figure}: ${value}, recorded ${recorded[part][figure as keyof EvalFigures]}`,
        );
      }
    }
  }
  assert.deepEqual(
    drops,
    [],
    "answers got worse on the evaluation set; `deno task bench analysis` lists the worst misses " +
      "(if the change is right, update tests/analysis/eval/recorded.json and say why)",
  );
});
