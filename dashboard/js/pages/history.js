import { api } from "../api.js";
import { fill, h } from "../dom.js";
import { badge, deploymentHref, duration, time } from "../format.js";

/**
 * History: an environment's deployments, newest first — what each changed (source → target revision), who, when, how
 * it ended. A rollback is one of them, marked as such, with the revisions (and their releases) it went from and to.
 */

function tabs(environments, current) {
  return h(
    "nav",
    { "aria-label": "Environments", class: "tabs" },
    h(
      "ul",
      {},
      environments.map((name) => h("li", {}, h("a", { href: `#/history/${encodeURIComponent(name)}`, "aria-current": name === current ? "page" : undefined }, name))),
    ),
  );
}

function changes(services) {
  if (services.length === 0) return h("span", { class: "muted" }, "—");
  return h(
    "ul",
    { class: "plain" },
    services.map((s) => h("li", {}, h("span", {}, `${s.service}: `), h("span", { class: "mono" }, s.from ?? "(new)"), " → ", h("span", { class: "mono" }, s.to), " ", badge(s.status))),
  );
}

/** "shop-web:1 (1.0.0)", or the revision alone, saying no release is known to have made it. */
function revisionWithRelease(r) {
  return h("span", {}, h("span", { class: "mono" }, r.revision), r.release ? ` (release ${r.release})` : h("span", { class: "muted" }, " (no known release)"));
}

function rollbackChange(d) {
  const r = d.rollback;
  const status = d.services.find((s) => s.service === r.service)?.status;
  return h("ul", { class: "plain" }, h("li", {}, h("span", {}, `${r.service}: `), revisionWithRelease(r.from), " → ", revisionWithRelease(r.to), status ? [" ", badge(status)] : null));
}

/** What the deployment put in place: the release, or for a rollback the release returned to, marked as a rollback. */
function whatCell(d) {
  const link = (text) => h("a", { href: deploymentHref(d.deployment), class: "mono" }, text);
  const id = h("span", { class: "mono muted small block" }, d.deployment);
  if (d.kind !== "rollback") return [link(d.release), id];
  return [h("span", { class: "tag" }, "rollback"), " ", link(d.release ? `to ${d.release}` : "to no known release"), id];
}

function historyTable(history) {
  if (history.deployments.length === 0) return h("p", { class: "muted" }, `Nothing was deployed to ${history.environment} yet.`);
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "data history" },
      h("caption", {}, `Deployments and rollbacks in ${history.environment}, newest first`),
      h("thead", {}, h("tr", {}, ["Release", "Services (source → target revision)", "Requested by", "Started", "Took", "Outcome"].map((t) => h("th", { scope: "col" }, t)))),
      h(
        "tbody",
        {},
        history.deployments.map((d) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, whatCell(d)),
            h("td", {}, d.rollback ? rollbackChange(d) : changes(d.services)),
            h("td", {}, d.requestedBy),
            h("td", { class: "small" }, time(d.startedAt ?? d.createdAt)),
            h("td", { class: "small" }, d.endedAt ? duration(d.startedAt ?? d.createdAt, d.endedAt) : "—"),
            h("td", {}, badge(d.status), d.error ? h("span", { class: "block small error-text" }, d.error.message) : null),
          ),
        ),
      ),
    ),
  );
}

export async function historyPage(main, [asked]) {
  const status = await api("/api/v1/status");
  const names = status.environments.map((e) => e.name);
  const environment = asked ?? names.at(-1);
  document.title = `History of ${environment} · slipway`;
  const history = await api(`/api/v1/environments/${encodeURIComponent(environment)}/history?limit=100`);
  fill(main, h("h1", { tabindex: "-1" }, `History of ${environment}`), tabs(names, environment), h("section", { class: "panel", "aria-label": `Deployments to ${environment}` }, historyTable(history)));
}
