/** A service as the simulator keeps it; fleshed out by the services module. */
export interface ServiceRecord {
  arn: string;
  name: string;
  clusterArn: string;
}
