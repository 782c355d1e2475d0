import assert from "node:assert/strict";
import {
  createOpenAiCompatibleProvider,
  MAX_COMPLETION_TOKENS,
  MAX_REPLY_BYTES,
  ProviderError,
} from "../../../src/analysis/providers/openai_compatible.ts";
import { ANALYSIS_LIMITS } from "../../../src/analysis/schema.ts";
import { fakeAnalysis, FakeLlmServer } from "../../support/fake_llm_server.ts";

const REQUEST = {
  text: "The SEC approved spot Ethereum ETFs on Thursday.",
  lang: "en",
  mode: "default",
} as const;

Deno.test("openai-compatible provider: every request carries max_tokens", async () => {
  await using llm = await FakeLlmServer.start();
  const provider = createOpenAiCompatibleProvider(llm.provider("provider1"));
  await provider.analyze(REQUEST);
  assert.equal(llm.requests[0].body?.max_tokens, MAX_COMPLETION_TOKENS);
});

Deno.test("openai-compatible provider: a reply that never ends is cut at the byte cap with PROVIDER_REPLY_TOO_LARGE", async () => {
  await using llm = await FakeLlmServer.start({ type: "endless" });
  const provider = createOpenAiCompatibleProvider(llm.provider("provider1"));
  const error = await provider.analyze(REQUEST).then(() => null, (err) => err);
  assert.ok(error instanceof ProviderError, String(error));
  assert.equal(error.code, "PROVIDER_REPLY_TOO_LARGE");
  assert.equal(error.failure, "reply_too_large");
  assert.equal(error.retryable, false);
  await llm.endlessStopped; // the connection was dropped, not drained
});

Deno.test("openai-compatible provider: a declared Content-Length over the cap is refused unread", async () => {
  await using llm = await FakeLlmServer.start({
    type: "content",
    content: "x".repeat(MAX_REPLY_BYTES),
  });
  const provider = createOpenAiCompatibleProvider(llm.provider("provider1"));
  const error = await provider.analyze(REQUEST).then(() => null, (err) => err);
  assert.equal(error?.code, "PROVIDER_REPLY_TOO_LARGE");
});

Deno.test("openai-compatible provider: 64 KB of markdown-looking junk in a reply is cleaned and shortened", async () => {
  const junk = {
    "[": "[".repeat(65_536),
    "**a ": "**a ".repeat(16_384),
    "![": "![".repeat(32_768),
    "<http://": "<http://".repeat(8_192),
    "__a ": "__a ".repeat(16_384),
  };
  await using llm = await FakeLlmServer.start();
  const provider = createOpenAiCompatibleProvider(llm.provider("provider1"));
  for (const [name, text] of Object.entries(junk)) {
    llm.enqueue({
      type: "ok",
      analysis: fakeAnalysis({ summary: text, learning_question: text }),
    });
    const content = await provider.analyze(REQUEST);
    assert.ok(content.summary.length <= ANALYSIS_LIMITS.summaryChars, name);
    assert.ok(content.learning_question.length <= ANALYSIS_LIMITS.questionChars, name);
    const kept = name.replace(/[*_]/g, "");
    assert.ok(
      [...content.summary.replace(/…$/, "")].every((ch) => kept.includes(ch)),
      `${name}: only the text stays (${content.summary.slice(0, 40)})`,
    );
    assert.ok(content.summary.length > 100, `${name}: the text is kept, not dropped`);
  }
});
