#!/usr/bin/env python3
"""Writes the doctor corpus: failing (and a few correct) Binance requests, as the client code in each
case's comment would send them. Signatures are computed here with Python's hmac and OpenSSL, independent
of mbx. Run from this folder: python3 generate.py (needs ../../../shared/vectors for the Ed25519 key).

Each .case file: comment lines (#) with the client code, then `key:`, `time:`, `expect-code:`,
`expect-cause:` lines, then `--- curl` or `--- http` and the request.
"""
import base64, hashlib, hmac, json, pathlib, subprocess, tempfile, urllib.parse

HERE = pathlib.Path(__file__).resolve().parent
VECTORS = HERE.parent.parent.parent / "shared" / "vectors"
KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
TS = 1499827319559
NOW = TS + 120
API = "https://api.binance.com"

def mac(payload, secret=SECRET):
    key = secret if isinstance(secret, bytes) else secret.encode()
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()

def ed25519(payload):
    with tempfile.NamedTemporaryFile() as f:
        f.write(payload.encode()); f.flush()
        out = subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", str(VECTORS / "ed25519-private.pem"), "-rawin", "-in", f.name],
                             capture_output=True, check=True).stdout
    return base64.b64encode(out).decode()

def enc(params):
    return "&".join(f"{urllib.parse.quote(k, safe='-_.~')}={urllib.parse.quote(str(v), safe='-_.~')}" for k, v in params)

def curl(method, path, query, headers=(("X-MBX-APIKEY", KEY),), body=None):
    h = " ".join(f"-H '{k}: {v}'" for k, v in headers)
    url = f"{API}{path}" + (f"?{query}" if query else "")
    d = f" -d '{body}'" if body else ""
    return f"curl -s {h} -X {method} '{url}'{d}".replace("  ", " ")

def http(method, path, query, headers=(("X-MBX-APIKEY", KEY),), body=""):
    lines = [f"{method} {path}{'?' + query if query else ''} HTTP/1.1", "Host: api.binance.com"]
    lines += [f"{k}: {v}" for k, v in headers]
    if body:
        lines.append(f"Content-Length: {len(body.encode())}")
    return "\r\n".join(lines) + "\r\n\r\n" + body

CASES = []
def case(name, client, code, cause, form, request, key="hmac", time=NOW):
    CASES.append((name, client, code, cause, form, request, key, time))

ORDER = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.01"), ("price", "30000")]
def signed(params, sig=None):
    q = enc(params)
    return f"{q}&signature={sig if sig is not None else mac(q)}"

# ---------- bash: curl + openssl ----------
q = enc(ORDER + [("timestamp", TS)])
case("bash-openssl-echo-without-n", """signature=$(echo "$query" | openssl dgst -sha256 -hmac "$secret" | cut -d' ' -f2)
curl -H "X-MBX-APIKEY: $apiKey" -X POST "$url?$query&signature=$signature"
# echo without -n adds a newline to what is signed""", -1022, "signed-trailing-newline", "curl",
     curl("POST", "/api/v3/order", f"{q}&signature={mac(q + chr(10))}"))
q = enc([("timestamp", TS // 1000)])
case("bash-date-seconds", """queryString="timestamp=$(date +%s)"   # seconds, not milliseconds""", -1021, "timestamp-seconds", "curl",
     curl("GET", "/api/v3/account", f"{q}&signature={mac(q)}"))
q = enc([("timestamp", TS)])
case("bash-key-in-url", """curl "https://api.binance.com/api/v3/account?X-MBX-APIKEY=$key&$query&signature=$sig"
# seed 001: the key is a URL parameter""", -2014, "key-as-parameter", "curl",
     curl("GET", "/api/v3/account", f"X-MBX-APIKEY={KEY}&{q}&signature={mac(q)}", headers=()))
q = enc(ORDER + [("timestamp", TS)])
sig = ed25519(q)
ts_alt = TS
while "+" not in sig:  # make sure the story holds: this signature has a '+'
    ts_alt += 1
    q = enc(ORDER + [("timestamp", ts_alt)]); sig = ed25519(q)
case("bash-ed25519-signature-not-urlencoded", """rawSignature=$(echo -n "$params" | openssl pkeyutl -sign -inkey key.pem -rawin | base64 -w0)
curl -H "X-MBX-APIKEY: $apiKey" -X POST "$url?$params&signature=$rawSignature"   # '+' and '/' not encoded""",
     -1022, "signature-plus-not-encoded", "curl", curl("POST", "/api/v3/order", f"{q}&signature={sig}"), key="ed25519")
q = enc(ORDER + [("timestamp", TS)])
case("bash-ed25519-correct", """signature=$(rawurlencode "$(echo -n "$params" | openssl pkeyutl -sign -inkey key.pem -rawin | base64 -w0)")""",
     0, "", "curl", curl("POST", "/api/v3/order", f"{q}&signature={urllib.parse.quote(ed25519(q), safe='')}"), key="ed25519")
q = enc(ORDER + [("timestamp", TS)])
case("bash-hmac-upper-case-hex-correct", """signature=$(echo -n "$q" | openssl dgst -sha256 -hmac "$secret" | cut -d' ' -f2 | tr a-f A-F)""",
     0, "", "curl", curl("POST", "/api/v3/order", f"{q}&signature={mac(q).upper()}"))

# ---------- JavaScript ----------
q = enc([("symbol", "ARKBTC"), ("recvWindow", 20000), ("timestamp", TS)])
case("js-axios-authorization-header", """headers: { 'Authorization': `X-MBX-APIKEY: ${API_KEY}` }   // seed 000""", -2014, "key-in-header-value", "http",
     http("GET", "/api/v3/openOrders", signed([("symbol", "ARKBTC"), ("recvWindow", 20000), ("timestamp", TS)]), headers=(("Authorization", f"X-MBX-APIKEY: {KEY}"),)))
case("js-fetch-bearer-token", """fetch(url, { headers: { Authorization: `Bearer ${apiKey}` } })""", -2014, "key-in-authorization-header", "http",
     http("GET", "/api/v3/account", signed([("timestamp", TS)]), headers=(("Authorization", f"Bearer {KEY}"),)))
body = json.dumps({"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.01", "timestamp": TS, "signature": mac("x")}, separators=(",", ":"))
case("js-axios-json-body", """axios.post(url, { symbol, side, type, quantity, timestamp, signature }, { headers })   // JSON body""",
     -1102, "json-body", "http", http("POST", "/api/v3/order", "", headers=(("X-MBX-APIKEY", KEY), ("Content-Type", "application/json")), body=body))
params = ORDER + [("timestamp", TS)]
js = json.dumps({k: v for k, v in params}, separators=(",", ":"))
case("js-hmac-json-stringify", """const signature = crypto.createHmac('sha256', secret).update(JSON.stringify(params)).digest('hex')""",
     -1022, "signed-json", "curl", curl("POST", "/api/v3/order", f"{enc(params)}&signature={mac(js)}"))
sorted_q = enc(sorted(params))
case("js-signs-sorted-keys", """const toSign = Object.keys(params).sort().map(k => `${k}=${params[k]}`).join('&')
// ...but the URL is built from params in insertion order""", -1022, "signed-sorted-params", "curl",
     curl("POST", "/api/v3/order", f"{enc(params)}&signature={mac(sorted_q)}"))
q = enc([("symbol", "BTCUSDT"), ("timestamp", "1499827319.559")])
case("js-date-now-divided", """timestamp: Date.now() / 1000   // a float of seconds""", -1100, "timestamp-malformed", "curl",
     curl("GET", "/api/v3/openOrders", f"{q}&signature={mac(q)}"))
case("js-api-key-header-underscore", """headers: { X_MBX_APIKEY: apiKey }""", -2014, "key-header-misspelled", "http",
     http("GET", "/api/v3/account", signed([("timestamp", TS)]), headers=(("X_MBX_APIKEY", KEY),)))

# ---------- Python ----------
q = enc([("symbol", "BTCUSDT"), ("timestamp", "1499827319559.4321")])
case("python-time-time-float", """params['timestamp'] = time.time() * 1000   # float: 1499827319559.4321""", -1100, "timestamp-malformed", "curl",
     curl("GET", "/api/v3/openOrders", f"{q}&signature={mac(q)}"))
params = [("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "MARKET"), ("quantity", "0.5"), ("timestamp", TS)]
dumped = json.dumps({k: v for k, v in params})
case("python-json-dumps", """signature = hmac.new(secret.encode(), json.dumps(params).encode(), hashlib.sha256).hexdigest()""",
     -1022, "signed-json", "http", http("POST", "/api/v3/order", "", body=f"{enc(params)}&signature={mac(dumped)}"))
q = enc([("api_key", KEY), ("timestamp", TS)])
decoded = base64.urlsafe_b64decode(SECRET)
case("python-article-decoded-secret", """secret_key = base64.urlsafe_b64decode("your-binance-secret")   # seed 003
data = urlencode({'api_key': api_key, 'timestamp': timestamp})""", -1022, "secret-base64-decoded", "curl",
     curl("GET", "/api/v3/myTrades", f"{q}&signature={mac(q, decoded)}"))
q = enc([("timestamp", TS)])
case("python-secret-read-with-newline", """secret = open('secret.txt').read()   # keeps the final newline""", -1022, "secret-with-newline", "curl",
     curl("GET", "/api/v3/account", f"{q}&signature={mac(q, SECRET + chr(10))}"))
case("python-recv-window-too-large", """params['recvWindow'] = 70000""", -1102, "recv-window-too-large", "curl",
     curl("GET", "/api/v3/account", signed([("recvWindow", 70000), ("timestamp", TS)])))
case("python-duplicate-timestamp", """url = f"{base}?{urlencode(params)}&timestamp={ts}&signature={sig}"   # params already had timestamp""",
     -1101, "param-duplicated", "curl", curl("GET", "/api/v3/account", signed([("timestamp", TS), ("timestamp", TS)])))

# ---------- PHP ----------
q_before = enc([("symbol", "BTCUSDT")])
case("php-signs-before-timestamp", """$signature = hash_hmac('sha256', http_build_query($params), $secret);
$params['timestamp'] = round(microtime(true) * 1000);""", -1022, "signed-before-timestamp", "curl",
     curl("GET", "/api/v3/openOrders", f"{enc([('symbol', 'BTCUSDT'), ('timestamp', TS)])}&signature={mac(q_before)}"))
case("php-header-array-without-name", """curl_setopt($ch, CURLOPT_HTTPHEADER, [$apiKey]);   // no 'X-MBX-APIKEY:' name""", -2014, "key-missing", "http",
     http("GET", "/api/v3/account", signed([("timestamp", TS)]), headers=()))
case("php-signature-in-header", """CURLOPT_HTTPHEADER => ["X-MBX-APIKEY: $key", "signature: $sig"]""", -1102, "signature-in-header", "http",
     http("GET", "/api/v3/account", enc([("timestamp", TS)]), headers=(("X-MBX-APIKEY", KEY), ("signature", mac(enc([("timestamp", TS)]))))))

# ---------- Dart ----------
case("dart-json-before-timestamp", """params['signature'] = createSignature(secret, queryParams);   // HMAC(jsonEncode(queryParams))
params['timestamp'] = timestamp;   // seed 002""", -1022, "signed-json", "curl",
     curl("GET", "/api/v3/openOrders", f"symbol=BTCUSDT&signature={mac(json.dumps({'symbol': 'BTCUSDT'}, separators=(',', ':')))}&timestamp={TS}"))
uni = [("symbol", "这是测试币456"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "1"), ("timestamp", TS)]
raw = "&".join(f"{k}={v}" for k, v in uni)
case("dart-signs-unencoded-unicode", """final toSign = params.entries.map((e) => '${e.key}=${e.value}').join('&');   // not encoded
Uri.https(host, path, params)   // encodes when sending""", -1022, "signed-unencoded", "curl",
     curl("POST", "/api/v3/order", f"{enc(uni)}&signature={mac(raw)}"))

# ---------- C# / Go / Java ----------
q = enc([("timestamp", TS)])
case("csharp-base64-hmac", """var signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(query)));""", -1022, "signature-base64-for-hmac", "curl",
     curl("GET", "/api/v3/account", f"{q}&signature={urllib.parse.quote(base64.b64encode(bytes.fromhex(mac(q))).decode(), safe='')}"))
case("csharp-api-key-as-secret", """using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(ApiKey));   // should be the secret""", -1022, "secret-is-api-key", "curl",
     curl("GET", "/api/v3/account", f"{q}&signature={mac(q, KEY)}"))
qpart = enc([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET")])
bpart = enc([("quantity", "0.01"), ("timestamp", TS)])
case("go-query-and-body-joined", """payload := query + "&" + body   // Binance concatenates with no separator""", -1022, "signed-query-and-body-joined", "curl",
     curl("POST", "/api/v3/order", qpart, body=f"{bpart}&signature={mac(qpart + '&' + bpart)}"))
case("go-signs-body-only", """sig := sign(form.Encode())   // the symbol went in the URL and is not signed""", -1022, "signed-body-only", "curl",
     curl("POST", "/api/v3/order", qpart, body=f"{bpart}&signature={mac(bpart)}"))
case("go-query-and-body-correct", """sig := sign(query + body)""", 0, "", "curl",
     curl("POST", "/api/v3/order", qpart, body=f"{bpart}&signature={mac(qpart + bpart)}"))
q = enc([("timestamp", TS + 2500)])
case("java-clock-ahead", """long timestamp = System.currentTimeMillis();   // the machine's clock is 2.5 s fast""", -1021, "timestamp-ahead", "curl",
     curl("GET", "/api/v3/account", f"{q}&signature={mac(q)}"))
q = enc([("timestamp", TS - 9000)])
case("rust-signed-then-queued", """let req = client.sign(params)?; queue.push(req);   // sent 9 s later""", -1021, "timestamp-too-old", "curl",
     curl("GET", "/api/v3/account", f"{q}&signature={mac(q)}"))
q = enc(ORDER + [("recvWindow", 5000), ("timestamp", TS)])
case("docs-example-correct", """the documentation's HMAC example with a fresh clock""", 0, "", "curl",
     curl("POST", "/api/v3/order", f"{q}&signature={mac(q)}"))
# ---------- the acceptance check's later and earlier stages ----------
typo = [(k if k != "timeInForce" else "timeInforce", v) for k, v in ORDER] + [("timestamp", TS)]
case("python-param-name-typo", """params = {'symbol': 'BTCUSDT', ..., 'timeInforce': 'GTC'}   # a typo: Binance reads timeInForce""",
     -1104, "param-not-read", "curl", curl("POST", "/api/v3/order", signed(typo)))
case("bash-short-key-and-seconds", """curl -H "X-MBX-APIKEY: abc" "$url?timestamp=$(date +%s)&signature=$sig"   # a placeholder key, and seconds""", -2014, "key-format", "curl",
     curl("GET", "/api/v3/account", signed([("timestamp", TS // 1000)]), headers=(("X-MBX-APIKEY", "abc"),)))
q = enc([("timestamp", TS)])
case("js-get-with-body", """axios({ method: 'get', url, data: query + '&signature=' + sig, headers })   # GET with a body""",
     -1102, "get-with-body", "http", http("GET", "/api/v3/account", "", body=f"{q}&signature={mac(q)}"))

for old in HERE.glob("*.case"):
    old.unlink()
for i, (name, client, code, cause, form, request, key, time) in enumerate(CASES, 1):
    lines = [f"# {line}" for line in client.splitlines()]
    lines += [f"key: {key}", f"time: {time}", f"expect-code: {code}", f"expect-cause: {cause}", f"--- {form}", request]
    (HERE / f"{i:02d}-{name}.case").write_text("\n".join(lines) + "\n")
print(f"wrote {len(CASES)} cases")
