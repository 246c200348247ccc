import { h } from "./dom.js";

/** A failed request as people read it: what went wrong, how to fix it, and for a missing key where to enter it. */
export function errorPanel(error, what = "The page could not be loaded") {
  const needsKey = error?.status === 401;
  return h(
    "div",
    { class: "notice notice-bad", role: "alert" },
    h("p", { class: "notice-title" }, needsKey ? "This server needs an API key" : what),
    h("p", {}, error?.message ?? String(error)),
    error?.hint ? h("p", { class: "muted" }, error.hint) : null,
    needsKey ? h("p", {}, "Enter a key in the API key field at the top of the page (", h("code", {}, "slipway keys create <name> --read"), " makes one).") : null,
  );
}
