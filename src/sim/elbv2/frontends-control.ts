import type { ControlHandler } from "../module.js";

/**
 * GET /_sim/elbv2/frontends — not an AWS API. Where each HTTP listener of the region answers real HTTP:
 * [{loadBalancerName, loadBalancerArn, listenerArn, port, url}], so a demo can print URLs to curl.
 */
export const frontendsControl: ControlHandler = (_body, ctx) => ctx.sim.elbv2.frontends.list(ctx.region);
