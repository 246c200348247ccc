import type { ParametersFilter, ParameterStringFilter } from "@aws-sdk/client-ssm";
import { ownEntry } from "../own.js";
import { invalidFilterKey, invalidFilterOption, validationError } from "./errors.js";
import type { ParameterRecord } from "./state.js";

/**
 * DescribeParameters' filters. ParameterFilters name a key, an option and values (any value may match; every
 * filter must): Name (Equals, BeginsWith, Contains), Type, KeyId and Tier (Equals, BeginsWith), DataType
 * (Equals), Path (OneLevel, Recursive) and tag:<key> (Equals, BeginsWith; without values, "has the tag").
 * The older Filters (Name, Type, KeyId) work as BeginsWith for Name and Equals otherwise.
 */
type Predicate = (record: ParameterRecord) => boolean;

const options: Record<string, string[]> = {
  Name: ["Equals", "BeginsWith", "Contains"],
  Type: ["Equals", "BeginsWith"],
  KeyId: ["Equals", "BeginsWith"],
  Tier: ["Equals", "BeginsWith"],
  DataType: ["Equals"],
  Path: ["OneLevel", "Recursive"],
  tag: ["Equals", "BeginsWith"],
};

/** Names compare in path form: "token" and "/token" are one parameter. */
const pathForm = (name: string) => (name.startsWith("/") ? name : `/${name}`);

function attribute(record: ParameterRecord, key: string): string[] {
  const current = record.history[record.history.length - 1];
  if (key.startsWith("tag:")) return record.tags.filter((t) => t.Key === key.slice(4)).map((t) => t.Value ?? "");
  switch (key) {
    case "Name":
      return [pathForm(record.name)];
    case "Type":
      return current ? [current.type] : [];
    case "KeyId":
      return current?.keyId !== undefined ? [current.keyId] : [];
    case "Tier":
      return current ? [current.tier] : [];
    case "DataType":
      return current ? [current.dataType] : [];
    default:
      return [];
  }
}

function underPath(name: string, path: string, recursive: boolean): boolean {
  const base = path.endsWith("/") ? path : `${path}/`;
  if (!name.startsWith(base)) return false;
  return recursive || !name.slice(base.length).includes("/");
}

function stringFilter(filter: ParameterStringFilter): Predicate {
  const key = filter.Key ?? "";
  const family = key.startsWith("tag:") ? "tag" : key;
  const allowed = ownEntry(options, family);
  if (!allowed) throw invalidFilterKey(`The following filter key is not valid: ${key}. Valid filter keys include: [Path, Name, Type, KeyId, Tier, DataType, tag:<key>].`);
  const option = filter.Option ?? (family === "Path" ? "OneLevel" : "Equals");
  if (!allowed.includes(option)) throw invalidFilterOption(`The following filter option is not valid: ${option}. Valid options include: [${allowed.join(", ")}].`);
  const values = filter.Values ?? [];
  if (family === "tag" && values.length === 0) return (record) => attribute(record, key).length > 0;
  if (values.length === 0) throw validationError(`The following filter values are missing : null for filter key ${key}.`);
  if (family === "Path") {
    if (values.some((v) => !v.startsWith("/"))) throw validationError('The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/".');
    return (record) => values.some((v) => underPath(pathForm(record.name), v, option === "Recursive"));
  }
  const wanted = family === "Name" && option !== "Contains" ? values.map(pathForm) : values;
  const test = option === "BeginsWith" ? (a: string, v: string) => a.startsWith(v) : option === "Contains" ? (a: string, v: string) => a.includes(v) : (a: string, v: string) => a === v;
  return (record) => attribute(record, key).some((a) => wanted.some((v) => test(a, v)));
}

function legacyFilter(filter: ParametersFilter): Predicate {
  const key = filter.Key ?? "";
  if (key !== "Name" && key !== "Type" && key !== "KeyId") throw invalidFilterKey(`The following filter key is not valid: ${key}. Valid filter keys include: [Name, Type, KeyId].`);
  return stringFilter({ Key: key, Option: key === "Name" ? "BeginsWith" : "Equals", Values: filter.Values });
}

export function filtersOf(filters: ParametersFilter[] | undefined, parameterFilters: ParameterStringFilter[] | undefined): Predicate[] {
  if (filters?.length && parameterFilters?.length) throw validationError("You can use either Filters or ParameterFilters in a single request.");
  const seen = new Set<string>();
  for (const filter of parameterFilters ?? []) {
    const key = filter.Key ?? "";
    if (seen.has(key)) throw invalidFilterKey(`The following filter is duplicated in the request: ${key}. A request can contain only one occurrence of a specific filter.`);
    seen.add(key);
  }
  return [...(filters ?? []).map(legacyFilter), ...(parameterFilters ?? []).map(stringFilter)];
}
