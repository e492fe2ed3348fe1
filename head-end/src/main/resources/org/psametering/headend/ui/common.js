// Shared by the overview and the group page: JSON from this head-end's own API, DOM building without innerHTML
// (every text goes in as a text node), and the formats both pages show.
//
// Access token: when the head-end requires one (http.tokenFile) the API answers 401; the page then shows its sign-in
// form, keeps the token in sessionStorage (this tab only, never localStorage) and sends it as "Authorization: Bearer"
// with every request. A refused token brings the form back with a message. The page's files themselves hold no data.
"use strict";

const TOKEN_KEY = "psa.accessToken";

const psa = {
  /** Polling period of the live views; new results are fetched, never the whole history again. */
  pollMillis: 2000,

  /** GET with the access token, if one was given; on 401 asks for a token and tries again. */
  async get(path) {
    for (;;) {
      const token = sessionStorage.getItem(TOKEN_KEY);
      const headers = token ? { Authorization: "Bearer " + token } : {};
      const response = await fetch(path, { cache: "no-store", headers });
      if (response.status !== 401) return response;
      await psa.signIn(token ? "The access token was refused (401). Enter the right one."
        : "This head-end requires an access token.");
    }
  },

  async json(path) {
    const response = await psa.get(path);
    if (!response.ok) {
      let message = response.status + " " + response.statusText;
      try { message = (await response.json()).error || message; } catch (e) { /* not JSON: keep the status */ }
      throw new Error(path + ": " + message);
    }
    return response.json();
  },

  /** Shows the sign-in form until a token is entered; every caller waiting for one shares the same form. */
  signIn(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    if (!psa.pendingSignIn) {
      psa.pendingSignIn = new Promise((resolve) => {
        const form = document.getElementById("login");
        const input = document.getElementById("login-token");
        document.getElementById("login-message").textContent = message;
        form.hidden = false;
        document.querySelector("main").hidden = true;
        input.value = "";
        input.focus();
        form.addEventListener("submit", (event) => {
          event.preventDefault(); // nothing is submitted anywhere: the token only goes into this tab's session storage
          const token = input.value.trim();
          if (!token) return;
          sessionStorage.setItem(TOKEN_KEY, token);
          input.value = "";
          form.hidden = true;
          document.querySelector("main").hidden = false;
          psa.pendingSignIn = null;
          window.dispatchEvent(new Event("resize")); // a chart laid out while hidden takes its size again
          resolve();
        }, { once: true });
      });
    }
    return psa.pendingSignIn;
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

  /**
   * A plain link to an API path (e.g. /metrics) goes without the Authorization header, so with a token the browser
   * would show a 401. With a token set, the click fetches the path with it and shows the answer in this tab (a blob
   * URL: the token never goes into a URL); without one the link works as usual (an open head-end).
   */
  openWithToken(event) {
    const link = event.currentTarget;
    if (!sessionStorage.getItem(TOKEN_KEY)) return;
    event.preventDefault();
    psa.get(link.getAttribute("href")).then(async (response) => {
      if (!response.ok) throw new Error(link.getAttribute("href") + ": " + response.status);
      window.location.assign(URL.createObjectURL(await response.blob()));
    }).catch((error) => psa.showError(error));
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

// links to API paths marked data-with-token (e.g. the overview's /metrics) send the access token, see openWithToken
document.querySelectorAll("a[data-with-token]").forEach((link) => link.addEventListener("click", psa.openWithToken));
