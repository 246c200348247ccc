import { api, apiKey } from "./api.js";
import { fill, h } from "./dom.js";
import { errorPanel } from "./errors.js";
import { createReleasePage } from "./pages/create-release.js";
import { deployPage } from "./pages/deploy.js";
import { deploymentPage } from "./pages/deployment.js";
import { feedPage } from "./pages/feed.js";
import { historyPage } from "./pages/history.js";
import { overviewPage } from "./pages/overview.js";

/**
 * The dashboard's shell: hash routes (#/, #/deployments/<id>, #/deploy/<release>, #/releases/new, #/history/<environment>,
 * #/feed/…) to pages, the key form, the project's name, and the links the key may use. A page renders into <main> and returns what stops its timers and streams.
 */
const main = document.getElementById("main");
let dispose = () => undefined;
let navigations = 0;

function parseRoute() {
  const raw = location.hash.startsWith("#/") ? location.hash.slice(2) : "";
  const [path, search = ""] = raw.split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { parts, query: new URLSearchParams(search) };
}

const routes = [
  { nav: "overview", match: (p) => p.length === 0, page: overviewPage },
  { nav: "overview", match: (p) => p[0] === "deployments" && p.length === 2, page: deploymentPage },
  { nav: "overview", match: (p) => p[0] === "deploy" && p.length === 2, page: deployPage },
  { nav: "create-release", match: (p) => p[0] === "releases" && p[1] === "new" && p.length === 2, page: createReleasePage },
  { nav: "history", match: (p) => p[0] === "history" && p.length <= 2, page: historyPage },
  { nav: "feed", match: (p) => p[0] === "feed" && p.length <= 4, page: feedPage },
];

function notFound(target) {
  document.title = "Not found · slipway";
  fill(target, h("h1", { tabindex: "-1" }, "Nothing here"), h("p", {}, "This page does not exist. ", h("a", { href: "#/" }, "Go to the overview"), "."));
  return () => undefined;
}

async function show() {
  dispose();
  dispose = () => undefined;
  const { parts, query } = parseRoute();
  const route = routes.find((r) => r.match(parts));
  for (const link of document.querySelectorAll("[data-nav]")) {
    if (route && link.dataset.nav === route.nav) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  fill(main, h("p", { class: "muted" }, "Loading…"));
  main.setAttribute("aria-busy", "true");
  try {
    const stop = route ? await route.page(main, parts.slice(1), query) : notFound(main);
    dispose = typeof stop === "function" ? stop : () => undefined;
  } catch (error) {
    const title = error?.status === 401 ? "API key needed" : error?.status === 404 ? "Not found" : "Something went wrong";
    document.title = `${title} · slipway`;
    fill(main, h("h1", { tabindex: "-1" }, title), errorPanel(error));
  } finally {
    main.removeAttribute("aria-busy");
  }
  // After a navigation (not the first load) focus moves to the new page's heading, as a page load would.
  if (navigations++ > 0) main.querySelector("h1")?.focus({ preventScroll: false });
}

function keyForm() {
  const form = document.getElementById("key-form");
  const input = document.getElementById("key-input");
  const state = document.getElementById("key-state");
  const showState = () => {
    state.textContent = apiKey.get() ? "Key in use for this tab." : "No key: an --open server needs none.";
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    apiKey.set(input.value.trim());
    input.value = "";
    void show();
  });
  document.getElementById("key-forget").addEventListener("click", () => {
    apiKey.set("");
    void show();
  });
  window.addEventListener("slipway:key", showState);
  window.addEventListener("slipway:unauthorized", () => input.setAttribute("aria-invalid", "true"));
  window.addEventListener("slipway:key", () => input.removeAttribute("aria-invalid"));
  showState();
}

/** The project's name and the links only some keys may follow, from GET /project (any live key may read it). */
let headerReads = 0;
async function projectHeader() {
  const createLink = document.getElementById("nav-create-release");
  // Only the latest read counts: a key changed while an earlier one was answered.
  const read = ++headerReads;
  try {
    const project = await api("/api/v1/project");
    if (read !== headerReads) return;
    document.getElementById("project-name").textContent = project.name;
    createLink.hidden = !project.caller.scopes.createReleases;
  } catch {
    // Shown once a key lets the page read.
    if (read === headerReads) createLink.hidden = true;
  }
}

document.getElementById("skip-link").addEventListener("click", (event) => {
  event.preventDefault();
  main.focus();
});
window.addEventListener("hashchange", () => void show());
window.addEventListener("slipway:key", () => void projectHeader());
keyForm();
void projectHeader();
void show();
