// The console's pages: one EventSource on /api/stream feeds them; nothing reloads. Elements carry stable ids and
// data attributes (data-broker/data-state, data-topic/data-partition/data-status, data-kind) for tests and styling.
(() => {
  const $ = sel => document.querySelector(sel);
  const MAX_EVENTS = 1000;
  const RECENT = 8;
  let snapshot = null;
  let events = [];          // newest first
  let lastSeq = 0;

  // --- tabs ---------------------------------------------------------------------------------------------------------
  function showTab() {
    const tab = (location.hash || "#cluster").slice(1);
    document.querySelectorAll("[data-page]").forEach(s => { s.hidden = s.dataset.page !== tab; });
    document.querySelectorAll("#tabs a").forEach(a => a.classList.toggle("active", a.dataset.tab === tab));
  }
  window.addEventListener("hashchange", showTab);
  showTab();

  // --- stream -------------------------------------------------------------------------------------------------------
  function connect() {
    const source = new EventSource("/api/stream");
    const state = $("#stream-state");
    source.onopen = () => { state.dataset.state = "live"; state.textContent = "live"; };
    source.onerror = () => {
      state.dataset.state = "disconnected"; state.textContent = "reconnecting…";
      // The browser retries by itself while CONNECTING; once CLOSED (e.g. the console answered an error) it gives
      // up for good, so open a new stream ourselves.
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 2000);
    };
    source.addEventListener("history", e => {
      const history = JSON.parse(e.data);
      // After a reconnect the console may have restarted: its history replaces ours.
      events = history;
      lastSeq = history.length ? history[0].seq : 0;
      scheduleTimeline(null);
    });
    source.addEventListener("event", e => {
      const event = JSON.parse(e.data);
      if (event.seq <= lastSeq) return;
      lastSeq = event.seq;
      events.unshift(event);
      if (events.length > MAX_EVENTS) events.length = MAX_EVENTS;
      scheduleTimeline(event);
    });
    source.addEventListener("snapshot", e => {
      snapshot = JSON.parse(e.data);
      render();
    });
  }

  // --- cluster page -------------------------------------------------------------------------------------------------
  function render() {
    const c = snapshot.cluster;
    $("#cluster-id").textContent = c.clusterId ? "cluster " + c.clusterId : "–";
    renderSummary(c);
    renderBrokers(c);
    renderPartitionMap(snapshot.topics);
    renderTopics(snapshot.topics);
    renderGroups(snapshot.groups);
  }

  function renderSummary(c) {
    const up = c.brokers.filter(b => b.state === "up").length;
    const card = (id, value, label, cls) =>
      `<div class="card ${cls || ""}" id="${id}"><div class="v">${value}</div><div class="l">${label}</div></div>`;
    $("#summary").innerHTML =
      card("summary-brokers", `${up} / ${c.brokers.length}`, "brokers up", up < c.brokers.length ? "bad" : "") +
      card("summary-controller", c.controller ?? Fmt.dash, "controller", c.controller == null ? "bad" : "") +
      card("summary-partitions", c.partitions, "partitions, internal included") +
      card("summary-under", c.underReplicatedPartitions, "under-replicated", c.underReplicatedPartitions ? "warn" : "") +
      card("summary-offline", c.offlinePartitions, "offline", c.offlinePartitions ? "bad" : "");
  }

  function renderBrokers(c) {
    $("#brokers tbody").innerHTML = c.brokers.map(b => `
      <tr data-broker="${b.id}" data-state="${b.state}">
        <td><b>${b.id}</b></td>
        <td><span class="state">${b.state}</span></td>
        <td>${Fmt.esc(b.address ?? Fmt.dash)}</td>
        <td>${b.controller ? '<span class="badge">controller</span>' : ""}</td>
        <td class="num">${b.state === "down" ? Fmt.dash : b.leaderOf}</td>
        <td class="num">${Fmt.rate(b.bytesInPerSec)}</td>
        <td class="num">${Fmt.rate(b.bytesOutPerSec)}</td>
        <td class="num">${Fmt.rate(b.replicationBytesInPerSec)}</td>
        <td class="num">${Fmt.bytes(b.rssBytes)}</td>
        <td class="metrics-error">${b.metricsError ? `<span class="warn" title="${Fmt.esc(b.metricsError)}">metrics failing</span>` : ""}</td>
      </tr>`).join("");
  }

  function partitionStatus(p) {
    return p.offline ? "offline" : p.underReplicated ? "under" : "ok";
  }

  function renderPartitionMap(topics) {
    const shown = topics.filter(t => !t.internal || $("#show-internal").checked);
    $("#partition-map").innerHTML = shown.length ? shown.map(t => `
      <div class="topic-row" data-topic-row="${Fmt.esc(t.name)}">
        <div class="name" title="${Fmt.esc(t.name)}">${Fmt.esc(t.name)}</div>
        <div class="cells">${t.partitions.map(p => `
          <div class="cell" data-topic="${Fmt.esc(t.name)}" data-partition="${p.partition}" data-leader="${p.leader ?? -1}"
               data-isr="${p.isr.join(",")}" data-status="${partitionStatus(p)}"
               title="${Fmt.esc(t.name)}-${p.partition}: leader ${p.leader ?? "none"}, replicas ${p.replicas.join(",")}, ISR ${p.isr.join(",")}, epoch ${p.epoch}">
            <span class="p">#${p.partition}</span> <b>${p.leader ?? "✕"}</b><br>
            ISR ${p.isr.join(",") || "–"} / ${p.replicas.join(",")}<br><span class="p">epoch ${p.epoch}</span>
          </div>`).join("")}
        </div>
      </div>`).join("") : '<p class="muted">No topics yet. Try bin/topics --create.</p>';
  }

  // --- timeline -----------------------------------------------------------------------------------------------------
  function eventItem(e, fresh) {
    const attrs = [`data-seq="${e.seq}"`, `data-kind="${e.kind}"`];
    if (e.topic != null) attrs.push(`data-topic="${Fmt.esc(e.topic)}"`, `data-partition="${e.partition}"`);
    if (e.broker != null) attrs.push(`data-broker="${e.broker}"`);
    if (e.from != null) attrs.push(`data-from="${e.from}"`);
    if (e.durationMs != null) attrs.push(`data-duration-ms="${e.durationMs}"`);
    return `<li ${attrs.join(" ")} class="${fresh.has(e.seq) ? "fresh" : ""}">
      <time datetime="${new Date(e.atMs).toISOString()}">${Fmt.clock(e.atMs)}</time>
      <span class="kind">${e.kind}</span><span class="text">${Fmt.esc(e.text)}</span></li>`;
  }

  // Internal topics (__consumer_offsets: 50 partitions) would drown the rest unless asked for; the console flags
  // their events from the Metadata's isInternal.
  function visible(e) {
    return !e.internal || $("#show-internal").checked;
  }

  // Events arrive in bursts (a kill brings ~100): they are rendered once per animation frame. New ones are
  // prepended; the whole list is only rebuilt for a history or when the internal-topics toggle changes.
  let pendingFresh = [];
  let rebuild = false;
  let frame = 0;
  function scheduleTimeline(event) {
    if (event) pendingFresh.push(event); else { rebuild = true; pendingFresh = []; }
    if (!frame) frame = requestAnimationFrame(flushTimeline);
  }

  const EMPTY = '<li class="empty">Nothing has happened yet. Kill a broker (kill -9) and watch.</li>';
  function flushTimeline() {
    frame = 0;
    const list = $("#timeline");
    if (rebuild) {
      const shown = events.filter(visible);
      list.innerHTML = shown.length ? shown.map(e => eventItem(e, new Set())).join("") : EMPTY;
    } else {
      const fresh = pendingFresh.filter(visible);
      if (fresh.length) {
        const seqs = new Set(fresh.map(e => e.seq));
        list.querySelector(":scope > .empty")?.remove();
        list.querySelectorAll(":scope > .fresh").forEach(li => li.classList.remove("fresh"));
        list.insertAdjacentHTML("afterbegin", fresh.slice().reverse().map(e => eventItem(e, seqs)).join(""));
        while (list.children.length > MAX_EVENTS) list.lastElementChild.remove();
      }
    }
    rebuild = false;
    pendingFresh = [];
    const recent = events.filter(visible).slice(0, RECENT);
    $("#recent-events").innerHTML = recent.length ? recent.map(e => eventItem(e, new Set())).join("") : EMPTY;
  }

  // --- topics -------------------------------------------------------------------------------------------------------
  // Panels are created once per topic/group and updated in place, so their charts survive updates.
  function panel(parent, key, build) {
    let el = parent.querySelector(`:scope > [data-key="${CSS.escape(key)}"]`);
    if (!el) {
      el = document.createElement("div");
      el.className = "panel";
      el.dataset.key = key;
      el.innerHTML = build();
      parent.appendChild(el);
    }
    return el;
  }

  // Removes the panels no longer shown, and their charts, so a panel built again later gets a new chart.
  function prune(parent, keys, chartPrefix) {
    parent.querySelectorAll(":scope > [data-key]").forEach(el => {
      if (!keys.has(el.dataset.key)) { Charts.destroy(chartPrefix + el.dataset.key); el.remove(); }
    });
  }

  function renderTopics(topics) {
    const root = $("#topics");
    const shown = topics.filter(t => !t.internal || $("#show-internal").checked);
    prune(root, new Set(shown.map(t => t.name)), "topic:");
    if (!shown.length) { root.innerHTML = '<p class="muted">No topics yet.</p>'; return; }
    root.querySelector(":scope > p")?.remove();
    const now = snapshot.cluster.atMs || Date.now();
    for (const t of shown) {
      const el = panel(root, t.name, () => `
        <h3 data-topic-title="${Fmt.esc(t.name)}">${Fmt.esc(t.name)} <small class="sub"></small></h3>
        <div class="configs"></div>
        <div class="split"><div class="table"></div>
          <div><div class="chart-title">messages in per second <span class="from"></span></div><div class="chart"></div></div></div>`);
      el.dataset.topic = t.name;
      const size = t.partitions.reduce((s, p) => s + (p.sizeBytes || 0), 0);
      const records = t.partitions.reduce((s, p) => s + (p.latest != null && p.earliest != null ? p.latest - p.earliest : 0), 0);
      el.querySelector(".sub").textContent = `${t.partitions.length} partitions · RF ${t.partitions[0]?.replicas.length ?? "–"} · `
        + `${Fmt.count(records)} records · ${Fmt.bytes(size)} on the leaders · ${Fmt.perSec(t.messagesInPerSec)}`;
      const configs = Object.entries(t.configs);
      el.querySelector(".configs").innerHTML = configs.length
        ? configs.map(([k, v]) => `<code>${Fmt.esc(k)}=${Fmt.esc(v)}</code>`).join("") : "no config overrides";
      el.querySelector(".table").innerHTML = `<table class="grid"><thead><tr><th>Partition</th><th>Leader</th><th>Epoch</th>
        <th>Replicas</th><th>ISR</th><th class="num">Earliest</th><th class="num">Latest</th><th class="num">Size</th></tr></thead><tbody>
        ${t.partitions.map(p => `<tr data-topic="${Fmt.esc(t.name)}" data-partition="${p.partition}" data-status="${partitionStatus(p)}">
          <td>${p.partition}</td><td>${p.leader ?? "none"}</td><td>${p.epoch}</td><td>${p.replicas.join(",")}</td>
          <td>${p.isr.join(",")}</td><td class="num">${Fmt.count(p.earliest)}</td><td class="num">${Fmt.count(p.latest)}</td>
          <td class="num">${Fmt.bytes(p.sizeBytes)}</td></tr>`).join("")}</tbody></table>`;
      el.querySelector(".from").textContent = t.throughputFrom === "metrics" ? "(brokers' messages-in)" : "(from log end offsets)";
      if (t.messagesInPerSec != null) {
        Charts.record("topic:" + t.name, el.querySelector(".chart"), { "messages/s": t.messagesInPerSec }, now);
      }
    }
  }

  // --- groups -------------------------------------------------------------------------------------------------------
  function renderGroups(groups) {
    const root = $("#groups");
    prune(root, new Set(groups.map(g => g.groupId)), "group:");
    if (!groups.length) { if (!root.querySelector(":scope > p")) root.innerHTML = '<p class="muted">No consumer groups yet.</p>'; return; }
    root.querySelector(":scope > p")?.remove();
    const now = snapshot.cluster.atMs || Date.now();
    for (const g of groups) {
      const el = panel(root, g.groupId, () => `
        <h3>${Fmt.esc(g.groupId)} <small class="sub"></small></h3>
        <div class="split"><div class="table"></div>
          <div><div class="chart-title">lag per topic (records)</div><div class="chart"></div></div></div>`);
      el.dataset.group = g.groupId;
      el.dataset.groupState = g.state;
      el.querySelector(".sub").textContent = `${g.state} · ${g.members.length} member(s) · protocol ${g.protocol || "–"} · `
        + `coordinator ${g.coordinator ?? "–"} · total lag ${Fmt.count(g.totalLag)}`;
      const owner = {};
      g.members.forEach(m => m.assignment.forEach(tp => { owner[tp] = m.clientId + " (" + m.host + ")"; }));
      el.querySelector(".table").innerHTML = `<table class="grid"><thead><tr><th>Topic</th><th>Partition</th>
        <th class="num">Committed</th><th class="num">End</th><th class="num">Lag</th><th>Member</th></tr></thead><tbody>
        ${g.offsets.map(o => `<tr data-group="${Fmt.esc(g.groupId)}" data-topic="${Fmt.esc(o.topic)}" data-partition="${o.partition}">
          <td>${Fmt.esc(o.topic)}</td><td>${o.partition}</td><td class="num">${Fmt.count(o.committed)}</td>
          <td class="num">${Fmt.count(o.end)}</td><td class="num">${Fmt.count(o.lag)}</td>
          <td>${Fmt.esc(owner[o.topic + "-" + o.partition] ?? "–")}</td></tr>`).join("")
          || '<tr><td colspan="6" class="muted">no committed offsets</td></tr>'}</tbody></table>`;
      const lagByTopic = {};
      g.offsets.forEach(o => { if (o.lag != null) lagByTopic[o.topic] = (lagByTopic[o.topic] || 0) + o.lag; });
      Charts.record("group:" + g.groupId, el.querySelector(".chart"), lagByTopic, now);
    }
  }

  $("#show-internal").addEventListener("change", () => { scheduleTimeline(null); if (snapshot) render(); });
  scheduleTimeline(null);
  connect();
})();
