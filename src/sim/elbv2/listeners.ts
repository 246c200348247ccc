import type { CreateListenerInput, DeleteListenerInput, DescribeListenersInput, Listener, ModifyListenerInput } from "@aws-sdk/client-elastic-load-balancing-v2";
import { AwsError } from "../aws-error.js";
import type { Handler } from "../module.js";
import { describeAction, parseActions } from "./actions.js";
import { list, optionalInt, optionalString, requiredString } from "./coerce.js";
import { stateOf } from "./context.js";
import { constraintViolation, listenerNotFound, validation } from "./errors.js";
import { deleteListenerAndRules, requireLoadBalancer } from "./load-balancers.js";
import { page } from "./paging.js";
import { DEFAULT_SSL_POLICY, optionalSslPolicy } from "./ssl-policies.js";
import { newResourceId, type ElbRegionState, type ListenerRecord, type LoadBalancerRecord } from "./state.js";
import { addTags } from "./tags.js";
import { changeActions } from "./propagation.js";
import { refreshUsage } from "./usage.js";

/** Listeners of application load balancers. Each has a default rule that holds its default actions. */
const albProtocols = ["HTTP", "HTTPS"];
/** ALB quota: listeners per load balancer. */
export const maxListeners = 50;

export function requireListener(state: ElbRegionState, arn: string): ListenerRecord {
  const listener = state.listeners.get(arn);
  if (!listener) throw listenerNotFound();
  return listener;
}

export function describeListener(state: ElbRegionState, listener: ListenerRecord): Listener {
  const defaultRule = state.rules.get(listener.defaultRuleArn);
  return {
    ListenerArn: listener.arn,
    LoadBalancerArn: listener.loadBalancerArn,
    Port: listener.port,
    Protocol: listener.protocol as Listener["Protocol"],
    ...(listener.certificates && { Certificates: listener.certificates }),
    ...(listener.sslPolicy && { SslPolicy: listener.sslPolicy }),
    DefaultActions: (defaultRule?.actions ?? []).map(describeAction),
  };
}

function parsePort(value: unknown): number | undefined {
  const port = optionalInt(value, "Port");
  if (port !== undefined && (port < 1 || port > 65535)) throw constraintViolation(port, "port", "Member must have value between 1 and 65535");
  return port;
}

function parseProtocol(value: unknown): string | undefined {
  const protocol = optionalString(value);
  if (protocol !== undefined && !albProtocols.includes(protocol)) {
    throw new AwsError("UnsupportedProtocol", `Protocol '${protocol}' is not supported for application load balancers`);
  }
  return protocol;
}

function parseCertificates(protocol: string, value: unknown): { CertificateArn?: string }[] | undefined {
  const certificates = list<{ CertificateArn?: string }>(value);
  if (protocol === "HTTPS" && certificates.length === 0) throw validation("A certificate must be specified for HTTPS listeners");
  return certificates.length > 0 ? certificates.map((c) => ({ CertificateArn: c.CertificateArn })) : undefined;
}

function onPort(state: ElbRegionState, lb: LoadBalancerRecord, port: number): ListenerRecord | undefined {
  return state.listenersOf(lb.arn).find((l) => l.port === port);
}

/**
 * The SslPolicy asked for a listener of `protocol`: a known policy's name, and only for HTTPS. AWS refuses one for
 * HTTP with ValidationError "An SSL policy cannot be specifed for HTTP listeners" (its spelling, as reported from a
 * ModifyListener in pulumi and terraform runs).
 */
function policyFor(protocol: string, asked: unknown): string | undefined {
  const sslPolicy = optionalSslPolicy(asked);
  if (sslPolicy !== undefined && protocol !== "HTTPS") throw validation(`An SSL policy cannot be specifed for ${protocol} listeners`);
  return sslPolicy;
}

export const listenerOperations: Record<string, Handler> = {
  CreateListener(input: CreateListenerInput, ctx) {
    const state = stateOf(ctx);
    const lb = requireLoadBalancer(state, requiredString(input.LoadBalancerArn, "LoadBalancerArn"));
    const protocol = parseProtocol(input.Protocol) ?? "HTTP";
    const port = parsePort(input.Port) ?? (protocol === "HTTPS" ? 443 : 80);
    const actions = parseActions(state, input.DefaultActions, "defaultActions", lb.arn);
    const certificates = parseCertificates(protocol, input.Certificates);
    const sslPolicy = policyFor(protocol, input.SslPolicy);
    const existing = onPort(state, lb, port);
    if (existing) {
      // Repeating the same CreateListener succeeds with the existing listener; anything else on the port conflicts.
      const same = existing.protocol === protocol && JSON.stringify(state.rules.get(existing.defaultRuleArn)?.actions) === JSON.stringify(actions);
      if (!same) throw new AwsError("DuplicateListener", `A listener already exists on this port for this load balancer '${lb.arn}'`);
      return { Listeners: [describeListener(state, existing)] };
    }
    if (state.listenersOf(lb.arn).length >= maxListeners) throw new AwsError("TooManyListeners", `You've reached the limit of ${maxListeners} listeners for the load balancer`);
    const id = newResourceId();
    const arn = state.arn(`listener/app/${lb.name}/${lb.id}/${id}`);
    const defaultRuleArn = state.arn(`listener-rule/app/${lb.name}/${lb.id}/${id}/${newResourceId()}`);
    const listener: ListenerRecord = {
      arn,
      id,
      loadBalancerArn: lb.arn,
      protocol,
      port,
      ...(certificates && { certificates }),
      ...(protocol === "HTTPS" && { sslPolicy: sslPolicy ?? DEFAULT_SSL_POLICY }),
      defaultRuleArn,
    };
    addTags(state, arn, input.Tags);
    state.listeners.set(arn, listener);
    state.rules.set(defaultRuleArn, { arn: defaultRuleArn, listenerArn: arn, priority: "default", conditions: [], actions });
    refreshUsage(state, ctx.now);
    return { Listeners: [describeListener(state, listener)] };
  },

  DescribeListeners(input: DescribeListenersInput, ctx) {
    const state = stateOf(ctx);
    const lbArn = optionalString(input.LoadBalancerArn);
    const arns = list<string>(input.ListenerArns);
    if (!lbArn && arns.length === 0) throw validation("You must specify either listener ARNs or a load balancer ARN");
    if (lbArn && arns.length > 0) throw validation("Listener ARNs and a load balancer ARN cannot be specified at the same time");
    const found = lbArn ? state.listenersOf(requireLoadBalancer(state, lbArn).arn) : arns.map((arn) => requireListener(state, arn));
    const { items, NextMarker } = page(found, input);
    return { Listeners: items.map((l) => describeListener(state, l)), ...(NextMarker && { NextMarker }) };
  },

  ModifyListener(input: ModifyListenerInput, ctx) {
    const state = stateOf(ctx);
    const listener = requireListener(state, requiredString(input.ListenerArn, "ListenerArn"));
    const lb = requireLoadBalancer(state, listener.loadBalancerArn);
    const protocol = parseProtocol(input.Protocol) ?? listener.protocol;
    const port = parsePort(input.Port) ?? listener.port;
    const clash = onPort(state, lb, port);
    if (clash && clash.arn !== listener.arn) throw new AwsError("DuplicateListener", `A listener already exists on this port for this load balancer '${lb.arn}'`);
    // Every check comes before any change, so a refused call leaves the listener as it was.
    const actions = input.DefaultActions !== undefined ? parseActions(state, input.DefaultActions, "defaultActions", lb.arn) : undefined;
    const certificates = input.Certificates !== undefined || protocol !== listener.protocol ? parseCertificates(protocol, input.Certificates ?? listener.certificates) : listener.certificates;
    const sslPolicy = policyFor(protocol, input.SslPolicy);
    listener.protocol = protocol;
    listener.port = port;
    if (certificates) listener.certificates = certificates;
    if (protocol === "HTTPS") listener.sslPolicy = sslPolicy ?? listener.sslPolicy ?? DEFAULT_SSL_POLICY;
    else delete listener.sslPolicy;
    const defaultRule = state.rules.get(listener.defaultRuleArn);
    if (actions && defaultRule) changeActions(defaultRule, actions, ctx.now, ctx.sim.elbv2.traffic.weightPropagationSeconds);
    refreshUsage(state, ctx.now);
    return { Listeners: [describeListener(state, listener)] };
  },

  DeleteListener(input: DeleteListenerInput, ctx) {
    const state = stateOf(ctx);
    const listener = requireListener(state, requiredString(input.ListenerArn, "ListenerArn"));
    deleteListenerAndRules(state, listener.arn);
    refreshUsage(state, ctx.now);
    return {};
  },
};
