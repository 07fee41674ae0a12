// Conformance, JavaScript side: Node.js client libraries nobody here wrote, driven at the mbx sandbox.
//
// Usage: node run.mjs PATH/TO/mbx   (run from a folder where `npm ci` installed package.json's pins)
//
// Two sandboxes are started on free loopback ports, in memory: one as Binance spot, one as Binance.US
// (--flavor us, where listenKeys still work), and stopped at the end.
//
// - @binance/spot (Binance's modular SDK): REST market data, account, a LIMIT order placed, found open
//   and cancelled, a MARKET order by quoteOrderQty and my trades, an OTO order list placed and cancelled,
//   sor/order/test, myPreventedMatches, account commission, a -1121 as its typed error; over the WebSocket
//   API exchangeInfo, order.place / order.cancel signed with HMAC and account.status; with an Ed25519 key
//   session.logon, session.status, userDataStream.subscribe and the executionReport of a fill; over
//   streams trade and diff depth.
// - binance-api-node: REST market data, account, orders (LIMIT placed, queried, cancelled; orderTest), my
//   trades, a -1121 with its code; streams trade, diff and partial depth; its user data stream, which it
//   opens with userDataStream.subscribe.signature over the WebSocket API.
// - node-binance-api: REST market data, balances, buy / cancel / market orders, my trades; its depth cache
//   (a REST snapshot and the diffs) and trade stream; its userData(), which subscribes over the WebSocket
//   API (the library has no option for that URL: its `wsApi` field is set).
// - binance (tiagosiebler): MainClient REST market data, orders, an OCO order list, a -1121; the
//   WebsocketAPIClient with HMAC and with Ed25519 (session.logon) placing an order and receiving its
//   user data events; against the Binance.US sandbox, the WebsocketClient's listenKey user data stream
//   beside its trade and depth streams.
// - @binance/connector (Binance's older SDK): REST account and orders, its WebsocketStream and its
//   WebsocketAPI (time, order.place).
// - @binance/connector-typescript (Binance's TypeScript connector): REST exchange info, account, a LIMIT
//   order placed, queried and cancelled, a MARKET order, my trades and an OCO; its WebsocketAPI (time,
//   account, order.place with HMAC; ids of its own making) and its WebsocketStream (a first stream by
//   its URL, a second by SUBSCRIBE; a trade and a depth diff).
//
// Prints one line per check and a closing 'N passed, N failed' line; exits 1 if any check failed.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { generateKeyPairSync } from 'node:crypto';

const mbx = process.argv[2];
if (!mbx) {
  console.error('usage: node run.mjs PATH/TO/mbx');
  process.exit(2);
}

const children = [];
/** Starts a sandbox (extra arguments appended) and resolves to its start line (rest, ws, apiKey, secretKey). */
function sandbox(...extra) {
  const child = spawn(mbx, ['--output', 'json', 'sandbox', '--addr', '127.0.0.1:0', '--memory', ...extra], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`sandbox exited (${code}) before it started`)));
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line)));
  });
}

const results = [];
async function check(name, fn) {
  try {
    const detail = await fn();
    results.push([name, true, detail === undefined ? '' : JSON.stringify(detail)]);
  } catch (e) {
    results.push([name, false, String((e && e.stack) || JSON.stringify(e))]);
  }
}
function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * Repeats `act` (for instance a market order) until `seen()` holds, waiting up to 1 s after each try,
 * at most 8 tries: a stream subscribed a moment ago may not be registered yet when the first trade
 * happens, and the library gives no signal for it.
 */
async function until(seen, act, what) {
  for (let i = 0; i < 8 && !seen(); i++) {
    await act();
    const deadline = Date.now() + 1000;
    while (!seen() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }
  expect(seen(), `never saw ${what()}`);
}

/** Registers a new Ed25519 key on the demo account through the admin API: { apiKey, pem }. */
async function ed25519Key(base) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = publicKey.export({ type: 'spki', format: 'pem' });
  const answer = await fetch(`${base}/sandbox/v1/keys`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'ed25519', publicKey: pub }),
  });
  expect(answer.ok, `key registration: ${answer.status}`);
  return { apiKey: (await answer.json()).apiKey, pem: privateKey.export({ type: 'pkcs8', format: 'pem' }) };
}

/** A price well below the best bid (an order that rests), whole dollars. */
const restingBid = (bestBid) => Math.floor(Number(bestBid) * 0.9);
const silentLogger = { trace() {}, info() {}, error() {}, warning() {}, debug() {}, notice() {}, log() {} };

async function binanceSpot(sb) {
  const { Spot } = await import('@binance/spot');
  const { Logger, LogLevel } = await import('@binance/common');
  Logger.getInstance().setMinLogLevel(LogLevel.ERROR);
  const ws = sb.rest.replace('http', 'ws');
  const rest = new Spot({ configurationRestAPI: { apiKey: sb.apiKey, apiSecret: sb.secretKey, basePath: sb.rest } }).restAPI;
  let bid;
  await check('@binance/spot: ping, time, exchangeInfo, depth, klines, tickers', async () => {
    await rest.ping();
    const time = await (await rest.time()).data();
    expect(time.serverTime > 1e12, `serverTime ${time.serverTime}`);
    const info = await (await rest.exchangeInfo({ symbol: 'BTCUSDT' })).data();
    expect(info.symbols[0].symbol === 'BTCUSDT', 'exchangeInfo symbol');
    const book = await (await rest.depth({ symbol: 'BTCUSDT', limit: 5 })).data();
    bid = book.bids[0][0];
    expect(await (await rest.klines({ symbol: 'BTCUSDT', interval: '1m', limit: 3 })).data(), 'klines');
    await rest.ticker24hr({ symbol: 'BTCUSDT' });
    await rest.tickerPrice({ symbol: 'BTCUSDT' });
    await rest.tickerBookTicker({ symbol: 'BTCUSDT' });
  });
  await check('@binance/spot: account, LIMIT placed, open, cancelled', async () => {
    const account = await (await rest.getAccount({ omitZeroBalances: true })).data();
    expect(account.balances.some((b) => b.asset === 'USDT'), 'USDT balance');
    const order = await (await rest.newOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: 0.001, price: restingBid(bid), newClientOrderId: 'js-spot-1' })).data();
    expect(order.status === 'NEW', `status ${order.status}`);
    const open = await (await rest.getOpenOrders({ symbol: 'BTCUSDT' })).data();
    expect(open.some((o) => o.orderId === order.orderId), 'order not open');
    const cancel = await (await rest.deleteOrder({ symbol: 'BTCUSDT', orderId: order.orderId })).data();
    expect(cancel.status === 'CANCELED', `cancel ${cancel.status}`);
  });
  await check('@binance/spot: MARKET by quoteOrderQty, myTrades', async () => {
    const order = await (await rest.newOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quoteOrderQty: 50 })).data();
    expect(order.status === 'FILLED', `status ${order.status}`);
    const trades = await (await rest.myTrades({ symbol: 'BTCUSDT', limit: 5 })).data();
    expect(trades.length > 0, 'no trades');
  });
  await check('@binance/spot: OTO order list placed and cancelled', async () => {
    const list = await (await rest.orderListOto({ symbol: 'BTCUSDT', workingType: 'LIMIT', workingSide: 'BUY', workingPrice: restingBid(bid), workingQuantity: 0.001, workingTimeInForce: 'GTC', pendingType: 'LIMIT_MAKER', pendingSide: 'SELL', pendingQuantity: 0.001, pendingPrice: Math.floor(Number(bid) * 1.5) })).data();
    expect(list.orders.length === 2, 'two orders');
    const cancel = await (await rest.deleteOrderList({ symbol: 'BTCUSDT', orderListId: list.orderListId })).data();
    expect(cancel.listOrderStatus === 'ALL_DONE', `list ${cancel.listOrderStatus}`);
  });
  await check('@binance/spot: sor/order/test, myPreventedMatches, account commission', async () => {
    await rest.sorOrderTest({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: 0.001 });
    const prevented = await (await rest.myPreventedMatches({ symbol: 'BTCUSDT', preventedMatchId: 1 })).data();
    expect(Array.isArray(prevented), 'prevented matches');
    const commission = await (await rest.accountCommission({ symbol: 'BTCUSDT' })).data();
    expect(commission.symbol === 'BTCUSDT', 'commission');
  });
  await check('@binance/spot: -1121 as a typed error', async () => {
    try {
      await rest.depth({ symbol: 'NOPE' });
    } catch (e) {
      expect(e.constructor.name === 'BadRequestError' && e.message === 'Invalid symbol.', `${e.constructor.name}: ${e.message}`);
      return;
    }
    throw new Error('no error');
  });

  const api = new Spot({ configurationWebsocketAPI: { apiKey: sb.apiKey, apiSecret: sb.secretKey, wsURL: `${ws}/ws-api/v3` } }).websocketAPI;
  await check('@binance/spot: WebSocket API, HMAC: exchangeInfo, order.place, order.cancel, account.status', async () => {
    const conn = await api.connect();
    try {
      const info = await conn.exchangeInfo({ symbol: 'BTCUSDT' });
      expect(info.data.symbols.length === 1, 'exchangeInfo');
      const placed = await conn.orderPlace({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: 0.001, price: restingBid(bid) });
      expect(placed.data.status === 'NEW', `status ${placed.data.status}`);
      expect(placed.rateLimits.some((l) => l.rateLimitType === 'ORDERS'), 'order rate limits');
      const cancelled = await conn.orderCancel({ symbol: 'BTCUSDT', orderId: placed.data.orderId });
      expect(cancelled.data.status === 'CANCELED', `cancel ${cancelled.data.status}`);
      const status = await conn.accountStatus();
      expect(status.data.balances.length > 0, 'balances');
    } finally {
      await conn.disconnect();
    }
  });
  const ed = await ed25519Key(sb.rest);
  const edApi = new Spot({ configurationWebsocketAPI: { apiKey: ed.apiKey, privateKey: ed.pem, wsURL: `${ws}/ws-api/v3` } }).websocketAPI;
  await check('@binance/spot: WebSocket API, Ed25519: session.logon, userDataStream.subscribe, executionReport', async () => {
    const conn = await edApi.connect();
    try {
      const logon = await conn.sessionLogon();
      // One answer per connection of the pool.
      expect([].concat(logon).every((l) => l.data.apiKey === ed.apiKey), 'logon');
      const status = await conn.sessionStatus();
      expect(status.data.apiKey === ed.apiKey, 'session.status');
      const { stream } = await conn.userDataStreamSubscribe();
      const events = new Set();
      stream.on('message', (m) => events.add(m.e));
      const order = await conn.orderPlace({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: 0.001 });
      expect(order.data.status === 'FILLED', `status ${order.data.status}`);
      await until(() => events.has('executionReport') && events.has('outboundAccountPosition'), async () => {}, () => [...events]);
      return [...events];
    } finally {
      await conn.disconnect();
    }
  });

  const streams = new Spot({ configurationWebsocketStreams: { wsURL: ws } }).websocketStreams;
  await check('@binance/spot: streams trade and diff depth', async () => {
    const conn = await streams.connect();
    try {
      const seen = new Set();
      conn.trade({ symbol: 'BTCUSDT' }).on('message', (m) => seen.add(m.e));
      conn.diffBookDepth({ symbol: 'BTCUSDT', updateSpeed: '100ms' }).on('message', (m) => seen.add(m.e));
      await until(() => seen.has('trade') && seen.has('depthUpdate'),
        () => rest.newOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: 0.001 }), () => [...seen]);
    } finally {
      await conn.disconnect();
    }
  });
}

async function binanceApiNode(sb) {
  const mod = await import('binance-api-node');
  const Binance = mod.default.default ?? mod.default;
  const ws = sb.rest.replace('http', 'ws');
  const c = Binance({ apiKey: sb.apiKey, apiSecret: sb.secretKey, httpBase: sb.rest, wsBase: `${ws}/ws`, wsApi: `${ws}/ws-api/v3` });
  let bid;
  await check('binance-api-node: ping, time, exchangeInfo, book, candles, prices, avgPrice', async () => {
    expect(await c.ping(), 'ping');
    expect((await c.time()) > 1e12, 'time');
    expect((await c.exchangeInfo()).symbols.some((s) => s.symbol === 'BTCUSDT'), 'exchangeInfo');
    bid = (await c.book({ symbol: 'BTCUSDT', limit: 5 })).bids[0].price;
    expect((await c.candles({ symbol: 'BTCUSDT', interval: '1m', limit: 2 })).length >= 1, 'candles');
    expect((await c.prices()).BTCUSDT, 'prices');
    expect((await c.avgPrice({ symbol: 'BTCUSDT' })).mins === 5, 'avgPrice');
  });
  await check('binance-api-node: account, orderTest, order placed, queried, cancelled, myTrades', async () => {
    expect((await c.accountInfo()).balances.length > 0, 'balances');
    await c.orderTest({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' });
    const order = await c.order({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.001', price: String(restingBid(bid)) });
    expect(order.status === 'NEW', `status ${order.status}`);
    expect((await c.getOrder({ symbol: 'BTCUSDT', orderId: order.orderId })).status === 'NEW', 'getOrder');
    expect((await c.cancelOrder({ symbol: 'BTCUSDT', orderId: order.orderId })).status === 'CANCELED', 'cancel');
    await c.order({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' });
    expect((await c.myTrades({ symbol: 'BTCUSDT' })).length > 0, 'myTrades');
  });
  await check('binance-api-node: -1121 with its code', async () => {
    try {
      await c.book({ symbol: 'NOPE' });
    } catch (e) {
      expect(e.code === -1121 && e.message === 'Invalid symbol.', `${e.code} ${e.message}`);
      return;
    }
    throw new Error('no error');
  });
  await check('binance-api-node: streams trade, depth, partial depth; user data (WebSocket API)', async () => {
    const seen = new Set();
    const closers = [
      c.ws.trades(['BTCUSDT'], () => seen.add('trade')),
      c.ws.depth('BTCUSDT', () => seen.add('depth')),
      c.ws.partialDepth({ symbol: 'BTCUSDT', level: 5 }, () => seen.add('partialDepth')),
      await c.ws.user((m) => seen.add(m.eventType)),
    ];
    try {
      await until(() => ['trade', 'depth', 'partialDepth', 'executionReport'].every((k) => seen.has(k)),
        () => c.order({ symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.001' }), () => [...seen]);
    } finally {
      closers.forEach((close) => close());
    }
  });
}

async function nodeBinanceApi(sb) {
  const mod = await import('node-binance-api');
  const Binance = mod.default.default ?? mod.default;
  const ws = sb.rest.replace('http', 'ws');
  const b = new Binance({ APIKEY: sb.apiKey, APISECRET: sb.secretKey, log: () => {},
    urls: { base: `${sb.rest}/api/`, stream: `${ws}/ws/`, combineStream: `${ws}/stream?streams=` } });
  b.wsApi = `${ws}/ws-api/v3`;
  let bid;
  await check('node-binance-api: server time, exchangeInfo, depth, prices, candlesticks, balance', async () => {
    await b.useServerTime();
    expect((await b.exchangeInfo()).symbols.length > 0, 'exchangeInfo');
    bid = (await b.depth('BTCUSDT', 5)).bids[0].price;
    expect((await b.prices('BTCUSDT')).BTCUSDT > 0, 'prices');
    expect((await b.candlesticks('BTCUSDT', '1m', { limit: 2 })).length >= 1, 'candlesticks');
    expect((await b.balance()).USDT.available, 'balance');
  });
  await check('node-binance-api: buy, openOrders, orderStatus, cancel, market orders, myTrades', async () => {
    const order = await b.buy('BTCUSDT', 0.001, restingBid(bid));
    expect(order.status === 'NEW', `status ${order.status}`);
    expect((await b.openOrders('BTCUSDT')).some((o) => o.orderId === order.orderId), 'openOrders');
    expect((await b.orderStatus('BTCUSDT', order.orderId)).status === 'NEW', 'orderStatus');
    expect((await b.cancel('BTCUSDT', order.orderId)).status === 'CANCELED', 'cancel');
    expect((await b.marketBuy('BTCUSDT', 0.001)).status === 'FILLED', 'marketBuy');
    expect((await b.myTrades('BTCUSDT')).length > 0, 'myTrades');
  });
  await check('node-binance-api: depth cache, trades, userData (WebSocket API)', async () => {
    const seen = new Set();
    b.websockets.trades(['BTCUSDT'], () => seen.add('trade'));
    b.websockets.depthCache(['BTCUSDT'], (symbol, cache) => {
      if (Object.keys(cache.bids).length && Object.keys(cache.asks).length) seen.add('depthCache');
    });
    b.websockets.userData((m) => seen.add(m.e), (m) => seen.add(m.e));
    try {
      await until(() => ['trade', 'depthCache', 'executionReport'].every((k) => seen.has(k)),
        () => b.marketSell('BTCUSDT', 0.001), () => [...seen]);
    } finally {
      for (const endpoint of Object.keys(b.websockets.subscriptions())) b.websockets.terminate(endpoint);
      for (const conn of Object.values(b.wsApiConnections ?? {})) conn.terminate?.();
    }
  });
}

async function tiagosieblerBinance(sb, us) {
  const { MainClient, WebsocketClient, WebsocketAPIClient } = await import('binance');
  const ws = sb.rest.replace('http', 'ws');
  const c = new MainClient({ api_key: sb.apiKey, api_secret: sb.secretKey, baseUrl: sb.rest, beautifyResponses: true });
  let bid;
  await check('binance: REST ping, exchangeInfo, order book, klines, tickers, account', async () => {
    await c.testConnectivity();
    expect((await c.getExchangeInfo()).symbols.length > 0, 'exchangeInfo');
    bid = (await c.getOrderBook({ symbol: 'BTCUSDT', limit: 5 })).bids[0][0];
    expect((await c.getKlines({ symbol: 'BTCUSDT', interval: '1m', limit: 2 })).length >= 1, 'klines');
    expect((await c.getSymbolPriceTicker({ symbol: 'BTCUSDT' })).price > 0, 'price');
    expect((await c.getAccountInformation()).balances.length > 0, 'balances');
  });
  await check('binance: REST orders (its x- client ids), an OCO order list, -1121', async () => {
    const order = await c.submitNewOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: 0.001, price: restingBid(bid) });
    expect(order.status === 'NEW', `status ${order.status}`);
    expect((await c.getOrder({ symbol: 'BTCUSDT', orderId: order.orderId })).clientOrderId === order.clientOrderId, 'getOrder');
    expect((await c.cancelOrder({ symbol: 'BTCUSDT', orderId: order.orderId })).status === 'CANCELED', 'cancel');
    const price = Math.floor(Number(bid));
    const list = await c.submitNewOrderList({ symbol: 'BTCUSDT', side: 'SELL', quantity: 0.001, aboveType: 'LIMIT_MAKER', abovePrice: price * 2, belowType: 'STOP_LOSS', belowStopPrice: Math.floor(price * 0.5) });
    expect(list.listOrderStatus === 'EXECUTING', `list ${list.listOrderStatus}`);
    await c.cancelOCO({ symbol: 'BTCUSDT', orderListId: list.orderListId });
    try {
      await c.getOrderBook({ symbol: 'NOPE' });
    } catch (e) {
      expect(e.code === -1121, `code ${e.code}`);
      return;
    }
    throw new Error('no -1121');
  });
  const ed = await ed25519Key(sb.rest);
  for (const [kind, key, secret] of [['HMAC', sb.apiKey, sb.secretKey], ['Ed25519', ed.apiKey, ed.pem]]) {
    await check(`binance: WebsocketAPIClient, ${kind}: user data stream, order.place, account`, async () => {
      const api = new WebsocketAPIClient({ api_key: key, api_secret: secret, wsUrl: ws, beautify: true, attachEventListeners: false }, silentLogger);
      const seen = new Set();
      api.getWSClient().on('message', (m) => seen.add(m.e ?? m.event?.e));
      try {
        await api.subscribeUserDataStream('mainWSAPI');
        const order = await api.submitNewSpotOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: 0.001, timestamp: Date.now() });
        expect(order.result.status === 'FILLED', `status ${order.result.status}`);
        const account = await api.getSpotAccountInformation({ timestamp: Date.now() });
        expect(account.result.balances.length > 0, 'balances');
        await until(() => seen.has('executionReport') && seen.has('outboundAccountPosition'), async () => {}, () => [...seen]);
      } finally {
        await api.disconnectAll();
      }
    });
  }
  const usWs = us.rest.replace('http', 'ws');
  const usRest = new MainClient({ api_key: us.apiKey, api_secret: us.secretKey, baseUrl: us.rest });
  await check('binance: WebsocketClient (Binance.US sandbox): trade, depth, listenKey user data', async () => {
    const client = new WebsocketClient({ wsUrl: usWs, api_key: us.apiKey, api_secret: us.secretKey, beautify: true, restOptions: { baseUrl: us.rest } }, silentLogger);
    const seen = new Set();
    client.on('message', (m) => seen.add(m.e));
    try {
      await client.subscribe(['btcusdt@trade', 'btcusdt@depth@100ms'], 'main');
      await client.subscribeSpotUserDataStream('main');
      await until(() => ['trade', 'depthUpdate', 'executionReport'].every((k) => seen.has(k)),
        () => usRest.submitNewOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: 0.001 }), () => [...seen]);
    } finally {
      client.closeAll();
    }
  });
}

async function binanceConnector(sb) {
  const { Spot, WebsocketStream, WebsocketAPI } = (await import('@binance/connector')).default;
  const ws = sb.rest.replace('http', 'ws');
  const c = new Spot(sb.apiKey, sb.secretKey, { baseURL: sb.rest });
  await check('@binance/connector: account, LIMIT placed and cancelled, MARKET, myTrades', async () => {
    expect((await c.account()).data.balances.length > 0, 'balances');
    const bid = (await c.depth('BTCUSDT', { limit: 5 })).data.bids[0][0];
    const order = (await c.newOrder('BTCUSDT', 'BUY', 'LIMIT', { price: restingBid(bid), quantity: 0.001, timeInForce: 'GTC' })).data;
    expect(order.status === 'NEW', `status ${order.status}`);
    expect((await c.cancelOrder('BTCUSDT', { orderId: order.orderId })).data.status === 'CANCELED', 'cancel');
    expect((await c.newOrder('BTCUSDT', 'BUY', 'MARKET', { quantity: 0.001 })).data.status === 'FILLED', 'market');
    expect((await c.myTrades('BTCUSDT')).data.length > 0, 'myTrades');
  });
  await check('@binance/connector: WebsocketStream trade, WebsocketAPI time and order.place', async () => {
    const seen = new Set();
    const stream = new WebsocketStream({ logger: silentLogger, wsURL: ws, callbacks: { message: (m) => seen.add(JSON.parse(m).e) } });
    const answers = new Map();
    const opened = new Promise((resolve) => {
      const api = new WebsocketAPI(sb.apiKey, sb.secretKey, { logger: silentLogger, wsURL: `${ws}/ws-api/v3`, callbacks: {
        open: resolve,
        message: (m) => { const a = JSON.parse(m); answers.set(a.id, a); },
      } });
      stream.api = api;
    });
    try {
      stream.trade('btcusdt');
      const api = await opened;
      api.time({ id: 'time-1' });
      api.newOrder('BTCUSDT', 'BUY', 'MARKET', { quantity: 0.001, id: 'order-1' });
      await until(() => answers.has('time-1') && answers.has('order-1'), async () => {}, () => [...answers.keys()]);
      expect(answers.get('time-1').result.serverTime > 1e12, 'time');
      expect(answers.get('order-1').result.status === 'FILLED', JSON.stringify(answers.get('order-1')));
      await until(() => seen.has('trade'), () => c.newOrder('BTCUSDT', 'SELL', 'MARKET', { quantity: 0.001 }), () => [...seen]);
    } finally {
      stream.disconnect();
      stream.api?.disconnect();
    }
  });
}

async function binanceConnectorTypescript(sb) {
  const { Spot, WebsocketAPI, WebsocketStream, Side, OrderType, TimeInForce } = (await import('@binance/connector-typescript')).default;
  const ws = sb.rest.replace('http', 'ws');
  const c = new Spot(sb.apiKey, sb.secretKey, { baseURL: sb.rest });
  await check('@binance/connector-typescript: exchange info, account, LIMIT placed, queried, cancelled, MARKET, myTrades, OCO', async () => {
    expect((await c.exchangeInformation({ symbol: 'BTCUSDT' })).symbols[0].symbol === 'BTCUSDT', 'exchange info');
    expect((await c.accountInformation()).balances.length > 0, 'balances');
    const bid = (await c.orderBook('BTCUSDT', { limit: 5 })).bids[0][0];
    const order = await c.newOrder('BTCUSDT', Side.BUY, OrderType.LIMIT, { price: restingBid(bid), quantity: 0.001, timeInForce: TimeInForce.GTC });
    expect(order.status === 'NEW', `status ${order.status}`);
    expect((await c.getOrder('BTCUSDT', { orderId: order.orderId })).status === 'NEW', 'query');
    expect((await c.cancelOrder('BTCUSDT', { orderId: order.orderId })).status === 'CANCELED', 'cancel');
    const market = await c.newOrder('BTCUSDT', Side.BUY, OrderType.MARKET, { quantity: 0.001 });
    expect(market.status === 'FILLED', `market ${market.status}`);
    expect((await c.accountTradeList('BTCUSDT')).some((t) => t.orderId === market.orderId), 'myTrades');
    const oco = await c.newOco('BTCUSDT', Side.SELL, 0.001, 'LIMIT_MAKER', 'STOP_LOSS', { abovePrice: 70000, belowStopPrice: 50000 });
    expect(oco.contingencyType === 'OCO' && oco.orders.length === 2, JSON.stringify(oco));
  });
  await check('@binance/connector-typescript: WebsocketAPI time, account, order.place; WebsocketStream trade and depth diff', async () => {
    const answers = [];
    let api;
    const opened = new Promise((resolve) => {
      api = new WebsocketAPI(sb.apiKey, sb.secretKey, { wsURL: `${ws}/ws-api/v3`, callbacks: {
        open: resolve,
        message: (m) => answers.push(JSON.parse(m)),
      } });
    });
    const seen = new Set();
    let streamOpen = false;
    // Its WebsocketStream connects with the first stream in the URL and SUBSCRIBEs the next ones.
    const stream = new WebsocketStream({ wsURL: ws, callbacks: {
      open: () => { streamOpen = true; },
      message: (m) => { const v = JSON.parse(m); seen.add((v.data ?? v).e ?? (v.result === null ? 'ack' : 'other')); },
    } });
    try {
      await opened;
      api.time();
      api.account();
      api.newOrder('BTCUSDT', Side.BUY, OrderType.MARKET, { quantity: 0.001 });
      await until(() => answers.length >= 3, async () => {}, () => JSON.stringify(answers));
      expect(answers.every((a) => a.status === 200), JSON.stringify(answers.map((a) => a.error ?? a.status)));
      expect(answers.some((a) => a.result.serverTime > 1e12) && answers.some((a) => a.result.status === 'FILLED'), 'time and order');
      stream.trade('BTCUSDT');
      await until(() => streamOpen, async () => {}, () => 'the stream open');
      stream.diffBookDepth('BTCUSDT', '100ms');
      await until(() => seen.has('ack'), async () => {}, () => [...seen]);
      await until(() => seen.has('trade') && seen.has('depthUpdate'), () => c.newOrder('BTCUSDT', Side.BUY, OrderType.MARKET, { quantity: 0.001 }), () => [...seen]);
    } finally {
      stream.disconnect();
      api?.disconnect();
    }
  });
}

try {
  const [sb, us] = await Promise.all([sandbox(), sandbox('--flavor', 'us')]);
  await binanceSpot(sb);
  await binanceApiNode(sb);
  await nodeBinanceApi(sb);
  await tiagosieblerBinance(sb, us);
  await binanceConnector(sb);
  await binanceConnectorTypescript(sb);
} catch (e) {
  results.push(['setup', false, String(e && e.stack)]);
} finally {
  children.forEach((child) => child.kill());
}

let failed = 0;
for (const [name, ok, detail] of results) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : `\n${detail}`}`);
  if (!ok) failed++;
}
console.log(`${results.length - failed} passed, ${failed} failed`);
// Libraries keep timers and sockets (keepalives, reconnects) alive: exit rather than wait for them.
process.exit(failed ? 1 : 0);
