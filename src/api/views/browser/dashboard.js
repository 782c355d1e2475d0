// @ts-check
/**
 * The dashboard's auto-refresh (served as `/assets/dashboard.js`): off until the reader turns
 * it on; the choice is remembered by this browser. While on and the tab is visible, it fetches
 * the page again and replaces the sections and the footer in place (no reload, so the scroll
 * position stays). Without this script the page is complete, only static.
 *
 * @module
 */

const STORAGE_KEY = "rvx.dashboard.autoRefresh";

const toggle = document.getElementById("auto-refresh");
const control = toggle?.closest("label");
const status = document.getElementById("refresh-status");

/** @param {string} text */
function say(text) {
  if (status) status.textContent = text;
}

/** Replaces `main` and the footer with those of a freshly fetched copy of the page. */
async function refresh() {
  const res = await fetch(location.href, {
    credentials: "same-origin",
    headers: { Accept: "text/html" },
  });
  if (!res.ok) {
    throw new Error(res.status === 401 ? "signed out: reload the page" : `HTTP ${res.status}`);
  }
  const fresh = new DOMParser().parseFromString(await res.text(), "text/html");
  for (const selector of ["main", "footer time"]) {
    const now = document.querySelector(selector);
    const next = fresh.querySelector(selector);
    if (now && next) now.replaceChildren(...[...next.childNodes].map((n) => document.adoptNode(n)));
  }
}

/** @param {number} seconds */
function start(seconds) {
  let timer = 0;
  let busy = false;
  async function tick() {
    if (busy || document.hidden) return;
    busy = true;
    try {
      await refresh();
      say("");
    } catch (err) {
      say(`Auto-refresh paused: ${err instanceof Error ? err.message : String(err)}`);
      stop();
      if (toggle instanceof HTMLInputElement) toggle.checked = false;
    } finally {
      busy = false;
    }
  }
  function stop() {
    clearInterval(timer);
    timer = 0;
  }
  return {
    /** @param {boolean} on */
    set(on) {
      stop();
      if (on) timer = setInterval(tick, seconds * 1000);
    },
  };
}

if (toggle instanceof HTMLInputElement && control) {
  const seconds = Number(control.dataset.seconds) || 30;
  const refresher = start(seconds);
  toggle.checked = localStorage.getItem(STORAGE_KEY) === "on";
  refresher.set(toggle.checked);
  toggle.addEventListener("change", () => {
    localStorage.setItem(STORAGE_KEY, toggle.checked ? "on" : "off");
    refresher.set(toggle.checked);
    say("");
  });
  control.hidden = false;
}
