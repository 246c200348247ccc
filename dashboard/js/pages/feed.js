import { api } from "../api.js";
import { fill, h } from "../dom.js";
import { time } from "../format.js";

/** The task definition feed (/feed/v1): environments → packages (families) → versions (revisions) → one version. */
const enc = encodeURIComponent;
const href = (...parts) => `#/feed/${parts.map(enc).join("/")}`;

function breadcrumb(parts) {
  const trail = [["Feed", "#/feed"], ...parts.map((p, i) => [p, href(...parts.slice(0, i + 1))])];
  return h(
    "nav",
    { "aria-label": "Breadcrumb", class: "breadcrumb" },
    h(
      "ol",
      {},
      trail.map(([label, link], i) => h("li", {}, i === trail.length - 1 ? h("a", { href: link, "aria-current": "page" }, label) : h("a", { href: link }, label))),
    ),
  );
}

/** totalPages is null while an environment's versions are not counted to the end; a next page then always exists. */
function pager(paging, query, base) {
  const counted = paging.totalPages !== null;
  if (counted && paging.totalPages <= 1) return null;
  const to = (page) => {
    const q = new URLSearchParams(query);
    q.set("page", String(page));
    return `${base}?${q}`;
  };
  return h(
    "nav",
    { "aria-label": "Pages", class: "pager" },
    paging.page > 1 ? h("a", { href: to(paging.page - 1) }, "Previous page") : null,
    h("span", {}, counted ? ` Page ${paging.page} of ${paging.totalPages} (${paging.totalItems}) ` : ` Page ${paging.page}, more follow `),
    !counted || paging.page < paging.totalPages ? h("a", { href: to(paging.page + 1) }, "Next page") : null,
  );
}

function images(list) {
  return h(
    "ul",
    { class: "plain" },
    list.map((i) => h("li", {}, h("span", {}, `${i.container}: `), h("span", { class: "mono small" }, `${i.repository}${i.tag ? `:${i.tag}` : ""}`), i.digest ? h("span", { class: "mono muted small block", title: i.digest }, `${i.digest.slice(0, 19)}…`) : null)),
  );
}

async function environments(main) {
  const list = await api("/feed/v1/environments");
  fill(main, h("h1", { tabindex: "-1" }, "Feed"), breadcrumb([]), h("p", { class: "muted" }, "Each environment's task definition families are packages; each revision is a version."), h("ul", { class: "cards" }, list.items.map((e) => h("li", { class: "card" }, h("h2", {}, h("a", { href: href(e.name) }, e.name))))));
}

async function packages(main, environment, query) {
  const q = query.get("q") ?? "";
  const params = new URLSearchParams({ pageSize: "50", ...(q && { q }), ...(query.get("page") && { page: query.get("page") }) });
  const list = await api(`/feed/v1/environments/${enc(environment)}/packages?${params}`);
  const search = h("input", { id: "package-search", name: "q", type: "search", value: q });
  const form = h("form", { class: "inline-form", role: "search" }, h("label", { for: "package-search" }, "Family name contains"), search, h("button", { type: "submit", class: "button" }, "Search"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    location.hash = `${href(environment)}${search.value ? `?q=${enc(search.value)}` : ""}`;
  });
  fill(
    main,
    h("h1", { tabindex: "-1" }, `Packages in ${environment}`),
    breadcrumb([environment]),
    list.stale ? h("p", { class: "notice notice-warn" }, "ECS could not be reached: this is the last good answer.") : null,
    form,
    list.items.length === 0
      ? h("p", { class: "muted" }, "No package matches.")
      : h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { class: "data" },
            h("caption", {}, `Task definition families in ${environment}`),
            h("thead", {}, h("tr", {}, ["Package", "Latest version", "Registered", "Images"].map((t) => h("th", { scope: "col" }, t)))),
            h(
              "tbody",
              {},
              list.items.map((p) =>
                h(
                  "tr",
                  {},
                  h("th", { scope: "row" }, h("a", { href: href(environment, p.name), class: "mono" }, p.name)),
                  h("td", {}, p.latestVersion ? h("a", { href: href(environment, p.name, p.latestVersion) }, p.latestVersion) : "—"),
                  h("td", { class: "small" }, time(p.latestRegisteredAt)),
                  h("td", {}, images(p.images)),
                ),
              ),
            ),
          ),
        ),
    pager(list.paging, query, href(environment)),
  );
}

/** ?all=true: every environment's revisions of a family, not only this environment's own. */
const allOf = (query) => query.get("all") === "true";
const withQuery = (link, params) => (params.toString() ? `${link}?${params}` : link);

async function versions(main, environment, family, query) {
  const status = query.get("status") === "INACTIVE" ? "INACTIVE" : "ACTIVE";
  const all = allOf(query);
  const params = new URLSearchParams({ status, ...(all && { all: "true" }), ...(query.get("page") && { page: query.get("page") }) });
  const list = await api(`/feed/v1/environments/${enc(environment)}/packages/${enc(family)}/versions?${params}`);
  const other = status === "ACTIVE" ? "INACTIVE" : "ACTIVE";
  const listing = (changes) => withQuery(href(environment, family), new URLSearchParams({ status, ...(all && { all: "true" }), ...changes }));
  const versionLink = (v) => withQuery(href(environment, family, v.version), new URLSearchParams(all ? { all: "true" } : {}));
  fill(
    main,
    h("h1", { tabindex: "-1" }, h("span", { class: "mono" }, family), ` in ${environment}`),
    breadcrumb([environment, family]),
    h(
      "p",
      {},
      `${status === "ACTIVE" ? "Active" : "Deregistered"} versions ${all ? "of every environment" : `that belong to ${environment}`}, newest first. `,
      h("a", { href: listing({ status: other }) }, `Show ${other === "ACTIVE" ? "active" : "deregistered"} versions`),
      " · ",
      h("a", { href: all ? withQuery(href(environment, family), new URLSearchParams({ status })) : listing({ all: "true" }) }, all ? `Show only ${environment}'s versions` : "Show every environment's versions"),
    ),
    list.items.length === 0
      ? h("p", { class: "muted" }, "None.")
      : h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { class: "data" },
            h("caption", {}, `Versions of ${family}`),
            h("thead", {}, h("tr", {}, ["Version", "Environment", "Status", "ARN"].map((t) => h("th", { scope: "col" }, t)))),
            h(
              "tbody",
              {},
              list.items.map((v) =>
                h("tr", {}, h("th", { scope: "row", class: "num" }, h("a", { href: versionLink(v) }, v.version)), h("td", {}, v.environment ?? "none"), h("td", {}, v.status), h("td", { class: "mono small" }, v.arn)),
              ),
            ),
          ),
        ),
    pager(list.paging, query, href(environment, family)),
  );
}

async function version(main, environment, family, number, query) {
  const v = await api(`/feed/v1/environments/${enc(environment)}/packages/${enc(family)}/versions/${enc(number)}${allOf(query) ? "?all=true" : ""}`);
  const tags = v.tags;
  fill(
    main,
    h("h1", { tabindex: "-1" }, h("span", { class: "mono" }, `${family}:${v.version}`), ` in ${environment}`),
    breadcrumb([environment, family, v.version]),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Environment"),
      h("dd", {}, v.environment ?? "none (no slipway:environment tag)"),
      h("dt", {}, "Status"),
      h("dd", {}, v.status),
      h("dt", {}, "Registered"),
      h("dd", {}, time(v.registeredAt)),
      v.deregisteredAt ? [h("dt", {}, "Deregistered"), h("dd", {}, time(v.deregisteredAt))] : null,
      h("dt", {}, "ARN"),
      h("dd", { class: "mono small" }, v.arn),
    ),
    h("section", { class: "panel", "aria-labelledby": "images-title" }, h("h2", { id: "images-title" }, "Images"), images(v.images)),
    h(
      "section",
      { class: "panel", "aria-labelledby": "tags-title" },
      h("h2", { id: "tags-title" }, "Tags"),
      tags.length === 0 ? h("p", { class: "muted" }, "None.") : h("dl", { class: "facts" }, tags.map((t) => [h("dt", { class: "mono small" }, t.key), h("dd", { class: "mono small" }, t.value)])),
    ),
    h("section", { class: "panel", "aria-labelledby": "definition-title" }, h("h2", { id: "definition-title" }, "Task definition"), h("pre", { class: "code", tabindex: "0" }, JSON.stringify(v.taskDefinition, null, 2))),
  );
}

export async function feedPage(main, [environment, family, number], query) {
  document.title = `Feed${environment ? ` · ${[environment, family, number].filter(Boolean).join(" / ")}` : ""} · slipway`;
  if (!environment) return environments(main);
  if (!family) return packages(main, environment, query);
  if (!number) return versions(main, environment, family, query);
  return version(main, environment, family, number, query);
}
