import type { Problem } from "../errors.js";
import { accountOfRoleArn } from "../../targets/target.js";
import { exampleEntry } from "./example.js";
import { joinPointer } from "./pointer.js";
import { isRecord } from "./raw.js";
import type { SourceDocument } from "./source.js";
import { nearest } from "./suggest.js";

/** Where a map of targets was written: its file and the pointer to the map (always /targets today). */
export interface TargetMapSource {
  doc: SourceDocument;
  pointer: string;
}

function problemAt(doc: SourceDocument, path: string, message: string, hint: string, part: "key" | "value" = "value"): Problem {
  return { file: doc.file, path, ...doc.positionOf(path, part), message, hint };
}

/** Rules between the fields of one target, which a JSON Schema cannot state. Skips fields the schema rejected. */
export function targetFieldProblems({ doc, pointer }: TargetMapSource, targets: unknown): Problem[] {
  if (!isRecord(targets)) return [];
  const problems: Problem[] = [];
  for (const [environment, target] of Object.entries(targets)) {
    if (!isRecord(target)) continue;
    const at = (...segments: string[]) => joinPointer(pointer, environment, ...segments);
    const { account, roleArn, externalId, loadBalancer } = target;
    const roleAccount = typeof roleArn === "string" ? accountOfRoleArn(roleArn) : undefined;
    if (typeof account === "string" && roleAccount !== undefined && account !== roleAccount) {
      problems.push(
        problemAt(doc, at("account"), `account "${account}" is not the account of roleArn, which is in account ${roleAccount}.`, `Use the role's account (${exampleEntry(doc.syntax, "account", roleAccount)}), or a role in account ${account}.`),
      );
    }
    if (externalId !== undefined && roleArn === undefined) {
      problems.push(problemAt(doc, at("externalId"), "externalId is set, but there is no roleArn to use it with.", "Add the roleArn whose trust policy asks for this external ID, or remove externalId.", "key"));
    }
    const groups = isRecord(loadBalancer) ? loadBalancer.targetGroups : undefined;
    if (isRecord(groups) && typeof groups.primary === "string" && groups.primary === groups.canary) {
      problems.push(
        problemAt(doc, at("loadBalancer", "targetGroups", "canary"), `The canary target group is the primary one ("${groups.primary}"); traffic cannot be shifted between a group and itself.`, `Name a second target group for the new version, for example: ${exampleEntry(doc.syntax, "canary", `${groups.primary}-canary`)}`),
      );
    }
  }
  return problems;
}

/**
 * Rules between the project's environments and the targets: names are unique, every environment has a
 * target and every target an environment. Problems name the file where the fix goes.
 */
export function lifecycleProblems(projectDoc: SourceDocument, environments: unknown, targets: TargetMapSource, targetMap: unknown): Problem[] {
  if (!Array.isArray(environments)) return [];
  const problems: Problem[] = [];
  const names: string[] = [];
  environments.forEach((environment: unknown, i) => {
    const name = isRecord(environment) ? environment.name : undefined;
    if (typeof name !== "string") return;
    const path = joinPointer("/environments", i, "name");
    if (names.includes(name)) {
      problems.push(problemAt(projectDoc, path, `The environment "${name}" is listed twice.`, "Each environment appears once in the lifecycle; remove or rename one of them."));
    } else {
      names.push(name);
      if (isRecord(targetMap) && !(name in targetMap)) {
        const where = targets.doc === projectDoc ? "under targets: in this file" : `under targets: in ${targets.doc.file}`;
        problems.push(problemAt(projectDoc, path, `The environment "${name}" has no target.`, `Add a target for it ${where}, for example: ${exampleEntry(targets.doc.syntax, name, { region: "us-east-1", cluster: name })}`));
      }
    }
  });
  if (isRecord(targetMap)) {
    for (const environment of Object.keys(targetMap)) {
      if (names.includes(environment)) continue;
      const guess = nearest(environment, names);
      const known = names.length > 0 ? `The environments are: ${names.join(", ")}.` : "The project lists no environments yet.";
      problems.push(
        problemAt(
          targets.doc,
          joinPointer(targets.pointer, environment),
          `The target "${environment}" is for an environment the project does not have.`,
          guess ? `Did you mean "${guess}"? ${known}` : `Add "${environment}" to environments in ${projectDoc.file}, or remove this target. ${known}`,
          "key",
        ),
      );
    }
  }
  return problems;
}
