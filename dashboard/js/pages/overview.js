import { api } from "../api.js";
import { fill, h, renderIfChanged } from "../dom.js";
import { errorPanel } from "../errors.js";
import { badge, deploymentHref, time } from "../format.js";

/** Overview: environments × releases — what runs where, and what is in progress. Re-read every few seconds. */
const refreshMs = 3000;

const revision = (arn) => arn.split("/").at(-1) ?? arn;
const releaseOr = (r) => (r.release ? `release ${r.release}` : `${revision(r.taskDefinition)} (no known release)`);

/** What runs there: the release, or — after a rollback — the release returned to, and from what. */
function runsNow(env, current) {
  const link = (text) => h("a", { href: deploymentHref(current.id), "data-key": `current-${env.name}` }, text);
  if (!current.rollback) return h("p", { class: "card-main" }, "Runs ", link(`release ${current.release}`));
  const { service, from, to } = current.rollback;
  return [h("p", { class: "card-main" }, "Runs ", link(releaseOr(to))), h("p", { class: "small" }, h("span", { class: "tag" }, "rollback"), ` ${service} rolled back from ${releaseOr(from)}`)];
}

const inProgressLabel = (run, env) => (run.rollback ? `Rollback of ${run.rollback.service} in ${env.name}` : `Release ${run.release} to ${env.name}`);

function environmentCard(env) {
  const current = env.current;
  return h(
    "li",
    { class: "card" },
    h("h3", {}, env.name, env.optional ? h("span", { class: "tag" }, "optional") : null),
    current ? runsNow(env, current) : h("p", { class: "card-main muted" }, "Nothing deployed yet"),
    current ? h("p", { class: "muted small" }, "since ", time(current.at), ` by ${current.requestedBy}`) : null,
    env.inProgress.length > 0
      ? h(
          "ul",
          { class: "in-progress", "aria-label": `In progress in ${env.name}` },
          env.inProgress.map((run) =>
            h(
              "li",
              {},
              h("a", { href: deploymentHref(run.id), "data-key": `progress-${run.id}` }, inProgressLabel(run, env)),
              " ",
              badge(run.waiting ? "waiting" : run.status),
              run.waiting ? h("span", { class: "small block" }, `at “${run.waiting.stage}” since `, time(run.waiting.since), run.waiting.approvers.length > 0 ? ` · ${run.waiting.approvers.join(" or ")} may decide` : null) : null,
            ),
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
    h(
      "th",
      { scope: "row" },
      h("span", { class: "mono" }, release.version),
      h("span", { class: "muted small block" }, `${release.channel} · `, time(release.createdAt)),
      h("a", { href: `#/deploy/${encodeURIComponent(release.version)}`, class: "small", "data-key": `deploy-${release.version}`, "aria-label": `Deploy release ${release.version}…` }, "Deploy…"),
    ),
    environments.map((env) => {
      const run = release.environments[env.name];
      if (!run) return h("td", { class: "muted" }, h("span", { "aria-label": `${release.version} not deployed to ${env.name}` }, "—"));
      // What runs there now is the release's, whether its deployment or a rollback to it put it there.
      const live = env.current?.release === release.version;
      return h(
        "td",
        {},
        h("a", { href: deploymentHref(run.id), class: "cell-link", "data-key": `cell-${run.id}`, "aria-label": `Release ${release.version} in ${env.name}: ${run.waiting ? "waiting for approval" : run.status}${live ? ", live" : ""}` }, badge(run.waiting ? "waiting" : run.status)),
        live ? h("span", { class: "tag tag-live" }, "live") : null,
        h("span", { class: "muted small block" }, time(run.at)),
      );
    }),
  );
}

function render(region, status, mayCreate) {
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
      mayCreate ? h("p", {}, h("a", { href: "#/releases/new", "data-key": "create-release" }, "Create release…")) : null,
      status.releases.length === 0
        ? h("p", { class: "muted" }, "No release yet: ", h("code", {}, "slipway release create"), mayCreate ? " or Create release" : null, " makes one.")
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
  // What the key may do decides whether Create release is offered; a key that may read may always read /project.
  const [status, project] = await Promise.all([api("/api/v1/status"), api("/api/v1/project")]);
  const mayCreate = project.caller.scopes.createReleases === true;
  const draw = (target, value) => render(target, value, mayCreate);
  const region = h("div", {});
  const problem = h("div", {});
  fill(main, h("h1", { tabindex: "-1" }, "Overview ", h("span", { class: "muted h-sub" }, status.project)), problem, region);
  renderIfChanged(region, status, draw);
  const timer = setInterval(async () => {
    try {
      renderIfChanged(region, await api("/api/v1/status"), draw);
      fill(problem);
    } catch (error) {
      fill(problem, errorPanel(error, "The overview could not be refreshed"));
    }
  }, refreshMs);
  return () => clearInterval(timer);
}
