import { h } from "../dom.js";
import { percent, progressText, time, weightBar } from "../format.js";
import { nativeBlock } from "./native-view.js";

/** The deployment page's read-only parts, each from the API's answers: no state, no requests. */

function progressItem(label, state, nested) {
  return h("li", { class: `progress-item state-${state}` }, h("span", { class: "marker", "aria-hidden": "true" }), h("span", { class: "progress-label" }, label), h("span", { class: "progress-state" }, progressText[state] ?? state), nested);
}

/** The process's steps in order, a canary or blue/green step with its stages under it. */
export function progressList(live) {
  if (live.kind === "rollback") return h("p", { class: "muted" }, "A rollback runs no process: one write returns the service to its previous successful revision, and ECS carries it out (see the service events and journal).");
  if (live.steps.length === 0) return h("p", { class: "muted" }, "The release's process is not available.");
  return h(
    "ol",
    { class: "progress" },
    live.steps.map((step) => {
      const service = live.services.find((s) => s.step === step.name);
      const stages = service?.stages ?? [];
      const rollback = service?.rollback ? h("li", { class: "progress-item state-stopped" }, h("span", { class: "marker", "aria-hidden": "true" }), h("span", { class: "progress-label" }, "rollback"), h("span", { class: "progress-state" }, service.rollback === "done" ? "rolled back" : "rolling back")) : null;
      const nested = stages.length > 0 || rollback ? h("ol", { class: "progress stages", "aria-label": `Stages of ${step.name}` }, stages.map((s) => progressItem(s.label, s.state)), rollback) : null;
      return progressItem(`${step.name} (${step.uses})`, step.state, nested);
    }),
  );
}

const num = (value) => h("td", { class: "num" }, String(value));

function role(set, deploymentId) {
  if (!set.role) return h("span", { class: "muted" }, "—");
  return h("span", {}, set.role, set.deployment && set.deployment !== deploymentId ? h("span", { class: "muted small block" }, "earlier deployment") : null);
}

function taskSetTable(service, deploymentId) {
  return h(
    "table",
    { class: "data task-sets" },
    h("caption", {}, `Task sets of ${service.service}`),
    h(
      "thead",
      {},
      h("tr", {}, ["Task set", "Status", "Revision", "Role", "Target group"].map((t) => h("th", { scope: "col" }, t)), ["Desired", "Pending", "Running", "Scale"].map((t) => h("th", { scope: "col", class: "num" }, t)), h("th", { scope: "col" }, "Stability"), h("th", { scope: "col" }, "Traffic")),
    ),
    h(
      "tbody",
      {},
      service.taskSets.map((set) =>
        h(
          "tr",
          { "data-task-set": set.id },
          h("th", { scope: "row", class: "mono small" }, set.id),
          h("td", {}, h("span", { class: `tag ${set.status === "PRIMARY" ? "tag-primary" : ""}` }, set.status)),
          h("td", { class: "mono" }, set.taskDefinition),
          h("td", {}, role(set, deploymentId)),
          h("td", { class: "mono small" }, set.targetGroup ?? "—"),
          num(set.computedDesiredCount),
          num(set.pendingCount),
          num(set.runningCount),
          h("td", { class: "num" }, percent(set.scale)),
          h("td", { class: "small" }, set.stabilityStatus === "STEADY_STATE" ? "steady" : set.stabilityStatus === "STABILIZING" ? "stabilizing" : (set.stabilityStatus ?? "—")),
          h("td", {}, set.trafficPercent === undefined ? h("span", { class: "muted" }, "varies by rule") : weightBar(set.trafficPercent, `${percent(set.trafficPercent)} of production traffic goes to ${set.targetGroup}`)),
        ),
      ),
    ),
  );
}

function deploymentsTable(service) {
  return h(
    "table",
    { class: "data" },
    h("caption", {}, `ECS deployments of ${service.service}`),
    h("thead", {}, h("tr", {}, ["Deployment", "Status", "Revision", "Rollout"].map((t) => h("th", { scope: "col" }, t)), ["Desired", "Pending", "Running", "Failed tasks"].map((t) => h("th", { scope: "col", class: "num" }, t)))),
    h(
      "tbody",
      {},
      service.deployments.map((d) => h("tr", {}, h("th", { scope: "row", class: "mono small" }, d.id), h("td", {}, d.status), h("td", { class: "mono" }, d.taskDefinition), h("td", { class: "small" }, d.rolloutState ?? "—"), num(d.desiredCount), num(d.pendingCount), num(d.runningCount), num(d.failedTasks))),
    ),
  );
}

/** One service: its counts, and its task sets (canary, blue/green) or ECS deployments (rolling, ecs-*, these after ECS's stage and the rules' weights). */
export function serviceBlock(service, deploymentId) {
  const counts = service.exists ? `${service.runningCount} running, ${service.pendingCount} pending of ${service.desiredCount} desired` : "not created yet";
  const native = service.native ? nativeBlock(service) : null;
  const body = !service.exists
    ? h("p", { class: "muted" }, "The deployment creates the service.")
    : service.taskSets.length > 0
      ? taskSetTable(service, deploymentId)
      : service.deployments.length > 0
        ? deploymentsTable(service)
        : h("p", { class: "muted" }, "No task sets.");
  return h("div", { class: "service" }, h("h3", {}, service.service, " ", h("span", { class: "muted h-sub" }, `${service.mode} · ${service.cluster} · ${counts}`)), native, h("div", { class: "table-wrap" }, body));
}

const ruleName = (arn) => arn.split("/").slice(-2).join("/");

export function routingTable(routing) {
  if (routing.length === 0) return h("p", { class: "muted" }, "No listener rule routes to the service's target groups.");
  return h(
    "table",
    { class: "data" },
    h("caption", {}, "Production rules forwarding to the service's target groups"),
    h("thead", {}, h("tr", {}, ["Rule", "Target group", "Weight", "Share"].map((t) => h("th", { scope: "col" }, t)))),
    h(
      "tbody",
      {},
      routing.flatMap((route) =>
        route.targets.map((target, i) =>
          h(
            "tr",
            {},
            i === 0 ? h("th", { scope: "row", rowspan: String(route.targets.length), class: "small" }, route.isDefault ? "default action" : "rule", h("span", { class: "mono muted block", title: route.rule }, ruleName(route.rule))) : null,
            h("td", { class: "mono small" }, target.targetGroup),
            h("td", { class: "num" }, String(target.weight)),
            h("td", {}, weightBar(target.percent, `${percent(target.percent)} of this rule's traffic goes to ${target.targetGroup}`)),
          ),
        ),
      ),
    ),
  );
}

function matchText(match) {
  const parts = [
    ...match.headers.map((m) => `header ${m.name}: ${m.values.join(" or ")}`),
    ...match.query.map((q) => `query ${q.key !== undefined ? `${q.key}=` : ""}${q.value}`),
    ...(match.hosts.length > 0 ? [`host ${match.hosts.join(", ")}`] : []),
    ...(match.paths.length > 0 ? [`path ${match.paths.join(", ")}`] : []),
  ];
  return parts.join(" and ") || "any request";
}

export function verificationTable(rules, deploymentId) {
  if (rules.length === 0) return h("p", { class: "muted" }, "No verification rule is open.");
  return h(
    "table",
    { class: "data verification" },
    h("caption", {}, "Rules sending testers' requests to the new stack"),
    h("thead", {}, h("tr", {}, ["Priority", "Matches", "Forwards to", "Service", "Opened by"].map((t) => h("th", { scope: "col" }, t)))),
    h(
      "tbody",
      {},
      rules.map((rule) =>
        h(
          "tr",
          {},
          h("th", { scope: "row", class: "num" }, String(rule.priority)),
          h("td", { class: "mono small" }, matchText(rule.match)),
          h("td", { class: "mono small" }, rule.forwardsTo.join(", ")),
          h("td", {}, rule.service),
          h("td", { class: "small" }, rule.deployment === deploymentId ? "this deployment" : h("a", { href: `#/deployments/${encodeURIComponent(rule.deployment)}` }, rule.deployment)),
        ),
      ),
    ),
  );
}

/** The journal, one row per action: its last phase (started, succeeded, failed) and when. */
export function journalTable(entries) {
  if (entries.length === 0) return h("p", { class: "muted" }, "Nothing written yet.");
  const actions = new Map();
  for (const entry of entries) actions.set(`${entry.step}\u0000${entry.actionKey}`, entry);
  const phase = { started: "in progress", succeeded: "done", failed: "failed" };
  return h(
    "table",
    { class: "data journal" },
    h("caption", {}, "Every action, written before it runs and after it ends"),
    h("thead", {}, h("tr", {}, ["#", "Time", "Step", "Action", "Outcome"].map((t) => h("th", { scope: "col" }, t)))),
    h(
      "tbody",
      {},
      [...actions.values()].map((e) =>
        h(
          "tr",
          { class: `phase-${e.phase}` },
          h("th", { scope: "row", class: "num" }, String(e.seq)),
          h("td", { class: "small" }, time(e.at)),
          h("td", { class: "mono small" }, e.step),
          h("td", {}, e.summary, h("span", { class: "mono muted small block" }, e.actionKey)),
          h("td", { class: "small" }, phase[e.phase] ?? e.phase, e.error ? h("span", { class: "block error-text" }, e.error) : null),
        ),
      ),
    ),
  );
}
