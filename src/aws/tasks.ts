import { DescribeTasksCommand, paginateListTasks, type ECSClient, type Task } from "@aws-sdk/client-ecs";
import { callAws } from "./call.js";

/** What explaining a failed deployment needs: the tasks that stopped, and why. */
export interface StoppedTasks {
  /** Tasks of the service that ECS stopped (desiredStatus STOPPED), only those started by `startedBy` when given; newest first. */
  stopped(cluster: string, service: string, options?: { startedBy?: string; limit?: number }): Promise<Task[]>;
}

/** DescribeTasks takes at most 100 tasks per call. */
const describeBatch = 100;

export class EcsStoppedTasks implements StoppedTasks {
  constructor(private readonly ecs: ECSClient) {}

  async stopped(cluster: string, service: string, options: { startedBy?: string; limit?: number } = {}): Promise<Task[]> {
    const resource = `${cluster}/${service}`;
    const limit = options.limit ?? 10;
    const arns = await callAws("ListTasks", resource, async () => {
      const found: string[] = [];
      const pages = paginateListTasks({ client: this.ecs, pageSize: 100 }, { cluster, serviceName: service, desiredStatus: "STOPPED", ...(options.startedBy !== undefined && { startedBy: options.startedBy }) });
      for await (const page of pages) found.push(...(page.taskArns ?? []));
      return found;
    });
    const tasks: Task[] = [];
    for (let i = 0; i < arns.length; i += describeBatch) {
      const batch = arns.slice(i, i + describeBatch);
      const out = await callAws("DescribeTasks", resource, () => this.ecs.send(new DescribeTasksCommand({ cluster, tasks: batch })));
      tasks.push(...(out.tasks ?? []));
    }
    const when = (t: Task) => (t.stoppingAt ?? t.stoppedAt ?? t.createdAt)?.getTime() ?? 0;
    return tasks.sort((a, b) => when(b) - when(a)).slice(0, limit);
  }
}
