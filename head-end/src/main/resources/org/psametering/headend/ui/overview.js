// The overview: every group's state and its last 24 h of steps, and the rejection counters; refreshed by polling.
"use strict";

async function refreshOverview() {
  const groups = await psa.json("/groups");
  const rows = await Promise.all(groups.map(async (group) => {
    const id = encodeURIComponent(group.group);
    const steps = await psa.json("/groups/" + id + "/aggregates?days=1");
    const last = steps.length ? steps[steps.length - 1] : null;
    const complete = steps.filter((s) => s.status === "COMPLETE").length;
    return psa.el("tr", { "data-group": group.group },
      psa.el("th", { scope: "row" }, psa.el("a", { href: "/ui/group.html?id=" + id }, group.group)),
      psa.el("td", {}, group.phase),
      psa.el("td", { class: "num" }, group.epoch),
      psa.el("td", { class: "num" }, group.memberCount),
      psa.el("td", last ? { "data-last-label": last.label, "data-last-epoch": last.epoch, "data-last-status": last.status,
        "data-last-sum": String(last.sum) } : {}, last ? psa.time(last.stepStart) : "none in 24 h"),
      psa.el("td", { class: last ? psa.statusClass(last.status) : "" }, last ? last.status : "–"),
      psa.el("td", { class: "num" }, last ? psa.wh(last.sum) : "–"),
      psa.el("td", { class: "num", "data-complete": complete, "data-steps": steps.length }, psa.percent(complete, steps.length)),
      psa.el("td", { class: "num" }, steps.length));
  }));
  document.querySelector("#groups tbody").replaceChildren(...rows);

  const rejections = await psa.json("/rejections");
  const reasons = Object.entries(rejections).filter(([reason]) => reason !== "total");
  document.querySelector("#rejections tbody").replaceChildren(
    ...reasons.map(([reason, count]) => psa.el("tr", { "data-reason": reason, class: count ? "" : "zero" },
      psa.el("th", { scope: "row" }, reason), psa.el("td", { class: "num" }, count))),
    psa.el("tr", { class: "total" }, psa.el("th", { scope: "row" }, "total"), psa.el("td", { class: "num" }, rejections.total)));
  document.body.dataset.updated = String(Date.now());
}

psa.poll(refreshOverview);
