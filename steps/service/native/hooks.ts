import type { DeploymentLifecycleHook } from "@aws-sdk/client-ecs";
import type { NativeApproval, NativeSettings, PauseStage, TimeoutAction } from "./settings.js";

/** What slipway does while ECS waits at one lifecycle stage. */
export interface StageWork {
  stage: PauseStage;
  /** Probes through the test listener rule (POST_TEST_TRAFFIC_SHIFT only). */
  verify: boolean;
  approval?: NativeApproval;
  timeoutMinutes: number;
  onTimeout: TimeoutAction;
}

/**
 * Where slipway needs ECS to wait, one pause hook per lifecycle stage: the hook details ECS shows name no hook, so
 * a stage with verification and an approval is one hook whose wait covers both (the longer timeout; ROLLBACK if
 * either says so). Probes run while test traffic reaches the new revision: after TEST_TRAFFIC_SHIFT.
 */
export function stageWork(settings: NativeSettings): StageWork[] {
  const byStage = new Map<PauseStage, StageWork>();
  const verification = settings.verification;
  if (verification?.probes) byStage.set("POST_TEST_TRAFFIC_SHIFT", { stage: "POST_TEST_TRAFFIC_SHIFT", verify: true, timeoutMinutes: verification.timeoutMinutes, onTimeout: "ROLLBACK" });
  for (const approval of settings.approvals) {
    const known = byStage.get(approval.at);
    byStage.set(approval.at, {
      stage: approval.at,
      verify: known?.verify ?? false,
      approval,
      timeoutMinutes: Math.max(known?.timeoutMinutes ?? 0, approval.timeoutMinutes),
      onTimeout: known?.onTimeout === "ROLLBACK" || approval.onTimeout === "ROLLBACK" ? "ROLLBACK" : "CONTINUE",
    });
  }
  return [...byStage.values()];
}

export function pauseHooks(work: readonly StageWork[]): DeploymentLifecycleHook[] {
  return work.map((w) => ({ targetType: "PAUSE", lifecycleStages: [w.stage], timeoutConfiguration: { timeoutInMinutes: w.timeoutMinutes, action: w.onTimeout } }));
}
