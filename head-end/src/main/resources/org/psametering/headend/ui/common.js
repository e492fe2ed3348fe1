// Shared by the overview and the group page: JSON from this head-end's own API, DOM building without innerHTML
// (every text goes in as a text node), and the formats both pages show.
"use strict";

const psa = {
  /** Polling period of the live views; new results are fetched, never the whole history again. */
  pollMillis: 2000,

  async json(path) {
    const response = await fetch(path, { cache: "no-store" });
    if (!response.ok) {
      let message = response.status + " " + response.statusText;
      try { message = (await response.json()).error || message; } catch (e) { /* not JSON: keep the status */ }
      throw new Error(path + ": " + message);
    }
    return response.json();
  },

  /** An element with attributes and children (strings become text nodes). */
  el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== null && value !== undefined) node.setAttribute(name, value);
    }
    for (const child of children) {
      node.append(child instanceof Node ? child : document.createTextNode(child === null || child === undefined ? "" : String(child)));
    }
    return node;
  },

  /** 2026-03-01 10:15 (UTC: the head-end's steps are UTC-aligned, and all operators then read the same times). */
  time(iso) {
    if (!iso) return "–";
    return new Date(iso).toISOString().slice(0, 16).replace("T", " ");
  },

  wh(value) {
    return value === null || value === undefined ? "–" : value.toLocaleString("en-US") + " Wh";
  },

  /** Average power over a step: Wh per step × 3600 / step seconds / 1000. */
  kw(wh, stepSeconds) {
    return wh === null || wh === undefined ? null : wh * 3.6 / stepSeconds;
  },

  percent(part, whole) {
    return whole === 0 ? "–" : (100 * part / whole).toFixed(1) + " %";
  },

  statusClass(status) {
    return "status-" + String(status).toLowerCase();
  },

  showError(error) {
    const box = document.getElementById("error");
    box.textContent = error ? "Cannot load: " + error.message : "";
    box.hidden = !error;
  },

  /** Runs task now and every pollMillis; a failure is shown and the next poll tries again. */
  poll(task) {
    const run = async () => {
      try {
        await task();
        psa.showError(null);
      } catch (error) {
        psa.showError(error);
      }
      setTimeout(run, psa.pollMillis);
    };
    return run();
  },
};
