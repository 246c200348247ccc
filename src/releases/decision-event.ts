import type { Decision } from "../engine/approvals.js";
import type { DeploymentEvent } from "../engine/store.js";

/**
 * A gate's decision as an event of its deployment. Whoever decides writes it (the API, `slipway approve`, a
 * timeout), before answering: the runner may be gone — killed, or a server restarting — and the stream must still
 * tell who decided. Dated when the gate says it was decided: gates keep slipway's clock (see approvals).
 */
export function decisionEvent(decision: Decision): Omit<DeploymentEvent, "id"> {
  return { deploymentId: decision.deploymentId, type: "gate", message: `${decision.stage}: ${decision.outcome} by ${decision.by}`, data: decision, at: decision.at };
}
