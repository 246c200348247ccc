import { h } from "../dom.js";
import { percent, time, weightBar } from "../format.js";

/**
 * An ecs-blue-green, ecs-linear or ecs-canary service (the live view's `native`): ECS walks the deployment itself,
 * so the page shows where ECS is, the pause hook it waits at, and the weights of the two rules it shifts — drawn as
 * the task sets' traffic is.
 */

const minutes = (n) => `${n} min`;

/** "ECS linear: 25% a step, 1 min between steps; bake 5 min" */
export function strategyText(native) {
  const bake = `bake ${minutes(native.bakeTimeInMinutes)} once all traffic is on the new revision`;
  if (native.strategy === "LINEAR") {
    const c = native.linearConfiguration;
    return `ECS linear: ${percent(c.stepPercent)} of production a step, ${minutes(c.stepBakeTimeInMinutes)} between steps; ${bake}`;
  }
  if (native.strategy === "CANARY") {
    const c = native.canaryConfiguration;
    return `ECS canary: ${percent(c.canaryPercent)} of production, ${minutes(c.canaryBakeTimeInMinutes)}, then the rest; ${bake}`;
  }
  return `ECS blue/green: all production at once; ${bake}`;
}

function stageText(deployment) {
  if (!deployment) return h("span", { class: "muted" }, "ECS has no deployment of this one yet.");
  const stage = deployment.lifecycleStage ? ` at ${deployment.lifecycleStage}` : "";
  return h(
    "span",
    {},
    h("span", { class: "mono" }, `${deployment.status}${stage}`),
    h("span", { class: "muted block small" }, `${deployment.oldRevision ? `${deployment.oldRevision} → ` : ""}${deployment.newRevision}${deployment.current ? "" : " · another deployment has replaced it"}`),
    deployment.statusReason ? h("span", { class: "muted block small" }, deployment.statusReason) : null,
  );
}

/** The hook ECS waits at: until when, and what it does then; else what became of the stage's hooks. */
function hookText(deployment) {
  const hooks = deployment?.hooks ?? [];
  const waiting = hooks.filter((hook) => hook.status === "AWAITING_ACTION");
  if (waiting.length === 0) return hooks.length === 0 ? h("span", { class: "muted" }, "none at this stage") : h("span", { class: "small" }, hooks.map((hook) => `${hook.hookId} ${hook.status}`).join(", "));
  return waiting.map((hook) =>
    h(
      "span",
      { class: "block", "data-hook": hook.hookId },
      h("span", { class: "tag tag-primary" }, "waiting"),
      " until ",
      time(hook.expiresAt),
      `, then ECS does ${hook.timeoutAction ?? "ROLLBACK"}`,
      h("span", { class: "mono muted block small" }, hook.hookId),
    ),
  );
}

function ruleRow(name, weights) {
  if (!weights) return h("tr", {}, h("th", { scope: "row" }, name), h("td", { colspan: "2", class: "muted" }, "not read"));
  return h(
    "tr",
    { "data-rule": name },
    h("th", { scope: "row", class: "small" }, name, h("span", { class: "mono muted block", title: weights.rule }, weights.isDefault ? "default action" : weights.rule.split("/").slice(-2).join("/"))),
    h("td", {}, weightBar(weights.newPercent, `${percent(weights.newPercent)} of the ${name.toLowerCase()}'s traffic goes to the new revision (${weights.newTargetGroup})`), h("span", { class: "mono muted block small" }, weights.newTargetGroup)),
    h("td", {}, weightBar(weights.oldPercent, `${percent(weights.oldPercent)} of the ${name.toLowerCase()}'s traffic goes to the old revision (${weights.oldTargetGroup})`), h("span", { class: "mono muted block small" }, weights.oldTargetGroup)),
  );
}

function weightsTable(service) {
  const native = service.native;
  if (!native.production && !native.test) return null;
  return h(
    "table",
    { class: "data native-weights" },
    h("caption", {}, `Rules ECS shifts for ${service.service}`),
    h("thead", {}, h("tr", {}, ["Rule", "New revision", "Old revision"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, ruleRow("Production rule", native.production), native.test ? ruleRow("Test rule", native.test) : null),
  );
}

/** The strategy, ECS's stage and hook, the production shifts to come, and the rules' weights. */
export function nativeBlock(service) {
  const native = service.native;
  const toCome = native.stepsToCome.length > 0 ? native.stepsToCome.map(percent).join(" → ") : "none";
  return h(
    "div",
    { class: "native" },
    h(
      "dl",
      { class: "facts", "aria-label": `ECS's deployment of ${service.service}` },
      h("dt", {}, "Strategy"),
      h("dd", {}, strategyText(native)),
      h("dt", {}, "ECS deployment"),
      h("dd", { "data-field": "stage" }, stageText(native.deployment)),
      h("dt", {}, "Pause hook"),
      h("dd", { "data-field": "hook" }, hookText(native.deployment)),
      h("dt", {}, "Production shifts to come"),
      h("dd", { "data-field": "to-come" }, toCome, h("span", { class: "muted small" }, ` (of ${native.productionSteps.map(percent).join(", ")})`)),
    ),
    h("div", { class: "table-wrap" }, weightsTable(service)),
  );
}
