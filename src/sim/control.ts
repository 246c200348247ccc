import { AwsError } from "./aws-error.js";
import { DEFAULT_IMAGE_EXIT, type ImageBehaviour, type ImageExit } from "./faults.js";
import type { CallContext, ServiceName } from "./module.js";
import { ownEntry } from "./own.js";
import type { Simulator } from "./simulator.js";

/**
 * The simulator's own control surface under /_sim/: time, faults and throttling for tests and the demo, plus
 * routes each simulated service adds (/_sim/<service>/<name>). AWS has none of this; the product never calls it.
 */
export interface ControlReply {
  status: number;
  body: unknown;
}

const behaviours: ImageBehaviour[] = ["healthy", "crash", "unhealthy", "exit"];

/** /_sim/<prefix>/<name> → the service whose control it is; Application Auto Scaling's go under the shorter "autoscaling". */
export const controlOwners: ReadonlyMap<string, ServiceName> = new Map<string, ServiceName>([
  ["ecs", "ecs"],
  ["ecr", "ecr"],
  ["elbv2", "elbv2"],
  ["autoscaling", "application-autoscaling"],
]);

function parse(body: string): Record<string, unknown> {
  if (body.trim() === "") return {};
  const value: unknown = JSON.parse(body);
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new AwsError("BadRequest", "Body must be a JSON object");
  return value as Record<string, unknown>;
}

function setImageBehaviour(sim: Simulator, region: string, body: Record<string, unknown>): unknown {
  const images = Array.isArray(body.images) ? body.images : [body.image];
  const behaviour = body.behaviour as ImageBehaviour;
  if (!behaviours.includes(behaviour)) throw new AwsError("BadRequest", `behaviour must be one of ${behaviours.join(", ")}`);
  const exit = imageExitOf(behaviour, body);
  const refs: string[] = [];
  for (const image of images) {
    if (typeof image !== "string" || image === "") throw new AwsError("BadRequest", "image must name an image (repo:tag or repo@digest)");
    refs.push(image);
    // One image goes by several names: every tag and its digest share the behaviour.
    const record = sim.ecr.resolveImage(region, image);
    if (record) {
      refs.push(`${record.repositoryName}@${record.imageDigest}`, ...record.imageTags.map((t) => `${record.repositoryName}:${t}`));
    }
  }
  sim.faults.setImageBehaviour(refs, behaviour, exit);
  return imageFaults(sim);
}

/** exitCode (0–255) and runSeconds (0 or more) go with the "exit" behaviour only; each has a default. */
function imageExitOf(behaviour: ImageBehaviour, body: Record<string, unknown>): ImageExit {
  const { exitCode, runSeconds } = body;
  if (behaviour !== "exit") {
    if (exitCode !== undefined || runSeconds !== undefined) throw new AwsError("BadRequest", 'exitCode and runSeconds go with behaviour "exit" only');
    return DEFAULT_IMAGE_EXIT;
  }
  if (exitCode !== undefined && !(typeof exitCode === "number" && Number.isInteger(exitCode) && exitCode >= 0 && exitCode <= 255)) throw new AwsError("BadRequest", "exitCode must be a whole number from 0 to 255");
  if (runSeconds !== undefined && !(typeof runSeconds === "number" && Number.isFinite(runSeconds) && runSeconds >= 0)) throw new AwsError("BadRequest", "runSeconds must be a number of simulated seconds, 0 or more");
  return { exitCode: (exitCode as number | undefined) ?? DEFAULT_IMAGE_EXIT.exitCode, runSeconds: (runSeconds as number | undefined) ?? DEFAULT_IMAGE_EXIT.runSeconds };
}

/** The image behaviours, and how each "exit" image ends. */
function imageFaults(sim: Simulator): { images: Record<string, ImageBehaviour>; exits: Record<string, ImageExit> } {
  return { images: sim.faults.imageBehaviours(), exits: sim.faults.imageExits() };
}

/**
 * The simulator's own routes, by "METHOD path" under /_sim/ (a service's own are its module's `controls`, under
 * /_sim/<prefix>/<name>). Each answers 200 with what it returns; a refusal throws an AwsError.
 */
type CoreControl = (sim: Simulator, body: Record<string, unknown>, region: string, now: Date) => unknown;

export const coreControls: Record<string, CoreControl> = {
  "GET health": (sim, _body, _region, now) => ({ ok: true, now: now.toISOString(), speed: sim.clock.rate }),
  "GET clock": (sim, _body, _region, now) => ({ now: now.toISOString(), speed: sim.clock.rate }),
  "POST clock": (sim, body) => {
    const { speed, advanceSeconds } = body;
    // 0 freezes simulated time (a test then moves it only with advanceSeconds); time never runs backwards.
    if (speed !== undefined && (typeof speed !== "number" || !Number.isFinite(speed) || speed < 0)) throw new AwsError("BadRequest", "speed must be a number of simulated seconds per real second, 0 (frozen) or more");
    if (advanceSeconds !== undefined && (typeof advanceSeconds !== "number" || !Number.isFinite(advanceSeconds) || advanceSeconds < 0)) throw new AwsError("BadRequest", "advanceSeconds must be a number of seconds, 0 or more");
    if (speed !== undefined) sim.clock.setSpeed(speed);
    if (advanceSeconds !== undefined && advanceSeconds > 0) sim.clock.advance(advanceSeconds);
    return { now: sim.advance().toISOString(), speed: sim.clock.rate };
  },
  "GET calls": (sim) => sim.calls.snapshot(),
  "DELETE calls": (sim) => {
    sim.calls.reset();
    return sim.calls.snapshot();
  },
  "GET faults": (sim) => ({ calls: sim.faults.calls, ...imageFaults(sim) }),
  "PUT faults": (sim, body) => {
    const { errorRate, latencyMs, operations, seed } = body;
    if (errorRate !== undefined && (typeof errorRate !== "number" || errorRate < 0 || errorRate > 1)) throw new AwsError("BadRequest", "errorRate must be a number from 0 to 1");
    if (latencyMs !== undefined && (typeof latencyMs !== "number" || latencyMs < 0)) throw new AwsError("BadRequest", "latencyMs must be a number of milliseconds, 0 or more");
    if (operations !== undefined && !(Array.isArray(operations) && operations.every((o) => typeof o === "string"))) throw new AwsError("BadRequest", "operations must be a list of operation names");
    sim.faults.setCalls({
      ...(errorRate !== undefined && { errorRate: errorRate as number }),
      ...(latencyMs !== undefined && { latencyMs: latencyMs as number }),
      ...(operations !== undefined && { operations: operations as string[] }),
      ...(typeof seed === "number" && { seed }),
    });
    return { calls: sim.faults.calls };
  },
  "PUT faults/images": (sim, body, region) => setImageBehaviour(sim, region, body),
  "DELETE faults": (sim) => {
    sim.faults.reset();
    return { calls: sim.faults.calls };
  },
  "PUT throttling": (sim, body) => {
    sim.throttler.enabled = body.enabled !== false;
    sim.throttler.reset();
    return { enabled: sim.throttler.enabled };
  },
};

export async function handleControl(sim: Simulator, method: string, url: URL, rawBody: string, authRegion: string, requestId: string): Promise<ControlReply> {
  try {
    const body = parse(rawBody);
    const region = url.searchParams.get("region") ?? (typeof body.region === "string" ? body.region : authRegion);
    const path = url.pathname.slice("/_sim/".length).replace(/\/$/, "");
    const now = sim.advance();
    // Own entries only, here and for a service's controls: /_sim/ecr/constructor is no route.
    const core = ownEntry(coreControls, `${method} ${path}`);
    if (core) return { status: 200, body: core(sim, body, region, now) };
    const [service, name] = path.split("/");
    const owner = service ? controlOwners.get(service) : undefined;
    if (owner && name) {
      const controls = sim.module(owner).controls;
      const control = controls ? ownEntry(controls, name) : undefined;
      if (control) {
        const ctx: CallContext = { sim, region, account: sim.account, now, requestId };
        return { status: 200, body: await control(body, ctx) };
      }
    }
    return { status: 404, body: { error: "NotFound", message: `No simulator control at ${method} ${url.pathname}` } };
  } catch (error) {
    if (error instanceof AwsError) return { status: error.status, body: { error: error.code, message: error.message } };
    if (error instanceof SyntaxError) return { status: 400, body: { error: "BadRequest", message: `Body is not JSON: ${error.message}` } };
    throw error;
  }
}
