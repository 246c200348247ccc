import { api, enc } from "../api.js";
import { fill, h } from "../dom.js";

/**
 * #/deploy/<release>: choose an environment, Preview (the API's dry run: every step's plan, nothing changed), then
 * Deploy. Deploy is offered only for the environment the preview on screen was made for, so what a person read is
 * what they start; a refusal (the lifecycle, a scope, another deployment) is shown as the server says it.
 */
export async function deployPage(main, [version]) {
  document.title = `Deploy ${version} · slipway`;
  const status = await api("/api/v1/status");
  const selectId = "deploy-environment";
  const choice = h("select", { id: selectId, "data-key": "environment" }, h("option", { value: "" }, "the next one in the lifecycle"), status.environments.map((e) => h("option", { value: e.name }, e.name)));
  const previewButton = h("button", { type: "submit", class: "button", "data-key": "preview" }, "Preview");
  const result = h("div", { "aria-live": "polite" });
  let previewed;

  const request = (dryRun) => ({ release: version, ...(choice.value && { environment: choice.value }), ...(dryRun && { dryRun: true }) });
  const say = (error) => fill(result, h("div", { class: "notice notice-bad", role: "alert" }, h("p", {}, error.message), error.hint ? h("p", { class: "muted" }, error.hint) : null));

  const deploy = async (button) => {
    button.disabled = true;
    try {
      const run = await api("/api/v1/deployments", { method: "POST", body: { release: version, environment: previewed.environment } });
      location.hash = `#/deployments/${enc(run.id)}`;
    } catch (error) {
      say(error);
    }
  };

  const form = h("form", { class: "panel", "aria-labelledby": "deploy-form-title" }, h("h2", { id: "deploy-form-title" }, "Where to"), h("label", { for: selectId }, "Environment "), choice, " ", previewButton);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    previewButton.disabled = true;
    fill(result, h("p", { class: "muted" }, "Planning…"));
    try {
      previewed = await api("/api/v1/deployments", { method: "POST", body: request(true) });
      fill(result, previewPanel(previewed, deploy));
    } catch (error) {
      previewed = undefined;
      say(error);
    } finally {
      previewButton.disabled = false;
    }
  });
  // A preview is of one environment: choosing another takes its Deploy button away until it is previewed.
  choice.addEventListener("change", () => {
    previewed = undefined;
    fill(result);
  });
  fill(main, h("h1", { tabindex: "-1" }, `Deploy release ${version}`), h("p", { class: "muted" }, "Preview plans it against what the environment runs now and changes nothing."), form, result);
}

function previewPanel(preview, deploy) {
  const button = h("button", { type: "button", class: "button primary", "data-key": "deploy" }, `Deploy ${preview.release} to ${preview.environment}`);
  button.addEventListener("click", () => void deploy(button));
  return h(
    "section",
    { class: "panel", "aria-labelledby": "preview-title" },
    h("h2", { id: "preview-title" }, `Preview: release ${preview.release} to ${preview.environment}`),
    preview.notes.map((note) => h("div", { class: "notice notice-warn" }, h("p", {}, note))),
    preview.steps.map((step) =>
      h(
        "section",
        { class: "preview-step", "aria-label": `Step ${step.step}` },
        h("h3", {}, step.step, " ", h("span", { class: "muted small" }, `(${step.uses})${step.runs ? "" : " — skipped"}`)),
        h("pre", { class: "plan" }, step.plan.join("\n")),
      ),
    ),
    h("p", { class: "small" }, "Nothing was changed."),
    h("div", { class: "buttons" }, button),
  );
}
