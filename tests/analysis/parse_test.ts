import assert from "node:assert/strict";
import { extractJsonObject, repairAnalysisContent } from "../../src/analysis/parse.ts";
import { t } from "../../src/i18n/mod.ts";
import {
  ANALYSIS_LIMITS,
  AnalysisContentSchema,
  type AnalysisRequest,
} from "../../src/analysis/schema.ts";
import { fakeAnalysis } from "../support/fake_llm_server.ts";

const EN: AnalysisRequest = { text: "SEC approves spot ETH ETFs", lang: "en", mode: "default" };
const RU: AnalysisRequest = { text: "SEC одобрила ETF на эфир", lang: "ru", mode: "default" };

Deno.test("parse: a bare JSON object is read as is", () => {
  assert.deepEqual(extractJsonObject('  {"summary": "ok", "n": 1}  '), { summary: "ok", n: 1 });
});

Deno.test("parse: JSON inside a ```json fence with chatter around it is found", () => {
  const raw = 'Sure! Here it is:\n```json\n{"summary": "fenced"}\n```\nAnything else?';
  assert.deepEqual(extractJsonObject(raw), { summary: "fenced" });
});

Deno.test("parse: JSON inside <json> tags is found", () => {
  assert.deepEqual(extractJsonObject('<json>\n{"summary": "tagged"}\n</json>'), {
    summary: "tagged",
  });
});

Deno.test("parse: the first balanced object in prose is found, braces in strings respected", () => {
  const raw = 'Note {not json}. Result: {"a": "}{ \\" }", "b": {"c": [1, 2]}} — done {x}';
  assert.deepEqual(extractJsonObject(raw), { a: '}{ " }', b: { c: [1, 2] } });
});

Deno.test("parse: a reply without a JSON object is a SyntaxError", () => {
  assert.throws(() => extractJsonObject("The market is up today."), SyntaxError);
  assert.throws(() => extractJsonObject("[1, 2, 3]"), SyntaxError);
  assert.throws(() => extractJsonObject('{"summary": "unterminated'), SyntaxError);
});

Deno.test("parse: a valid analysis passes repair unchanged", () => {
  const value = { ...fakeAnalysis(), topic: "etf" };
  assert.deepEqual(repairAnalysisContent(value, EN), value);
});

Deno.test("parse: a reply's topic is kept when it is one of ours, else taken from the text", () => {
  const value = fakeAnalysis();
  assert.equal(repairAnalysisContent({ ...value, topic: "Hack" }, EN).topic, "hack");
  assert.equal(repairAnalysisContent({ ...value, topic: "memes" }, EN).topic, "etf");
  assert.equal(repairAnalysisContent(value, EN).topic, "etf");
});

Deno.test("parse: repair clamps impact points to at most six and caps every length", () => {
  const content = repairAnalysisContent(
    fakeAnalysis({
      summary: "Long summary. ".repeat(100),
      impact_points: Array.from({ length: 9 }, (_, i) => `Point ${i} `.repeat(60)),
      learning_question: "Why? ".repeat(100),
    }),
    EN,
  );
  assert.equal(content.impact_points.length, ANALYSIS_LIMITS.maxImpactPoints);
  assert.ok(content.summary.length <= ANALYSIS_LIMITS.summaryChars);
  assert.ok(content.impact_points.every((p) => p.length <= ANALYSIS_LIMITS.impactPointChars));
  assert.ok(content.learning_question.length <= ANALYSIS_LIMITS.questionChars);
  assert.ok(AnalysisContentSchema.safeParse(content).success);
});

Deno.test("parse: repair uppercases, cleans and deduplicates tickers", () => {
  const content = repairAnalysisContent(
    fakeAnalysis({
      assets: ["$eth", "btc", "BTC-USDT", "x", "sol/usd", "TOOLONGTICKER", 42, "123"],
    }),
    EN,
  );
  assert.deepEqual(content.assets, ["ETH", "BTC", "SOL"]);
});

Deno.test("parse: repair maps sentiment, risk and horizon synonyms in both languages", () => {
  const content = repairAnalysisContent(
    fakeAnalysis({
      sentiment: { label: "Медвежий", confidence: "85%" },
      risk: "Высокий",
      horizon: "long-term",
    }),
    RU,
  );
  assert.deepEqual(content.sentiment, { label: "bearish", confidence: 0.85 });
  assert.equal(content.risk, "high");
  assert.equal(content.horizon, "month");
  const plain = repairAnalysisContent(
    fakeAnalysis({ sentiment: "Positive", risk: "moderate" }),
    EN,
  );
  assert.deepEqual(plain.sentiment, { label: "bullish", confidence: 0.5 });
  assert.equal(plain.risk, "medium");
});

Deno.test("parse: repair falls back for unknown labels and a missing question", () => {
  const content = repairAnalysisContent(
    fakeAnalysis({
      sentiment: { label: "to the moon", confidence: 7 },
      risk: "extreme??",
      horizon: undefined,
      learning_question: "",
    }),
    RU,
  );
  assert.equal(content.sentiment.label, "neutral");
  assert.equal(content.sentiment.confidence, 0.07);
  assert.equal(content.risk, "medium");
  assert.equal(content.horizon, "week");
  assert.equal(content.learning_question, t("ru", "analysis_fallback_question"));
});

Deno.test("parse: repair strips markdown from provider texts", () => {
  const content = repairAnalysisContent(
    fakeAnalysis({
      summary: "## **Big news**: [SEC](https://sec.gov) approves `ETH` ETFs",
      impact_points: ["- **Demand** may rise", "2. _Volatility_ too"],
    }),
    EN,
  );
  assert.equal(content.summary, "Big news: SEC approves ETH ETFs");
  assert.deepEqual(content.impact_points, ["Demand may rise", "Volatility too"]);
});

Deno.test("parse: repair splits one multi-sentence point and accepts a newline list", () => {
  const one = repairAnalysisContent(
    fakeAnalysis({ impact_points: ["Demand may rise. Fees could fall! Risk stays."] }),
    EN,
  );
  assert.deepEqual(one.impact_points, ["Demand may rise.", "Fees could fall!", "Risk stays."]);
  const lines = repairAnalysisContent(fakeAnalysis({ impact_points: "- first\n- second" }), EN);
  assert.deepEqual(lines.impact_points, ["first", "second"]);
});

Deno.test("parse: repair takes kind from the reply or infers it from the request", () => {
  assert.equal(repairAnalysisContent(fakeAnalysis({ kind: "Question" }), EN).kind, "question");
  const inferred = repairAnalysisContent(fakeAnalysis({ kind: "?" }), {
    ...EN,
    text: "What is staking?",
  });
  assert.equal(inferred.kind, "question");
  assert.equal(
    repairAnalysisContent(fakeAnalysis({ kind: undefined }), { ...EN, mode: "answer" }).kind,
    "question",
  );
  assert.equal(repairAnalysisContent(fakeAnalysis({ kind: undefined }), EN).kind, "news");
});

Deno.test("parse: a reply without summary or two impact points is rejected", () => {
  assert.throws(() => repairAnalysisContent(fakeAnalysis({ summary: "" }), EN), TypeError);
  assert.throws(() => repairAnalysisContent(fakeAnalysis({ summary: "**``**" }), EN), TypeError);
  assert.throws(
    () => repairAnalysisContent(fakeAnalysis({ impact_points: ["only one point"] }), EN),
    TypeError,
  );
  assert.throws(() => repairAnalysisContent(fakeAnalysis({ impact_points: 5 }), EN), TypeError);
  assert.throws(() => repairAnalysisContent([1, 2], EN), TypeError);
});
