import type {
  DeleteServiceRequest,
  DeleteServiceResponse,
  DescribeServicesRequest,
  DescribeServicesResponse,
  Failure,
  ListServicesRequest,
  ListServicesResponse,
  Service,
} from "@aws-sdk/client-ecs";
import { AwsError, invalidParameter } from "../aws-error.js";
import type { CallContext, Handler } from "../module.js";
import { ecsState, requireCluster } from "./lookup.js";
import { paginate } from "../paging.js";
import { reconcileService } from "./scheduler.js";
import { createService } from "./service-create.js";
import { findService, serviceArn, serviceNameOf } from "./service-lookup.js";
import { updateService } from "./service-update.js";
import { serviceView } from "./service-view.js";
import { schedOf } from "./world.js";

function describeServices(input: DescribeServicesRequest, ctx: CallContext): DescribeServicesResponse {
  const state = ecsState(ctx);
  const s = schedOf(state, ctx.sim);
  const cluster = requireCluster(state, input.cluster);
  const refs = input.services ?? [];
  if (refs.length === 0) throw invalidParameter("Services cannot be empty.");
  if (refs.length > 10) throw invalidParameter("Too many services. Up to 10 services can be described at once.");
  const withTags = (input.include ?? []).includes("TAGS");
  const services: Service[] = [];
  const failures: Failure[] = [];
  for (const ref of refs) {
    const service = findService(state, cluster, ref);
    if (service) services.push(serviceView(s, service, withTags));
    else failures.push({ arn: serviceArn(state, cluster, serviceNameOf(ref)), reason: "MISSING" });
  }
  return { services, failures };
}

function listServices(input: ListServicesRequest, ctx: CallContext): ListServicesResponse {
  const state = ecsState(ctx);
  const cluster = requireCluster(state, input.cluster);
  const arns = [...state.services.values()]
    .filter((svc) => svc.clusterArn === cluster.arn && svc.status !== "INACTIVE")
    .filter((svc) => !input.launchType || svc.workload?.launchType === input.launchType)
    .filter((svc) => !input.schedulingStrategy || svc.schedulingStrategy === input.schedulingStrategy)
    .map((svc) => svc.arn)
    .sort();
  const page = paginate(arns, (arn) => arn, input, { max: 100, defaultSize: 10 });
  return { serviceArns: page.items, ...(page.nextToken && { nextToken: page.nextToken }) };
}

/**
 * DeleteService: refused while the service still wants tasks, unless forced (AWS's message). The service goes
 * DRAINING, the scheduler stops its tasks (and drains its task sets), and it turns INACTIVE once none run.
 */
function deleteService(input: DeleteServiceRequest, ctx: CallContext): DeleteServiceResponse {
  const state = ecsState(ctx);
  const s = schedOf(state, ctx.sim);
  const cluster = requireCluster(state, input.cluster);
  const service = input.service ? findService(state, cluster, input.service) : undefined;
  if (!service) throw new AwsError("ServiceNotFoundException", "Service not found.");
  if (service.status !== "ACTIVE") throw new AwsError("ServiceNotActiveException", "Service was not ACTIVE.");
  if (service.desiredCount > 0 && !input.force) throw invalidParameter("The service cannot be stopped while it is scaled above 0.");
  service.status = "DRAINING";
  service.desiredCount = 0;
  for (const set of service.taskSets) set.status = "DRAINING";
  reconcileService(s, service, ctx.now);
  return { service: serviceView(s, service, false) };
}

export const serviceOperations: Record<string, Handler> = {
  CreateService: createService,
  UpdateService: updateService,
  DescribeServices: describeServices,
  ListServices: listServices,
  DeleteService: deleteService,
};
