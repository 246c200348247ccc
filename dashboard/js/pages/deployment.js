import { api } from "../api.js";
import { fill, h, renderIfChanged } from "../dom.js";
import { errorPanel } from "../errors.js";
import { badge, duration, finalStatuses, time } from "../format.js";
import { followEvents } from "../events.js";
import { actionsPanel } from "./deployment-actions.js";
import { journalTable, progressList, routingTable, serviceBlock, verificationTable } from "./deployment-view.js";

/**
 * One deployment, live: where it stands, its task sets and traffic, verification rules, service events, journal and
 * log, with Approve and Abort. Its events stream in; the deployment and its services are re-read every second
 * while it runs, and once more after it ended.
 */
const rereadMs = 1000;
const keptServiceEvents = 100;

const revision = (arn) => arn.split("/").at(-1) ?? arn;
const withRelease = (r) => `${revision(r.taskDefinition)}${r.release ? ` (release ${r.release})` : ""}`;

/** The page's name for the run: a release to an environment, or a rollback of a service there. */
function title(run) {
  return run.kind === "rollback" ? `Rollback of ${run.rollback.service} in ${run.environment}` : `Release ${run.release} to ${run.environment}`;
}

function headline(detail, live) {
  const run = detail.run;
  const gate = detail.gates.find((g) => !g.decision);
  const current = live?.services.flatMap((s) => s.stages).find((s) => s.state === "running" || s.state === "waiting") ?? live?.steps.find((s) => s.state === "running");
  if (run.status === "running" && gate) return `Running: waiting for approval at ${gate.stage}.`;
  if (run.status === "running") return `Running${current ? `: ${current.label ?? current.name}` : ""}.`;
  if (run.status === "succeeded" && run.kind === "rollback") return `Succeeded: ${run.rollback.service} in ${run.environment} is back on ${withRelease(run.rollback.to)}, from ${withRelease(run.rollback.from)}.`;
  if (run.status === "succeeded") return `Succeeded: release ${run.release} is deployed to ${run.environment}.`;
  if (run.status === "queued") return "Queued: waiting for its services' locks.";
  if (run.status === "rolled-back") return `Rolled back: ${run.error?.message ?? "what it changed went back."}`;
  return `${run.status[0].toUpperCase()}${run.status.slice(1)}${run.error ? `: ${run.error.message}` : "."}`;
}

function meta(region, run) {
  fill(
    region,
    h("span", {}, "Deployment ", h("code", {}, run.id)),
    h("span", {}, `requested by ${run.requestedBy}`),
    h("span", {}, "started ", time(run.startedAt ?? run.createdAt)),
    h("span", {}, run.endedAt ? `took ${duration(run.startedAt ?? run.createdAt, run.endedAt)}` : ""),
    run.error?.hint ? h("span", { class: "block muted" }, run.error.hint) : null,
  );
}

function panel(id, title, ...children) {
  return h("section", { class: "panel", "aria-labelledby": id }, h("h2", { id }, title), ...children);
}

export async function deploymentPage(main, [id]) {
  const base = `/api/v1/deployments/${encodeURIComponent(id)}`;
  let detail = await api(base);
  let live;
  let liveError;
  document.title = `${title(detail.run)} · slipway`;

  const statusBadge = h("span", {});
  const statusLine = h("p", { class: "status-line", role: "status", "aria-live": "polite", "aria-atomic": "true", id: "deployment-status" });
  const metaLine = h("p", { class: "meta muted" });
  const message = h("div", { class: "action-message" });
  const actions = h("div", {});
  const progress = h("div", {});
  const services = h("div", {});
  const liveProblem = h("div", {});
  const routing = h("div", {});
  const rules = h("div", {});
  const serviceEvents = h("ol", { class: "events", reversed: true });
  const noServiceEvents = h("p", { class: "muted" }, "ECS has recorded no service event for this deployment yet.");
  const eventsBox = h("div", { class: "scroll", tabindex: "0", role: "region", "aria-label": "Service events, newest first", hidden: true }, serviceEvents);
  const log = h("ol", { class: "log" });
  const logCount = h("span", {});
  const journal = h("div", { class: "table-wrap" });
  const readAt = h("p", { class: "muted small" });

  fill(
    main,
    h("div", { class: "page-head" }, h("h1", { tabindex: "-1" }, title(detail.run)), statusBadge),
    metaLine,
    statusLine,
    message,
    actions,
    panel("services-title", "Services", liveProblem, services, readAt),
    h("div", { class: "columns" }, panel("progress-title", "Progress", progress), h("div", {}, panel("traffic-title", "Traffic", routing), panel("verification-title", "Verification rules", rules))),
    panel("events-title", "Service events", noServiceEvents, eventsBox),
    panel("journal-title", "Journal", journal),
    panel("log-title", "Log", h("details", {}, h("summary", {}, "Every line the deployment wrote (", logCount, ")"), h("div", { class: "scroll tall", tabindex: "0", role: "region", "aria-label": "Deployment log" }, log))),
  );

  const say = (text, role) => {
    fill(message, text ? h("p", { class: role === "alert" ? "notice notice-bad" : "notice notice-ok", role }, text) : null);
  };

  const draw = () => {
    const run = detail.run;
    renderIfChanged(statusBadge, run.status + (detail.gates.some((g) => !g.decision) ? "+gate" : ""), () => fill(statusBadge, detail.gates.some((g) => !g.decision) && run.status === "running" ? badge("waiting") : badge(run.status)));
    const text = headline(detail, live);
    if (statusLine.textContent !== text) statusLine.textContent = text;
    renderIfChanged(metaLine, [run.id, run.startedAt, run.endedAt, run.error], () => meta(metaLine, run));
    renderIfChanged(actions, [run.status, detail.gates, live?.caller], () => fill(actions, actionsPanel({ detail, live, say, refresh: acted })));
    renderIfChanged(journal, detail.journal, (region, entries) => fill(region, journalTable(entries)));
    fill(liveProblem, liveError ? errorPanel(liveError, "AWS could not be read just now") : null);
    if (!live) return;
    renderIfChanged(progress, [live.steps, live.services.map((s) => [s.stages, s.rollback])], () => fill(progress, progressList(live)));
    renderIfChanged(services, live.services, (region, list) => fill(region, list.length === 0 ? h("p", { class: "muted" }, "This process deploys no service.") : list.map((s) => serviceBlock(s, run.id))));
    renderIfChanged(routing, live.routing, (region, list) => fill(region, routingTable(list)));
    renderIfChanged(rules, live.verificationRules, (region, list) => fill(region, verificationTable(list, run.id)));
    readAt.textContent = `As ECS and the load balancer showed it at ${new Date(live.readAt).toLocaleTimeString()}.`;
  };

  // After this page aborted or decided, an interrupted run is about to run again (the server carries the abort
  // out): it is followed for a while even though "interrupted" reads as an end.
  let actedUntil = 0;
  const ended = () => !(detail.run.status === "interrupted" && Date.now() < actedUntil) && finalStatuses.includes(detail.run.status) && (!live || finalStatuses.includes(live.status));
  let timer;
  let busy = false;
  let again = false;
  const refresh = async () => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const [d, l] = await Promise.allSettled([api(base), api(`${base}/live`)]);
      if (d.status === "fulfilled") detail = d.value;
      if (l.status === "fulfilled") live = l.value;
      liveError = l.status === "rejected" ? l.reason : undefined;
      draw();
      // An interrupted run that someone aborts (or resumes) runs again: the page follows it again.
      if (ended()) stop();
      else follow();
    } finally {
      busy = false;
      if (again) {
        again = false;
        void refresh();
      }
    }
  };

  const acted = async () => {
    actedUntil = Date.now() + 30_000;
    await refresh();
  };
  let lastEventId;
  const onEvent = (event) => {
    lastEventId = event.id ?? lastEventId;
    if (event.type === "service-event") {
      serviceEvents.prepend(h("li", {}, time(event.data?.at ?? event.at), " ", event.message));
      noServiceEvents.hidden = true;
      eventsBox.hidden = false;
      while (serviceEvents.children.length > keptServiceEvents) serviceEvents.lastChild.remove();
    } else if (event.type !== "status") {
      log.append(h("li", { class: `log-${event.type}` }, time(event.at), " ", event.message));
      logCount.textContent = `${log.children.length} lines`;
    }
    if (["run", "step", "gate", "done"].includes(event.type)) void refresh();
  };
  let stopEvents = followEvents(`${base}/events`, onEvent);
  let following = true;
  let closing;
  let gone = false;
  const stop = () => {
    clearInterval(timer);
    timer = undefined;
    // The done event follows the final status closely: the stream is given a moment to bring it.
    closing ??= setTimeout(() => {
      stopEvents();
      following = false;
    }, 3000);
  };
  const follow = () => {
    if (gone) return;
    clearTimeout(closing);
    closing = undefined;
    if (!following) {
      // From the last event shown: the log goes on where it stopped.
      stopEvents = followEvents(lastEventId === undefined ? `${base}/events` : `${base}/events?after=${lastEventId}`, onEvent);
      following = true;
    }
    timer ??= setInterval(() => void refresh(), rereadMs);
  };

  await refresh();
  return () => {
    gone = true;
    clearInterval(timer);
    clearTimeout(closing);
    stopEvents();
    stopEvents = () => undefined;
  };
}
