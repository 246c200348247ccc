/** CIDR blocks for source-ip conditions: parsing and membership, IPv4 and IPv6. */
function ipv4ToBigInt(ip: string): bigint | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function ipv6ToBigInt(ip: string): bigint | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(ip) || ip.split("::").length > 2) return undefined;
  const [head = "", tail] = ip.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...right];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(Number.parseInt(group, 16));
  }
  return value;
}

interface Address {
  value: bigint;
  bits: 32 | 128;
}

export function parseIp(ip: string): Address | undefined {
  const v4 = ipv4ToBigInt(ip);
  if (v4 !== undefined) return { value: v4, bits: 32 };
  const v6 = ipv6ToBigInt(ip);
  return v6 !== undefined ? { value: v6, bits: 128 } : undefined;
}

export function parseCidr(cidr: string): (Address & { prefix: number }) | undefined {
  const [ip = "", prefixText] = cidr.split("/");
  const address = parseIp(ip);
  const prefix = Number(prefixText);
  if (!address || prefixText === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > address.bits) return undefined;
  return { ...address, prefix };
}

export function cidrContains(cidr: string, ip: string): boolean {
  const block = parseCidr(cidr);
  const address = parseIp(ip);
  if (!block || !address || block.bits !== address.bits) return false;
  const shift = BigInt(block.bits - block.prefix);
  return block.value >> shift === address.value >> shift;
}
