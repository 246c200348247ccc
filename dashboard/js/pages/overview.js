import { api } from "../api.js";
import { fill, h, renderIfChanged } from "../dom.js";
import { errorPanel } from "../errors.js";
import { badge, deploymentHref, time } from "../format.js";

/** Overview: environments × releases — what runs where, and what is in progress. Re-read every few seconds. */
const refreshMs = 3000;

function environmentCard(env) {
  const current = env.current;
  return h(
    "li",
    { class: "card" },
    h("h3", {}, env.name, env.optional ? h("span", { class: "tag" }, "optional") : null),
    current
      ? h("p", { class: "card-main" }, "Runs ", h("a", { href: deploymentHref(current.id), "data-key": `current-${env.name}` }, `release ${current.release}`))
      : h("p", { class: "card-main muted" }, "Nothing deployed yet"),
    current ? h("p", { class: "muted small" }, "since ", time(current.at), ` by ${current.requestedBy}`) : null,
    env.inProgress.length > 0
      ? h(
          "ul",
          { class: "in-progress", "aria-label": `In progress in ${env.name}` },
          env.inProgress.map((run) =>
            h("li", {}, h("a", { href: deploymentHref(run.id), "data-key": `progress-${run.id}` }, `Release ${run.release} to ${env.name}`), " ", badge(run.status)),
          ),
        )
      : null,
    h("p", { class: "small" }, h("a", { href: `#/history/${encodeURIComponent(env.name)}`, "data-key": `history-${env.name}` }, `History of ${env.name}`)),
  );
}

function releaseRow(release, environments) {
  return h(
    "tr",
    {},
    h("th", { scope: "row" }, h("span", { class: "mono" }, release.version), h("span", { class: "muted small block" }, `${release.channel} · `, time(release.createdAt))),
    environments.map((env) => {
      const run = release.environments[env.name];
      if (!run) return h("td", { class: "muted" }, h("span", { "aria-label": `${release.version} not deployed to ${env.name}` }, "—"));
      const live = env.current?.id === run.id;
      return h(
        "td",
        {},
        h("a", { href: deploymentHref(run.id), class: "cell-link", "data-key": `cell-${run.id}`, "aria-label": `Release ${release.version} in ${env.name}: ${run.status}${live ? ", live" : ""}` }, badge(run.status)),
        live ? h("span", { class: "tag tag-live" }, "live") : null,
        h("span", { class: "muted small block" }, time(run.at)),
      );
    }),
  );
}

function render(region, status) {
  fill(
    region,
    h(
      "section",
      { class: "panel", "aria-labelledby": "environments-title" },
      h("h2", { id: "environments-title" }, "Environments"),
      h("ul", { class: "cards" }, status.environments.map(environmentCard)),
    ),
    h(
      "section",
      { class: "panel", "aria-labelledby": "releases-title" },
      h("h2", { id: "releases-title" }, "Releases"),
      status.releases.length === 0
        ? h("p", { class: "muted" }, "No release yet: ", h("code", {}, "slipway release create"), " makes one.")
        : h(
            "div",
            { class: "table-wrap" },
            h(
              "table",
              { class: "grid" },
              h("caption", {}, "The latest deployment of each release in each environment"),
              h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Release"), status.environments.map((e) => h("th", { scope: "col" }, e.name)))),
              h("tbody", {}, status.releases.map((r) => releaseRow(r, status.environments))),
            ),
          ),
    ),
  );
}

export async function overviewPage(main) {
  document.title = "Overview · slipway";
  const status = await api("/api/v1/status");
  const region = h("div", {});
  const problem = h("div", {});
  fill(main, h("h1", { tabindex: "-1" }, "Overview ", h("span", { class: "muted h-sub" }, status.project)), problem, region);
  renderIfChanged(region, status, render);
  const timer = setInterval(async () => {
    try {
      renderIfChanged(region, await api("/api/v1/status"), render);
      fill(problem);
    } catch (error) {
      fill(problem, errorPanel(error, "The overview could not be refreshed"));
    }
  }, refreshMs);
  return () => clearInterval(timer);
}
