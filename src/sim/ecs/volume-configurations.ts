import type { ServiceVolumeConfiguration } from "@aws-sdk/client-ecs";
import { invalidParameter } from "../aws-error.js";
import type { TaskDefinitionRecord } from "./state.js";

/**
 * volumeConfigurations: the Amazon EBS volume ECS creates for each task of a service, for a task definition volume
 * marked configuredAtLaunch. Kept on the deployment and service revision (AWS's model) and checked as AWS's model
 * documents it; no volume is created here.
 */

const FILESYSTEMS = new Set(["ext3", "ext4", "xfs", "ntfs"]);
const NO_IOPS = new Set(["st1", "sc1", "standard"]);

export function validateVolumeConfigurations(list: ServiceVolumeConfiguration[], definition: TaskDefinitionRecord, schedulingStrategy: string): ServiceVolumeConfiguration[] {
  if (list.length === 0) return [];
  // CreateService's documentation: "volumeConfigurations is only supported for REPLICA service and not DAEMON service". Our wording.
  if (schedulingStrategy === "DAEMON") throw invalidParameter("volumeConfigurations is only supported for REPLICA services.");
  const launchVolumes = new Set((definition.definition.volumes ?? []).filter((v) => v.configuredAtLaunch === true).map((v) => v.name));
  for (const volume of list) {
    // AWS's wording, as ECS reports it through CloudFormation.
    if (!volume.name || !launchVolumes.has(volume.name)) throw invalidParameter("Volume configuration provided but no matching configuredAtLaunch volume found in task definition.");
    const ebs = volume.managedEBSVolume;
    if (!ebs) continue;
    // The rest is ServiceManagedEBSVolumeConfiguration's documentation, in our own words.
    if (!ebs.roleArn) throw invalidParameter("managedEBSVolume.roleArn must be specified.");
    if (ebs.sizeInGiB === undefined && !ebs.snapshotId) throw invalidParameter("Either sizeInGiB or snapshotId must be specified for a managed EBS volume.");
    const type = ebs.volumeType ?? "gp3";
    if ((type === "io1" || type === "io2") && ebs.iops === undefined) throw invalidParameter(`iops must be specified for volume type ${type}.`);
    if (NO_IOPS.has(type) && ebs.iops !== undefined) throw invalidParameter(`iops is not supported for volume type ${type}.`);
    if (ebs.throughput !== undefined && type !== "gp3") throw invalidParameter("throughput is only supported for the gp3 volume type.");
    if (ebs.filesystemType !== undefined && !FILESYSTEMS.has(ebs.filesystemType)) throw invalidParameter(`Invalid filesystemType ${String(ebs.filesystemType)}.`);
    for (const spec of ebs.tagSpecifications ?? []) {
      if (spec.resourceType !== "volume") throw invalidParameter("tagSpecifications.resourceType must be volume.");
    }
  }
  return structuredClone(list);
}
