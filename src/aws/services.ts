import {
  CreateServiceCommand,
  DescribeServicesCommand,
  TagResourceCommand,
  UpdateServiceCommand,
  type CreateServiceCommandInput,
  type ECSClient,
  type Service,
  type Tag,
  type UpdateServiceCommandInput,
} from "@aws-sdk/client-ecs";
import { NotFoundError } from "../errors.js";
import { awsErrorName, callAws } from "./call.js";

/** What the service step reads about a service: its DescribeServices answer. */
export interface ServiceReader {
  /** The service as ECS describes it, events included; undefined when the cluster has no such service (or it is INACTIVE). */
  describe(cluster: string, service: string): Promise<Service | undefined>;
}

/** What the service step changes: create once, update after. Both answer with the service as it now is. */
export interface ServiceWriter {
  create(input: CreateServiceCommandInput): Promise<Service>;
  update(input: UpdateServiceCommandInput): Promise<Service>;
  /** Adds or changes tags (UpdateService cannot: tags are ECS's TagResource). Tags not named are left alone. */
  tag(serviceArn: string, tags: Tag[]): Promise<void>;
}

function clusterMissing(cluster: string): NotFoundError {
  return new NotFoundError(`The ECS cluster "${cluster}" was not found.`, "Check the target's cluster in targets.yaml, or create the cluster before deploying to it.");
}

/** DescribeServices takes at most 10 services per call. */
const describeBatch = 10;

interface Waiting {
  service: string;
  resolve: (service: Service | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * The SDK behind both ports. Describes asked for in the same tick are sent together, up to 10 services of a
 * cluster per DescribeServices: one process watching 50 rollouts polls with 5 calls, not 50, which is what
 * keeps it inside ECS's service-read throttle. A lone describe is sent on its own, one tick later.
 */
export class EcsServices implements ServiceReader, ServiceWriter {
  private readonly waiting = new Map<string, Waiting[]>();

  constructor(private readonly ecs: ECSClient) {}

  describe(cluster: string, service: string): Promise<Service | undefined> {
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(cluster);
      if (queue) {
        queue.push({ service, resolve, reject });
        return;
      }
      this.waiting.set(cluster, [{ service, resolve, reject }]);
      setImmediate(() => this.flush(cluster));
    });
  }

  private flush(cluster: string): void {
    const queue = this.waiting.get(cluster) ?? [];
    this.waiting.delete(cluster);
    for (let i = 0; i < queue.length; i += describeBatch) void this.describeBatch(cluster, queue.slice(i, i + describeBatch));
  }

  private async describeBatch(cluster: string, batch: Waiting[]): Promise<void> {
    const names = [...new Set(batch.map((w) => w.service))];
    try {
      const out = await callAws("DescribeServices", `${cluster}/${names.join(",")}`, () => this.ecs.send(new DescribeServicesCommand({ cluster, services: names, include: ["TAGS"] })));
      for (const w of batch) {
        const found = out.services?.find((s) => s.serviceName === w.service || s.serviceArn === w.service);
        // An INACTIVE service is a deleted one that ECS still shows for a while: for deploying, it is not there.
        w.resolve(found && found.status !== "INACTIVE" ? found : undefined);
      }
    } catch (error) {
      const failure = awsErrorName(error) === "ClusterNotFoundException" ? clusterMissing(cluster) : error;
      for (const w of batch) w.reject(failure);
    }
  }

  async create(input: CreateServiceCommandInput): Promise<Service> {
    const out = await callAws("CreateService", `${input.cluster ?? "default"}/${input.serviceName ?? ""}`, () => this.ecs.send(new CreateServiceCommand(input)));
    if (!out.service) throw new Error("CreateService answered without a service");
    return out.service;
  }

  async update(input: UpdateServiceCommandInput): Promise<Service> {
    const out = await callAws("UpdateService", `${input.cluster ?? "default"}/${input.service ?? ""}`, () => this.ecs.send(new UpdateServiceCommand(input)));
    if (!out.service) throw new Error("UpdateService answered without a service");
    return out.service;
  }

  async tag(serviceArn: string, tags: Tag[]): Promise<void> {
    await callAws("TagResource", serviceArn, () => this.ecs.send(new TagResourceCommand({ resourceArn: serviceArn, tags })));
  }
}
