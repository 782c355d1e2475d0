// @ts-check
/**
 * The playground page's script (served as `/assets/playground.js`; docs/OPERATIONS.md "Pages"):
 * long-polls `/playground/messages` and draws the transcript, sends texts and button presses.
 * Message HTML arrives already reduced to Telegram's safe subset by the server.
 *
 * @module
 */

/**
 * @typedef {{ text: string, data: string | null, url: string | null }} Button
 * @typedef {{
 *   message_id: number, from_bot: boolean, html: string, text: string,
 *   keyboard: Button[][], date: number, edited: boolean, rev: number
 * }} Message
 * @typedef {{ rev: number, text: string | null }} Notice
 * @typedef {{
 *   user_id: number | null, rev: number, pending: number,
 *   messages: Message[], notices: Notice[]
 * }} Transcript
 */

/**
 * An element the page is known to have.
 *
 * @template {HTMLElement} T
 * @param {string} id
 * @param {new () => T} type
 * @returns {T}
 */
function byId(id, type) {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new TypeError(`The page has no #${id}`);
  return el;
}

const log = byId("log", HTMLElement);
const form = byId("composer", HTMLFormElement);
const input = byId("text", HTMLTextAreaElement);
const status = byId("status", HTMLElement);
const toast = byId("toast", HTMLElement);
/** @type {Map<number, HTMLElement>} */
const shown = new Map();
let rev = 0;
let noticeRev = 0;
let polling = false;
let toastTimer = 0;
/** Bumped on "New user": answers to older polls are dropped. */
let epoch = 0;
let controller = new AbortController();

/** @param {string} text */
function showToast(text) {
  toast.textContent = text;
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    toast.hidden = true;
  }, 3000);
}

/**
 * Calls one of the page's routes and unwraps its BotResponse.
 *
 * @param {string} path
 * @param {object | null} body
 * @param {AbortSignal} [signal]
 * @returns {Promise<any>}
 */
async function call(path, body, signal) {
  const res = await fetch(path, {
    signal,
    method: body ? "POST" : "GET",
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
    credentials: "same-origin",
  });
  const json = await res.json().catch(() => null);
  if (!res.ok || !json || !json.success) {
    throw new Error((json && json.error) || `HTTP ${res.status}`);
  }
  return json.data;
}

/**
 * @param {Message} m
 * @param {Button} b
 * @returns {HTMLElement}
 */
function buttonOf(m, b) {
  if (b.data !== null) {
    const data = b.data;
    const node = document.createElement("button");
    node.type = "button";
    node.addEventListener("click", () => press(m.message_id, data, node));
    node.textContent = b.text;
    return node;
  }
  if (b.url !== null) {
    const node = document.createElement("a");
    node.href = b.url;
    node.target = "_blank";
    node.rel = "noopener noreferrer";
    node.textContent = b.text;
    return node;
  }
  const node = document.createElement("button");
  node.type = "button";
  node.disabled = true;
  node.textContent = b.text;
  return node;
}

/**
 * @param {Message} m
 * @returns {HTMLElement}
 */
function render(m) {
  const el = document.createElement("div");
  el.className = "msg " + (m.from_bot ? "bot" : "user");
  el.dataset.id = String(m.message_id);
  el.dataset.rev = String(m.rev);
  const body = document.createElement("div");
  body.className = "body";
  // Safe: the server reduced it to Telegram's tags (src/api/views/telegram_html.ts).
  body.innerHTML = m.html;
  el.appendChild(body);
  if (m.keyboard.length > 0) {
    const kb = document.createElement("div");
    kb.className = "kb";
    for (const row of m.keyboard) {
      const r = document.createElement("div");
      r.className = "row";
      for (const b of row) r.appendChild(buttonOf(m, b));
      kb.appendChild(r);
    }
    el.appendChild(kb);
  }
  const meta = document.createElement("div");
  meta.className = "meta";
  meta.textContent = new Date(m.date * 1000).toLocaleTimeString() + (m.edited ? " · edited" : "");
  el.appendChild(meta);
  return el;
}

/** @param {Transcript} data */
function apply(data) {
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 60;
  /** @type {Set<number>} */
  const seen = new Set();
  /** @type {HTMLElement | null} */
  let previous = null;
  for (const m of data.messages) {
    seen.add(m.message_id);
    const old = shown.get(m.message_id);
    let el = old;
    if (!old || old.dataset.rev !== String(m.rev)) {
      el = render(m);
      if (old) old.replaceWith(el);
      else if (previous) previous.after(el);
      else log.prepend(el);
      shown.set(m.message_id, el);
    }
    previous = el ?? null;
  }
  for (const [id, el] of shown) {
    if (!seen.has(id)) {
      el.remove();
      shown.delete(id);
    }
  }
  const empty = document.getElementById("empty");
  if (empty) empty.hidden = shown.size > 0;
  for (const n of data.notices) {
    if (n.rev > noticeRev && n.text) showToast(n.text);
  }
  if (data.notices.length > 0) {
    noticeRev = Math.max(noticeRev, ...data.notices.map((n) => n.rev));
  }
  rev = data.rev;
  if (atBottom) log.scrollTop = log.scrollHeight;
}

/** @param {unknown} err */
function messageOf(err) {
  return err instanceof Error ? err.message : String(err);
}

async function poll() {
  if (polling) return;
  polling = true;
  for (;;) {
    const mine = epoch;
    try {
      /** @type {Transcript} */
      const data = await call(
        `/playground/messages?since=${rev}&wait=20000`,
        null,
        controller.signal,
      );
      if (mine !== epoch) continue;
      apply(data);
      status.textContent = data.pending > 0 ? "The bot is answering…" : "";
    } catch (err) {
      if (mine !== epoch) continue;
      status.textContent = `Connection problem: ${messageOf(err)} (retrying)`;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

/**
 * @param {number} messageId
 * @param {string} data
 * @param {HTMLButtonElement} node
 */
async function press(messageId, data, node) {
  node.disabled = true;
  try {
    await call("/playground/press", { message_id: messageId, data });
    status.textContent = "The bot is answering…";
  } catch (err) {
    showToast(messageOf(err));
  } finally {
    node.disabled = false;
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  try {
    await call("/playground/send", { text });
    status.textContent = "The bot is answering…";
  } catch (err) {
    input.value = text;
    showToast(messageOf(err));
  }
});

input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});

byId("new-user", HTMLButtonElement).addEventListener("click", async () => {
  /** @type {{ user_id: number }} */
  const data = await call("/playground/user", {});
  epoch++;
  controller.abort();
  controller = new AbortController();
  byId("user", HTMLElement).textContent = String(data.user_id);
  for (const el of shown.values()) el.remove();
  shown.clear();
  rev = 0;
  noticeRev = 0;
});

poll();
