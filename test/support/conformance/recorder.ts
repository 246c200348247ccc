import type { TappedCall } from "../../../src/sim/call-taps.js";
import { SimulatorFailure } from "../../../src/sim/aws-error.js";
import type { ServiceName } from "../../../src/sim/module.js";
import { botocoreModel, simulatedApis, type ServiceModel } from "../aws-model.js";
import { errorCodes, ShapeChecker, type Wire } from "./check.js";

/** What one operation's calls came to: how many were checked, and each distinct violation with where it was seen. */
export interface OperationTally {
  requests: number;
  /** Successful answers checked against the output shape. */
  answers: number;
  /** Error answers checked against the operation's declared errors. */
  errors: number;
  /** Requests the model refuses that the simulator refused too (tests sending bad input on purpose). */
  refused: number;
  violations: Record<string, { count: number; seenIn: string }>;
}

export interface Tally {
  /** "ecs:DescribeServices" → its tally. */
  operations: Record<string, OperationTally>;
  uncheckablePatterns: string[];
}

/** Distinct violations kept per operation: enough to see every kind of fault without keeping every call. */
const keptViolations = 40;

/**
 * Checks each call a simulator answered against its operation in AWS's model: the request against the input
 * shape (a request the model refuses must be refused: accepting it is a violation), the answer against the output
 * shape, an error's code against the operation's declared and the common errors.
 */
export class ConformanceRecorder {
  private readonly checkers = new Map<ServiceName, ShapeChecker | null>();
  private readonly tally: Tally = { operations: {}, uncheckablePatterns: [] };

  constructor(private readonly where: () => string = () => "") {}

  observe(call: TappedCall): void {
    try {
      this.check(call);
    } catch (error) {
      // A check that could not be made is not a pass: it is told like any violation.
      this.entry(call).violations[`the check itself failed: ${error instanceof Error ? error.message : String(error)}`] ??= { count: 1, seenIn: this.where() };
    }
  }

  private entry(call: TappedCall): OperationTally {
    return (this.tally.operations[`${call.service}:${call.operation}`] ??= { requests: 0, answers: 0, errors: 0, refused: 0, violations: {} });
  }

  private check(call: TappedCall): void {
    const checker = this.checker(call.service);
    if (!checker) return;
    const entry = this.entry(call);
    const violation = (message: string) => {
      const seen = entry.violations[message];
      if (seen) seen.count += 1;
      else if (Object.keys(entry.violations).length < keptViolations) entry.violations[message] = { count: 1, seenIn: this.where() };
    };
    const operation = checker.model.operations[call.operation];
    if (!operation) return violation("the model has no such operation");
    const wire: Wire = call.protocol;
    entry.requests += 1;
    const request = operation.input ? checker.problems(operation.input.shape, call.input, wire, "request") : emptyOr(call.input, "request");
    if (call.answer.ok) {
      entry.answers += 1;
      for (const problem of request) violation(`request accepted though it breaks the model: ${problem}`);
      const value = wire === "json" ? JSON.parse(call.answer.body) : call.answer.value;
      const answer = operation.output ? checker.problems(operation.output.shape, value ?? {}, wire, "answer") : emptyOr(value, "answer");
      for (const problem of answer) violation(`answer: ${problem}`);
    } else {
      entry.errors += 1;
      if (request.length > 0) entry.refused += 1;
      const code = call.answer.error.code;
      // The simulator's own crash answers as AWS's server error would, but it is the simulator's fault, not AWS's.
      if (call.answer.error instanceof SimulatorFailure) violation(`the simulator failed: ${call.answer.error.message}`);
      if (!errorCodes(checker.model, operation, wire).has(code)) violation(`answered ${code}, an error the operation does not declare`);
    }
  }

  result(): Tally {
    const patterns = new Set<string>();
    for (const checker of this.checkers.values()) for (const pattern of checker?.uncheckablePatterns ?? []) patterns.add(pattern);
    return { ...this.tally, uncheckablePatterns: [...patterns] };
  }

  private checker(service: ServiceName): ShapeChecker | null {
    let checker = this.checkers.get(service);
    if (checker === undefined) {
      const [name, version] = simulatedApis[service];
      const model = botocoreModel(name, version) as ServiceModel | undefined;
      checker = model ? new ShapeChecker(model) : null;
      this.checkers.set(service, checker);
    }
    return checker;
  }
}

/** An operation without an input or output shape takes and gives an empty structure. */
function emptyOr(value: unknown, what: string): string[] {
  const empty = value === undefined || (typeof value === "object" && value !== null && Object.keys(value).length === 0);
  return empty ? [] : [`the model has no ${what} shape, yet the ${what} has members`];
}

/** Adds `b`'s figures into `a`. */
export function mergeTallies(a: Tally, b: Tally): Tally {
  for (const [key, theirs] of Object.entries(b.operations)) {
    const mine = (a.operations[key] ??= { requests: 0, answers: 0, errors: 0, refused: 0, violations: {} });
    mine.requests += theirs.requests;
    mine.answers += theirs.answers;
    mine.errors += theirs.errors;
    mine.refused += theirs.refused;
    for (const [message, seen] of Object.entries(theirs.violations)) {
      const kept = mine.violations[message];
      if (kept) kept.count += seen.count;
      else mine.violations[message] = { ...seen };
    }
  }
  a.uncheckablePatterns = [...new Set([...a.uncheckablePatterns, ...b.uncheckablePatterns])];
  return a;
}
