/**
 * `GET /playground` (admin page) and its own routes under `/playground/`: a per-browser local
 * user (its id in an HttpOnly cookie) talks to the real bot through `ingest` and the supervisor
 * (docs/ARCHITECTURE.md); the page long-polls `/playground/messages` for the transcript, edits
 * applied. The transcript lives in KV (`store/local_chats.ts`), so the send, the turn and the poll
 * may each be served by a different process or Deno Deploy instance: a waiting poll wakes on a
 * change made in its own process and re-reads KV every `pollMs` for changes made elsewhere.
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import { type Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { type IngestResult } from "../../actors/inbox.ts";
import {
  isLocalChat,
  type LocalApi,
  type LocalChat,
  type LocalClient,
  type LocalUser,
} from "../../bot/transport/local.ts";
import { type Clock } from "../../core/clock.ts";
import { type ApiEnv } from "../env.ts";
import { overHttps } from "../middleware/page_auth.ts";
import { addRoute, type ApiRouter, createRouter, type Guard } from "../openapi.ts";
import { sendAppError, sendOk } from "../respond.ts";
import { sendPage } from "../views/page.tsx";
import { PLAYGROUND_POLICY, playgroundMessage, PlaygroundPage } from "../views/playground.tsx";

/** What the playground drives. */
export interface PlaygroundDeps {
  clock: Clock;
  local: Pick<LocalApi, "subscribe" | "transcript">;
  client: Pick<LocalClient, "newUser" | "sendText" | "press">;
  /** The page guard (`auth.page`). */
  guard: Guard;
  /** The guard of the JSON routes (`auth.pageApi`). */
  apiGuard: Guard;
  /** `TRUST_PROXY`: a proxy's `X-Forwarded-Proto: https` makes the user cookie `Secure`. @default false */
  trustProxy?: boolean;
  /** Longest a poll waits for a change (ms). @default 25000 */
  maxWaitMs?: number;
  /** How often a waiting poll reads KV for changes made by other processes (ms). @default 500 */
  pollMs?: number;
}

/** The cookie that keeps the browser's local user: `<id>.<lang>`. */
export const PLAYGROUND_USER_COOKIE = "rvx_playground_user";

const COOKIE_MAX_AGE_S = 30 * 86_400;

const MessageSchema = z.object({
  message_id: z.number().int(),
  from_bot: z.boolean(),
  html: z.string(),
  text: z.string(),
  keyboard: z.array(z.array(z.object({
    text: z.string(),
    data: z.string().nullable(),
    url: z.string().nullable(),
  }))),
  date: z.number(),
  edited: z.boolean(),
  rev: z.number(),
}).openapi("PlaygroundMessage");

const TranscriptSchema = z.object({
  user_id: z.number().nullable(),
  rev: z.number(),
  pending: z.number(),
  messages: z.array(MessageSchema),
  notices: z.array(z.object({ rev: z.number(), text: z.string().nullable() })),
}).openapi("PlaygroundTranscript");

const IngestedSchema = z.object({
  user_id: z.number(),
  status: z.enum(["queued", "duplicate"]),
  update_id: z.number(),
  rev: z.number(),
}).openapi("PlaygroundIngested");

/**
 * @example
 * ```ts
 * app.route("/", playgroundRoutes({ clock, local, client: localClient, guard: auth.page, apiGuard: auth.pageApi }));
 * ```
 */
export function playgroundRoutes(deps: PlaygroundDeps): ApiRouter {
  const router = createRouter();
  const { clock } = deps;
  const pollMs = deps.pollMs ?? 500;

  /**
   * The chat once its change count differs from `since`, or as it stands when `waitMs` passed
   * or the client went away.
   */
  async function changedSince(
    chatId: number,
    since: number,
    waitMs: number,
    signal: AbortSignal,
  ): Promise<LocalChat> {
    const deadline = clock.now() + Math.min(waitMs, deps.maxWaitMs ?? 25_000);
    let chat = await deps.local.transcript(chatId);
    while (chat.rev === since && clock.now() < deadline && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          timer.cancel();
          unsubscribe();
          signal.removeEventListener("abort", wake);
          resolve();
        };
        const timer = clock.setTimeout(wake, Math.min(pollMs, deadline - clock.now()));
        const unsubscribe = deps.local.subscribe(chatId, wake);
        signal.addEventListener("abort", wake, { once: true });
      });
      chat = await deps.local.transcript(chatId);
    }
    return chat;
  }

  function userOf(c: Context<ApiEnv>): LocalUser | null {
    const raw = getCookie(c, PLAYGROUND_USER_COOKIE);
    const match = raw ? /^(\d{1,17})\.(en|ru)$/.exec(raw) : null;
    if (!match) return null;
    const id = Number(match[1]);
    return Number.isSafeInteger(id) && isLocalChat(id)
      ? { id, firstName: "Playground", languageCode: match[2] }
      : null;
  }

  async function newUser(c: Context<ApiEnv>): Promise<LocalUser> {
    const lang = /^\s*ru\b/i.test(c.req.header("Accept-Language") ?? "") ? "ru" : "en";
    const user = await deps.client.newUser("Playground", lang);
    setCookie(c, PLAYGROUND_USER_COOKIE, `${user.id}.${user.languageCode}`, {
      httpOnly: true,
      sameSite: "Strict",
      path: "/playground",
      secure: overHttps(c, deps.trustProxy ?? false),
      maxAge: COOKIE_MAX_AGE_S,
    });
    return user;
  }

  function transcript(user: LocalUser | null, chat: LocalChat | null, since: number) {
    if (!user || !chat) return { user_id: null, rev: 0, pending: 0, messages: [], notices: [] };
    return {
      user_id: user.id,
      rev: chat.rev,
      pending: chat.pending,
      messages: chat.messages.map((m) => playgroundMessage(m, m.rev)),
      notices: chat.notices.filter((n) => n.rev > since),
    };
  }

  async function ingested(
    c: Context<ApiEnv>,
    user: LocalUser,
    result: IngestResult,
  ): Promise<Response> {
    if (result.status === "rejected") return sendAppError(c, clock, result.error);
    return sendOk(c, clock, {
      user_id: user.id,
      status: result.status,
      update_id: result.updateId,
      rev: (await deps.local.transcript(user.id)).rev,
    });
  }

  addRoute(router, clock, {
    method: "get",
    path: "/playground",
    operationId: "playgroundPage",
    tags: ["admin"],
    summary: "Chat with the bot in the browser (HTML; local mode, a test user per browser)",
    description: "Takes the bearer token, or a browser session from `POST /sign-in`; " +
      "without either answers 401 with the sign-in form.",
    guard: deps.guard,
    success: { kind: "text", mediaType: "text/html", description: "The playground page" },
  }, async (c) => {
    const user = userOf(c) ?? await newUser(c);
    return sendPage(c, PlaygroundPage({ userId: user.id }), PLAYGROUND_POLICY);
  });

  addRoute(router, clock, {
    method: "get",
    path: "/playground/messages",
    operationId: "playgroundMessages",
    tags: ["admin"],
    summary: "The browser's chat as it stands (edits applied); waits for a change when asked",
    description: "Answers at once when the chat changed after `since` (a change count from an " +
      "earlier answer), else waits up to `wait` ms for a change.",
    guard: deps.apiGuard,
    query: z.object({
      since: z.coerce.number().int().min(0).default(0),
      wait: z.coerce.number().int().min(0).max(60_000).default(0),
    }),
    success: { kind: "json", data: TranscriptSchema },
  }, async (c, { query }) => {
    const user = userOf(c);
    const chat = user &&
      await changedSince(user.id, query.since, query.wait, c.req.raw.signal);
    return sendOk(c, clock, transcript(user, chat, query.since));
  });

  addRoute(router, clock, {
    method: "post",
    path: "/playground/send",
    operationId: "playgroundSend",
    tags: ["admin"],
    summary: "Sends a text as the browser's local user (through ingest, like a Telegram update)",
    guard: deps.apiGuard,
    body: z.object({ text: z.string().trim().min(1).max(4096) }),
    success: { kind: "json", data: IngestedSchema },
  }, async (c, { body }) => {
    const user = userOf(c) ?? await newUser(c);
    // The user's own message is in the transcript before the update is queued.
    return await ingested(c, user, await deps.client.sendText(user, body.text));
  });

  addRoute(router, clock, {
    method: "post",
    path: "/playground/press",
    operationId: "playgroundPress",
    tags: ["admin"],
    summary: "Presses an inline button of one of the bot's messages",
    guard: deps.apiGuard,
    body: z.object({
      message_id: z.number().int().min(1),
      data: z.string().min(1).max(64),
    }),
    success: { kind: "json", data: IngestedSchema },
  }, async (c, { body }) => {
    const user = userOf(c) ?? await newUser(c);
    const result = await deps.client.press(user, body.message_id, body.data);
    return await ingested(c, user, result);
  });

  addRoute(router, clock, {
    method: "post",
    path: "/playground/user",
    operationId: "playgroundNewUser",
    tags: ["admin"],
    summary: "Starts over as a new local user (a new cookie)",
    guard: deps.apiGuard,
    success: { kind: "json", data: z.object({ user_id: z.number() }) },
  }, async (c) => {
    const user = await newUser(c);
    return sendOk(c, clock, { user_id: user.id });
  });

  return router;
}
