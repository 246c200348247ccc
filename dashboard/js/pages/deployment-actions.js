import { api } from "../api.js";
import { fill, h } from "../dom.js";
import { time } from "../format.js";

/**
 * Approve and Abort: shown to everyone, enabled only when the API says the caller's key may (the live answer's
 * caller), and a refusal the server still makes (403, 409) is shown as it says it. Abort asks once more first.
 */
export function actionsPanel({ detail, live, say, refresh }) {
  const run = detail.run;
  const open = detail.gates.filter((g) => !g.decision);
  const gate = open[0];
  const caller = live?.caller;
  // An interrupted deployment can be aborted too: the server then rolls back what it changed.
  const running = run.status === "running" || run.status === "queued" || run.status === "interrupted";
  if (!gate && !running) {
    const decided = decidedList(detail.gates);
    return decided ? h("section", { class: "panel", "aria-labelledby": "actions-title" }, h("h2", { id: "actions-title" }, "Decisions"), decided) : null;
  }

  const reasonId = "decision-reason";
  const reason = gate ? h("textarea", { id: reasonId, rows: "2", maxlength: "2000", "data-key": "reason" }) : null;
  const post = async (verb, buttons) => {
    buttons.forEach((b) => (b.disabled = true));
    say("", "status");
    try {
      const body = { ...(gate && { stage: gate.stage }), ...(reason?.value.trim() && { reason: reason.value.trim() }) };
      const answer = await api(`/api/v1/deployments/${encodeURIComponent(run.id)}/${verb}`, { method: "POST", body });
      say(answer.decision ? `${answer.decision.stage}: ${answer.decision.outcome} by ${answer.decision.by}.` : "Abort requested: the deployment stops at its next safe point and what it changed goes back.", "status");
    } catch (error) {
      say(`${error.message}${error.hint ? ` ${error.hint}` : ""}`, "alert");
      buttons.forEach((b) => (b.disabled = false));
    }
    await refresh();
  };

  const mayApprove = caller?.mayApprove === true;
  const mayAbort = caller?.mayAbort === true;
  const approve = gate ? h("button", { type: "button", class: "button primary", "data-key": "approve", disabled: !mayApprove }, "Approve") : null;
  const abort = h("button", { type: "button", class: "button danger", "data-key": "abort", disabled: !mayAbort }, gate ? "Abort" : "Abort deployment");
  const confirmRow = h("div", { class: "confirm", hidden: true });
  const confirmYes = h("button", { type: "button", class: "button danger", "data-key": "abort-yes" }, "Yes, abort");
  const confirmNo = h("button", { type: "button", class: "button", "data-key": "abort-no" }, "Keep it running");
  fill(confirmRow, h("p", {}, gate ? "Abort at this gate? What the deployment changed goes back." : "Abort this deployment? It stops at its next safe point, and what it changed goes back."), confirmYes, " ", confirmNo);
  approve?.addEventListener("click", () => void post("approve", [approve, abort]));
  abort.addEventListener("click", () => {
    confirmRow.hidden = false;
    confirmYes.focus();
  });
  confirmNo.addEventListener("click", () => {
    confirmRow.hidden = true;
    abort.focus();
  });
  confirmYes.addEventListener("click", () => {
    confirmRow.hidden = true;
    void post("abort", [approve, abort, confirmYes].filter(Boolean));
  });

  const who = caller ? caller.name : "this key";
  const refusal = gate && !mayApprove ? `The key ${who} may not approve or abort in ${run.environment}.` : !mayAbort ? `The key ${who} may not abort deployments in ${run.environment}.` : null;
  return h(
    "section",
    { class: `panel ${gate ? "gate" : "abort-panel"}`, "aria-labelledby": "actions-title" },
    h("h2", { id: "actions-title" }, gate ? "Waiting for approval" : "Actions"),
    gate
      ? h(
          "div",
          { class: "gate-body" },
          h("p", {}, h("strong", {}, gate.stage), " opened ", time(gate.openedAt), gate.expiresAt ? [" · times out ", time(gate.expiresAt)] : null),
          gate.instructions ?? gate.summary ? h("p", { class: "instructions" }, gate.instructions ?? gate.summary) : null,
          gate.approvers?.length ? h("p", { class: "small" }, `Only ${gate.approvers.join(", ")} may decide.`) : null,
          h("label", { for: reasonId }, "Reason ", h("span", { class: "muted" }, "(optional, kept with the decision)")),
          reason,
        )
      : null,
    h("div", { class: "buttons" }, approve, approve ? " " : null, abort),
    refusal ? h("p", { class: "muted small" }, refusal) : null,
    confirmRow,
    open.length > 1 ? h("p", { class: "small" }, `${open.length} gates are open; this decides the first.`) : null,
    decidedList(detail.gates),
  );
}

function decidedList(gates) {
  const decided = gates.filter((g) => g.decision);
  if (decided.length === 0) return null;
  return h(
    "ul",
    { class: "decisions", "aria-label": "Decisions" },
    decided.map((g) => h("li", {}, h("strong", {}, g.stage), `: ${g.decision.outcome} by ${g.decision.by} `, time(g.decision.at), g.decision.reason ? ` — “${g.decision.reason}”` : null)),
  );
}
