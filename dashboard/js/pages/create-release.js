import { api, enc } from "../api.js";
import { fill, h } from "../dom.js";
import { errorPanel } from "../errors.js";

/**
 * #/releases/new: Octopus's create-release screen. A version, a channel (the project's, its default preselected),
 * and what the release would take as GET /release-plan answers for that channel: each service step package's
 * revision (the rules' choice preselected, the others they allow offered) and each task definition step's images
 * (a tag may be overridden per container). Create POSTs /releases, naming only the packages and images a person
 * changed: what was left alone is chosen by the rules when the release is made, so the release records the rules
 * (not a flag) as what chose it; the created release is then shown, with a warning for anything the rules chose
 * differently from what the page showed (a revision or tag that appeared in between). A refusal is shown as the
 * server says it. A key without createReleases is told so and offered nothing.
 */
const notesMax = 10_000;

const imageText = (i) => `${i.repository}${i.tag ? `:${i.tag}` : ""}`;
const shortDigest = (digest) => (digest ? `${digest.slice(0, 19)}…` : "");
const idOf = (...parts) => parts.join("-").toLowerCase().replace(/[^a-z0-9]+/g, "-");

/** The refusal as the server says it: its message, its hint, and each problem of a refused body. */
function refusal(error, what) {
  const panel = errorPanel(error, what);
  if (Array.isArray(error?.problems) && error.problems.length > 0) {
    panel.append(h("ul", {}, error.problems.map((p) => h("li", {}, h("span", { class: "mono" }, p.path), ` ${p.message}`, p.hint ? h("span", { class: "muted block" }, p.hint) : null))));
  }
  return panel;
}

function packagesSection(plan, chosen) {
  if (plan.packages.length === 0) return null;
  return h(
    "section",
    { class: "panel", "aria-labelledby": "packages-title" },
    h("h2", { id: "packages-title" }, "Packages"),
    h("p", { class: "muted small" }, `Task definition revisions registered outside slipway in ${plan.environment}'s account and region, newest first.`),
    plan.packages.map((p) => {
      const id = idOf("package", p.step, p.family);
      const select = h(
        "select",
        { id, "data-key": id, "aria-describedby": `${id}-why` },
        p.candidates.map((c) => h("option", { value: String(c.revision), selected: c.revision === p.chosen }, String(c.revision))),
      );
      select.value = String(p.chosen);
      select.addEventListener("change", () => chosen.set(p.family, Number(select.value)));
      chosen.set(p.family, p.chosen);
      return h(
        "div",
        { class: "field" },
        h("label", { for: id }, `${p.family} `, h("span", { class: "muted" }, `(step ${p.step})`)),
        select,
        h("p", { class: "muted small", id: `${id}-why` }, `${p.chosen} is chosen by ${p.chosenBy}.`),
        p.refused ? h("p", { class: "error-text small", role: "note" }, `A release would refuse ${p.chosen}: ${p.refused.message}`, p.refused.hint ? h("span", { class: "muted block" }, p.refused.hint) : null) : null,
      );
    }),
  );
}

function imagesSection(plan, overrides) {
  const steps = plan.images.filter((s) => s.images.length > 0);
  if (steps.length === 0) return null;
  return h(
    "section",
    { class: "panel", "aria-labelledby": "images-title" },
    h("h2", { id: "images-title" }, "Images"),
    h("p", { class: "muted small" }, `As ${plan.environment}'s registry holds them now; a tag typed here replaces the rules' choice for that container.`),
    steps.map((step) =>
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "grid" },
          h("caption", {}, `Step ${step.step}`),
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Container"), h("th", { scope: "col" }, "Would take"), h("th", { scope: "col" }, "Another tag"))),
          h(
            "tbody",
            {},
            step.images.map((image) => {
              const id = idOf("image", step.step, image.container);
              const input = h("input", { id, type: "text", class: "mono", "data-key": id, spellcheck: "false", autocomplete: "off", placeholder: image.tag ?? "", "aria-label": `Another tag for ${image.container}`, value: overrides.get(image.container) ?? "" });
              input.addEventListener("input", () => {
                const tag = input.value.trim();
                if (tag) overrides.set(image.container, tag);
                else overrides.delete(image.container);
              });
              return h(
                "tr",
                {},
                h("th", { scope: "row" }, image.container),
                h("td", {}, h("span", { class: "mono" }, imageText(image)), h("span", { class: "mono muted small block", title: image.digest }, shortDigest(image.digest))),
                h("td", {}, input),
              );
            }),
          ),
        ),
      ),
    ),
  );
}

/** What the rules chose differently from what the page showed, for what the person left alone. */
function surprises(plan, release, sentPackages, sentImages) {
  const notes = [];
  const steps = release.snapshot.steps;
  for (const p of plan.packages) {
    if (sentPackages.has(p.family)) continue;
    const taken = steps.find((s) => s.name === p.step)?.package?.revision;
    if (taken !== undefined && taken !== p.chosen) notes.push(`${p.family}: the rules chose revision ${taken}, not ${p.chosen} as shown (it appeared or went since the page read the plan).`);
  }
  for (const planned of plan.images) {
    const step = steps.find((s) => s.name === planned.step);
    for (const image of planned.images) {
      if (sentImages.has(image.container)) continue;
      const taken = step?.images?.find((i) => i.container === image.container);
      if (taken && taken.digest !== image.digest) notes.push(`${image.container}: the rules chose ${imageText(taken)}, not ${imageText(image)} as shown.`);
    }
  }
  return notes;
}

function createdView(release, notes, again) {
  const packages = release.snapshot.steps.filter((s) => s.package);
  const images = release.snapshot.steps.flatMap((s) => (s.images ?? []).map((i) => ({ step: s.name, ...i })));
  const another = h("button", { type: "button", class: "button", "data-key": "again" }, "Create another release");
  another.addEventListener("click", again);
  return [
    h("h1", { tabindex: "-1" }, `Release ${release.version} created`),
    h("div", { class: "notice notice-ok", role: "status" }, h("p", {}, `Release ${release.version} was created in channel ${release.channel} by ${release.createdBy}. It never changes from now on.`)),
    notes.map((note) => h("div", { class: "notice notice-warn" }, h("p", {}, note))),
    h(
      "section",
      { class: "panel", "aria-labelledby": "created-title" },
      h("h2", { id: "created-title" }, "What it holds"),
      h(
        "dl",
        { class: "facts" },
        h("dt", {}, "Version"),
        h("dd", { class: "mono" }, release.version),
        h("dt", {}, "Channel"),
        h("dd", {}, release.channel),
        packages.map((s) => [h("dt", {}, `Package of ${s.name}`), h("dd", {}, h("span", { class: "mono" }, `${s.package.family}:${s.package.revision}`), h("span", { class: "muted small block" }, `chosen by ${s.package.chosenBy}`))]),
        images.map((i) => [h("dt", {}, `Image ${i.container}`), h("dd", {}, h("span", { class: "mono" }, imageText(i)), h("span", { class: "mono muted small block", title: i.digest }, shortDigest(i.digest)))]),
        release.notes ? [h("dt", {}, "Notes"), h("dd", {}, release.notes)] : null,
      ),
      h("div", { class: "buttons" }, h("a", { href: `#/deploy/${enc(release.version)}`, class: "button primary", "data-key": "deploy" }, `Deploy release ${release.version}…`), " ", another, " ", h("a", { href: "#/" }, "Overview")),
    ),
  ];
}

export async function createReleasePage(main) {
  document.title = "Create release · slipway";
  const project = await api("/api/v1/project");
  if (!project.caller.scopes.createReleases) {
    fill(
      main,
      h("h1", { tabindex: "-1" }, "Create release"),
      h("div", { class: "notice notice-warn", role: "alert" }, h("p", {}, `The key ${project.caller.name} may not create releases: it lacks the createReleases scope.`), h("p", { class: "muted" }, "Use a key with that scope (slipway keys create <name> --create-releases).")),
    );
    return () => undefined;
  }

  let reading = new AbortController();
  let plan;
  /** Set when the person left the page: an answer arriving later must not draw over another page. */
  let gone = false;
  /** family → the revision selected; container → the tag typed. */
  const chosen = new Map();
  const overrides = new Map();

  const version = h("input", { id: "release-version", name: "version", type: "text", class: "mono", required: true, maxlength: "128", spellcheck: "false", autocomplete: "off", placeholder: "1.4.0", "aria-describedby": "release-version-help", "data-key": "version" });
  const channels = project.channels ?? [];
  const channel = h(
    "select",
    { id: "release-channel", name: "channel", "data-key": "channel" },
    channels.map((c) => h("option", { value: c.name, selected: c.default }, c.default ? `${c.name} (default)` : c.name)),
  );
  channel.value = channels.find((c) => c.default)?.name ?? channels[0]?.name ?? "";
  const notes = h("textarea", { id: "release-notes", name: "notes", rows: "3", maxlength: String(notesMax), "data-key": "notes" });
  const create = h("button", { type: "submit", class: "button primary", "data-key": "create", disabled: true }, "Create release");
  const choices = h("div", { "aria-live": "polite" });
  const result = h("div", { "aria-live": "polite" });

  const readPlan = async () => {
    reading.abort();
    reading = new AbortController();
    const signal = reading.signal;
    plan = undefined;
    create.disabled = true;
    chosen.clear();
    choices.setAttribute("aria-busy", "true");
    fill(choices, h("p", { class: "muted" }, "Reading what the release would take…"));
    try {
      const query = channel.value ? `?channel=${enc(channel.value)}` : "";
      const answer = await api(`/api/v1/release-plan${query}`, { signal });
      if (signal.aborted) return;
      plan = answer;
      fill(
        choices,
        packagesSection(plan, chosen),
        imagesSection(plan, overrides),
        plan.packages.length === 0 && plan.images.length === 0 ? h("p", { class: "muted" }, "The process has no images or packages to choose.") : null,
      );
      create.disabled = false;
    } catch (error) {
      if (signal.aborted) return;
      fill(choices, refusal(error, `What a release in channel ${channel.value} would take could not be read`));
    } finally {
      if (!signal.aborted) choices.removeAttribute("aria-busy");
    }
  };

  const form = h(
    "form",
    { "aria-label": "New release" },
    h(
      "section",
      { class: "panel", "aria-labelledby": "release-form-title" },
      h("h2", { id: "release-form-title" }, "Release"),
      h("label", { for: "release-version" }, "Version"),
      version,
      h("p", { class: "muted small", id: "release-version-help" }, "Semver, e.g. 1.4.0 or 1.5.0-rc.1; a version is never reused."),
      h("label", { for: "release-channel" }, "Channel"),
      channel,
      h("label", { for: "release-notes" }, "Notes ", h("span", { class: "muted" }, "(optional)")),
      notes,
    ),
    choices,
    h("div", { class: "buttons" }, create),
    result,
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!plan || create.disabled) return;
    const shown = plan;
    const packages = shown.packages.filter((p) => chosen.get(p.family) !== p.chosen).map((p) => `${p.family}=${chosen.get(p.family)}`);
    const images = [...overrides].map(([container, tag]) => `${container}=${tag}`);
    const body = {
      version: version.value.trim(),
      ...(channel.value && { channel: channel.value }),
      ...(packages.length > 0 && { packages }),
      ...(images.length > 0 && { images }),
      ...(notes.value.trim() && { notes: notes.value.trim() }),
    };
    // What is sent is what the page shows: no other channel's plan may be read while the release is made.
    create.disabled = true;
    channel.disabled = true;
    fill(result, h("p", { class: "muted" }, "Creating…"));
    try {
      const release = await api("/api/v1/releases", { method: "POST", body });
      if (gone) return;
      const sentPackages = new Set(shown.packages.filter((p) => chosen.get(p.family) !== p.chosen).map((p) => p.family));
      fill(main, createdView(release, surprises(shown, release, sentPackages, new Set(overrides.keys())), () => void start(true)));
      document.title = `Release ${release.version} created · slipway`;
      main.querySelector("h1")?.focus();
    } catch (error) {
      if (gone) return;
      fill(result, refusal(error, "The release was not created"));
      create.disabled = false;
      channel.disabled = false;
    }
  });
  channel.addEventListener("change", () => void readPlan());

  const start = async (again) => {
    document.title = "Create release · slipway";
    if (again) {
      channel.disabled = false;
      version.value = "";
      notes.value = "";
      overrides.clear();
      fill(result);
    }
    fill(
      main,
      h("h1", { tabindex: "-1" }, "Create release"),
      h("p", { class: "muted" }, `A release freezes the deployment process as it is now, with the images and task definition revisions chosen in ${project.environments[0]?.name ?? "the first environment"}.`),
      form,
    );
    if (again) main.querySelector("h1")?.focus();
    await readPlan();
  };
  await start(false);
  return () => {
    gone = true;
    reading.abort();
  };
}
