import type { ListAccountSettingsRequest, ListAccountSettingsResponse, Setting, SettingName } from "@aws-sdk/client-ecs";
import { invalidParameter } from "../aws-error.js";
import type { CallContext, Handler } from "../module.js";
import { paginate } from "../paging.js";

/**
 * ListAccountSettings. The simulator serves no PutAccountSetting or PutAccountSettingDefault, so no principal has a
 * setting of its own and every setting has the value a new account has (AWS's documentation of each setting and
 * of its default as of 2025): long ARN formats on, Container Insights and trunking off, tag authorization on,
 * Fargate tasks retired after 7 days, non-blocking log delivery (AWS's default since June 25, 2025), GuardDuty's
 * read-only guardDutyActivate off. As AWS documents effectiveSettings, without it only the principal's own settings
 * are listed — here none; with it, these defaults. The names are the model's SettingName enum; dualStackIPv6,
 * which the documentation lists but the enum lacks, is left out.
 */
export const ACCOUNT_DEFAULTS: readonly { name: SettingName; value: string; type: "user" | "aws_managed" }[] = [
  { name: "awsvpcTrunking", value: "disabled", type: "user" },
  { name: "containerInsights", value: "disabled", type: "user" },
  { name: "containerInstanceLongArnFormat", value: "enabled", type: "user" },
  { name: "defaultLogDriverMode", value: "non-blocking", type: "user" },
  { name: "fargateEventWindows", value: "disabled", type: "user" },
  { name: "fargateFIPSMode", value: "disabled", type: "user" },
  { name: "fargateTaskRetirementWaitPeriod", value: "7", type: "user" },
  // The one setting AWS manages on the account's behalf (Setting.type's documentation).
  { name: "guardDutyActivate", value: "off", type: "aws_managed" },
  { name: "serviceLongArnFormat", value: "enabled", type: "user" },
  { name: "tagResourceAuthorization", value: "on", type: "user" },
  { name: "taskLongArnFormat", value: "enabled", type: "user" },
];

/** maxResults: 1 to 10, 10 when absent (the model's documentation). */
const PAGE = { max: 10, defaultSize: 10 };

function listAccountSettings(input: ListAccountSettingsRequest, ctx: CallContext): ListAccountSettingsResponse {
  // The model: "You must also specify an account setting name to use this parameter." (value)
  if (input.value !== undefined && input.value !== null && !input.name) throw invalidParameter("You must specify an account setting name when filtering by value.");
  if (input.name && !ACCOUNT_DEFAULTS.some((s) => s.name === input.name)) throw invalidParameter(`Invalid setting name: ${input.name}`);
  const principalArn = input.principalArn ?? `arn:aws:iam::${ctx.account}:root`;
  const settings: Setting[] = input.effectiveSettings
    ? ACCOUNT_DEFAULTS.filter((s) => (!input.name || s.name === input.name) && (input.value === undefined || input.value === null || s.value === input.value)).map((s) => ({ ...s, principalArn }))
    : [];
  const page = paginate(settings, (s) => s.name ?? "", input, PAGE);
  return { settings: page.items, ...(page.nextToken && { nextToken: page.nextToken }) };
}

export const accountSettingOperations: Record<string, Handler> = {
  ListAccountSettings: listAccountSettings,
};
