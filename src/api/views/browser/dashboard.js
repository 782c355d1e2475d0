// @ts-check
/**
 * The dashboard's auto-refresh (served as `/assets/dashboard.js`): off until the reader turns
 * it on; the choice is remembered by this browser. While on and the tab is visible, it fetches
 * the page again (at once when turned on, then every `data-seconds`) and replaces the sections
 * and the footer's time in place (no reload, so the scroll position stays). Without this script
 * the page is complete, only static.
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

/** Replaces the sections and the "Updated" time with those of a fresh copy of the page. */
async function refresh() {
  const res = await fetch(location.href, {
    credentials: "same-origin",
    headers: { Accept: "text/html" },
  });
  if (!res.ok) {
    throw new Error(res.status === 401 ? "signed out: reload the page" : `HTTP ${res.status}`);
  }
  const fresh = new DOMParser().parseFromString(await res.text(), "text/html");
  const main = document.querySelector("main");
  const freshMain = fresh.querySelector("main");
  if (main && freshMain) {
    main.replaceChildren(...[...freshMain.childNodes].map((n) => document.adoptNode(n)));
  }
  const freshTime = fresh.getElementById("updated");
  if (freshTime) document.getElementById("updated")?.replaceWith(document.adoptNode(freshTime));
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
    /**
     * @param {boolean} on
     * @param {boolean} now refresh at once too (the reader just turned it on)
     */
    set(on, now) {
      stop();
      if (!on) return;
      timer = setInterval(tick, seconds * 1000);
      if (now) tick();
    },
  };
}

if (toggle instanceof HTMLInputElement && control) {
  const seconds = Number(control.dataset.seconds) || 30;
  const refresher = start(seconds);
  toggle.checked = localStorage.getItem(STORAGE_KEY) === "on";
  refresher.set(toggle.checked, false);
  toggle.addEventListener("change", () => {
    localStorage.setItem(STORAGE_KEY, toggle.checked ? "on" : "off");
    say("");
    refresher.set(toggle.checked, true);
  });
  control.hidden = false;
}
