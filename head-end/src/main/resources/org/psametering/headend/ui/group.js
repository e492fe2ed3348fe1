// The group page: the load curve (ECharts), epoch and re-key markers, members, and the steps as a table. New results
// are polled for and merged without a reload. Everything shown comes from the head-end's JSON API: sums per step and
// metadata (who reported, who was missing), never a single meter's reading.
"use strict";

const groupId = new URLSearchParams(location.search).get("id") || "";
const api = "/groups/" + encodeURIComponent(groupId);
const COLORS = { COMPLETE: "#0b5cad", RECOVERED: "#d97706", INCOMPLETE: "#cf222e", RECOVERING: "#8c959f" };

const state = {
  steps: new Map(),        // "epoch/label" -> result, as the API returns it
  log: [],                 // membership changes (re-keys)
  members: null,           // membership snapshot
  group: null,
  unit: "wh",
  days: 30,
  zoom: null,              // [startPercent, endPercent] kept across redraws
};

let chart = null;

function sortedSteps() {
  return [...state.steps.values()].sort((a, b) => a.stepStart.localeCompare(b.stepStart) || a.epoch - b.epoch);
}

function value(step) {
  if (step.sum === null) return null;
  return state.unit === "kw" ? psa.kw(step.sum, step.stepSeconds) : step.sum;
}

/** Vertical lines where an epoch begins in the loaded steps, and at each membership change that led to a re-key. */
function markers(steps) {
  const lines = [];
  for (let i = 0; i < steps.length; i++) {
    if (i === 0 || steps[i].epoch !== steps[i - 1].epoch) {
      lines.push({ xAxis: Date.parse(steps[i].stepStart), name: "epoch " + steps[i].epoch,
        label: { formatter: "epoch " + steps[i].epoch, position: "insideEndTop" }, lineStyle: { color: "#57606a", type: "solid" } });
    }
  }
  const first = steps.length ? Date.parse(steps[0].stepStart) : 0;
  for (const event of state.log) {
    const at = Date.parse(event.at);
    if (at >= first) {
      lines.push({ xAxis: at, name: event.change + " " + event.meter, label: { formatter: "re-key: " + event.change.toLowerCase(), position: "insideEndTop" },
        lineStyle: { color: "#b35900", type: "dashed" } });
    }
  }
  return lines;
}

function chartOption(steps) {
  const unit = state.unit === "kw" ? "kW" : "Wh per step";
  const points = (status) => steps.filter((s) => s.status === status);
  return {
    animation: false,
    grid: { left: 70, right: 30, top: 40, bottom: 80 },
    legend: { top: 5, data: ["sum", "RECOVERED", "INCOMPLETE", "RECOVERING"] },
    tooltip: { trigger: "axis", axisPointer: { type: "line" } },
    xAxis: { type: "time" },
    yAxis: { type: "value", name: unit, min: 0 },
    dataZoom: [
      { type: "inside", xAxisIndex: 0, start: state.zoom ? state.zoom[0] : 0, end: state.zoom ? state.zoom[1] : 100 },
      { type: "slider", xAxisIndex: 0, start: state.zoom ? state.zoom[0] : 0, end: state.zoom ? state.zoom[1] : 100 },
    ],
    series: [
      // one point per stored step; an INCOMPLETE one has no sum and leaves a gap
      { name: "sum", type: "line", showSymbol: false, connectNulls: false, lineStyle: { width: 1.2 }, color: COLORS.COMPLETE,
        data: steps.map((s) => [Date.parse(s.stepStart), value(s)]), markLine: { symbol: "none", silent: true, data: markers(steps) } },
      { name: "RECOVERED", type: "scatter", symbolSize: 6, color: COLORS.RECOVERED,
        data: points("RECOVERED").map((s) => [Date.parse(s.stepStart), value(s)]) },
      { name: "INCOMPLETE", type: "scatter", symbol: "triangle", symbolSize: 8, color: COLORS.INCOMPLETE,
        data: points("INCOMPLETE").map((s) => [Date.parse(s.stepStart), 0]) },
      { name: "RECOVERING", type: "scatter", symbol: "diamond", symbolSize: 7, color: COLORS.RECOVERING,
        data: points("RECOVERING").map((s) => [Date.parse(s.stepStart), 0]) },
    ],
  };
}

/** [from, to) in unix seconds of what the zoom shows, for the downloads. */
function shownRange(steps) {
  if (!steps.length) return null;
  const first = Date.parse(steps[0].stepStart);
  const last = Date.parse(steps[steps.length - 1].stepStart);
  const [start, end] = state.zoom || [0, 100];
  const from = Math.floor((first + (last - first) * start / 100) / 1000);
  const to = Math.ceil((first + (last - first) * end / 100) / 1000) + 1;
  return [from, to];
}

/** Downloads go through fetch when a token is set: a plain link would be sent without the Authorization header. */
function downloadWithToken(event) {
  const link = event.currentTarget;
  if (!sessionStorage.getItem(TOKEN_KEY) || link.getAttribute("href") === "#") return;
  event.preventDefault();
  psa.get(link.getAttribute("href")).then(async (response) => {
    if (!response.ok) throw new Error(link.getAttribute("href") + ": " + response.status);
    const url = URL.createObjectURL(await response.blob());
    const save = psa.el("a", { href: url, download: groupId + (link.id === "csv" ? ".csv" : ".json") });
    document.body.append(save);
    save.click();
    save.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }).catch((error) => psa.showError(error));
}

function updateDownloads(steps) {
  const range = shownRange(steps);
  const query = range ? "from=" + range[0] + "&to=" + range[1] : "days=" + state.days;
  document.getElementById("csv").href = api + "/aggregates?" + query + "&format=csv";
  document.getElementById("json").href = api + "/aggregates?" + query + "&format=json";
}

function renderTable(steps) {
  const rows = [];
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i];
    const kw = psa.kw(s.sum, s.stepSeconds);
    rows.push(psa.el("tr", { "data-label": s.label, "data-epoch": s.epoch },
      psa.el("td", {}, psa.time(s.stepStart)), psa.el("td", { class: "num" }, s.epoch), psa.el("td", { class: "num" }, s.label),
      psa.el("td", { class: psa.statusClass(s.status) }, s.status),
      psa.el("td", { class: "num" }, s.sum === null ? "–" : s.sum),
      psa.el("td", { class: "num" }, kw === null ? "–" : kw.toFixed(2)),
      psa.el("td", { class: "num" }, s.reported), psa.el("td", { class: "num" }, s.missingCount)));
  }
  document.querySelector("#steps tbody").replaceChildren(...rows);
}

function renderMembers(steps) {
  if (!state.members) return;
  const missed = new Map();
  for (const s of steps) for (const meter of s.missing) missed.set(meter, (missed.get(meter) || 0) + 1);
  document.querySelector("#members tbody").replaceChildren(...state.members.members.map((m) =>
    psa.el("tr", { "data-meter": m.meter },
      psa.el("th", { scope: "row" }, m.meter), psa.el("td", {}, m.state + (m.keptByFloor ? " (kept: minMembers)" : "")),
      psa.el("td", {}, m.lastReportedStepStart ? psa.time(m.lastReportedStepStart) : "not since start"),
      psa.el("td", { class: "num" }, m.consecutiveMisses), psa.el("td", { class: "num" }, missed.get(m.meter) || 0))));
}

function renderFacts() {
  const g = state.group;
  const fact = (name, text) => psa.el("div", {}, psa.el("span", {}, name + ": "), text);
  // the newest epoch's graph and the configured option that chose it (auto: complete up to 1000 members, sparse above)
  const maskGraph = psa.el("div", { id: "mask-graph", "data-mask-graph": g.maskGraph, "data-mask-graph-option": g.maskGraphOption },
    psa.el("span", {}, "mask graph: "), g.maskGraph + " (configured: " + g.maskGraphOption + ")");
  document.getElementById("facts").replaceChildren(fact("state", g.phase), fact("epoch", g.epoch), fact("members", g.memberCount),
    fact("step", g.stepSeconds / 60 + " min"), fact("parameters", g.params), maskGraph);
}

function render() {
  const steps = sortedSteps();
  const started = performance.now();
  chart.setOption(chartOption(steps), { replaceMerge: ["series", "dataZoom"] });
  renderTable(steps);
  renderMembers(steps);
  updateDownloads(steps);
  document.body.dataset.steps = String(steps.length);
  document.body.dataset.renderMs = (performance.now() - started).toFixed(1);
}

function merge(results) {
  let changed = false;
  for (const r of results) {
    const key = r.epoch + "/" + r.label;
    const old = state.steps.get(key);
    if (!old || old.status !== r.status || old.recordedAt !== r.recordedAt) {
      state.steps.set(key, r);
      changed = true;
    }
  }
  return changed;
}

/**
 * From where to fetch again: the oldest step that may still change (RECOVERING, or INCOMPLETE without a reason: a late
 * ciphertext may complete it), else the newest step. Only steps within the head-end's default late window (a day, at
 * least 4 steps) before the newest are looked at, so that old INCOMPLETE steps do not make every poll fetch everything.
 */
function refetchFrom() {
  const steps = sortedSteps();
  if (!steps.length) return null;
  const newest = steps[steps.length - 1];
  const lateWindow = Math.max(86400, 4 * newest.stepSeconds) * 1000;
  const since = Date.parse(newest.stepStart) - lateWindow;
  const open = steps.find((s) => Date.parse(s.stepStart) >= since
    && (s.status === "RECOVERING" || (s.status === "INCOMPLETE" && s.reason === null)));
  return Math.floor(Date.parse((open || newest).stepStart) / 1000);
}

async function loadAll() {
  state.steps.clear();
  merge(await psa.json(api + "/aggregates?days=" + state.days));
}

async function refresh() {
  const from = refetchFrom();
  const [group, results, log, members] = await Promise.all([
    psa.json(api),
    from === null ? psa.json(api + "/aggregates?days=" + state.days) : psa.json(api + "/aggregates?from=" + from),
    psa.json(api + "/membership-log"),
    psa.json(api + "/membership"),
  ]);
  state.group = group;
  renderFacts();
  const changed = merge(results) || log.length !== state.log.length || JSON.stringify(members) !== JSON.stringify(state.members);
  state.log = log;
  state.members = members;
  if (changed) render();
  document.body.dataset.updated = String(Date.now());
}

async function start() {
  document.getElementById("group-id").textContent = groupId;
  document.title = "PSA head-end: " + groupId;
  const history = psa.json(api + "/aggregates?days=" + state.days);
  chart = echarts.init(document.getElementById("chart"), null, { renderer: "canvas" });
  chart.on("datazoom", () => {
    const zoom = chart.getOption().dataZoom[0];
    state.zoom = [zoom.start, zoom.end];
    updateDownloads(sortedSteps());
  });
  // milliseconds from navigation until the chart first finished drawing the loaded steps (the browser test reports it)
  chart.on("finished", () => {
    if (!document.body.dataset.drawnAtMs && state.steps.size) document.body.dataset.drawnAtMs = performance.now().toFixed(1);
  });
  window.addEventListener("resize", () => chart.resize());
  document.getElementById("csv").addEventListener("click", downloadWithToken);
  document.getElementById("json").addEventListener("click", downloadWithToken);
  document.getElementById("unit").addEventListener("change", (e) => { state.unit = e.target.value; render(); });
  document.getElementById("days").addEventListener("change", async (e) => {
    state.days = Number(e.target.value);
    state.zoom = null;
    await loadAll();
    render();
  });
  try {
    // the curve first; the table, members and markers of re-keys follow with the first refresh
    merge(await history);
    document.body.dataset.dataAtMs = performance.now().toFixed(1);
    render();
  } catch (error) {
    psa.showError(error);
  }
  await psa.poll(refresh);
}

start();
