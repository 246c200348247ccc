import type { CallContext } from "../module.js";
import type { ElbRegionState } from "./state.js";

/** The ELBv2 world of the region a call was made in. */
export const stateOf = (ctx: CallContext): ElbRegionState => ctx.sim.elbv2.regions.get(ctx.region);
