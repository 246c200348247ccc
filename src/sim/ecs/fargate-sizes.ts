/**
 * The task sizes Fargate accepts: each task CPU value (CPU units) allows a memory range (MiB) in fixed steps.
 * From the ECS developer guide's "Task CPU and memory" table.
 */
const fargateSizes: { cpu: number; minMemory: number; maxMemory: number; step: number }[] = [
  // 256 CPU allows 512, 1024 and 2048 only: a step of 512 would wrongly admit 1536.
  { cpu: 256, minMemory: 512, maxMemory: 2048, step: 512 },
  { cpu: 512, minMemory: 1024, maxMemory: 4096, step: 1024 },
  { cpu: 1024, minMemory: 2048, maxMemory: 8192, step: 1024 },
  { cpu: 2048, minMemory: 4096, maxMemory: 16384, step: 1024 },
  { cpu: 4096, minMemory: 8192, maxMemory: 30720, step: 1024 },
  { cpu: 8192, minMemory: 16384, maxMemory: 61440, step: 4096 },
  { cpu: 16384, minMemory: 32768, maxMemory: 122880, step: 8192 },
];

export function isFargateSize(cpu: number, memory: number): boolean {
  if (cpu === 256) return [512, 1024, 2048].includes(memory);
  return fargateSizes.some((s) => s.cpu === cpu && memory >= s.minMemory && memory <= s.maxMemory && (memory - s.minMemory) % s.step === 0);
}

/**
 * Task-level cpu and memory arrive as strings: "1024", "1 vCPU", "0.25 vcpu", "2048", "2 GB", "0.5GB".
 * Returns CPU units / MiB as AWS stores them, or undefined when the text is not a size.
 */
export function parseTaskCpu(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(vcpu)?\s*$/i.exec(text);
  if (!match?.[1]) return undefined;
  const value = Number(match[1]);
  return match[2] ? Math.round(value * 1024) : Number.isInteger(value) ? value : undefined;
}

export function parseTaskMemory(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(gb)?\s*$/i.exec(text);
  if (!match?.[1]) return undefined;
  const value = Number(match[1]);
  return match[2] ? Math.round(value * 1024) : Number.isInteger(value) ? value : undefined;
}
