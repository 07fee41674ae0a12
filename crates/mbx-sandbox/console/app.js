// The sandbox console: plain DOM, no framework, no build step. Served by the sandbox itself
// (crates/mbx-sandbox/src/console/), talking to /sandbox/v1/console/*, the admin API and the
// sandbox's own market streams.
"use strict";

const $ = (id) => document.getElementById(id);
const API = "/sandbox/v1";
const ROW = 24;
const KEEP = 100000;

/** An element with attributes and children (strings become text, never HTML). */
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// The admin token, when the sandbox requires one (it listens beyond loopback): given in the page's
// address as #sandboxToken=..., kept for this tab only.
const TOKEN = (() => {
  const m = /sandboxToken=([A-Za-z0-9]+)/.exec(location.hash);
  if (m) { sessionStorage.setItem("sandboxToken", m[1]); history.replaceState(null, "", location.pathname); }
  return sessionStorage.getItem("sandboxToken");
})();

async function call(method, path, body) {
  const init = { method, headers: {} };
  if (TOKEN) init.headers["x-sandbox-token"] = TOKEN;
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const r = await fetch(path, init);
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (_) { json = null; }
  if (!r.ok) {
    const msg = json && (json.msg || json.error) ? `${json.code ?? r.status}: ${json.msg || json.error}` : `${r.status} ${text}`;
    throw new Error(msg);
  }
  return json;
}

const time = (ms) => {
  if (!ms) return "";
  const d = new Date(ms);
  return d.toLocaleTimeString(undefined, { hour12: false }) + "." + String(d.getMilliseconds()).padStart(3, "0");
};
const latency = (us) => (us >= 1000 ? (us / 1000).toFixed(1) + " ms" : us + " µs");

// ---------- theme ----------
(function theme() {
  const saved = localStorage.getItem("mbx-theme");
  if (saved) document.documentElement.dataset.theme = saved;
  $("theme").addEventListener("click", () => {
    const dark = document.documentElement.dataset.theme
      ? document.documentElement.dataset.theme === "dark"
      : matchMedia("(prefers-color-scheme: dark)").matches;
    const next = dark ? "light" : "dark";
    document.documentElement.dataset.theme = next;
    localStorage.setItem("mbx-theme", next);
  });
})();

// ---------- tabs ----------
const tabs = [...document.querySelectorAll('[role="tab"]')];
const views = {};
let current = "requests";
function show(name, focus) {
  current = name;
  for (const t of tabs) {
    const on = t.id === "tab-" + name;
    t.setAttribute("aria-selected", on ? "true" : "false");
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute("aria-controls")).hidden = !on;
    if (on && focus) t.focus();
  }
  if (name !== "market") market.stop();
  (views[name] || (() => {}))();
  if (name === "requests") scheduleRender();
}
tabs.forEach((t, i) => {
  t.addEventListener("click", () => show(t.id.slice(4)));
  t.addEventListener("keydown", (e) => {
    if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      const next = tabs[(i + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
      show(next.id.slice(4), true);
      e.preventDefault();
    }
  });
});
document.addEventListener("keydown", (e) => {
  const t = e.target;
  if (e.ctrlKey || e.metaKey || e.altKey || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return;
  const tab = tabs.find((x) => x.dataset.key === e.key);
  if (tab) { show(tab.id.slice(4), true); e.preventDefault(); }
  else if (e.key === "/") { show("requests"); $("f-key").focus(); e.preventDefault(); }
});

// ---------- requests ----------
let all = [];        // entries, oldest first
let view = [];       // the filtered entries, oldest first
let lastId = 0;      // the newest entry received
let selected = null; // the selected entry's id
let renderScheduled = false;
const scroller = $("log-scroll"), spacer = $("log-spacer"), rowsBox = $("log-rows");

function filter() {
  return {
    key: $("f-key").value.trim().toLowerCase(),
    status: $("f-status").value,
    path: $("f-path").value.trim().toLowerCase(),
    transport: $("f-transport").value,
  };
}
let current_filter = filter();
function matches(e, f) {
  if (f.transport && e.transport !== f.transport) return false;
  if (f.key) {
    const have = (e.apiKey || "").toLowerCase();
    const short = f.key.length > 8 ? `${f.key.slice(0, 4)}...(${f.key.length} chars)` : null;
    if (!(have.includes(f.key) || (short && have === short))) return false;
  }
  if (f.path && !(e.path.toLowerCase().includes(f.path) || e.method.toLowerCase().includes(f.path))) return false;
  switch (f.status) {
    case "": return true;
    case "ok": return e.status < 400;
    case "error": return e.status >= 400;
    case "4xx": return e.status >= 400 && e.status < 500;
    case "5xx": return e.status >= 500;
    default: return String(e.status) === f.status;
  }
}
function refilter() {
  current_filter = filter();
  view = all.filter((e) => matches(e, current_filter));
  scroller.scrollTop = 0;
  scheduleRender();
}
for (const id of ["f-key", "f-path"]) $(id).addEventListener("input", refilter);
for (const id of ["f-status", "f-transport"]) $(id).addEventListener("change", refilter);

function scheduleRender() {
  if (!renderScheduled) { renderScheduled = true; requestAnimationFrame(render); }
}
function statusClass(e) { return e.status >= 400 ? "bad" : e.status >= 300 ? "warn" : "good"; }
function render() {
  renderScheduled = false;
  const count = $("log-count");
  count.dataset.count = String(lastId);
  count.dataset.shown = String(view.length);
  count.textContent = `${lastId} requests` + (view.length !== all.length ? `, ${view.length} shown` : "");
  $("log").setAttribute("aria-rowcount", String(view.length));
  if (current !== "requests") return;
  const n = view.length;
  spacer.style.height = n * ROW + "px";
  const top = scroller.scrollTop, h = scroller.clientHeight || 600;
  const start = Math.max(0, Math.floor(top / ROW) - 5);
  const end = Math.min(n, Math.ceil((top + h) / ROW) + 5);
  rowsBox.style.transform = `translateY(${start * ROW}px)`;
  const rows = [];
  for (let i = start; i < end; i++) {
    const e = view[n - 1 - i];
    rows.push(el("div", {
      class: "row", role: "row", "data-id": e.id, "aria-rowindex": i + 1,
      "aria-selected": e.id === selected ? "true" : "false",
    },
      el("span", { role: "gridcell", title: new Date(e.time).toISOString() }, time(e.time)),
      el("span", { role: "gridcell" }, e.transport),
      el("span", { role: "gridcell", title: e.method }, e.method),
      el("span", { role: "gridcell", title: e.path }, e.path),
      el("span", { role: "gridcell" }, e.apiKey || ""),
      el("span", { role: "gridcell", class: statusClass(e) }, e.status),
      el("span", { role: "gridcell", class: e.code ? "bad" : "" }, e.code ?? ""),
      el("span", { role: "gridcell", class: "num" }, latency(e.latencyUs)),
    ));
  }
  rowsBox.replaceChildren(...rows);
}
scroller.addEventListener("scroll", scheduleRender, { passive: true });
rowsBox.addEventListener("click", (ev) => {
  const row = ev.target.closest(".row");
  if (row) open(Number(row.dataset.id));
});
$("log").addEventListener("keydown", (ev) => {
  const n = view.length;
  if (!n) return;
  let i = view.findIndex((e) => e.id === selected);
  const pos = i < 0 ? -1 : n - 1 - i; // row position, newest first
  const page = Math.max(1, Math.floor(scroller.clientHeight / ROW) - 1);
  let next = null;
  switch (ev.key) {
    case "ArrowDown": next = Math.min(n - 1, pos + 1); break;
    case "ArrowUp": next = Math.max(0, pos - 1); break;
    case "PageDown": next = Math.min(n - 1, pos + page); break;
    case "PageUp": next = Math.max(0, pos - page); break;
    case "Home": next = 0; break;
    case "End": next = n - 1; break;
    case "Enter": if (selected !== null) open(selected); ev.preventDefault(); return;
    default: return;
  }
  ev.preventDefault();
  selected = view[n - 1 - next].id;
  const y = next * ROW;
  if (y < scroller.scrollTop) scroller.scrollTop = y;
  else if (y + ROW > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = y + ROW - scroller.clientHeight;
  scheduleRender();
});

function dl(pairs) {
  return el("dl", {}, pairs.filter(([, v]) => v !== null && v !== undefined && v !== "").map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
}
async function open(id) {
  selected = id;
  scheduleRender();
  const box = $("detail");
  box.replaceChildren(el("p", { class: "muted" }, "Loading…"));
  let e;
  try { e = await call("GET", `${API}/console/log/${id}`); }
  catch (err) { box.replaceChildren(el("p", { class: "bad" }, String(err.message))); return; }
  const parts = [
    el("h2", {}, `${e.method} ${e.path}`),
    dl([["id", e.id], ["time", new Date(e.time).toISOString()], ["transport", e.transport], ["API key", e.apiKey],
        ["status", e.status], ["code", e.code], ["latency", latency(e.latencyUs)]]),
  ];
  if (e.hint) parts.push(el("h3", {}, "The sandbox's check"), el("p", { id: "detail-hint" }, e.hint));
  const r = e.rejection;
  if (r) {
    parts.push(el("h3", {}, "As received"), el("pre", { id: "detail-request" }, r.request));
    parts.push(el("p", {}, el("strong", {}, `${r.code} ${r.msg}`), ` (HTTP ${r.status})`));
    const d = r.diagnosis || {};
    parts.push(el("h3", {}, "Diagnosis"));
    if (d.verdict) parts.push(el("p", { id: "detail-verdict" }, `Binance would answer ${d.verdict.code} ${d.verdict.msg} (HTTP ${d.verdict.status}).`));
    const findings = d.findings || [];
    if (!findings.length) parts.push(el("p", { class: "muted" }, "The doctor found nothing more than the verdict."));
    // The doctor's reproduction of a signature: what the client signed beside what was verified.
    const hit = findings.map((f) => /over `([^`]*)`; Binance signs `([^`]*)`/.exec(f.evidence)).find(Boolean);
    if (hit) {
      parts.push(el("div", { class: "compare" },
        el("div", {}, el("h4", {}, "The sandbox verified"), el("pre", { id: "detail-verified" }, hit[2])),
        el("div", {}, el("h4", {}, "The client most likely signed"), el("pre", { id: "detail-signed" }, hit[1]))));
    }
    parts.push(el("div", { id: "detail-findings" }, findings.map((f) => el("section", { class: "finding", "data-cause": f.cause },
      el("h4", {}, f.title),
      dl([["cause", f.cause], ["certainty", f.certainty]]),
      el("h5", {}, "Evidence: what was received and what was most likely signed"), el("pre", {}, f.evidence),
      el("h5", {}, "Fix"), el("p", {}, f.fix),
    ))));
  } else if (e.status >= 400) {
    parts.push(el("p", { class: "muted" }, "No diagnosis: the doctor's is kept for rejections at the acceptance check (key, parameters, timing, signature; the newest 10,000). The sandbox's check above says why."));
  }
  box.replaceChildren(...parts);
}

// The live feed: every entry after the last one received, and accounts changed.
let liveSocket = null;
function connect() {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const token = TOKEN ? `&sandboxToken=${TOKEN}` : "";
  const ws = new WebSocket(`${proto}//${location.host}${API}/console/live?after=${lastId}${token}`);
  liveSocket = ws;
  ws.onopen = () => { $("live-state").textContent = "live"; };
  ws.onclose = () => {
    $("live-state").textContent = "disconnected, retrying…";
    setTimeout(connect, 1000);
  };
  ws.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    // Another sandbox (restarted on this port): its log starts over.
    if (msg.recorded < lastId) { all = []; view = []; lastId = 0; selected = null; }
    if (msg.type === "log") append(msg.entries);
    else if (msg.type === "history") prepend(msg.entries);
    else if (msg.type === "accounts") accountsChanged(msg.ids);
  };
}
function append(entries) {
  let added = 0;
  for (const e of entries) {
    if (e.id <= lastId) continue;
    lastId = e.id;
    all.push(e);
    if (matches(e, current_filter)) { view.push(e); added++; }
  }
  keepNewest();
  // Reading older entries: keep them where they are on screen.
  if (scroller.scrollTop > 0 && added) scroller.scrollTop += added * ROW;
  scheduleRender();
}

// Older entries, sent after the newest when the page opens: they go below what is shown.
function prepend(entries) {
  const first = all.length ? all[0].id : Infinity;
  const older = entries.filter((e) => e.id < first);
  if (!older.length) return;
  all = older.concat(all);
  const shown = older.filter((e) => matches(e, current_filter));
  if (shown.length) view = shown.concat(view);
  keepNewest();
  scheduleRender();
}

// Only the newest KEEP entries are kept (the filtered view loses the same ones).
function keepNewest() {
  if (all.length <= KEEP) return;
  const drop = all.length - KEEP;
  const oldest = all[drop].id;
  all = all.slice(drop);
  let k = 0;
  while (k < view.length && view[k].id < oldest) k++;
  if (k) view = view.slice(k);
}

// ---------- accounts ----------
let accounts = [];
let chosenAccount = 1;
async function loadAccounts() {
  const a = await call("GET", `${API}/console/accounts`);
  accounts = a.accounts;
  for (const sel of document.querySelectorAll(".account-select")) {
    const keep = sel.value || String(chosenAccount);
    sel.replaceChildren(...accounts.map((x) => el("option", { value: x.accountId }, `${x.accountId} ${x.name}`)));
    sel.value = accounts.some((x) => String(x.accountId) === keep) ? keep : String(chosenAccount);
  }
  noteChanges(accounts);
  const tbody = $("accounts-table").tBodies[0];
  tbody.replaceChildren(...accounts.map((x) => el("tr", {
    "data-account": x.accountId, tabindex: 0, "aria-selected": x.accountId === chosenAccount ? "true" : "false",
    onclick: () => chooseAccount(x.accountId),
    onkeydown: (e) => { if (e.key === "Enter" || e.key === " ") { chooseAccount(x.accountId); e.preventDefault(); } },
  }, el("td", {}, x.accountId), el("td", {}, x.name), el("td", {}, x.keys), el("td", {}, x.balances.length))));
  renderBalances();
}
// Balance changes seen between two reads, newest first (exact: decimal strings as scaled integers).
let seen = null;
const changes = [];
const SCALE = 8;
function units(text) {
  const [whole, frac = ""] = String(text).split(".");
  const negative = whole.startsWith("-");
  const v = BigInt(whole.replace("-", "") + frac.padEnd(SCALE, "0").slice(0, SCALE));
  return negative ? -v : v;
}
function decimal(v) {
  const sign = v < 0n ? "-" : "+";
  const digits = (v < 0n ? -v : v).toString().padStart(SCALE + 1, "0");
  return `${sign}${digits.slice(0, -SCALE)}.${digits.slice(-SCALE)}`;
}
function noteChanges(list) {
  const now = new Map(list.map((a) => [a.accountId, new Map(a.balances.map((b) => [b.asset, b]))]));
  if (seen) {
    for (const [id, balances] of now) {
      const before = seen.get(id) || new Map();
      for (const [asset, b] of balances) {
        const was = before.get(asset) || { free: "0", locked: "0" };
        const free = units(b.free) - units(was.free), locked = units(b.locked) - units(was.locked);
        if (free !== 0n || locked !== 0n) changes.unshift({ time: Date.now(), id, asset, free, locked });
      }
    }
    changes.length = Math.min(changes.length, 200);
  }
  seen = now;
  $("changes-table").tBodies[0].replaceChildren(...changes.map((c) => el("tr", { "data-asset": c.asset, "data-account": c.id },
    el("td", {}, time(c.time)), el("td", {}, c.id), el("td", {}, c.asset),
    el("td", { class: "num" }, c.free === 0n ? "" : decimal(c.free)), el("td", { class: "num" }, c.locked === 0n ? "" : decimal(c.locked)))));
}
function chooseAccount(id) {
  chosenAccount = id;
  for (const tr of $("accounts-table").tBodies[0].rows) tr.setAttribute("aria-selected", tr.dataset.account === String(id) ? "true" : "false");
  $("deposit-account").value = String(id);
  renderBalances();
}
function renderBalances() {
  const acct = accounts.find((x) => x.accountId === chosenAccount);
  $("balances-title").textContent = acct ? `Balances of ${acct.accountId} ${acct.name}` : "Balances";
  $("balances-table").tBodies[0].replaceChildren(...(acct ? acct.balances : []).map((b) => el("tr", { "data-asset": b.asset },
    el("td", {}, b.asset), el("td", { class: "num", "data-free": b.free }, b.free), el("td", { class: "num", "data-locked": b.locked }, b.locked))));
}
views.accounts = () => loadAccounts().catch(report("deposit-result"));
$("deposit-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const account = Number($("deposit-account").value);
  try {
    const r = await call("POST", `${API}/deposit`, { account, asset: $("deposit-asset").value.trim(), amount: $("deposit-amount").value.trim() });
    $("deposit-result").textContent = `${r.asset}: free ${r.free}, locked ${r.locked}`;
    chosenAccount = account;
    await loadAccounts();
  } catch (err) { $("deposit-result").textContent = err.message; }
});
$("account-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const name = $("account-name").value.trim();
  try {
    const r = await call("POST", `${API}/accounts`, name ? { name } : {});
    chosenAccount = r.accountId;
    await loadAccounts();
  } catch (err) { $("deposit-result").textContent = err.message; }
});
function report(id) { return (err) => { $(id).textContent = err.message; }; }

let refreshTimer = null;
function accountsChanged() {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = null;
    if (current === "accounts") loadAccounts().catch(() => {});
    if (current === "orders") loadOrders().catch(() => {});
  }, 150);
}

// ---------- orders ----------
async function loadOrders() {
  if (!accounts.length) await loadAccounts();
  const account = Number($("orders-account").value || chosenAccount);
  const o = await call("GET", `${API}/console/orders?account=${account}`);
  const cells = (x) => [el("td", {}, x.orderId), el("td", {}, x.symbol), el("td", {}, x.side), el("td", {}, x.type),
    el("td", { class: "num" }, x.price), el("td", { class: "num" }, x.origQty), el("td", { class: "num" }, x.executedQty), el("td", {}, x.status)];
  $("open-table").tBodies[0].replaceChildren(...o.open.map((x) => el("tr", { "data-order-id": x.orderId, "data-symbol": x.symbol }, cells(x),
    el("td", {}, el("button", { type: "button", class: "cancel", "aria-label": `Cancel order ${x.orderId} on ${x.symbol}`,
      onclick: () => cancelOrder(account, x.symbol, x.orderId) }, "Cancel")))));
  $("history-table").tBodies[0].replaceChildren(...o.history.map((x) => el("tr", { "data-order-id": x.orderId }, cells(x), el("td", {}, time(x.updateTime)))));
  $("trades-table").tBodies[0].replaceChildren(...o.trades.map((t) => el("tr", { "data-trade-id": t.id },
    el("td", {}, t.id), el("td", {}, t.symbol), el("td", {}, t.orderId), el("td", {}, t.isBuyer ? "BUY" : "SELL"),
    el("td", { class: "num" }, t.price), el("td", { class: "num" }, t.qty), el("td", { class: "num" }, `${t.commission} ${t.commissionAsset}`), el("td", {}, time(t.time)))));
}
async function cancelOrder(account, symbol, orderId) {
  try {
    const r = await call("POST", `${API}/console/cancel`, { account, symbol, orderId });
    $("orders-result").textContent = `Order ${r.orderId} ${r.status}`;
  } catch (err) { $("orders-result").textContent = err.message; }
  await loadOrders();
}
views.orders = () => loadOrders().catch(report("orders-result"));
$("orders-refresh").addEventListener("click", views.orders);
$("orders-account").addEventListener("change", views.orders);

// ---------- market ----------
const market = {
  socket: null, symbol: null, timer: null,
  stop() {
    if (this.socket) { this.socket.onclose = null; this.socket.close(); this.socket = null; }
    clearInterval(this.timer); this.timer = null;
  },
};
function renderBook(book) {
  const rows = (side) => side.map(([p, q]) => el("tr", { "data-price": p }, el("td", { class: "num" }, p), el("td", { class: "num" }, q)));
  $("asks-table").tBodies[0].replaceChildren(...rows(book.asks.slice(0, 20).reverse()));
  $("bids-table").tBodies[0].replaceChildren(...rows(book.bids.slice(0, 20)));
}
let marketTrades = [];
function renderTrades() {
  $("market-trades").tBodies[0].replaceChildren(...marketTrades.slice(0, 50).map((t) => el("tr", {},
    el("td", { class: "num " + (t.isBuyerMaker ? "bad" : "good") }, t.price), el("td", { class: "num" }, t.qty), el("td", {}, time(t.time)))));
}
async function loadMarket(full) {
  const sel = $("market-symbol");
  const m = await call("GET", `${API}/console/market${sel.value ? "?symbol=" + encodeURIComponent(sel.value) : ""}`);
  if (!sel.options.length) {
    sel.replaceChildren(...m.symbols.map((s) => el("option", { value: s }, s)));
    sel.value = m.symbol;
  }
  const mm = m.marketMaker;
  $("mm").replaceChildren(...(mm.on
    ? [["state", mm.quoting ? "quoting" : "not quoting this symbol"], ["reference price", mm.reference], ["size a level", mm.size], ["requotes", mm.requotes], ["orders on the book", mm.openOrders]]
    : [["state", "off"]]).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]).flat());
  if (full) {
    renderBook(m.book);
    marketTrades = m.trades;
    renderTrades();
  }
  return m.symbol;
}
async function openMarket() {
  market.stop();
  const symbol = await loadMarket(true);
  market.symbol = symbol;
  const s = symbol.toLowerCase();
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(`${proto}//${location.host}/stream?streams=${s}@depth20@100ms/${s}@trade`);
  market.socket = ws;
  ws.onopen = () => { $("market-state").textContent = `live from ${s}@depth20@100ms and ${s}@trade`; };
  ws.onclose = () => { $("market-state").textContent = "stream closed"; };
  ws.onmessage = (m) => {
    const { stream, data } = JSON.parse(m.data);
    if (!stream) return;
    if (stream.endsWith("@depth20@100ms")) renderBook(data);
    else if (stream.endsWith("@trade")) {
      marketTrades.unshift({ price: data.p, qty: data.q, time: data.T, isBuyerMaker: data.m });
      marketTrades.length = Math.min(marketTrades.length, 50);
      renderTrades();
    }
  };
  market.timer = setInterval(() => loadMarket(false).catch(() => {}), 2000);
}
views.market = () => openMarket().catch(report("market-state"));
$("market-symbol").addEventListener("change", views.market);

// ---------- keys ----------
async function loadKeys() {
  if (!accounts.length) await loadAccounts();
  const k = await call("GET", `${API}/console/keys`);
  $("keys-table").tBodies[0].replaceChildren(...k.keys.map((x) => el("tr", { "data-api-key": x.apiKey },
    el("td", { class: "mono" }, x.apiKey), el("td", {}, x.kind), el("td", {}, x.accountId), el("td", { class: "perms" }, x.revoked ? x.permissions.join(", ") : PERMISSIONS.map((p) => el("label", {},
      el("input", { type: "checkbox", value: p, checked: x.permissions.includes(p), "aria-label": `${p} permission of key ${x.apiKey.slice(0, 8)}`,
        onchange: (e) => setPermissions(x.apiKey, e.target.closest("td")) }), ` ${p} `))),
    el("td", { class: x.revoked ? "bad" : "good" }, x.revoked ? "revoked" : "usable"),
    el("td", {}, x.revoked ? "" : el("button", { type: "button", "aria-label": `Revoke key ${x.apiKey.slice(0, 8)}`,
      onclick: () => revoke(x.apiKey) }, "Revoke")))));
}
const PERMISSIONS = ["TRADE", "USER_DATA", "USER_STREAM"];
async function setPermissions(apiKey, cell) {
  const permissions = [...cell.querySelectorAll("input:checked")].map((c) => c.value);
  try {
    const r = await call("POST", `${API}/keys/permissions`, { apiKey, permissions });
    $("key-result").textContent = `Key ${r.apiKey.slice(0, 8)}…: ${r.permissions.join(", ") || "no permission"}.`;
  } catch (err) { $("key-result").textContent = err.message; }
  await loadKeys();
}
async function revoke(apiKey) {
  try { await call("DELETE", `${API}/keys?apiKey=${encodeURIComponent(apiKey)}`); }
  catch (err) { $("key-result").textContent = err.message; }
  await loadKeys();
}
views.keys = () => loadKeys().catch(report("key-result"));
function pemShown() { $("key-pem").closest("label").hidden = $("key-kind").value === "hmac"; }
$("key-kind").addEventListener("change", pemShown);
pemShown();
$("key-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const kind = $("key-kind").value;
  const body = { kind, account: Number($("key-account").value || 1),
    permissions: [...document.querySelectorAll('input[name="perm"]:checked')].map((c) => c.value) };
  if (kind !== "hmac") body.publicKey = $("key-pem").value;
  if ($("key-apikey").value.trim()) body.apiKey = $("key-apikey").value.trim();
  const out = $("key-result");
  try {
    const r = await call("POST", `${API}/keys`, body);
    const parts = [el("p", {}, "API key ", el("code", { id: "new-api-key", class: "mono" }, r.apiKey), ` on account ${r.accountId} (${r.permissions.join(", ")}).`)];
    if (r.secretKey) {
      parts.push(el("div", { class: "secret" },
        el("p", {}, "Secret key, shown this once: copy it now. The sandbox never shows it again."),
        el("code", { id: "new-secret-key", class: "mono" }, r.secretKey)));
    }
    out.replaceChildren(...parts);
    $("key-pem").value = "";
    $("key-apikey").value = "";
    await loadKeys();
  } catch (err) { out.replaceChildren(el("p", { class: "bad" }, err.message)); }
});

// ---------- clock and faults ----------
async function loadSettings() {
  const s = await call("GET", `${API}/console/settings`);
  $("server-time").textContent = new Date(s.serverTime).toISOString();
  $("clock-offset").textContent = String(s.offsetMs);
  $("offset").value = String(s.offsetMs);
  renderFaults(s.faults);
  renderChaos(await call("GET", `${API}/chaos`));
}
// The chaos mode: its state as the admin API answers it, the counters, and a way to turn it off.
function renderChaos(c) {
  $("chaos-enabled").textContent = c.enabled ? "on" : "off";
  $("chaos-injected").replaceChildren(...Object.entries(c.injected)
    .flatMap(([name, n]) => [el("dt", {}, name), el("dd", {}, String(n))]));
  $("chaos-json").textContent = JSON.stringify(c, null, 2);
  $("chaos-off").disabled = !c.enabled;
}
$("chaos-off").addEventListener("click", async () => {
  try { renderChaos(await call("DELETE", `${API}/chaos`)); $("chaos-result").textContent = "Chaos off."; }
  catch (err) { $("chaos-result").textContent = err.message; }
});
function renderFaults(list) {
  $("faults-list").replaceChildren(...list.map((f) => el("li", {},
    f.fault === "dropResponse" ? "no answer" : f.fault === "status" ? `HTTP ${f.status}` : `code ${f.code}`)));
  if (!list.length) $("faults-list").replaceChildren(el("li", { class: "muted" }, "none"));
}
views.settings = () => loadSettings().catch(report("faults-result"));
$("clock-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  try { await call("POST", `${API}/clock`, { offsetMs: Number($("offset").value || 0) }); await loadSettings(); }
  catch (err) { $("faults-result").textContent = err.message; }
});
$("faults-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const body = { clear: $("fault-clear").checked };
  const num = (id) => ($(id).value.trim() === "" ? undefined : Number($(id).value));
  if (num("fault-drop") !== undefined) body.dropResponseAfterCommit = num("fault-drop");
  if (num("fault-status") !== undefined) body.nextStatus = num("fault-status");
  if (num("fault-code") !== undefined) body.nextCode = num("fault-code");
  try {
    const r = await call("POST", `${API}/faults`, body);
    renderFaults(r.pending);
    $("faults-result").textContent = "Planned.";
  } catch (err) { $("faults-result").textContent = err.message; }
});

connect();
show("requests");
