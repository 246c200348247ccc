/**
 * The task definition step's input as written in its step file, once schemas/steps/task-definition.schema.json
 * and the checks in load.ts passed. The template is kept as plain data: its values may still hold ${NAME}
 * placeholders, so it only becomes a RegisterTaskDefinition input after render().
 */
export type VariableValue = string | number | boolean;
export type VariableMap = Record<string, VariableValue>;

/** How one container's image version is chosen at release time. */
export type ImageRule =
  | { kind: "tag"; tag: string; allowMovingTag: boolean }
  | { kind: "range"; range: string; prerelease: boolean }
  | { kind: "digest"; digest: string };

/** A container of the template: its name and the ECR repository its image comes from. */
export interface TemplateContainer {
  name: string;
  repository: string;
}

export interface TaskDefinitionStepInput {
  family: string;
  /** The template with placeholders, without family; containers' images are repository names. */
  template: Record<string, unknown>;
  containers: TemplateContainer[];
  /** Keyed by container name; load() guarantees one per container and none for other names. */
  images: Record<string, ImageRule>;
  /** "default" and one map per environment name. */
  variables: Record<string, VariableMap>;
  retention?: { keep: number };
}

/** The step's input as its file wrote it: the JSON the schema checks. */
export interface RawImageRule {
  tag?: string;
  range?: string;
  digest?: string;
  prerelease?: boolean;
  allowMovingTag?: boolean;
}

export interface RawTaskDefinitionStep {
  family: string;
  definition?: Record<string, unknown>;
  template?: string;
  images: Record<string, RawImageRule>;
  variables?: Record<string, VariableMap>;
  retention?: { keep: number };
}

/** The variables for one environment: its own values over the defaults. */
export function variablesFor(input: Pick<TaskDefinitionStepInput, "variables">, environment: string): VariableMap {
  return { ...input.variables.default, ...input.variables[environment] };
}
