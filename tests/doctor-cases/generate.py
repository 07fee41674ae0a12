#!/usr/bin/env python3
"""Writes the doctor corpus: failing (and a few correct) Binance requests, as the client code in each
case's comment would send them. Signatures are computed here with Python's hmac and OpenSSL, independent
of mbx. Run from this folder: python3 generate.py (needs ../../../shared/vectors for the Ed25519 key).

Each .case file: comment lines (#) with the client code, then `key:`, `time:`, `expect-code:`,
`expect-cause:` lines, then `--- curl`, `--- http`, `--- ws` or `--- har` and the request.

Optional header lines: `key-env: testnet` (the key pair given to the doctor is the Spot Testnet one, the
request goes to api.binance.com), `other-keys: testnet` (the doctor is given the live demo pair and knows
the testnet pair too). Forms: `ws` is one WebSocket API request frame as the client sends it (to
wss://ws-api.binance.com/ws-api/v3); `har` is a HAR 1.2 document holding exactly one Binance request entry
(and at most one unrelated entry). expect-code -404 is HTTP 404 with no JSON code.
"""
import base64, datetime, hashlib, hmac, json, pathlib, subprocess, tempfile, urllib.parse

HERE = pathlib.Path(__file__).resolve().parent
VECTORS = HERE.parent.parent.parent / "shared" / "vectors"
KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
# The API key the sandbox registers the vectors' Ed25519 key under for WebSocket API cases (apiKey is
# signed there, so it cannot be swapped for another afterwards).
ED_KEY = "Ed25519VectorKeyForDoctorCasesOnlyXk7Qp2Lw9Rt4Zm8Vb3Nc6Hj1Gf5Ds0"
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
def case(name, client, code, cause, form, request, key="hmac", time=NOW, extra=()):
    CASES.append((name, client, code, cause, form, request, key, time, tuple(extra)))

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

# ====================================================================================================
# More helpers: the testnet pair, RSA (PKCS#1 v1.5 with any hash, PSS), bytes signing, WebSocket API
# frames and HAR documents.
# ====================================================================================================
TESTNET_KEY = "HAZt9xslXTTIQrh6bpy0VAq3GZuO2R8UziJdi0Y4mj4TIJZ9RnvIh4TOetAfG82E"
TESTNET_SECRET = "OMjRZA0G6vbBxKd5WVwd9ExLXa3zphJn9pH9xdreYrmVM1JIJ5iqQt6wukvg6KLY"
TESTNET = (("key-env", "testnet"),)
OTHER_KEYS = (("other-keys", "testnet"),)
RSA_PEM = VECTORS / "rsa-private.pem"

def _bytes(payload):
    return payload if isinstance(payload, bytes) else payload.encode()

def _openssl(args, data):
    """openssl with `data` as its input file (`dgst` takes the file as its last argument, the others -in)."""
    with tempfile.NamedTemporaryFile() as f:
        f.write(data); f.flush()
        infile = [f.name] if args[0] == "dgst" else ["-in", f.name]
        return subprocess.run(["openssl", *args, *infile], capture_output=True, check=True).stdout

def ed25519_raw(payload):
    """Ed25519 over `payload` (text or bytes): the raw 64-byte signature."""
    return _openssl(["pkeyutl", "-sign", "-inkey", str(VECTORS / "ed25519-private.pem"), "-rawin"], _bytes(payload))

def ed25519_b64(payload):
    return base64.b64encode(ed25519_raw(payload)).decode()

def rsa_raw(payload, digest="sha256"):
    """RSA PKCS#1 v1.5 over `payload` with `digest` (openssl dgst -sign): the raw signature."""
    return _openssl(["dgst", f"-{digest}", "-sign", str(RSA_PEM)], _bytes(payload))

def rsa_b64(payload, digest="sha256"):
    return base64.b64encode(rsa_raw(payload, digest)).decode()

def _mgf1(seed, n):
    out, counter = b"", 0
    while len(out) < n:
        out += hashlib.sha256(seed + counter.to_bytes(4, "big")).digest(); counter += 1
    return out[:n]

def rsa_pss_b64(payload):
    """RSASSA-PSS (SHA-256, MGF1-SHA-256, a 32-byte salt) over `payload`. The salt is derived from the
    payload so the corpus is the same on every run; EMSA-PSS (RFC 8017 9.1.1) is encoded here and the raw
    RSA operation is OpenSSL's. Any PSS verifier (salt length 32 or auto) accepts it."""
    bits = int(subprocess.run(["openssl", "rsa", "-in", str(RSA_PEM), "-noout", "-modulus"], capture_output=True,
                              check=True, text=True).stdout.strip().split("=")[1], 16).bit_length()
    em_bits = bits - 1; em_len = (em_bits + 7) // 8
    m_hash = hashlib.sha256(_bytes(payload)).digest()
    salt = hashlib.sha256(b"corpus salt:" + _bytes(payload)).digest()
    h = hashlib.sha256(b"\0" * 8 + m_hash + salt).digest()
    db = b"\0" * (em_len - len(salt) - len(h) - 2) + b"\x01" + salt
    masked = bytearray(a ^ b for a, b in zip(db, _mgf1(h, em_len - len(h) - 1)))
    masked[0] &= 0xFF >> (8 * em_len - em_bits)
    em = bytes(masked) + h + b"\xbc"
    # The raw private-key operation (EM^d mod n): OpenSSL's "decrypt" with no padding.
    sig = _openssl(["pkeyutl", "-decrypt", "-inkey", str(RSA_PEM), "-pkeyopt", "rsa_padding_mode:none"], em)
    return base64.b64encode(sig).decode()

def pct(s):
    """Percent-encodes a whole value (for a base64 signature: '+' %2B, '/' %2F, '=' %3D)."""
    return urllib.parse.quote(s, safe="")

def pseudo(n, seed):
    """n letters and digits, the same on every run (listenKeys, order ids)."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    out, i = "", 0
    while len(out) < n:
        out += "".join(alphabet[b % 62] for b in hashlib.sha256(f"{seed}:{i}".encode()).digest()); i += 1
    return out[:n]

def uid(seed):
    h = hashlib.sha256(seed.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"

def http2(method, path, query, headers, body=""):
    """Raw HTTP/1.1 with every header given (User-Agent and the rest, as that client sends them)."""
    lines = [f"{method} {path}{'?' + query if query else ''} HTTP/1.1", "Host: api.binance.com"]
    lines += [f"{k}: {v}" for k, v in headers]
    if body:
        lines.append(f"Content-Length: {len(body.encode())}")
    return "\r\n".join(lines) + "\r\n\r\n" + body

# ---------- WebSocket API ----------
def ws_text(v):
    """A parameter's text as the WebSocket API signs it: strings raw, numbers and booleans as in the JSON."""
    return ("true" if v else "false") if isinstance(v, bool) else str(v)

def ws_payload(pairs, sort=True, skip=("signature",)):
    """The WebSocket API payload: every parameter but `signature` (apiKey included), sorted by name, not
    percent-encoded."""
    kept = [(k, v) for k, v in pairs if k not in skip]
    if sort:
        kept = sorted(kept, key=lambda kv: kv[0].encode())
    return "&".join(f"{k}={ws_text(v)}" for k, v in kept)

def frame(id_, method, pairs, style="compact"):
    """The frame as the client serializes it: `compact` (JSON.stringify, Jackson, serde_json, jsonEncode)
    or `python` (json.dumps defaults)."""
    obj = {"id": id_, "method": method, "params": dict(pairs)}
    if style == "python":
        return json.dumps(obj, ensure_ascii=False)
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)

# ---------- HAR ----------
def iso(ms):
    return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"

BINANCE_MSG = {
    -1022: "Signature for this request is not valid.",
    -2014: "API-key format invalid.",
    -2015: "Invalid API-key, IP, or permissions for action.",
}

def error_body(code, msg=None):
    return json.dumps({"code": code, "msg": msg or BINANCE_MSG[code]}, separators=(",", ":"))

def har_entry(method, url, headers, body=None, mime="application/x-www-form-urlencoded", status=200,
              response="", response_mime="application/json;charset=UTF-8", started=TS, http_version="HTTP/1.1",
              response_headers=None, ms=142.6):
    u = urllib.parse.urlsplit(url)
    qs = [dict(zip(("name", "value"), (seg.split("=", 1) + [""])[:2])) for seg in u.query.split("&") if seg]
    req = {"method": method, "url": url, "httpVersion": http_version,
           "headers": [{"name": k, "value": v} for k, v in headers], "queryString": qs, "cookies": [],
           "headersSize": -1, "bodySize": len(body.encode()) if body else 0}
    if body is not None:
        post = {"mimeType": mime, "text": body}
        if mime.startswith("application/x-www-form-urlencoded"):
            post["params"] = [dict(zip(("name", "value"), (seg.split("=", 1) + [""])[:2])) for seg in body.split("&") if seg]
        req["postData"] = post
    status_text = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}.get(status, "")
    rh = response_headers if response_headers is not None else [
        ("content-type", response_mime), ("content-length", str(len(response.encode()))),
        ("date", datetime.datetime.fromtimestamp(started / 1000, datetime.timezone.utc).strftime("%a, %d %b %Y %H:%M:%S GMT")),
        ("server", "nginx"), ("x-mbx-uuid", uid(url + "resp")), ("x-mbx-used-weight", "21"),
        ("x-mbx-used-weight-1m", "21")]
    resp = {"status": status, "statusText": status_text, "httpVersion": http_version,
            "headers": [{"name": k, "value": v} for k, v in rh], "cookies": [],
            "content": {"size": len(response.encode()), "mimeType": response_mime if response else "x-unknown", "text": response},
            "redirectURL": "", "headersSize": -1, "bodySize": len(response.encode())}
    return {"startedDateTime": iso(started), "time": ms, "request": req, "response": resp, "cache": {},
            "timings": {"blocked": 1.2, "dns": -1, "ssl": -1, "connect": -1, "send": 0.3,
                        "wait": round(max(ms - 4.1, 0.6), 1), "receive": 2.6}}

def har(entries, creator=("WebInspector", "537.36"), browser=None):
    log = {"version": "1.2", "creator": {"name": creator[0], "version": creator[1]}}
    if browser:
        log["browser"] = {"name": browser[0], "version": browser[1]}
    log["pages"] = []
    log["entries"] = entries
    return json.dumps({"log": log}, indent=2, ensure_ascii=False)

def favicon(origin, started):
    """An unrelated entry, as a browser's HAR has: the page's icon."""
    e = har_entry("GET", f"{origin}/favicon.ico", [("Accept", "image/avif,image/webp,image/apng,image/*,*/*;q=0.8"),
                  ("Referer", f"{origin}/"), ("User-Agent", CHROME_UA)], status=200, response="",
                  started=started, response_headers=[("content-type", "image/x-icon"), ("content-length", "15086")], ms=3.1)
    e["response"]["content"] = {"size": 15086, "mimeType": "image/x-icon"}
    e["response"]["bodySize"] = 15086
    return e

CHROME_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
CHROME_HINTS = [("sec-ch-ua", '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"'),
                ("sec-ch-ua-mobile", "?0"), ("sec-ch-ua-platform", '"Windows"')]
def postman_headers(extra, token_seed, content=False):
    h = list(extra) + [("User-Agent", "PostmanRuntime/7.39.0"), ("Accept", "*/*"), ("Cache-Control", "no-cache"),
                       ("Postman-Token", uid(token_seed)), ("Host", "api.binance.com"),
                       ("Accept-Encoding", "gzip, deflate, br"), ("Connection", "keep-alive")]
    if content:
        h.insert(len(extra), ("Content-Type", "application/x-www-form-urlencoded"))
    return h
POSTMAN = ("Postman", "11.2.14")

# ====================================================================================================
# Issue 17, second round: retired endpoints, the other environment's keys, asymmetric signing mistakes,
# the path signed, encodings, the secret as a parameter, and the families as people write them.
# ====================================================================================================

# ---------- retired listenKey endpoints ----------
case("bash-create-listen-key-retired", """# from a 2021 tutorial: open a user data stream with a listenKey
listenKey=$(curl -s -H "X-MBX-APIKEY: $BINANCE_API_KEY" -X POST https://api.binance.com/api/v3/userDataStream | jq -r .listenKey)
websocat "wss://stream.binance.com:9443/ws/$listenKey"   # listenKey is 'null': the endpoint is gone""",
     -404, "endpoint-retired", "curl", curl("POST", "/api/v3/userDataStream", ""))

# ---------- the other environment's keys ----------
q = enc([("timestamp", TS)])
case("python-testnet-key-on-live", """from binance.client import Client   # python-binance
client = Client(os.environ["BINANCE_TESTNET_KEY"], os.environ["BINANCE_TESTNET_SECRET"])   # testnet=True forgotten
client.get_account()   # goes to https://api.binance.com""", -2015, "key-other-environment", "http",
     http2("GET", "/api/v3/account", f"{q}&signature={mac(q, TESTNET_SECRET)}",
           [("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/56.0.2924.87 Safari/537.36"),
            ("Accept-Encoding", "gzip, deflate"), ("Accept", "application/json"), ("Connection", "keep-alive"),
            ("X-MBX-APIKEY", TESTNET_KEY)]), extra=TESTNET)
q = enc([("omitZeroBalances", "true"), ("timestamp", TS)])
case("bash-env-secret-from-testnet", """# .env: BINANCE_API_KEY was updated to the live key; BINANCE_API_SECRET is still the testnet one
set -a; source .env; set +a
q="omitZeroBalances=true&timestamp=$(date +%s%3N)"
sig=$(printf '%s' "$q" | openssl dgst -sha256 -hmac "$BINANCE_API_SECRET" | awk '{print $2}')
curl -s -H "X-MBX-APIKEY: $BINANCE_API_KEY" "https://api.binance.com/api/v3/account?$q&signature=$sig\"""",
     -1022, "secret-other-environment", "curl", curl("GET", "/api/v3/account", f"{q}&signature={mac(q, TESTNET_SECRET)}"),
     extra=OTHER_KEYS)
order_m = [("symbol", "ETHUSDT"), ("side", "SELL"), ("type", "MARKET"), ("quantity", "0.25"), ("timestamp", TS)]
b = enc(order_m)
case("go-config-secret-mixed", """cfg := loadConfig("config.yaml")   // live: {api_key, secret}  testnet: {api_key, secret}
client := binance.New(cfg.Live.APIKey, cfg.Testnet.Secret, "https://api.binance.com")   // copy-pasted line
form := url.Values{}; form.Set("symbol", "ETHUSDT") /* ... */ ; form.Set("timestamp", ts)
body := form.Encode()   // Go sorts url.Values by name""", -1022, "secret-other-environment", "http",
     http2("POST", "/api/v3/order", "", [("User-Agent", "Go-http-client/1.1"), ("Content-Type", "application/x-www-form-urlencoded"),
           ("X-Mbx-Apikey", KEY), ("Accept-Encoding", "gzip")],
           body=f"{enc(sorted(order_m))}&signature={mac(enc(sorted(order_m)), TESTNET_SECRET)}"), extra=OTHER_KEYS)

# ---------- RSA: PSS padding, another hash ----------
q = enc(ORDER + [("timestamp", TS)])
case("bash-openssl-rsa-pss", """q="symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=30000&timestamp=$(date +%s%3N)"
# an answer said "use PSS, it is the modern padding"
sig=$(printf '%s' "$q" | openssl dgst -sha256 -sign rsa-private.pem -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest | base64 -w0)
curl -s -H "X-MBX-APIKEY: $API_KEY" -X POST "https://api.binance.com/api/v3/order?$q&signature=$(jq -rn --arg s "$sig" '$s|@uri')\"""",
     -1022, "signed-rsa-pss", "curl", curl("POST", "/api/v3/order", f"{q}&signature={pct(rsa_pss_b64(q))}"), key="rsa")
params = [("symbol", "BNBUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "1"),
          ("price", "312.5"), ("recvWindow", 5000), ("timestamp", TS)]
b = enc(params)
case("python-cryptography-pss", """from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
payload = urlencode(params)
sig = private_key.sign(payload.encode(), padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH), hashes.SHA256())
headers = {"X-MBX-APIKEY": api_key, "Content-Type": "application/x-www-form-urlencoded"}
requests.post(f"{BASE}/api/v3/order", headers=headers, data=f"{payload}&signature={quote(b64encode(sig).decode(), safe='')}")""",
     -1022, "signed-rsa-pss", "http",
     http2("POST", "/api/v3/order", "", [("User-Agent", "python-requests/2.32.3"), ("Accept-Encoding", "gzip, deflate"),
           ("Accept", "*/*"), ("Connection", "keep-alive"), ("X-MBX-APIKEY", KEY),
           ("Content-Type", "application/x-www-form-urlencoded")], body=f"{b}&signature={pct(rsa_pss_b64(b))}"), key="rsa")
q = enc([("omitZeroBalances", "true"), ("recvWindow", 10000), ("timestamp", TS)])
case("java-sha512withrsa", """Signature signer = Signature.getInstance("SHA512withRSA");   // "stronger hash, better"
signer.initSign(privateKey);
signer.update(query.getBytes(StandardCharsets.UTF_8));
String sig = URLEncoder.encode(Base64.getEncoder().encodeToString(signer.sign()), StandardCharsets.UTF_8);
HttpRequest.newBuilder(URI.create(BASE + "/api/v3/account?" + query + "&signature=" + sig)).header("X-MBX-APIKEY", apiKey).GET().build();""",
     -1022, "signed-rsa-other-hash", "http",
     http2("GET", "/api/v3/account", f"{q}&signature={pct(rsa_b64(q, 'sha512'))}",
           [("User-Agent", "Java-http-client/17.0.11"), ("X-MBX-APIKEY", KEY)]), key="rsa")
q = enc([("symbol", "ETHUSDT"), ("limit", 50), ("timestamp", TS)])
case("js-node-rsa-sha1", """// an old gist: RSA-SHA1 was the default in its crypto helper
const signer = crypto.createSign('RSA-SHA1');
signer.update(query);
const signature = signer.sign(privateKeyPem, 'base64');
await axios.get(`${BASE}/api/v3/myTrades?${query}&signature=${encodeURIComponent(signature)}`, { headers: { 'X-MBX-APIKEY': apiKey } });""",
     -1022, "signed-rsa-other-hash", "http",
     http2("GET", "/api/v3/myTrades", f"{q}&signature={pct(rsa_b64(q, 'sha1'))}",
           [("Accept", "application/json, text/plain, */*"), ("X-MBX-APIKEY", KEY), ("User-Agent", "axios/1.7.2"),
            ("Accept-Encoding", "gzip, compress, deflate, br"), ("Connection", "keep-alive")]), key="rsa")

# ---------- Ed25519 over a digest ----------
q = enc(ORDER + [("timestamp", TS)])
case("python-ed25519-signs-sha256-digest", """digest = hashlib.sha256(payload.encode()).digest()     # "hash first, then sign", as with ECDSA
signature = base64.b64encode(private_key.sign(digest)).decode()   # Ed25519 hashes by itself: this signs the hash
url = f"{BASE}/api/v3/order?{payload}&signature={quote(signature, safe='')}\"""",
     -1022, "signed-digest", "curl", curl("POST", "/api/v3/order", f"{q}&signature={pct(ed25519_b64(hashlib.sha256(q.encode()).digest()))}"),
     key="ed25519")
q = enc([("symbol", "SOLUSDT"), ("timestamp", TS)])
hexdigest = hashlib.sha256(q.encode()).hexdigest()
case("js-ed25519-signs-hex-digest", """const hash = crypto.createHash('sha256').update(query).digest('hex');
const signature = crypto.sign(null, Buffer.from(hash), privateKey).toString('base64');   // signs the 64 hex characters
const { data } = await axios.get(`${BASE}/api/v3/openOrders?${query}&signature=${encodeURIComponent(signature)}`, { headers });""",
     -1022, "signed-digest", "http",
     http2("GET", "/api/v3/openOrders", f"{q}&signature={pct(ed25519_b64(hexdigest))}",
           [("Accept", "application/json, text/plain, */*"), ("X-MBX-APIKEY", KEY), ("User-Agent", "axios/1.7.2"),
            ("Accept-Encoding", "gzip, compress, deflate, br"), ("Connection", "keep-alive")]), key="ed25519")

# ---------- the path signed ----------
q = enc(ORDER + [("timestamp", TS)])
case("js-hmac-signs-path", """const path = `/api/v3/order?${new URLSearchParams(params)}`;
const signature = crypto.createHmac('sha256', secret).update(path).digest('hex');   // the path is not signed by Binance
await fetch(`https://api.binance.com${path}&signature=${signature}`, { method: 'POST', headers: { 'X-MBX-APIKEY': apiKey } });""",
     -1022, "signed-path", "curl", curl("POST", "/api/v3/order", f"{q}&signature={mac('/api/v3/order?' + q)}"))
q = enc([("symbol", "BTCUSDT"), ("recvWindow", 5000), ("timestamp", TS)])
case("python-signs-full-url", """url = f"https://api.binance.com/api/v3/openOrders?{urlencode(params)}"
signature = hmac.new(SECRET.encode(), url.encode(), hashlib.sha256).hexdigest()   # the whole URL
r = requests.get(f"{url}&signature={signature}", headers={"X-MBX-APIKEY": API_KEY})""",
     -1022, "signed-path", "http",
     http2("GET", "/api/v3/openOrders", f"{q}&signature={mac(API + '/api/v3/openOrders?' + q)}",
           [("User-Agent", "python-requests/2.32.3"), ("Accept-Encoding", "gzip, deflate"), ("Accept", "*/*"),
            ("Connection", "keep-alive"), ("X-MBX-APIKEY", KEY)]))
params = [("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "LIMIT"), ("timeInForce", "IOC"), ("quantity", "0.02"),
          ("price", "30500"), ("timestamp", TS)]
q = enc(params)
case("kotlin-signs-method-and-path", """// ported from another exchange's signer: prehash = method + path + "?" + query
val prehash = "POST" + "/api/v3/order" + "?" + query
val sig = Mac.getInstance("HmacSHA256").apply { init(SecretKeySpec(secret.toByteArray(), "HmacSHA256")) }
    .doFinal(prehash.toByteArray()).joinToString("") { "%02x".format(it) }
client.newCall(Request.Builder().url("$BASE/api/v3/order?$query&signature=$sig").header("X-MBX-APIKEY", apiKey)
    .post(ByteArray(0).toRequestBody()).build()).execute()""",
     -1022, "signed-path", "http",
     http2("POST", "/api/v3/order", f"{q}&signature={mac('POST/api/v3/order?' + q)}",
           [("X-MBX-APIKEY", KEY), ("Content-Length", "0"), ("Connection", "Keep-Alive"), ("Accept-Encoding", "gzip"),
            ("User-Agent", "okhttp/4.12.0")]))

# ---------- signed one percent-encoding, sent another ----------
params = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.01"),
          ("price", "29000"), ("newClientOrderId", "weekly dca 7"), ("timestamp", TS)]
signed_q = urllib.parse.urlencode(params, quote_via=urllib.parse.quote)   # spaces as %20
sent_q = urllib.parse.urlencode(params)                                   # requests: spaces as '+'
case("python-requests-plus-for-space", """query = urlencode(params, quote_via=quote)   # 'weekly%20dca%207'
params["signature"] = hmac.new(SECRET.encode(), query.encode(), hashlib.sha256).hexdigest()
requests.post(f"{BASE}/api/v3/order", params=params, headers=headers)   # requests encodes the space as '+'""",
     -1022, "signed-other-encoding", "http",
     http2("POST", "/api/v3/order", f"{sent_q}&signature={mac(signed_q)}",
           [("User-Agent", "python-requests/2.32.3"), ("Accept-Encoding", "gzip, deflate"), ("Accept", "*/*"),
            ("Connection", "keep-alive"), ("X-MBX-APIKEY", KEY), ("Content-Length", "0")]))
params = [("symbol", "ETHBTC"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.5"),
          ("price", "0.0521"), ("newClientOrderId", "grid~eth~04"), ("timestamp", TS)]
signed_q = enc(params).replace("~", "%7E")   # http_build_query (PHP_QUERY_RFC1738, urlencode): '~' is %7E
sent_q = enc(params)                          # Guzzle's query option (PHP_QUERY_RFC3986): '~' stays
case("php-guzzle-tilde", """$query = http_build_query($params);          // RFC 1738: '~' becomes %7E
$params['signature'] = hash_hmac('sha256', $query, $secret);
$client->post('/api/v3/order', ['query' => $params, 'headers' => ['X-MBX-APIKEY' => $key]]);   // Guzzle: RFC 3986, '~' raw""",
     -1022, "signed-other-encoding", "http",
     http2("POST", "/api/v3/order", f"{sent_q}&signature={mac(signed_q)}",
           [("User-Agent", "GuzzleHttp/7"), ("X-MBX-APIKEY", KEY), ("Content-Length", "0")]))
params = [("symbol", "ETHUSDT"), ("side", "SELL"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.3"),
          ("price", "3850"), ("newClientOrderId", "tp:eth:1"), ("timestamp", TS)]
signed_q = enc(params)                   # URLSearchParams: ':' is %3A
sent_q = enc(params).replace("%3A", ":")  # axios' params serializer keeps ':' raw
case("js-axios-params-colon", """const query = new URLSearchParams(params).toString();   // 'tp%3Aeth%3A1'
const signature = crypto.createHmac('sha256', secret).update(query).digest('hex');
await axios.post(`${BASE}/api/v3/order`, null, { params: { ...params, signature }, headers });   // axios sends 'tp:eth:1'""",
     -1022, "signed-other-encoding", "http",
     http2("POST", "/api/v3/order", f"{sent_q}&signature={mac(signed_q)}",
           [("Accept", "application/json, text/plain, */*"), ("X-MBX-APIKEY", KEY), ("User-Agent", "axios/1.7.2"),
            ("Accept-Encoding", "gzip, compress, deflate, br"), ("Connection", "keep-alive")]))

# ---------- the secret as a parameter ----------
params = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quoteOrderQty", "25"), ("secretKey", SECRET),
          ("timestamp", TS)]
b = enc(params)
case("ruby-faraday-secret-key-param", """params = { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quoteOrderQty: '25',
           secretKey: ENV['BINANCE_SECRET'], timestamp: (Time.now.to_f * 1000).to_i }   # "send the key pair"
body = URI.encode_www_form(params)
body += "&signature=#{OpenSSL::HMAC.hexdigest('SHA256', ENV['BINANCE_SECRET'], body)}"
conn.post('/api/v3/order', body, 'X-MBX-APIKEY' => ENV['BINANCE_KEY'])""",
     -1104, "secret-as-parameter", "http",
     http2("POST", "/api/v3/order", "", [("User-Agent", "Faraday v2.9.0"), ("X-MBX-APIKEY", KEY),
           ("Content-Type", "application/x-www-form-urlencoded"), ("Accept-Encoding", "gzip;q=1.0,deflate;q=0.6,identity;q=0.3"),
           ("Accept", "*/*")], body=f"{b}&signature={mac(b)}"))

# ---------- the key in the signed parameters too, misspelt names ----------
q = enc([("symbol", "BTCUSDT"), ("api_key", KEY), ("timestamp", TS)])
case("php-article-api-key-in-params", """$params = ['symbol' => 'BTCUSDT', 'api_key' => $apiKey, 'timestamp' => round(microtime(true) * 1000)];   // as an article says
$query = http_build_query($params);
$url = "$base/api/v3/openOrders?$query&signature=" . hash_hmac('sha256', $query, $secret);
curl_setopt($ch, CURLOPT_HTTPHEADER, ["X-MBX-APIKEY: $apiKey"]);""",
     -1104, "param-not-read", "curl", curl("GET", "/api/v3/openOrders", f"{q}&signature={mac(q)}"))
params = [("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "LIMIT"), ("time_in_force", "GTC"), ("quantity", "0.01"),
          ("price", "32000"), ("timestamp", TS)]
b = enc(params)
case("ruby-time-in-force-snake-case", """params = { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', time_in_force: 'GTC',   # Ruby style; Binance reads timeInForce
           quantity: '0.01', price: '32000', timestamp: (Time.now.to_f * 1000).to_i }
req = Net::HTTP::Post.new(URI("#{BASE}/api/v3/order"), 'X-MBX-APIKEY' => key)
req.body = "#{URI.encode_www_form(params)}&signature=#{sign(URI.encode_www_form(params))}\"""",
     -1104, "param-not-read", "http",
     http2("POST", "/api/v3/order", "", [("Accept-Encoding", "gzip;q=1.0,deflate;q=0.6,identity;q=0.3"), ("Accept", "*/*"),
           ("User-Agent", "Ruby"), ("X-MBX-APIKEY", KEY), ("Content-Type", "application/x-www-form-urlencoded")],
           body=f"{b}&signature={mac(b)}"))

# ---------- GET with the parameters in a body ----------
b = enc([("symbol", "BTCUSDT"), ("orderId", 28457), ("timestamp", TS)])
case("python-requests-get-data", """params = {"symbol": "BTCUSDT", "orderId": 28457, "timestamp": int(time.time() * 1000)}
params["signature"] = sign(urlencode(params))
requests.get(f"{BASE}/api/v3/order", data=params, headers=headers)   # data= is a body; a GET wants params=""",
     -1102, "get-with-body", "http",
     http2("GET", "/api/v3/order", "", [("User-Agent", "python-requests/2.32.3"), ("Accept-Encoding", "gzip, deflate"),
           ("Accept", "*/*"), ("Connection", "keep-alive"), ("X-MBX-APIKEY", KEY),
           ("Content-Type", "application/x-www-form-urlencoded")], body=f"{b}&signature={mac(b)}"))

# ---------- the secret as the API key ----------
q = enc([("timestamp", TS)])
case("bash-secret-as-api-key", """export BINANCE_KEY=...; export BINANCE_SECRET=...
sig=$(printf '%s' "$q" | openssl dgst -sha256 -hmac "$BINANCE_SECRET" -r | cut -d' ' -f1)
curl -s -H "X-MBX-APIKEY: $BINANCE_SECRET" "https://api.binance.com/api/v3/account?$q&signature=$sig"   # the wrong variable""",
     -2015, "secret-as-api-key", "curl",
     curl("GET", "/api/v3/account", f"{q}&signature={mac(q)}", headers=(("X-MBX-APIKEY", SECRET),)))
b = enc([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.002"), ("timestamp", TS)])
case("swift-secret-as-api-key", """var request = URLRequest(url: URL(string: "https://api.binance.com/api/v3/order")!)
request.httpMethod = "POST"
request.setValue(credentials.secret, forHTTPHeaderField: "X-MBX-APIKEY")   // should be credentials.apiKey
request.httpBody = (body + "&signature=" + hmacHex(body, key: credentials.secret)).data(using: .utf8)""",
     -2015, "secret-as-api-key", "http",
     http2("POST", "/api/v3/order", "", [("Content-Type", "application/x-www-form-urlencoded"), ("X-MBX-APIKEY", SECRET),
           ("Accept", "*/*"), ("Accept-Language", "en-GB,en;q=0.9"), ("Accept-Encoding", "gzip, deflate, br"),
           ("User-Agent", "TradeBar/3 CFNetwork/1494.0.7 Darwin/23.4.0"), ("Connection", "keep-alive")],
           body=f"{b}&signature={mac(b)}"))

# ---------- the secret in quotes ----------
q = enc([("symbol", "BTCUSDT"), ("limit", 20), ("timestamp", TS)])
case("python-configparser-quoted-secret", """# settings.ini:  [binance]  secret = "NhqP...Tj0j"   (configparser keeps the quotes)
config = configparser.ConfigParser(); config.read("settings.ini")
secret = config["binance"]["secret"]
sig = hmac.new(secret.encode(), query.encode(), hashlib.sha256).hexdigest()""",
     -1022, "secret-quoted", "http",
     http2("GET", "/api/v3/allOrders", f"{q}&signature={mac(q, chr(34) + SECRET + chr(34))}",
           [("User-Agent", "python-requests/2.32.3"), ("Accept-Encoding", "gzip, deflate"), ("Accept", "*/*"),
            ("Connection", "keep-alive"), ("X-MBX-APIKEY", KEY)]))

# ---------- an empty signature, an empty key header ----------
q = enc([("recvWindow", 5000), ("timestamp", TS)])
case("cpp-empty-signature", """void hmac_sha256(const std::string& key, const std::string& msg, std::string out);   // 'out' by value
std::string signature;
hmac_sha256(secret, query, signature);   // fills a copy: signature stays empty
std::string url = base + "/api/v3/account?" + query + "&signature=" + signature;
curl_easy_setopt(curl, CURLOPT_URL, url.c_str());""",
     -1102, "signature-missing", "http",
     http2("GET", "/api/v3/account", f"{q}&signature=", [("Accept", "*/*"), ("X-MBX-APIKEY", KEY)]))
q = enc([("timestamp", TS)])
case("go-getenv-unset-key", """req.Header.Set("X-MBX-APIKEY", os.Getenv("BINANCE_API_KEY"))   // the variable is BINANCE_KEY: Getenv gives ""
// Go still sends the header, with an empty value""", -2014, "key-empty", "http",
     http2("GET", "/api/v3/account", f"{q}&signature={mac(q)}", [("User-Agent", "Go-http-client/1.1"), ("X-Mbx-Apikey", ""),
           ("Accept-Encoding", "gzip")]))

# ---------- asymmetric keys: hex, encoded twice, URL-safe base64 ----------
pem = (VECTORS / "ed25519-private.pem").read_text()
q = enc([("timestamp", TS)])
case("python-ed25519-hmac-hex", """# an HMAC tutorial, with the Ed25519 key file as the "secret"
secret = open("ed25519-private.pem").read()
signature = hmac.new(secret.encode(), query.encode(), hashlib.sha256).hexdigest()""",
     -1022, "signature-hex-for-asymmetric-key", "curl", curl("GET", "/api/v3/account", f"{q}&signature={mac(q, pem)}"), key="ed25519")
q = enc(ORDER + [("timestamp", TS)])
case("java-rsa-hex-signature", """Signature signer = Signature.getInstance("SHA256withRSA");
signer.initSign(privateKey); signer.update(query.getBytes(StandardCharsets.UTF_8));
String sig = HexFormat.of().formatHex(signer.sign());   // hex, as for HMAC; RSA signatures go in base64""",
     -1022, "signature-hex-for-asymmetric-key", "http",
     http2("POST", "/api/v3/order", f"{q}&signature={rsa_raw(q).hex()}",
           [("Content-Length", "0"), ("User-Agent", "Java-http-client/21.0.3"), ("X-MBX-APIKEY", KEY)]), key="rsa")
q = enc(ORDER + [("timestamp", TS)])
once = pct(ed25519_b64(q))
case("js-ed25519-encoded-twice", """const signature = encodeURIComponent(crypto.sign(null, Buffer.from(query), privateKey).toString('base64'));
const url = `${BASE}/api/v3/order?${new URLSearchParams({ ...params, signature })}`;   // encodes the '%' again
await fetch(url, { method: 'POST', headers: { 'X-MBX-APIKEY': apiKey } });""",
     -1022, "signature-encoded-twice", "curl", curl("POST", "/api/v3/order", f"{q}&signature={pct(once)}"), key="ed25519")
ts_alt = TS
while True:  # the story needs a '-' or '_' in the URL-safe signature
    q = enc([("symbol", "BTCUSDT"), ("timestamp", ts_alt)]); raw_sig = ed25519_raw(q)
    if any(c in base64.urlsafe_b64encode(raw_sig).decode() for c in "-_"):
        break
    ts_alt += 1
case("python-ed25519-urlsafe-base64", """signature = base64.urlsafe_b64encode(private_key.sign(query.encode())).decode()   # "URL-safe, so no encoding needed"
requests.get(f"{BASE}/api/v3/openOrders?{query}&signature={signature}", headers=headers)""",
     -1022, "signature-url-safe-base64", "curl",
     curl("GET", "/api/v3/openOrders", f"{q}&signature={base64.urlsafe_b64encode(raw_sig).decode()}"), key="ed25519")
ts_alt = TS
while True:
    q = enc([("timestamp", ts_alt)]); raw_sig = rsa_raw(q)
    if any(c in base64.urlsafe_b64encode(raw_sig).decode() for c in "-_"):
        break
    ts_alt += 1
case("kotlin-rsa-urlsafe-base64", """val sig = Signature.getInstance("SHA256withRSA").run { initSign(privateKey); update(query.toByteArray()); sign() }
val signature = Base64.getUrlEncoder().withoutPadding().encodeToString(sig)   // '-' and '_' instead of '+' and '/'
val request = Request.Builder().url("$BASE/api/v3/account?$query&signature=$signature").header("X-MBX-APIKEY", apiKey).build()""",
     -1022, "signature-url-safe-base64", "http",
     http2("GET", "/api/v3/account", f"{q}&signature={base64.urlsafe_b64encode(raw_sig).decode().rstrip('=')}",
           [("X-MBX-APIKEY", KEY), ("Connection", "Keep-Alive"), ("Accept-Encoding", "gzip"), ("User-Agent", "okhttp/4.12.0")]),
     key="rsa")

# ---------- a local time taken for UTC ----------
ts_local = (TS // 1000) * 1000 + 8 * 3_600_000   # toLocaleString drops the milliseconds
q = enc([("symbol", "BTCUSDT"), ("timestamp", ts_local)])
case("js-local-time-as-utc", """// the machine is in Asia/Shanghai (UTC+8)
const local = new Date().toLocaleString('sv-SE');              // "2017-07-12 10:41:59", local time
const timestamp = Date.parse(local.replace(' ', 'T') + 'Z');   // read back as UTC: 8 hours ahead""",
     -1021, "timestamp-time-zone", "curl", curl("GET", "/api/v3/openOrders", f"{q}&signature={mac(q)}"))
q = enc([("timestamp", TS - 5 * 3_600_000)])
case("csharp-datetime-now-epoch", """// the server runs in Chicago (CDT, UTC-5)
long timestamp = (long)(DateTime.Now - new DateTime(1970, 1, 1)).TotalMilliseconds;   // local time counted as UTC
var response = await http.GetAsync($"{Base}/api/v3/account?{query}&signature={Sign(query)}");""",
     -1021, "timestamp-time-zone", "http",
     http2("GET", "/api/v3/account", f"{q}&signature={mac(q)}", [("X-MBX-APIKEY", KEY)]))

# ---------- '&timestamp=' copied from a web page ----------
q = "symbol=BTCUSDT\u00d7tamp=" + str(TS)
case("bash-copied-from-blog-times", """# pasted from a blog post whose HTML turned '&times' into the sign ×
q="symbol=BTCUSDT×tamp=$(date +%s%3N)"
sig=$(echo -n "$q" | openssl dgst -sha256 -hmac "$SECRET" | cut -d' ' -f2)
curl -H "X-MBX-APIKEY: $KEY" "https://api.binance.com/api/v3/myTrades?$q&signature=$sig\"""",
     -1102, "html-mangled-ampersand", "curl", curl("GET", "/api/v3/myTrades", f"{q}&signature={mac(q)}"))

# ---------- the secret as the signature; a tiny timestamp ----------
q = enc([("timestamp", TS)])
case("python-secret-pasted-as-signature", """params = {"timestamp": int(time.time() * 1000)}
params["signature"] = API_SECRET   # "signature: your secret key", read too literally
requests.get(f"{BASE}/api/v3/account", params=params, headers={"X-MBX-APIKEY": API_KEY})""",
     -1022, "secret-as-signature", "curl", curl("GET", "/api/v3/account", f"{q}&signature={SECRET}"))
q = enc([("timestamp", 412000)])
case("bash-seconds-variable", """q="timestamp=${SECONDS}000"   # $SECONDS is how long the shell has run; $EPOCHSECONDS was meant
sig=$(printf '%s' "$q" | openssl dgst -sha256 -hmac "$SECRET" | awk '{print $2}')""",
     -1021, "timestamp-too-old", "curl", curl("GET", "/api/v3/account", f"{q}&signature={mac(q)}"))

# ---------- a correct RSA request ----------
params = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.01"),
          ("price", "30000"), ("newClientOrderId", "rsa:java/1"), ("timestamp", TS)]
b = enc(params)
case("java-rsa-pkcs1-correct", """String body = form(params);   // URLEncoder.encode for each value: 'rsa%3Ajava%2F1'
Signature signer = Signature.getInstance("SHA256withRSA");
signer.initSign(privateKey); signer.update(body.getBytes(StandardCharsets.UTF_8));
body += "&signature=" + URLEncoder.encode(Base64.getEncoder().encodeToString(signer.sign()), StandardCharsets.UTF_8);
client.send(HttpRequest.newBuilder(URI.create(BASE + "/api/v3/order")).header("X-MBX-APIKEY", apiKey)
    .header("Content-Type", "application/x-www-form-urlencoded").POST(BodyPublishers.ofString(body)).build(), ofString());""",
     0, "", "http",
     http2("POST", "/api/v3/order", "", [("User-Agent", "Java-http-client/21.0.3"), ("X-MBX-APIKEY", KEY),
           ("Content-Type", "application/x-www-form-urlencoded")], body=f"{b}&signature={pct(rsa_b64(b))}"), key="rsa")

# ====================================================================================================
# WebSocket API frames (wss://ws-api.binance.com/ws-api/v3): every parameter but signature, apiKey
# included, sorted by name, values as their raw text, signed.
# ====================================================================================================
WS_ORDER = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("price", "30000"),
            ("quantity", "0.01")]

pairs = WS_ORDER + [("apiKey", KEY), ("timestamp", TS)]
case("python-ws-order-place-correct", """params = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "price": "30000",
          "quantity": "0.01", "apiKey": API_KEY, "timestamp": int(time.time() * 1000)}
payload = "&".join(f"{k}={v}" for k, v in sorted(params.items()))
params["signature"] = hmac.new(SECRET.encode(), payload.encode(), hashlib.sha256).hexdigest()
await ws.send(json.dumps({"id": str(uuid.uuid4()), "method": "order.place", "params": params}))   # websockets""",
     0, "", "ws", frame(uid("ws-correct-1"), "order.place", pairs + [("signature", mac(ws_payload(pairs)))], "python"))

pairs = [("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("price", "31000"),
         ("quantity", "0.01"), ("apiKey", KEY), ("timestamp", TS)]
case("js-ws-signs-written-order", """const params = { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', price: '31000', quantity: '0.01', apiKey, timestamp: Date.now() };
const payload = Object.entries(params).map(([k, v]) => `${k}=${v}`).join('&');   // REST habit: the order written
ws.send(JSON.stringify({ id: randomUUID(), method: 'order.place', params: { ...params, signature: hmac(payload) } }));""",
     -1022, "signed-in-written-order", "ws",
     frame(uid("ws-order-1"), "order.place", pairs + [("signature", mac(ws_payload(pairs, sort=False)))]))

pairs = [("symbol", "ETHUSDT"), ("timestamp", TS), ("apiKey", ED_KEY)]
case("python-ws-ed25519-dict-order", """params = {"symbol": "ETHUSDT", "timestamp": int(time.time() * 1000), "apiKey": API_KEY}
payload = "&".join(f"{k}={v}" for k, v in params.items())   # dict order, not sorted
params["signature"] = base64.b64encode(private_key.sign(payload.encode())).decode()
await ws.send(json.dumps({"id": "open-orders", "method": "openOrders.status", "params": params}))""",
     -1022, "signed-in-written-order", "ws",
     frame("open-orders", "openOrders.status", pairs + [("signature", ed25519_b64(ws_payload(pairs, sort=False)))], "python"),
     key="ed25519")

pairs = WS_ORDER + [("newClientOrderId", "dca/btc:0712"), ("apiKey", KEY), ("timestamp", TS)]
encoded = urllib.parse.urlencode(sorted(pairs))
case("python-ws-urlencode-before-signing", """params = {**order, "newClientOrderId": "dca/btc:0712", "apiKey": API_KEY, "timestamp": now_ms()}
payload = urlencode(sorted(params.items()))   # REST code: 'dca%2Fbtc%3A0712'; the WebSocket API signs the raw text
params["signature"] = hmac.new(SECRET.encode(), payload.encode(), hashlib.sha256).hexdigest()
await ws.send(json.dumps({"id": str(uuid.uuid4()), "method": "order.place", "params": params}))""",
     -1022, "signed-encoded-values", "ws",
     frame(uid("ws-enc-1"), "order.place", pairs + [("signature", mac(encoded))], "python"))

pairs = sorted([("symbol", "BTCUSDT"), ("origClientOrderId", "web:9f2c/1"), ("apiKey", ED_KEY), ("timestamp", TS)])
payload = "&".join(f"{k}={urllib.parse.quote_plus(str(v))}" for k, v in pairs)   # URLEncoder.encode
case("java-ws-urlencoder-values", """TreeMap<String, Object> params = new TreeMap<>(Map.of("symbol", "BTCUSDT", "origClientOrderId", "web:9f2c/1",
        "apiKey", apiKey, "timestamp", System.currentTimeMillis()));
String payload = params.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(String.valueOf(e.getValue()), UTF_8))
        .collect(Collectors.joining("&"));   // 'web%3A9f2c%2F1'
params.put("signature", Base64.getEncoder().encodeToString(ed25519.sign(payload.getBytes(UTF_8))));
webSocket.sendText(mapper.writeValueAsString(new WsRequest("cancel-1", "order.cancel", params)), true);   // record: id, method, params""",
     -1022, "signed-encoded-values", "ws",
     json.dumps({"id": "cancel-1", "method": "order.cancel",
                 "params": dict(sorted(pairs + [("signature", ed25519_b64(payload))]))}, separators=(",", ":")), key="ed25519")

unsigned = [("omitZeroBalances", True), ("timestamp", TS)]
pairs = [("apiKey", KEY)] + unsigned
case("go-ws-signs-without-api-key", """v := url.Values{}
v.Set("omitZeroBalances", "true"); v.Set("timestamp", strconv.FormatInt(time.Now().UnixMilli(), 10))
sig := sign(v.Encode())   // REST habit: the key is not a parameter there
params := map[string]any{"apiKey": apiKey, "omitZeroBalances": true, "timestamp": ts, "signature": sig}
conn.WriteJSON(Request{ID: uuid.NewString(), Method: "account.status", Params: params})   // gorilla/websocket""",
     -1022, "signed-without-api-key", "ws",
     json.dumps({"id": uid("go-acct"), "method": "account.status",
                 "params": dict(sorted(pairs + [("signature", mac(ws_payload(unsigned)))]))}, separators=(",", ":")))

case("ts-ws-ed25519-signs-without-api-key", """const timestamp = Date.now();
const signature = sign(null, Buffer.from(`timestamp=${timestamp}`), privateKey).toString('base64');   // apiKey left out
socket.send(JSON.stringify({ id: crypto.randomUUID(), method: 'account.status',
  params: { apiKey: API_KEY, timestamp, signature } }));""",
     -1022, "signed-without-api-key", "ws",
     frame(uid("ts-uds"), "account.status",
           [("apiKey", ED_KEY), ("timestamp", TS), ("signature", ed25519_b64(f"timestamp={TS}"))]), key="ed25519")

pairs = [("apiKey", KEY), ("price", "30000"), ("quantity", "0.01"), ("recvWindow", "5000"), ("side", "BUY"),
         ("signature", ""), ("symbol", "BTCUSDT"), ("timeInForce", "GTC"), ("timestamp", str(TS)), ("type", "LIMIT")]
placeholder_payload = ws_payload(pairs, skip=())   # '...&side=BUY&signature=&symbol=BTCUSDT&...'
case("csharp-ws-signature-placeholder", """var p = new SortedDictionary<string, string>(StringComparer.Ordinal) {
    ["symbol"] = "BTCUSDT", ["side"] = "BUY", ["type"] = "LIMIT", ["timeInForce"] = "GTC", ["price"] = "30000",
    ["quantity"] = "0.01", ["recvWindow"] = "5000", ["apiKey"] = apiKey, ["signature"] = "",   // filled in below
    ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString() };
p["signature"] = Hmac(string.Join("&", p.Select(kv => $"{kv.Key}={kv.Value}")));   // 'signature=' is signed too
await ws.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { id = Guid.NewGuid(), method = "order.place", @params = p }), WebSocketMessageType.Text, true, ct);""",
     -1022, "signed-with-signature-param", "ws",
     frame(uid("cs-ws"), "order.place", [(k, mac(placeholder_payload) if k == "signature" else v) for k, v in pairs]))

case("kotlin-ws-api-key-in-handshake-only", """val request = Request.Builder().url("wss://ws-api.binance.com/ws-api/v3").header("X-MBX-APIKEY", apiKey).build()   // REST habit
val ws = client.newWebSocket(request, listener)
val ts = System.currentTimeMillis()
ws.send(buildJsonObject { put("id", "acct"); put("method", "account.status")
    putJsonObject("params") { put("timestamp", ts); put("signature", hmacHex("timestamp=$ts")) } }.toString())   // no apiKey""",
     -1102, "api-key-param-missing", "ws",
     frame("acct", "account.status", [("timestamp", TS), ("signature", mac(f"timestamp={TS}"))]))

short = KEY[:-1]
pairs = [("apiKey", short), ("symbol", "BTCUSDT"), ("timestamp", TS)]
case("swift-ws-truncated-api-key", """let apiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8"   // one character lost when pasted
var params: [String: Any] = ["apiKey": apiKey, "symbol": "BTCUSDT", "timestamp": Int(Date().timeIntervalSince1970 * 1000)]
params["signature"] = hmacHex(signingPayload(params), secret)
let data = try JSONSerialization.data(withJSONObject: ["id": "oo", "method": "openOrders.status", "params": params], options: .sortedKeys)
task.send(.string(String(decoding: data, as: UTF8.self))) { _ in }   // URLSessionWebSocketTask""",
     -2014, "key-format", "ws",
     frame("oo", "openOrders.status", sorted(pairs + [("signature", mac(ws_payload(pairs)))])))

pairs = [("apiKey", KEY), ("timestamp", TS // 1000)]
case("dart-ws-timestamp-seconds", """final ts = DateTime.now().millisecondsSinceEpoch ~/ 1000;   // seconds
final params = {'apiKey': apiKey, 'timestamp': ts};
params['signature'] = hmacHex('apiKey=$apiKey&timestamp=$ts');
channel.sink.add(jsonEncode({'id': 'status', 'method': 'account.status', 'params': params}));   // web_socket_channel""",
     -1021, "timestamp-seconds", "ws", frame("status", "account.status", pairs + [("signature", mac(ws_payload(pairs)))]))

pairs = [("apiKey", KEY), ("symbol", "BTCUSDT"), ("timestamp", TS)]
case("go-ws-frame-resent-after-reconnect", """// the frames are signed when built and queued; after a reconnect the queue is replayed 65 s later
for _, f := range pending {
    conn.WriteMessage(websocket.TextMessage, f)   // same timestamp, same signature
}""", -1021, "timestamp-too-old", "ws",
     frame("7", "openOrders.status", pairs + [("signature", mac(ws_payload(pairs)))]), time=TS + 65_000)

pairs = [("apiKey", KEY), ("timestamp", TS)]
b64_sig = base64.b64encode(bytes.fromhex(mac(ws_payload(pairs)))).decode()
case("rust-ws-base64-hmac", """let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())?;
mac.update(format!("apiKey={api_key}&timestamp={ts}").as_bytes());
let signature = STANDARD.encode(mac.finalize().into_bytes());   // base64; HMAC signatures are hex
ws.send(Message::Text(json!({"id": "acct", "method": "account.status", "params": {"apiKey": api_key, "timestamp": ts, "signature": signature}}).to_string())).await?;""",
     -1022, "signature-base64-for-hmac", "ws",
     frame("acct", "account.status", sorted(pairs + [("signature", b64_sig)])))

pairs = [("apiKey", KEY), ("timestamp", TS)]
request = {"id": uid("py-repr"), "method": "account.status", "params": dict(pairs + [("signature", mac(ws_payload(pairs)))])}
case("python-ws-sends-dict-repr", """request = {"id": str(uuid.uuid4()), "method": "account.status", "params": params}
await ws.send(str(request))   # Python's repr: single quotes, not JSON""",
     -1135, "frame-not-json", "ws", repr(request))

pairs = [("symbol", "BTCUSDT"), ("orderId", 28457), ("apiKey", KEY), ("timestamp", TS)]
sig = mac(ws_payload(pairs))
case("js-ws-template-trailing-comma", """ws.send(`{
  "id": "${id}",
  "method": "order.cancel",
  "params": { ...one line per parameter..., "signature": "${signature}", }
}`);   // a hand-written template: the comma after the last member is not JSON""",
     -1135, "frame-not-json", "ws",
     "{\n  \"id\": \"cancel-28457\",\n  \"method\": \"order.cancel\",\n  \"params\": {\n"
     + "".join(f"    \"{k}\": {json.dumps(v)},\n" for k, v in pairs + [("signature", sig)]) + "  }\n}")

pairs = WS_ORDER + [("apiKey", KEY), ("timestamp", TS)]
case("js-ws-method-order-create", """// guessed from the REST name "New order"
ws.send(JSON.stringify({ id: randomUUID(), method: 'order.create', params: signed(params) }));""",
     -1020, "ws-method-unknown", "ws",
     frame(uid("js-create"), "order.create", pairs + [("signature", mac(ws_payload(pairs)))]))

pairs = [("symbol", "BNBUSDT"), ("side", "SELL"), ("type", "MARKET"), ("quantity", "2"), ("apiKey", KEY), ("timestamp", TS)]
case("python-ws-rest-path-as-method", """# REST code moved to the WebSocket API: the path kept as the method
await ws.send(json.dumps({"id": 1, "method": "/api/v3/order", "params": sign_ws(params)}))""",
     -1020, "ws-method-unknown", "ws",
     frame(1, "/api/v3/order", pairs + [("signature", mac(ws_payload(pairs)))], "python"))

pairs = [("apiKey", ED_KEY), ("omitZeroBalances", True), ("timestamp", TS)]
case("js-ws-ed25519-account-status-correct", """const params = { apiKey, omitZeroBalances: true, timestamp: Date.now() };
const payload = Object.keys(params).sort().map(k => `${k}=${params[k]}`).join('&');
params.signature = crypto.sign(null, Buffer.from(payload), privateKey).toString('base64');
ws.send(JSON.stringify({ id: randomUUID(), method: 'account.status', params }));""",
     0, "", "ws", frame(uid("js-ed-acct"), "account.status", pairs + [("signature", ed25519_b64(ws_payload(pairs)))]),
     key="ed25519")

pairs = [("apiKey", ED_KEY), ("timestamp", TS)]
case("rust-ws-ed25519-tungstenite-correct", """let payload = format!("apiKey={api_key}&timestamp={ts}");
let signature = STANDARD.encode(signing_key.sign(payload.as_bytes()).to_bytes());   // ed25519-dalek
let frame = json!({"id": 1, "method": "account.status", "params": {"apiKey": api_key, "timestamp": ts, "signature": signature}});
ws.send(Message::Text(frame.to_string())).await?;   // tokio-tungstenite""",
     0, "", "ws", frame(1, "account.status", sorted(pairs + [("signature", ed25519_b64(ws_payload(pairs)))])),
     key="ed25519")

# ====================================================================================================
# HAR documents (Chrome DevTools, Postman, Charles): one Binance request entry each.
# ====================================================================================================
def chrome_h2(method, url, extra, origin):
    u = urllib.parse.urlsplit(url)
    path = u.path + (f"?{u.query}" if u.query else "")
    return ([(":authority", "api.binance.com"), (":method", method), (":path", path), (":scheme", "https"),
             ("accept", "*/*"), ("accept-encoding", "gzip, deflate, br, zstd"), ("accept-language", "en-US,en;q=0.9")]
            + list(extra) + [("origin", origin), ("priority", "u=1, i"), ("referer", f"{origin}/")] + CHROME_HINTS
            + [("sec-fetch-dest", "empty"), ("sec-fetch-mode", "cors"), ("sec-fetch-site", "cross-site"), ("user-agent", CHROME_UA)])

CORS = [("access-control-allow-origin", "*")]
def binance_resp_headers(body, started, extra=()):
    return [("content-type", "application/json;charset=UTF-8"), ("content-length", str(len(body))),
            ("date", datetime.datetime.fromtimestamp(started / 1000, datetime.timezone.utc).strftime("%a, %d %b %Y %H:%M:%S GMT")),
            ("server", "nginx"), ("x-mbx-uuid", uid(body + str(started))), ("x-mbx-used-weight", "9"),
            ("x-mbx-used-weight-1m", "9"), *extra]

# ---------- testnet key against live, from a browser dashboard ----------
origin = "http://localhost:5173"
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
url = f"{API}/api/v3/openOrders?{q}&signature={mac(q, TESTNET_SECRET)}"
body = error_body(-2015)
case("js-chrome-testnet-key-on-live", """// .env.local: VITE_BINANCE_KEY / VITE_BINANCE_SECRET from testnet.binance.vision; VITE_BINANCE_BASE left at api.binance.com
const query = `symbol=BTCUSDT&timestamp=${Date.now()}`;
const signature = CryptoJS.HmacSHA256(query, import.meta.env.VITE_BINANCE_SECRET).toString();
await fetch(`${import.meta.env.VITE_BINANCE_BASE}/api/v3/openOrders?${query}&signature=${signature}`, { headers: { 'X-MBX-APIKEY': import.meta.env.VITE_BINANCE_KEY } });
// Chrome DevTools > Network > Save all as HAR""",
     -2015, "key-other-environment", "har",
     har([favicon(origin, TS - 2400),
          har_entry("GET", url, chrome_h2("GET", url, [("x-mbx-apikey", TESTNET_KEY)], origin), status=401, response=body,
                    http_version="http/2.0", response_headers=binance_resp_headers(body, TS, CORS))],
         browser=("chrome", "124.0.6367.119")), extra=TESTNET)

# ---------- retired listenKey endpoint, the secret in the key header ----------
listen_key = pseudo(60, "listen-key")
url = f"{API}/api/v3/userDataStream?listenKey={listen_key}"
case("postman-delete-listen-key-with-secret", """Postman: an old community collection, request "Close User Data Stream"
DELETE {{url}}/api/v3/userDataStream?listenKey={{listenKey}}
Headers: X-MBX-APIKEY: {{secretKey}}   (the variable picked from the autocomplete list; exported as HAR)""",
     -404, "endpoint-retired", "har",
     har([har_entry("DELETE", url, postman_headers([("X-MBX-APIKEY", SECRET)], "pm-del"), status=404, response="",
                    response_mime="text/html",
                    response_headers=[("content-length", "0"), ("date", "Wed, 12 Jul 2017 02:41:59 GMT"), ("server", "nginx")])],
         creator=POSTMAN))

# ---------- an empty key variable ----------
q = enc([("timestamp", TS)])
url = f"{API}/api/v3/account?{q}&signature={mac(q)}"
body = error_body(-2014)
case("postman-empty-api-key-variable", """Postman environment "Binance live": api_key = (empty: the value was put in "Initial value" only, current value empty)
Headers: X-MBX-APIKEY: {{api_key}}
Pre-request script: pm.variables.set('signature', CryptoJS.HmacSHA256(query, pm.environment.get('api_secret')).toString())""",
     -2014, "key-empty", "har",
     har([har_entry("GET", url, postman_headers([("X-MBX-APIKEY", "")], "pm-empty"), status=401, response=body,
                    response_headers=binance_resp_headers(body, TS))], creator=POSTMAN))

# ---------- '&timestamp=' as '×tamp=', encoded by the browser ----------
origin = "https://trading-notes.example"
raw_q = "symbol=ETHUSDT\u00d7tamp=" + str(TS)
url = f"{API}/api/v3/openOrders?{raw_q.replace(chr(0xd7), '%C3%97')}&signature={mac(raw_q)}"
body = error_body(-1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.")
case("js-chrome-html-mangled-timestamp", """// copied from a tutorial page that rendered '&times' as ×
const query = `symbol=${symbol}×tamp=${Date.now()}`;
const signature = await hmacHex(secret, query);   // WebCrypto
fetch(`https://api.binance.com/api/v3/openOrders?${query}&signature=${signature}`, { headers: { 'X-MBX-APIKEY': key } });   // × is sent as %C3%97""",
     -1102, "html-mangled-ampersand", "har",
     har([favicon(origin, TS - 5100),
          har_entry("GET", url, chrome_h2("GET", url, [("x-mbx-apikey", KEY)], origin), status=400, response=body,
                    http_version="http/2.0", response_headers=binance_resp_headers(body, TS, CORS))],
         browser=("chrome", "124.0.6367.119")))

# ---------- GET with a form body ----------
b = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
form = f"{b}&signature={mac(b)}"
url = f"{API}/api/v3/openOrders"
body = error_body(-1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.")
case("postman-get-params-in-body", """Postman: GET {{url}}/api/v3/openOrders
Body tab: x-www-form-urlencoded  symbol=BTCUSDT, timestamp={{timestamp}}, signature={{signature}}
(Binance reads only the query string of a GET: the Params tab was meant)""",
     -1102, "get-with-body", "har",
     har([har_entry("GET", url, postman_headers([("X-MBX-APIKEY", KEY)], "pm-get", content=True) + [("Content-Length", str(len(form)))],
                    body=form, status=400, response=body, response_headers=binance_resp_headers(body, TS))], creator=POSTMAN))

# ---------- an empty signature: a React effect ran before the async signing finished ----------
origin = "http://localhost:3000"
q = enc([("omitZeroBalances", "true"), ("timestamp", TS)])
url = f"{API}/api/v3/account?{q}&signature="
body = error_body(-1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.")
case("ts-react-empty-signature", """const [signature, setSignature] = useState('');
useEffect(() => { signHmac(secret, query).then(setSignature); }, [query]);   // WebCrypto: async
useEffect(() => { fetch(`${BASE}/api/v3/account?${query}&signature=${signature}`, { headers }); }, [query]);   // runs first: signature ''""",
     -1102, "signature-missing", "har",
     har([har_entry("GET", url, chrome_h2("GET", url, [("x-mbx-apikey", KEY)], origin), status=400, response=body,
                    http_version="http/2.0", response_headers=binance_resp_headers(body, TS, CORS))],
         browser=("chrome", "124.0.6367.119")))

# ---------- the secret as a parameter ----------
q = enc([("timestamp", TS), ("secret", SECRET)])
url = f"{API}/api/v3/account?{q}&signature={mac(q)}"
body = error_body(-1104, "Not all sent parameters were read; read '2' parameter(s) but was sent '3'.")
case("postman-secret-as-parameter", """Postman: GET {{url}}/api/v3/account?timestamp={{timestamp}}&secret={{api_secret}}&signature={{signature}}
(a shared collection "asks for the key pair"; the pre-request script signs pm.request.url.getQueryString() minus signature)""",
     -1104, "secret-as-parameter", "har",
     har([har_entry("GET", url, postman_headers([("X-MBX-APIKEY", KEY)], "pm-secret"), status=400, response=body,
                    response_headers=binance_resp_headers(body, TS))], creator=POSTMAN))

# ---------- .NET: signed HttpUtility.UrlEncode (lower-case hex), sent FormUrlEncodedContent (upper case) ----------
params = [("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "STOP_LOSS_LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.01"),
          ("price", "27000"), ("stopPrice", "27100"), ("newClientOrderId", "sl:btc:2"), ("timestamp", TS)]
sent = enc(params)
signed_text = sent.replace("%3A", "%3a")
form = f"{sent}&signature={mac(signed_text)}"
body = error_body(-1022)
case("csharp-charles-lowercase-hex", """var query = string.Join("&", p.Select(kv => $"{kv.Key}={HttpUtility.UrlEncode(kv.Value)}"));   // 'sl%3abtc%3a2'
p["signature"] = Sign(query);
var response = await http.PostAsync("/api/v3/order", new FormUrlEncodedContent(p));   // sends 'sl%3Abtc%3A2'
// captured with Charles Proxy, exported as HAR""",
     -1022, "signed-other-encoding", "har",
     har([har_entry("POST", f"{API}/api/v3/order", [("Host", "api.binance.com"), ("X-MBX-APIKEY", KEY),
                    ("Content-Type", "application/x-www-form-urlencoded"), ("Content-Length", str(len(form)))],
                    body=form, status=400, response=body, response_headers=binance_resp_headers(body, TS), ms=318.0)],
         creator=("Charles Proxy", "4.6.6")))

# ---------- the secret in quotes, in a Postman environment ----------
b = enc([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quoteOrderQty", "50"), ("timestamp", TS)])
form = f"{b}&signature={mac(b, chr(39) + SECRET + chr(39))}"
body = error_body(-1022)
case("postman-secret-quoted", """Postman environment: api_secret = 'NhqP...Tj0j'   (pasted from a Python file, quotes included)
Pre-request script:
  const body = pm.request.body.urlencoded.filter(p => p.key !== 'signature').map(p => `${p.key}=${p.value}`).join('&');
  pm.variables.set('signature', CryptoJS.HmacSHA256(body, pm.environment.get('api_secret')).toString());""",
     -1022, "secret-quoted", "har",
     har([har_entry("POST", f"{API}/api/v3/order/test",
                    postman_headers([("X-MBX-APIKEY", KEY)], "pm-quoted", content=True) + [("Content-Length", str(len(form)))],
                    body=form, status=400, response=body, response_headers=binance_resp_headers(body, TS))], creator=POSTMAN))

# ---------- the whole query string or body percent-encoded, '=' and '&' included ----------
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
case("java-urlencoder-whole-query", """String query = "symbol=BTCUSDT&timestamp=" + System.currentTimeMillis();
String signature = hmacSha256Hex(secret, query);
// encodes '=' and '&' too: the server reads one parameter named "symbol=BTCUSDT&timestamp=..."
URI uri = URI.create(BASE + "/api/v3/openOrders?" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&signature=" + signature);""",
     -1102, "payload-encoded-whole", "curl", curl("GET", "/api/v3/openOrders", f"{urllib.parse.quote(q, safe='')}&signature={mac(q)}"))
b = enc(ORDER + [("timestamp", TS)])
case("js-encodeuricomponent-whole-body", """const body = `${new URLSearchParams(params)}`;
const signature = crypto.createHmac('sha256', secret).update(body).digest('hex');
await fetch(`${BASE}/api/v3/order`, { method: 'POST', headers: { 'X-MBX-APIKEY': key, 'Content-Type': 'application/x-www-form-urlencoded' },
  body: encodeURIComponent(`${body}&signature=${signature}`) });   // the separators are encoded too""",
     -1102, "payload-encoded-whole", "http",
     http("POST", "/api/v3/order", "", headers=(("X-MBX-APIKEY", KEY), ("Content-Type", "application/x-www-form-urlencoded")),
          body=urllib.parse.quote(f"{b}&signature={mac(b)}", safe="-_.!~*'()")))

# ---------- a form body sent with fetch's default Content-Type for a string ----------
b = enc(ORDER + [("timestamp", TS)])
case("js-fetch-string-body-text-plain", """const body = `${new URLSearchParams(params)}&signature=${sign(query)}`;
// no Content-Type given: fetch sends a string body as text/plain;charset=UTF-8
await fetch(`${BASE}/api/v3/order`, { method: 'POST', headers: { 'X-MBX-APIKEY': key }, body });""",
     -1102, "body-not-form", "http",
     http("POST", "/api/v3/order", "", headers=(("X-MBX-APIKEY", KEY), ("Content-Type", "text/plain;charset=UTF-8")), body=f"{b}&signature={mac(b)}"))

# ---------- a timestamp finer than microseconds ----------
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS * 1_000_000 + 421_337)])
case("go-unixnano-timestamp", """params.Set("timestamp", strconv.FormatInt(time.Now().UnixNano(), 10))   // nanoseconds, not UnixMilli()
params.Set("signature", sign(params.Encode()))""",
     -1021, "timestamp-nanoseconds", "curl", curl("GET", "/api/v3/openOrders", f"{q}&signature={mac(q)}"))
q = enc([("timestamp", 621_355_968_000_000_000 + TS * 10_000 + 1_234)])
case("csharp-datetime-ticks", """var query = $"timestamp={DateTime.UtcNow.Ticks}";   // 100 ns ticks since the year 1
var signature = Sign(query);""",
     -1021, "timestamp-nanoseconds", "http", http("GET", "/api/v3/account", f"{q}&signature={mac(q)}"))

# ---------- a signature that is not HMAC-SHA256(secret, payload) as bare hex ----------
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
case("bash-openssl-label-in-signature", """sig=$(echo -n "$query" | openssl dgst -sha256 -hmac "$SECRET")   # prints 'SHA2-256(stdin)= <hex>'
curl -G -H "X-MBX-APIKEY: $KEY" "$BASE/api/v3/openOrders?$query" --data-urlencode "signature=$sig"   # the label goes with it""",
     -1022, "signature-not-bare", "curl", curl("GET", "/api/v3/openOrders", f"{q}&signature={urllib.parse.quote('SHA2-256(stdin)= ' + mac(q), safe='')}"))
q = enc([("timestamp", TS)])
case("ts-ethers-hexlify-0x", """const mac = createHmac('sha256', secret).update(query).digest();
const signature = ethers.hexlify(mac);   // '0x' + 64 hex digits""",
     -1022, "signature-not-bare", "http", http("GET", "/api/v3/account", f"{q}&signature=0x{mac(q)}"))
b = enc(ORDER + [("timestamp", TS)])
case("php-hash-instead-of-hmac", """$query = http_build_query($params);
$signature = hash('sha256', $query . $secret);   // a plain hash, not hash_hmac""",
     -1022, "signed-plain-hash", "curl",
     curl("POST", "/api/v3/order", "", headers=(("X-MBX-APIKEY", KEY),), body=f"{b}&signature={hashlib.sha256((b + SECRET).encode()).hexdigest()}"))
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
case("js-cryptojs-hmac-arguments-swapped", """// CryptoJS.HmacSHA256(message, key): the two swapped
const signature = CryptoJS.HmacSHA256(secret, query).toString(CryptoJS.enc.Hex);""",
     -1022, "hmac-arguments-swapped", "curl", curl("GET", "/api/v3/openOrders", f"{q}&signature={mac(SECRET, q)}"))
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
case("java-second-question-mark", """String url = BASE + "/api/v3/openOrders?" + query + "?signature=" + sign(query);   // '?' where '&' belongs""",
     -1100, "second-question-mark", "curl", curl("GET", "/api/v3/openOrders", f"{q}?signature={mac(q)}"))

# ---------- values encoded by hand, then again by the library ----------
params = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.01"), ("price", "30000"),
          ("newClientOrderId", "grid 7/buy"), ("timestamp", TS)]
signed_text = enc(params)
sent = "&".join(f"{k}={urllib.parse.quote(urllib.parse.quote(str(v), safe='-_.~'), safe='-_.~')}" for k, v in params)
case("python-requests-params-encoded-twice", """query = urlencode(params, quote_via=quote)            # newClientOrderId=grid%207%2Fbuy
params = {k: quote(str(v), safe='') for k, v in params.items()}
params['signature'] = hmac_hex(secret, query)
requests.post(f"{BASE}/api/v3/order", params=params, headers=headers)   # requests encodes the '%' again""",
     -1022, "sent-encoded-twice", "curl", curl("POST", "/api/v3/order", f"{sent}&signature={mac(signed_text)}"))

# ---------- a digest printed the way a language prints bytes ----------
q = enc([("timestamp", TS)])
digest = hmac.new(SECRET.encode(), q.encode(), hashlib.sha256).digest()
case("csharp-bitconverter-dashes", """using var h = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
var signature = BitConverter.ToString(h.ComputeHash(Encoding.UTF8.GetBytes(query)));   // 'AB-CD-...'""",
     -1022, "signature-not-bare", "http", http("GET", "/api/v3/account", f"{q}&signature={'-'.join(f'{b:02X}' for b in digest)}"))
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
digest = hmac.new(SECRET.encode(), q.encode(), hashlib.sha256).digest()
case("python-str-of-digest-bytes", """signature = str(hmac.new(secret.encode(), query.encode(), hashlib.sha256).digest())   # "b'\\x9f...'"
requests.get(f"{BASE}/api/v3/openOrders?{query}&signature={quote(signature)}", headers=headers)""",
     -1022, "signature-not-bare", "curl", curl("GET", "/api/v3/openOrders", f"{q}&signature={urllib.parse.quote(str(digest), safe='')}"))
q = enc([("timestamp", TS)])
digest = hmac.new(SECRET.encode(), q.encode(), hashlib.sha256).digest()
case("java-arrays-tostring-digest", """byte[] mac = hmac.doFinal(query.getBytes(StandardCharsets.UTF_8));
String signature = Arrays.toString(mac);   // "[12, -34, ...]", not hex""",
     -1022, "signature-not-bare", "curl",
     curl("GET", "/api/v3/account", f"{q}&signature={urllib.parse.quote(str([b - 256 if b > 127 else b for b in digest]), safe='')}"))
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
case("go-hmac-sum-appends", """mac := hmac.New(sha256.New, []byte(secret))
signature := hex.EncodeToString(mac.Sum([]byte(query)))   // appends HMAC("") to query: nothing was hashed""",
     -1022, "signature-not-bare", "curl",
     curl("GET", "/api/v3/openOrders", f"{q}&signature={q.encode().hex()}{hmac.new(SECRET.encode(), b'', hashlib.sha256).hexdigest()}"))

# ---------- requests as a browser's network tab copies them for cmd, PowerShell and fetch ----------
def cmd_quote(text):
    """A string quoted for Windows' cmd as Chrome's "Copy as cURL (cmd)" writes it."""
    out = text.replace("\\", "\\\\").replace('"', '\\"')
    out = "".join(c if c.isalnum() or c in " _-:=+~'/.,?;()*`" else "^" + c for c in out)
    return '^"' + out + '^"'
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS // 1000)])
case("edge-copy-as-curl-cmd-seconds", """// Date.now() / 1000 | 0 in the page's script; the request copied from Edge's network tab as cURL (cmd)""",
     -1021, "timestamp-seconds", "curl",
     f"curl {cmd_quote(API + '/api/v3/openOrders?' + q + '&signature=' + mac(q))} ^\n  -H {cmd_quote('accept: */*')} ^\n  -H {cmd_quote('x-mbx-apikey: ' + KEY)}")
q = enc([("timestamp", TS)])
case("chrome-copy-as-powershell-bearer-key", """// headers: { Authorization: `Bearer ${apiKey}` }; the request copied from Chrome as PowerShell""",
     -2014, "key-in-authorization-header", "curl",
     "$session = New-Object Microsoft.PowerShell.Commands.WebRequestSession\n"
     f"Invoke-WebRequest -UseBasicParsing -Uri \"{API}/api/v3/account?{q}&signature={mac(q)}\" `\n"
     "-WebSession $session `\n"
     "-Headers @{\n\"accept\"=\"application/json\"\n  \"authorization\"=\"Bearer " + KEY + "\"\n}")
body = json.dumps({"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.01", "timestamp": TS})
case("chrome-copy-as-fetch-json-body", """await fetch(url, { method: 'POST', headers: { 'X-MBX-APIKEY': key, 'Content-Type': 'application/json' },
  body: JSON.stringify({ ...params, timestamp: Date.now() }) });   // copied from Chrome as fetch""",
     -1102, "json-body", "curl",
     f"fetch(\"{API}/api/v3/order?signature={mac(body)}\", {{\n  \"headers\": {{\n    \"content-type\": \"application/json\",\n    \"x-mbx-apikey\": \"{KEY}\"\n  }},\n"
     f"  \"body\": {json.dumps(body)},\n  \"method\": \"POST\",\n  \"mode\": \"cors\",\n  \"credentials\": \"omit\"\n}});")

# ---------- values Binance refuses once the request is signed right (the order terms, numbers) ----------
q = enc([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "1.0E-4"),
         ("price", "60000.0"), ("timestamp", TS)])
case("java-double-to-string-exponent", """double qty = 0.0001;
params.put("quantity", String.valueOf(qty));   // "1.0E-4": Double.toString writes small numbers with an exponent""",
     -1100, "param-malformed", "curl", curl("POST", "/api/v3/order", q + "&signature=" + mac(q)))
q = enc([("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0,01"),
         ("price", "30000"), ("timestamp", TS)])
case("csharp-culture-decimal-comma", """var query = $"symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity={qty}&price={price}&timestamp={ts}";
// interpolation formats decimals with the machine's culture: de-DE writes 0,01""",
     -1100, "param-malformed", "http", http("POST", "/api/v3/order", q + "&signature=" + mac(q)))
body = enc([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("quantity", "0.01"), ("price", "30000"), ("timestamp", TS)])
case("python-limit-without-time-in-force", """params = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "quantity": "0.01", "price": "30000",
          "timestamp": int(time.time() * 1000)}   # timeInForce left out""",
     -1102, "order-terms", "curl",
     curl("POST", "/api/v3/order", "", (("X-MBX-APIKEY", KEY), ("Content-Type", "application/x-www-form-urlencoded")), body + "&signature=" + mac(body)))
q = enc([("symbol", "BTCUSDT"), ("side", "buy"), ("type", "market"), ("quantity", "0.01"), ("timestamp", TS)])
case("php-side-lower-case", """$params = ['symbol' => 'BTCUSDT', 'side' => strtolower($side), 'type' => 'market', 'quantity' => '0.01',
           'timestamp' => round(microtime(true) * 1000)];""",
     -1117, "order-terms", "curl", curl("POST", "/api/v3/order", q + "&signature=" + mac(q)))
q = enc([("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "MARKET"), ("timeInForce", "GTC"), ("quantity", "0.01"),
         ("price", "30000"), ("timestamp", TS)])
case("go-market-with-limit-fields", """v := url.Values{}   // one helper for every order: a MARKET order keeps the LIMIT fields
v.Set("type", "MARKET"); v.Set("timeInForce", "GTC"); v.Set("price", price)""",
     -1106, "order-terms", "curl", curl("POST", "/api/v3/order", q + "&signature=" + mac(q)))
pairs = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", 1e-05), ("apiKey", KEY), ("timestamp", TS)]
case("python-ws-float-quantity-exponent", """params = {"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": 0.00001, ...}
# json.dumps writes the float as 1e-05; the payload signed with f"{v}" writes it the same way""",
     -1100, "param-malformed", "ws",
     frame(uid("ws-float-1"), "order.place", pairs + [("signature", mac(ws_payload(pairs)))], "python"))
q = enc([("symbol", "BTCUSDT"), ("limit", "100.0")])
case("js-depth-limit-float", """const limit = Math.round(levels * 1.5).toFixed(1);   // "100.0"
await fetch(`${base}/api/v3/depth?symbol=BTCUSDT&limit=${limit}`);""",
     -1100, "param-malformed", "curl", curl("GET", "/api/v3/depth", q, ()))

q = enc([("symbol", "btcusdt"), ("timestamp", TS)])
case("python-symbol-from-stream-name", """symbol = stream.split("@")[0]          # "btcusdt@trade" -> "btcusdt": stream names are lower case
client.get("/api/v3/openOrders", params={"symbol": symbol, "timestamp": now_ms()})   # signed by a helper""",
     -1121, "symbol-lower-case", "curl", curl("GET", "/api/v3/openOrders", q + "&signature=" + mac(q)))
q = "symbols=BTCUSDT,ETHUSDT"
case("js-symbols-comma-list", """const params = new URLSearchParams({ symbols: ['BTCUSDT', 'ETHUSDT'] });   // an array becomes "BTCUSDT,ETHUSDT"
await fetch(`${base}/api/v3/ticker/price?${params}`);""",
     -1100, "param-malformed", "curl", curl("GET", "/api/v3/ticker/price", q.replace(",", "%2C"), ()))
q = enc([("symbol", "BTCUSDT"), ("interval", "1min"), ("limit", "100")])
case("ruby-kline-interval-1min", """conn.get('/api/v3/klines', symbol: 'BTCUSDT', interval: '1min', limit: 100)   # Faraday; Binance spells it 1m""",
     -1120, "param-malformed", "curl", curl("GET", "/api/v3/klines", q, ()))

q = enc([("timestamp", TS)])
case("python-requests-post-account", """r = requests.post(f"{BASE}/api/v3/account", params=signed({}), headers={"X-MBX-APIKEY": KEY})
# copied from the order call: the account is read with GET""",
     -405, "path-unknown", "curl", curl("POST", "/api/v3/account", q + "&signature=" + mac(q)))
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
case("bash-open-orders-lower-case-path", """curl -H "X-MBX-APIKEY: $KEY" "$BASE/api/v3/openorders?$query&signature=$sig"   # paths are case-sensitive""",
     -404, "path-unknown", "curl", curl("GET", "/api/v3/openorders", q + "&signature=" + mac(q)))
q = enc([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.01"), ("timestamp", TS)])
case("js-axios-get-new-order", """const { data } = await axios.get(`${base}/api/v3/order?${query}&signature=${sig}`, { headers });
// one helper for every signed call, always GET: GET /api/v3/order queries an order""",
     -1104, "method-wrong", "curl", curl("GET", "/api/v3/order", q + "&signature=" + mac(q)))

q = enc([("symbol", "BTCUSDT")])
case("python-ported-from-bybit", """headers = {"X-BAPI-API-KEY": api_key, "X-BAPI-TIMESTAMP": ts, "X-BAPI-RECV-WINDOW": "5000",
           "X-BAPI-SIGN": hmac.new(secret, (ts + api_key + "5000" + query).encode(), hashlib.sha256).hexdigest()}
requests.get(BINANCE + "/api/v3/openOrders?" + query, headers=headers)   # the Bybit client, pointed at Binance""",
     -2014, "other-exchange-headers", "curl",
     curl("GET", "/api/v3/openOrders", q, (("X-BAPI-API-KEY", KEY), ("X-BAPI-TIMESTAMP", str(TS)), ("X-BAPI-RECV-WINDOW", "5000"),
                                           ("X-BAPI-SIGN", mac(str(TS) + KEY + "5000" + q)))))

q = enc([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.01"), ("timestamp", TS)])
case("httpie-data-fields-sent-as-json", """# HTTPie sends name=value items as a JSON object unless --form is given
http POST https://api.binance.com/api/v3/order X-MBX-APIKEY:$KEY symbol=BTCUSDT side=BUY type=MARKET quantity=0.01 timestamp=$TS signature=$SIG""",
     -1102, "json-body", "curl",
     f"http POST {API}/api/v3/order X-MBX-APIKEY:{KEY} symbol=BTCUSDT side=BUY type=MARKET quantity=0.01 timestamp={TS} signature={mac(q)}")

# ---------- parameters sent as multipart/form-data parts ----------
def multipart(fields, boundary):
    return "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields) + f"--{boundary}--\r\n"
q = enc([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.01"), ("timestamp", TS)])
case("bash-curl-form-fields", """# -F sends a multipart/form-data body (made for file uploads); -d sends the form Binance reads
curl -H "X-MBX-APIKEY: $KEY" https://api.binance.com/api/v3/order -F symbol=BTCUSDT -F side=BUY -F type=MARKET \\
     -F quantity=0.01 -F timestamp=$ts -F signature=$(echo -n "$query" | openssl dgst -sha256 -hmac "$SECRET" | cut -d' ' -f2)""",
     -1102, "body-multipart", "curl",
     f"curl -s -H 'X-MBX-APIKEY: {KEY}' {API}/api/v3/order -F symbol=BTCUSDT -F side=BUY -F type=MARKET -F quantity=0.01 "
     f"-F timestamp={TS} -F signature={mac(q)}")
fields = ORDER + [("timestamp", TS)]
b = enc(fields)
bd = "------------------------" + uid("php-postfields")[:16].replace("-", "0")
body = multipart(fields + [("signature", mac(b))], bd)
case("php-curl-postfields-array", """$params['timestamp'] = round(microtime(true) * 1000);
$params['signature'] = hash_hmac('sha256', http_build_query($params), $secret);
curl_setopt($ch, CURLOPT_POSTFIELDS, $params);   // an array: libcurl sends multipart/form-data, not http_build_query's text""",
     -1102, "body-multipart", "http",
     http("POST", "/api/v3/order", "", headers=(("X-MBX-APIKEY", KEY), ("Accept", "*/*"),
                                                ("Content-Type", f"multipart/form-data; boundary={bd}")), body=body))
fields = [("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "MARKET"), ("quantity", "0.01"), ("timestamp", TS)]
b = enc(fields)
bd = "----formdata-undici-0" + str(int(uid("undici")[:8], 16)).rjust(11, "0")[:11]
body = multipart(fields + [("signature", mac(b + "&"))], bd)
case("js-fetch-formdata", """const form = new FormData();
for (const [k, v] of Object.entries({ ...params, signature: sign(qs + '&') })) form.append(k, v);   // a stray '&' signed too
await fetch(`${BASE}/api/v3/order`, { method: 'POST', headers: { 'X-MBX-APIKEY': key }, body: form });   // multipart""",
     -1102, "body-multipart", "http",
     http("POST", "/api/v3/order", "", headers=(("X-MBX-APIKEY", KEY), ("Content-Type", f"multipart/form-data; boundary={bd}"),
                                                ("Accept", "*/*"), ("User-Agent", "node")), body=body))
fields = [("symbol", "BTCUSDT"), ("orderId", "28"), ("timestamp", TS)]
b = enc(fields)
e = har_entry("DELETE", f"{API}/api/v3/order", postman_headers([("X-MBX-APIKEY", KEY)], "postman-form-data") +
              [("Content-Type", "multipart/form-data; boundary=--------------------------" + str(int(uid("pm")[:8], 16)).rjust(24, "0")[:24])],
              body="", status=400, response=error_body(-1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed."))
e["request"]["postData"] = {"mimeType": "multipart/form-data",
                            "params": [{"name": k, "value": str(v)} for k, v in fields + [("signature", mac(b))]]}
e["request"]["headers"] = [h for h in e["request"]["headers"] if h["name"] != "Content-Type"]
case("postman-form-data-body", """# Postman: DELETE {{url}}/api/v3/order, Body tab: form-data (the x-www-form-urlencoded tab was meant)
# symbol=BTCUSDT, orderId=28, timestamp={{timestamp}}, signature={{signature}} (the pre-request script signs them right)""",
     -1102, "body-multipart", "har", har([e], creator=POSTMAN))

# ---------- WebSocket API params encoded twice ----------
pairs = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.01"), ("apiKey", KEY), ("timestamp", TS)]
params = dict(pairs + [("signature", mac(ws_payload(pairs)))])
case("python-ws-params-encoded-twice", """params["signature"] = sign(params)
await ws.send(json.dumps({"id": str(uuid.uuid4()), "method": "order.place", "params": json.dumps(params)}))   # a string inside""",
     -1135, "frame-not-json", "ws",
     json.dumps({"id": uid("py-twice"), "method": "order.place", "params": json.dumps(params)}))

# ---------- a form body sent with a JSON Content-Type ----------
b = enc(ORDER + [("timestamp", TS)])
case("js-axios-form-string-json-header", """const body = qs.stringify({ ...params, signature: sign(qs.stringify(params)) });
await axios.post(`${BASE}/api/v3/order`, body, { headers: { 'X-MBX-APIKEY': key, 'Content-Type': 'application/json' } });""",
     -1102, "body-not-form", "http",
     http("POST", "/api/v3/order", "", headers=(("X-MBX-APIKEY", KEY), ("Content-Type", "application/json"), ("Accept", "application/json, text/plain, */*")),
          body=f"{b}&signature={mac(b)}"))

# ---------- the time read twice; a parameter added after signing ----------
q_signed = enc([("symbol", "BTCUSDT"), ("timestamp", TS - 2)])
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
case("python-timestamp-read-twice", """signature = sign(f"symbol=BTCUSDT&timestamp={int(time.time() * 1000)}")
url = f"{BASE}/api/v3/openOrders?symbol=BTCUSDT&timestamp={int(time.time() * 1000)}&signature={signature}"   # a second clock read""",
     -1022, "signed-other-timestamp", "curl", curl("GET", "/api/v3/openOrders", f"{q}&signature={mac(q_signed)}"))
signed_part = ORDER + [("timestamp", TS)]
sent = ORDER + [("newOrderRespType", "FULL"), ("timestamp", TS)]
case("js-param-added-after-signing", """const signature = sign(new URLSearchParams(params).toString());
params.newOrderRespType = 'FULL';   // added by a wrapper after the signature was made
const query = new URLSearchParams({ ...params, timestamp }).toString();   // (timestamp was in params already)""",
     -1022, "signed-before-param", "curl", curl("POST", "/api/v3/order", f"{enc(sent)}&signature={mac(enc(signed_part))}"))
pairs = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.01"), ("apiKey", KEY), ("timestamp", TS)]
signed_pairs = [p for p in pairs if p[0] != "quantity"]
case("go-ws-quantity-set-after-signing", """params := map[string]string{"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "apiKey": key, "timestamp": ts}
params["signature"] = sign(params)
params["quantity"] = qty   // set by the caller after the helper signed""",
     -1022, "signed-before-param", "ws",
     frame(uid("go-ws-after"), "order.place", pairs + [("signature", mac(ws_payload(signed_pairs)))]))

# ---------- '&amp;' sent for '&' ----------
q = enc([("symbol", "BTCUSDT"), ("orderId", "28"), ("timestamp", TS)])
case("csharp-xml-escaped-url", """// the URL kept in app.config (XML), where & must be written &amp;, and read back with the escapes left in
var url = ConfigurationManager.AppSettings["OrderUrl"] + "&amp;signature=" + Sign(query);   // "...?symbol=BTCUSDT&amp;orderId=28&amp;timestamp=..." """,
     -1102, "html-mangled-ampersand", "curl", curl("GET", "/api/v3/order", q.replace("&", "&amp;") + f"&amp;signature={mac(q)}"))

# ---------- WebSocket API sessions: logon with an HMAC key, the user data stream without logon ----------
pairs = [("apiKey", KEY), ("timestamp", TS)]
case("python-ws-logon-hmac-key", """params = {"apiKey": API_KEY, "timestamp": now_ms()}
params["signature"] = hmac.new(SECRET, urlencode(sorted(params.items())).encode(), sha256).hexdigest()
await ws.send(json.dumps({"id": str(uuid.uuid4()), "method": "session.logon", "params": params}))   # an HMAC key: Ed25519 only""",
     -1022, "logon-key-not-ed25519", "ws",
     frame(uid("py-logon-hmac"), "session.logon", pairs + [("signature", mac(ws_payload(pairs)))], "python"))
case("js-ws-user-data-without-logon", """ws.on('open', () => ws.send(JSON.stringify({ id: randomUUID(), method: 'userDataStream.subscribe' })));
// no session.logon first (nor userDataStream.subscribe.signature with apiKey, timestamp and signature)""",
     -1002, "session-not-logged-on", "ws", json.dumps({"id": uid("js-uds"), "method": "userDataStream.subscribe"}, separators=(",", ":")))

# ---------- a time unit Binance does not have ----------
q = enc([("omitZeroBalances", "true"), ("timestamp", TS)])
case("python-time-unit-second", """session.headers.update({"X-MBX-APIKEY": KEY, "X-MBX-TIME-UNIT": "SECOND"})   # MILLISECOND or MICROSECOND only
r = session.get(f"{BASE}/api/v3/account", params=signed({"omitZeroBalances": "true"}))""",
     -1194, "time-unit-invalid", "curl",
     curl("GET", "/api/v3/account", f"{q}&signature={mac(q)}", (("X-MBX-APIKEY", KEY), ("X-MBX-TIME-UNIT", "SECOND"))))

# ---------- a boolean written as a number; an order named by neither id ----------
q = enc([("omitZeroBalances", "1"), ("timestamp", TS)])
case("js-omit-zero-balances-one", """const query = new URLSearchParams({ omitZeroBalances: Number(true), timestamp: Date.now() });   // "1", not "true"
await fetch(`${BASE}/api/v3/account?${query}&signature=${sign(query.toString())}`, { headers });""",
     -1130, "param-malformed", "curl", curl("GET", "/api/v3/account", f"{q}&signature={mac(q)}"))
q = enc([("symbol", "BTCUSDT"), ("clientOrderId", "my-order-1"), ("timestamp", TS)])
case("go-query-order-by-client-order-id", """params.Set("symbol", "BTCUSDT")
params.Set("clientOrderId", id)   // the new order's field name; a query names it origClientOrderId""",
     -1104, "param-not-read", "curl", curl("GET", "/api/v3/order", f"{q}&signature={mac(q)}"))

# ---------- tickers' and klines' values ----------
q = enc([("symbol", "BTCUSDT"), ("windowSize", "60m")])
case("rust-reqwest-window-size-60m", """let resp = client.get(format!("{BASE}/api/v3/ticker"))
    .query(&[("symbol", "BTCUSDT"), ("windowSize", "60m")])   // minutes stop at 59m: one hour is 1h
    .send().await?;""",
     -1130, "param-malformed", "curl", curl("GET", "/api/v3/ticker", q, ()))
q = enc([("symbol", "BTCUSDT"), ("type", "mini")])
case("perl-lwp-ticker-type-lower-case", """my $res = $ua->get("$base/api/v3/ticker/24hr?symbol=BTCUSDT&type=mini");   # FULL or MINI, upper case""",
     -1139, "param-malformed", "curl", curl("GET", "/api/v3/ticker/24hr", q, ()))
q = enc([("symbol", "BTCUSDT"), ("interval", "1d"), ("timeZone", "Asia/Shanghai")])
case("kotlin-klines-time-zone-name", """val url = "$base/api/v3/klines?symbol=BTCUSDT&interval=1d&timeZone=${URLEncoder.encode(zone.id, UTF_8)}"   // an offset, not a zone name""",
     -1130, "param-malformed", "curl", curl("GET", "/api/v3/klines", q, ()))

# ---------- lists spread by HTTP libraries; a half-hour time zone ----------
q = "symbols%5B0%5D=BTCUSDT&symbols%5B1%5D=ETHUSDT"
case("php-http-build-query-symbols-array", """$query = http_build_query(['symbols' => ['BTCUSDT', 'ETHUSDT']]);   // symbols[0]=...&symbols[1]=...
$prices = json_decode(file_get_contents("$base/api/v3/ticker/price?$query"), true);""",
     -1104, "param-not-read", "curl", curl("GET", "/api/v3/ticker/price", q, ()))
q = enc([("symbols", "BTCUSDT"), ("symbols", "ETHUSDT")])
case("python-requests-symbols-list", """r = requests.get(f"{BASE}/api/v3/ticker/24hr", params={"symbols": ["BTCUSDT", "ETHUSDT"]})   # the name repeated""",
     -1101, "param-duplicated", "curl", curl("GET", "/api/v3/ticker/24hr", q, ()))
q = enc([("timestamp", NOW + 5 * 3_600_000 + 1_800_000 - 350)])
case("python-local-time-india", """# in Asia/Kolkata (UTC+5:30): the local wall clock read as if it were UTC
ts = int(datetime.now().replace(tzinfo=timezone.utc).timestamp() * 1000)""",
     -1021, "timestamp-time-zone", "curl", curl("GET", "/api/v3/account", f"{q}&signature={mac(q)}"))

# ---------- parameters the docs allow in no combination ----------
q = enc([("symbol", "BTCUSDT"), ("fromId", "1200"), ("startTime", TS - 3_600_000), ("timestamp", TS)])
case("go-my-trades-from-id-and-start-time", """params.Set("fromId", "1200")                                      // page on from the last id seen,
params.Set("startTime", strconv.FormatInt(since.UnixMilli(), 10))   // and within the last hour: one or the other""",
     -1128, "param-combination", "curl", curl("GET", "/api/v3/myTrades", f"{q}&signature={mac(q)}"))
q = enc([("symbol", "BTCUSDT"), ("symbols", '["BTCUSDT","ETHUSDT"]')])
case("ruby-ticker-symbol-and-symbols", """conn.get('/api/v3/ticker/price', symbol: 'BTCUSDT', symbols: '["BTCUSDT","ETHUSDT"]')   # one or the other""",
     -1128, "param-combination", "curl", curl("GET", "/api/v3/ticker/price", q, ()))

# ---------- the signature's place ----------
pairs = [("symbol", "BTCUSDT"), ("orderId", "28"), ("timestamp", TS)]
q = enc(sorted(pairs))   # what v.Encode() gives before the signature is set
sorted_q = enc(sorted(pairs + [("signature", mac(q))]))
case("go-url-values-encode-sorts-signature", """v := url.Values{}
v.Set("symbol", "BTCUSDT"); v.Set("orderId", "28"); v.Set("timestamp", ts)
v.Set("signature", sign(v.Encode()))
req, _ := http.NewRequest("DELETE", base+"/api/v3/order?"+v.Encode(), nil)   // Encode sorts: signature lands before symbol""",
     -1022, "signature-not-last", "curl", curl("DELETE", "/api/v3/order", sorted_q))
q = enc([("timestamp", TS)])
case("python-aiohttp-base-url-leading-slash", """async with aiohttp.ClientSession(base_url="https://api.binance.com/api/v3/") as s:
    r = await s.get("/account", params=signed(params), headers={"X-MBX-APIKEY": API_KEY})   # '/account' drops /api/v3/""",
     -404, "path-unknown", "curl", curl("GET", "/account", f"{q}&signature={mac(q)}"))
q = enc([("timestamp", TS + 62_135_596_800_000)])
case("csharp-ticks-per-millisecond", """long timestamp = DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond;   // milliseconds since the year 1""",
     -1021, "timestamp-ahead", "curl", curl("GET", "/api/v3/account", f"{q}&signature={mac(q)}"))
written = ORDER + [("timestamp", TS)]
sent_sorted = enc(sorted(written))
case("go-signs-written-sends-url-values-encode", """payload := "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=30000&timestamp=" + ts
v, _ := url.ParseQuery(payload)                        // to a url.Values, then
req.URL.RawQuery = v.Encode() + "&signature=" + sign(payload)   // Encode sorts by name: not what was signed""",
     -1022, "sent-sorted-params", "curl", curl("POST", "/api/v3/order", f"{sent_sorted}&signature={mac(enc(written))}"))
sent_q = enc([("omitZeroBalances", "true"), ("timestamp", TS)])
case("python-httpx-signs-python-bool", """params = {"omitZeroBalances": True, "timestamp": ts}
params["signature"] = hmac.new(SECRET, urlencode(params).encode(), sha256).hexdigest()   # signs 'True'
r = httpx.get(f"{BASE}/api/v3/account", params=params, headers=headers)                   # httpx sends 'true'""",
     -1022, "signed-other-value-text", "curl",
     curl("GET", "/api/v3/account", f"{sent_q}&signature={mac(enc([('omitZeroBalances', 'True'), ('timestamp', TS)]))}"))
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
signed_hex = "".join(format(b, "x") if b < 128 else "-" + format(256 - b, "x") for b in bytes.fromhex(mac(q)))
case("apps-script-signed-bytes-hex", """var bytes = Utilities.computeHmacSha256Signature(query, secret);   // bytes from -128 to 127
var signature = bytes.map(function (b) { return b.toString(16); }).join('');   // '-4a' for 0xb6""",
     -1022, "signature-not-bare", "curl", curl("GET", "/api/v3/openOrders", f"{q}&signature={signed_hex}"))
legs = [("symbol", "BTCUSDT"), ("side", "SELL"), ("quantity", "0.01"),
        ("aboveParams", {"type": "LIMIT_MAKER", "price": "32000"}),
        ("belowParams", {"type": "STOP_LOSS", "stopPrice": "28000"}),
        ("apiKey", KEY), ("timestamp", TS)]
nested_payload = ws_payload([(k, json.dumps(v, separators=(",", ":")) if isinstance(v, dict) else v) for k, v in legs])
case("python-ws-oco-nested-legs", """params = {"symbol": "BTCUSDT", "side": "SELL", "quantity": "0.01",
          "aboveParams": {"type": "LIMIT_MAKER", "price": "32000"},     # legs as nested objects:
          "belowParams": {"type": "STOP_LOSS", "stopPrice": "28000"},   # the method takes aboveType, abovePrice...
          "apiKey": API_KEY, "timestamp": now_ms()}""",
     -1022, "params-nested", "ws",
     frame(uid("py-oco-nested"), "orderList.place.oco", legs + [("signature", mac(nested_payload))], "python"))
inner = [("symbol", "BTCUSDT"), ("apiKey", KEY), ("timestamp", TS)]
case("java-ws-params-wrapped-twice", """JSONObject params = new JSONObject().put("symbol", "BTCUSDT").put("apiKey", apiKey).put("timestamp", ts).put("signature", sig);
JSONObject request = new JSONObject().put("id", id).put("method", "openOrders.status").put("params", new JSONObject().put("params", params));   // wrapped twice""",
     -1102, "params-nested", "ws",
     frame(uid("java-wrapped"), "openOrders.status", [("params", dict(inner + [("signature", mac(ws_payload(inner)))]))]))
q = enc(ORDER + [("timestamp", TS)])
both = f"{q}&signature={mac(q)}"
case("php-query-and-postfields-both", """$query = http_build_query($params) . '&signature=' . $signature;
curl_setopt($ch, CURLOPT_URL, "$base/api/v3/order?$query");
curl_setopt($ch, CURLOPT_POSTFIELDS, $query);   // the same parameters posted again
# Binance reads a parameter sent in both from the query string (rest-api.md), the signature too,
# and verifies it over the query string and the body: the parameters twice, not what was signed.""",
     -1022, "param-duplicated", "http",
     http2("POST", "/api/v3/order", both, [("X-MBX-APIKEY", KEY), ("Content-Type", "application/x-www-form-urlencoded")], both))
pairs = [("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "MARKET"), ("quantity", "0.002"), ("apiKey", KEY), ("timestamp", TS)]
as_json = json.dumps({k: (v if k != "timestamp" else int(v)) for k, v in pairs}, separators=(",", ":"))
case("js-ws-signs-json-stringify", """const params = { symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.002', apiKey: KEY, timestamp: Date.now() };
params.signature = createHmac('sha256', SECRET).update(JSON.stringify(params)).digest('hex');   // JSON, not name=value""",
     -1022, "signed-json", "ws",
     frame(uid("js-ws-json"), "order.place", [(k, int(v) if k == "timestamp" else v) for k, v in pairs] + [("signature", mac(as_json))]))
q = enc([("symbol", "BTCUSDT"), ("recvWindow", "5"), ("timestamp", TS)])
case("rust-ureq-recv-window-seconds", """let query = format!("symbol=BTCUSDT&recvWindow=5&timestamp={}", now_ms());   // 5 meant as seconds""",
     -1021, "timestamp-too-old", "curl", curl("GET", "/api/v3/openOrders", f"{q}&signature={mac(q)}"))
q = enc([("timestamp", TS)])
case("js-undici-api-key-undefined", """const { body } = await request(`${BASE}/api/v3/account?${query}&signature=${sig}`, {
  headers: { 'X-MBX-APIKEY': process.env.BINANCE_KEY } })   // unset: undici writes 'undefined'""",
     -2014, "key-empty", "curl", curl("GET", "/api/v3/account", f"{q}&signature={mac(q)}", headers=(("X-MBX-APIKEY", "undefined"),)))

# ---------- the signature's bytes, the hash, the key, as the doctor probe of 2026-12-05 wrote them ----------
q = enc(ORDER + [("timestamp", TS)])
raw = hmac.new(SECRET.encode(), q.encode(), hashlib.sha256).digest()
case("php-hash-hmac-raw-output", """$signature = hash_hmac('sha256', $query, $secret, true);   // true: the raw 32 bytes, not hex
curl_setopt($ch, CURLOPT_POSTFIELDS, $query . '&signature=' . urlencode($signature));""",
     -1022, "signature-not-bare", "curl", curl("POST", "/api/v3/order", "", body=f"{q}&signature={urllib.parse.quote_plus(raw)}"))
q = enc([("timestamp", TS)])
case("python-hmac-sha512", """signature = hmac.new(secret.encode(), query.encode(), hashlib.sha512).hexdigest()   # SHA-512: 128 hex digits""",
     -1022, "signature-wrong-length", "curl",
     curl("GET", "/api/v3/account", f"{q}&signature={hmac.new(SECRET.encode(), q.encode(), hashlib.sha512).hexdigest()}"))
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
case("php-hash-hmac-sha1", """$signature = hash_hmac('sha1', $query, $secret);   // 40 hex digits""",
     -1022, "signature-wrong-length", "curl",
     curl("GET", "/api/v3/openOrders", f"{q}&signature={hmac.new(SECRET.encode(), q.encode(), hashlib.sha1).hexdigest()}"))
q = enc([("timestamp", TS)])
case("python-secret-crlf-rstrip-newline", """secret = open("secret.txt").read().rstrip("\\n")   # the file was saved on Windows: '\\r' stays""",
     -1022, "secret-with-newline", "curl", curl("GET", "/api/v3/account", f"{q}&signature={mac(q, SECRET + chr(13))}"))
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
case("go-hex-decode-string-secret", """key, _ := hex.DecodeString(secret)   // not hex: the error is dropped, key is empty
mac := hmac.New(sha256.New, key)""",
     -1022, "secret-empty", "curl", curl("GET", "/api/v3/openOrders", f"{q}&signature={mac(q, b'')}"))
def pack_h(text):
    nib = lambda c: ((ord(c) & 15) + 9) & 15 if c.isalpha() else ord(c) & 15
    return bytes((nib(text[i]) << 4) | (nib(text[i + 1]) if i + 1 < len(text) else 0) for i in range(0, len(text), 2))
q = enc([("timestamp", TS)])
case("ruby-pack-hex-secret", """key = [secret].pack('H*')   # reads the secret's letters as hex digits
signature = OpenSSL::HMAC.hexdigest('SHA256', key, query)""",
     -1022, "secret-hex-decoded", "curl", curl("GET", "/api/v3/account", f"{q}&signature={mac(q, pack_h(SECRET))}"))
q = enc([("recvWindow", 0), ("timestamp", TS)])
case("go-struct-recv-window-zero", """type AccountReq struct {
    RecvWindow int64 `url:"recvWindow"`   // no omitempty: an unset field is sent as recvWindow=0
    Timestamp  int64 `url:"timestamp"`
}""",
     -1021, "timestamp-too-old", "curl", curl("GET", "/api/v3/account", f"{q}&signature={mac(q)}"))
q = f"timestamp={TS // 1000}%3N"
case("bash-macos-date-percent-3n", """query="timestamp=$(date +%s%3N)"   # macOS date has no %N: prints 1499827319%3N""",
     -1100, "timestamp-malformed", "curl", curl("GET", "/api/v3/account", f"{q}&signature={mac(q)}"))
q = enc(ORDER + [("timestamp", TS)])
case("python-ed25519-str-of-b64encode", """signature = str(base64.b64encode(private_key.sign(query.encode())))   # "b'...'": no .decode()""",
     -1022, "signature-not-bare", "curl",
     curl("POST", "/api/v3/order", f"{q}&signature={pct(str(base64.b64encode(ed25519_raw(q))))}"), key="ed25519")
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
wrapped = base64.encodebytes(rsa_raw(q)).decode()   # lines of 76 characters, as openssl base64 wraps at 64
case("bash-openssl-base64-wrapped-rsa", """signature=$(echo -n "$query" | openssl dgst -sha256 -sign private.pem | openssl base64)   # wrapped lines
curl -H "X-MBX-APIKEY: $apiKey" "$url?$query&signature=$(urlencode "$signature")\"""",
     -1022, "signature-not-bare", "curl", curl("GET", "/api/v3/openOrders", f"{q}&signature={pct(wrapped)}"), key="rsa")
written = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.01"),
           ("price", "30000"), ("newClientOrderId", "None"), ("timestamp", TS)]
sent = [kv for kv in written if kv[0] != "newClientOrderId"]
case("python-requests-drops-none-param", """params = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.01",
          "price": "30000", "newClientOrderId": client_id, "timestamp": ts}   # client_id is None
query = "&".join(f"{k}={v}" for k, v in params.items())                    # signs newClientOrderId=None
r = requests.post(URL, params={**params, "signature": sign(query)})          # requests leaves out None""",
     -1022, "signed-dropped-param", "curl", curl("POST", "/api/v3/order", f"{enc(sent)}&signature={mac(enc(written))}"))
pairs = [("apiKey", KEY), ("omitZeroBalances", True), ("timestamp", TS)]
py_payload = "&".join(f"{k}={v}" for k, v in sorted(pairs))
case("python-ws-signs-python-bool", """params = {"apiKey": KEY, "omitZeroBalances": True, "timestamp": ts}
payload = "&".join(f"{k}={v}" for k, v in sorted(params.items()))   # 'omitZeroBalances=True'; the frame says true""",
     -1022, "signed-other-value-text", "ws", frame(uid("py-ws-bool"), "account.status", pairs + [("signature", mac(py_payload))], "python"))

# ---------- a number signed in another text than sent (probe of 2026-12-05) ----------
sent = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.0001"), ("timestamp", TS)]
signed_text = enc(sent).replace("quantity=0.0001", "quantity=1.0E-4")
case("java-double-tostring-signed", """double qty = 0.0001;
String toSign = "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=" + qty + "&timestamp=" + ts;   // "1.0E-4"
String body = "...&quantity=" + new BigDecimal("0.0001").toPlainString() + ...;                // "0.0001" sent""",
     -1022, "signed-other-value-text", "curl", curl("POST", "/api/v3/order", "", body=f"{enc(sent)}&signature={mac(signed_text)}"))
pairs = [("apiKey", KEY), ("quantity", 1.0), ("side", "BUY"), ("symbol", "BTCUSDT"), ("timestamp", TS), ("type", "MARKET")]
signed_ws = "&".join(f"{k}={'1.00' if k == 'quantity' else ws_text(v)}" for k, v in sorted(pairs))
case("ruby-ws-float-signed-two-decimals", """params = { apiKey: KEY, quantity: 1.0, side: "BUY", symbol: "BTCUSDT", timestamp: ts, type: "MARKET" }
payload = params.sort.map { |k, v| "#{k}=#{v.is_a?(Float) ? format('%.2f', v) : v}" }.join("&")   # quantity=1.00
ws.send({ id: 1, method: "order.place", params: params.merge(signature: sign(payload)) }.to_json)  # sends 1.0""",
     -1022, "signed-other-value-text", "ws", frame(uid("rb-ws-float"), "order.place", pairs + [("signature", mac(signed_ws))]))

# ---------- captures read since session 36: mitmdump, Go's %+v ----------
params = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.01"),
          ("price", "30000"), ("newClientOrderId", "grid:7/buy"), ("timestamp", TS)]
raw_text = "&".join(f"{k}={v}" for k, v in params)
body = f"{enc(params)}&signature={mac(raw_text)}"
table = "\n".join(f"    {k + ':':<18}{v}" for k, v in params + [("signature", mac(raw_text))])
mitm = f"""[10:15:19.601][127.0.0.1:50412] client connect
127.0.0.1:50412: POST https://api.binance.com/api/v3/order
    Host: api.binance.com
    User-Agent: python-requests/2.32.3
    Accept-Encoding: gzip, deflate
    Accept: */*
    Connection: keep-alive
    X-MBX-APIKEY: {KEY}
    Content-Length: {len(body)}
    Content-Type: application/x-www-form-urlencoded

{table}

 << 400 Bad Request 63b
    Content-Type: application/json;charset=UTF-8
    Content-Length: 63

    {{
        "code": -1022,
        "msg": "Signature for this request is not valid."
    }}
"""
case("python-requests-mitmdump-signed-unencoded", """query = "&".join(f"{k}={v}" for k, v in params.items())   # newClientOrderId=grid:7/buy, as written
r = requests.post(URL, data={**params, "signature": sign(query)}, headers=headers)   # requests sends grid%3A7%2Fbuy
# captured with: mitmdump --flow-detail 3 (the form shown decoded)""",
     -1022, "signed-unencoded", "http", mitm)
q = enc([("apiKey", KEY), ("timestamp", TS)])
go = (f"2017/07/12 03:21:59 &{{Method:GET URL:https://api.binance.com/api/v3/account?{q}&signature={mac(q)} Proto:HTTP/1.1 "
      "ProtoMajor:1 ProtoMinor:1 Header:map[Content-Type:[application/json]] Body:<nil> GetBody:<nil> ContentLength:0 "
      "TransferEncoding:[] Close:false Host:api.binance.com Form:map[] PostForm:map[] MultipartForm:<nil> Trailer:map[] "
      "RemoteAddr: RequestURI: TLS:<nil> Cancel:<nil> Response:<nil> Pattern: ctx:0xc000096000}")
case("go-printf-request-key-in-query", """q := url.Values{}
q.Set("apiKey", apiKey)   // the key as a parameter, no X-MBX-APIKEY header
q.Set("timestamp", strconv.FormatInt(time.Now().UnixMilli(), 10))
req.URL.RawQuery = q.Encode() + "&signature=" + sign(q.Encode())
log.Printf("%+v", req)""",
     -2014, "key-as-parameter", "http", go)

# ---------- round 3 of failing clients (session 36) ----------
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
case("java-secret-file-with-bom", """String secret = Files.readString(Path.of("secret.txt")).strip();   // saved by Notepad as UTF-8 with BOM:
Mac mac = Mac.getInstance("HmacSHA256");                              // strip() keeps the leading U+FEFF
mac.init(new SecretKeySpec(secret.getBytes(UTF_8), "HmacSHA256"));""",
     -1022, "secret-with-bom", "curl", curl("GET", "/api/v3/openOrders", f"{q}&signature={mac(q, chr(0xFEFF) + SECRET)}"))
params = [("symbol", "ETHBTC"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.01"),
          ("price", "0.30000000000000004"), ("timestamp", TS)]
case("js-float-price-printed-in-full", """const price = 0.1 + 0.2;                       // 0.30000000000000004
const query = new URLSearchParams({ symbol: "ETHBTC", side: "BUY", type: "LIMIT", timeInForce: "GTC",
  quantity: "0.01", price: String(price), timestamp: Date.now() }).toString();""",
     -1111, "param-malformed", "curl", curl("POST", "/api/v3/order", signed(params)))
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
case("python-signs-a-public-endpoint", """params = {"symbol": "BTCUSDT", "timestamp": int(time.time() * 1000)}
params["signature"] = sign(urlencode(params))   # the same helper as for orders: ticker/price takes no signature
requests.get(BASE + "/api/v3/ticker/price", params=params)""",
     -1104, "param-not-read", "curl", curl("GET", "/api/v3/ticker/price", f"{q}&signature={mac(q)}", headers=()))

q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
full = f"http://127.0.0.1:9900/api/v3/openOrders?{q}"
case("python-signs-full-sandbox-url", """url = f"{BASE}/api/v3/openOrders?{query}"            # BASE = "http://127.0.0.1:9900" (the sandbox)
sig = hmac.new(SECRET.encode(), url.encode(), hashlib.sha256).hexdigest()   # the whole URL signed""",
     -1022, "signed-path", "curl", f"curl -s -H 'X-MBX-APIKEY: {KEY}' '{full}&signature={mac(full)}'")
q = enc([("symbol", "BNBUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.1"), ("timestamp", TS)])
case("php-loop-appends-ampersand", """$query = '';
foreach ($params as $k => $v) { $query .= $k . '=' . $v . '&'; }      // ends with '&'
$signature = hash_hmac('sha256', $query, $secret);
curl_setopt($ch, CURLOPT_POSTFIELDS, rtrim($query, '&') . '&signature=' . $signature);""",
     -1022, "signed-extra-separator", "curl", curl("POST", "/api/v3/order", "", body=f"{q}&signature={mac(q + '&')}"))
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
utf16 = hmac.new(SECRET.encode(), q.encode("utf-16-le"), hashlib.sha256).hexdigest()
case("csharp-encoding-unicode-payload", """var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
var hash = hmac.ComputeHash(Encoding.Unicode.GetBytes(query));   // Encoding.Unicode is UTF-16LE""",
     -1022, "signed-utf16", "curl", curl("GET", "/api/v3/openOrders", f"{q}&signature={utf16}"))
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
case("js-ed25519-signs-hex-of-payload", """const data = Buffer.from(Buffer.from(query).toString('hex'));   // the hex text, not the bytes
const signature = crypto.sign(null, data, privateKey).toString('base64');""",
     -1022, "signed-payload-hex", "curl", curl("GET", "/api/v3/openOrders", f"{q}&signature={pct(ed25519(q.encode().hex()))}"), key="ed25519")

q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
case("js-ed25519-signature-uppercased", """const signature = crypto.sign(null, Buffer.from(query), privateKey).toString('base64');
url += `&signature=${encodeURIComponent(signature.toUpperCase())}`;   // copied from an HMAC helper that upper-cased hex""",
     -1022, "signature-case-changed", "curl", curl("GET", "/api/v3/openOrders", f"{q}&signature={pct(ed25519(q).upper())}"), key="ed25519")

# ---------- a program's own print of the request (read by its pieces) ----------
q = enc([("timestamp", f"{TS}.2915")])
case("python-aiohttp-request-info-float-timestamp", """params = {"timestamp": time.time() * 1000}              # a float: 1499827319559.2915
async with session.get(url, params={**params, "signature": sign(params)}) as r:
    print("request_info:", r.request_info)                # aiohttp's RequestInfo(url=URL(...), method=..., headers=...)""",
     -1100, "timestamp-malformed", "http",
     f"request_info: RequestInfo(url=URL('{API}/api/v3/account?{q}&signature={mac(q)}'), method='GET', "
     f"headers=<CIMultiDictProxy('Host': 'api.binance.com', 'X-MBX-APIKEY': '{KEY}', 'Accept': '*/*')>, "
     f"real_url=URL('{API}/api/v3/account?{q}&signature={mac(q)}'))")
q = enc([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0,00100"),
         ("price", "50000,00"), ("timestamp", TS)]).replace("%2C", ",")
case("java-tostring-german-locale-decimal-comma", """String query = String.format("symbol=BTCUSDT&...&quantity=%.5f&price=%.2f&timestamp=%d", qty, price, ts);  // Locale.GERMANY: 0,00100
HttpRequest req = HttpRequest.newBuilder(URI.create(BASE + "/api/v3/order?" + query + "&signature=" + sign(query))) ...;
System.out.println("request: " + req + " headers=" + req.headers().map());""",
     -1100, "param-malformed", "http",
     f"request: {API}/api/v3/order?{q}&signature={mac(q)} POST headers={{X-MBX-APIKEY=[{KEY}]}}")
q = enc([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "1.0E-5"), ("timestamp", TS)])
case("php-print-r-curl-getinfo-float-quantity", """$params = ['symbol' => 'BTCUSDT', 'side' => 'BUY', 'type' => 'MARKET', 'quantity' => 0.00001, 'timestamp' => $ts];
$query = http_build_query($params);                       // a float becomes '1.0E-5'
curl_setopt($ch, CURLINFO_HEADER_OUT, true); curl_exec($ch); print_r(curl_getinfo($ch));""",
     -1100, "param-malformed", "http",
     f"Array\n(\n    [url] => {API}/api/v3/order?{q}&signature={mac(q)}\n    [content_type] => application/json;charset=UTF-8\n"
     f"    [http_code] => 400\n    [request_header] => POST /api/v3/order?{q}&signature={mac(q)} HTTP/1.1\nHost: api.binance.com\n"
     f"Accept: */*\nX-MBX-APIKEY: {KEY}\n\n\n    [effective_method] => POST\n)\n")

q = enc([("timestamp", TS)])
# openssl pkeyutl -sign without a digest: PKCS#1 v1.5 type 1 padding around the data itself (private_encrypt).
raw_rsa = base64.b64encode(_openssl(["pkeyutl", "-sign", "-inkey", str(RSA_PEM)], q.encode())).decode()
case("ruby-rsa-private-encrypt", """key = OpenSSL::PKey::RSA.new(File.read("rsa-private.pem"))
signature = Base64.strict_encode64(key.private_encrypt(query))   # encrypts the text itself: no SHA-256""",
     -1022, "signed-rsa-raw", "curl", curl("GET", "/api/v3/account", f"{q}&signature={pct(raw_rsa)}"), key="rsa")

q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
case("c-hmac-key-length-sizeof-pointer", """const char *secret = getenv("BINANCE_API_SECRET");
unsigned char *mac = HMAC(EVP_sha256(), secret, sizeof(secret), (unsigned char *)query, strlen(query), NULL, NULL);
// sizeof(secret) is the size of the pointer (8), not the secret's length""",
     -1022, "secret-truncated", "curl", curl("GET", "/api/v3/openOrders", f"{q}&signature={mac(q, SECRET[:8])}"))
q = enc([("timestamp", (NOW & 0xFFFFFFFF))])
case("c-timestamp-in-an-int", """int ts = (int)(time(NULL) * 1000);          // overflows: the low 32 bits of the time in ms
snprintf(query, sizeof query, "timestamp=%d", ts);""",
     -1021, "timestamp-truncated", "curl", curl("GET", "/api/v3/account", f"{q}&signature={mac(q)}"))

# ---------- session 38: prints read by their pieces, source beside them, shapes of signatures ----------
q = "symbol=ETHUSDT&side=SELL&type=MARKET&quantity=0.05&timestamp=" + str(TS)
short_hex = "".join(format(b, "x") for b in bytes.fromhex(mac(q)))
case("vba-debug-print-hex-not-padded", """For i = LBound(b) To UBound(b): s = s & LCase(Hex(b(i))): Next i   ' Hex(5) is "5", not "05"
Debug.Print "POST https://api.binance.com/api/v3/order": Debug.Print "X-MBX-APIKEY: " & key: Debug.Print "body: " & body""",
     -1022, "signature-wrong-length", "http",
     f"POST {API}/api/v3/order\nX-MBX-APIKEY: {KEY}\nbody: {q}&signature={short_hex}\n"
     '400 {"code":-1022,"msg":"Signature for this request is not valid."}\n')
signed_q = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.002&price=58250.5&timestamp=" + str(TS)
sent_q = signed_q.replace(".", "%2e")
case("lua-print-body-label-dot-escaped", """enc[#enc+1] = p[1] .. "=" .. url.escape(p[2])     -- LuaSocket escapes '.' as %2e; the raw text is signed
print("POST " .. endpoint) print("X-MBX-APIKEY: " .. key) print("body: " .. body) print(code, table.concat(resp))""",
     -1022, "signed-other-encoding", "http",
     f"POST {API}/api/v3/order\nX-MBX-APIKEY: {KEY}\nbody: {sent_q}&signature={mac(signed_q)}\n"
     '400\t{"code":-1022,"msg":"Signature for this request is not valid."}\n')
params = [("price", "3850.10"), ("quantity", "0.25"), ("side", "SELL"), ("symbol", "ETHUSDT"), ("timeInForce", "GTC"),
          ("timestamp", TS), ("type", "LIMIT")]
sig = mac(enc(params))
body = enc(params[:3] + [("signature", sig)] + params[3:])
case("elixir-httpoison-inspect-map-sorted", """sig = :crypto.mac(:hmac, :sha256, secret, URI.encode_query(params)) |> Base.encode16(case: :lower)
HTTPoison.post!(@base <> "/api/v3/order", URI.encode_query(Map.put(params, :signature, sig)), [{"X-MBX-APIKEY", key}]) |> IO.inspect()""",
     -1022, "signature-not-last", "http",
     '# HTTPoison.post!(url, body, [{"X-MBX-APIKEY", key}, {"Content-Type", "application/x-www-form-urlencoded"}]) |> IO.inspect()\n'
     '%HTTPoison.Response{\n  status_code: 400,\n  body: "{\\"code\\":-1022,\\"msg\\":\\"Signature for this request is not valid.\\"}",\n'
     '  headers: [\n    {"Content-Type", "application/json;charset=UTF-8"},\n    {"Content-Length", "63"}\n  ],\n'
     f'  request_url: "{API}/api/v3/order",\n  request: %HTTPoison.Request{{\n    method: :post,\n    url: "{API}/api/v3/order",\n'
     f'    headers: [\n      {{"X-MBX-APIKEY", "{KEY}"}},\n      {{"Content-Type", "application/x-www-form-urlencoded"}}\n    ],\n'
     f'    body: "{body}",\n    params: %{{}}\n  }}\n}}\n')
q = enc([("timestamp", TS), ("omitZeroBalances", "true")])
case("haskell-print-request-show-quotes", """let sig = show (hmacGetDigest (hmac secret query :: HMAC SHA256))   -- show of a String adds quotes
req <- parseRequest ("https://api.binance.com/api/v3/account?" <> query <> "&signature=" <> sig); print req""",
     -1022, "signature-not-bare", "http",
     'Request {\n  host                 = "api.binance.com"\n  port                 = 443\n  secure               = True\n'
     f'  requestHeaders       = [("X-MBX-APIKEY","{KEY}")]\n  path                 = "/api/v3/account"\n'
     f'  queryString          = "?{q}&signature=%22{mac(q)}%22"\n  method               = "GET"\n}}\n')
ts_local = (NOW // 1000 + 7200) * 1000
q = enc([("timestamp", ts_local)])
case("powershell-header-table-local-seconds", """$ts = [int64](Get-Date -UFormat %s) * 1000     # Windows PowerShell 5.1: local wall-clock seconds
$headers = @{ 'X-MBX-APIKEY' = $apiKey }; $headers
Invoke-RestMethod -Uri "https://api.binance.com/api/v3/account?$query&signature=$sig" -Headers $headers -Verbose""",
     -1021, "timestamp-time-zone", "http",
     "PS C:\\bots> Get-Content .\\balance.ps1\n$headers = @{ 'X-MBX-APIKEY' = $apiKey }\n$headers\n"
     'Invoke-RestMethod -Uri "https://api.binance.com/api/v3/account?$query&signature=$sig" -Headers $headers -Verbose\n'
     "PS C:\\bots> .\\balance.ps1\n\nName                           Value\n----                           -----\n"
     f"X-MBX-APIKEY                   {KEY}\nVERBOSE: GET {API}/api/v3/account?{q}&signature={mac(q)} with 0-byte payload\n")
q = enc(ORDER + [("timestamp", TS)])
case("mql5-string-to-char-array-nul", """char data[]; StringToCharArray(body, data);   // copies the terminating zero too
WebRequest("POST", url, headers, 5000, data, result, resultHeaders);""",
     -1022, "signature-not-bare", "http",
     http("POST", "/api/v3/order", "", headers=(("X-MBX-APIKEY", KEY), ("Content-Type", "application/x-www-form-urlencoded")),
          body=f"{q}&signature={mac(q)}\0"))
q = enc([("timestamp", NOW * 10_000 + 4567)])
case("cpp-msvc-system-clock-ticks", """auto ts = std::chrono::system_clock::now().time_since_epoch().count();   // MSVC: 100 ns units""",
     -1021, "timestamp-nanoseconds", "curl", curl("GET", "/api/v3/account", f"{q}&signature={mac(q)}"))
q = enc(ORDER + [("timestamp", TS)])
case("fsharp-printed-request-with-source-correct", """req.Headers.Add("X-MBX-APIKEY", apiKey)
printfn "%O" req; printfn "body: %s" (content.ReadAsStringAsync().Result)""",
     0, "", "http",
     '// req.Headers.Add("X-MBX-APIKEY", apiKey)\n// printfn "%O" req; printfn "body: %s" body\n'
     f"Method: POST, RequestUri: '{API}/api/v3/order', Version: 1.1, Content: System.Net.Http.FormUrlEncodedContent, Headers:\n"
     f"{{\n  X-MBX-APIKEY: {KEY}\n  Content-Type: application/x-www-form-urlencoded\n}}\n"
     f"body: {q}&signature={mac(q).upper()}\n")

# ---------- session 38: automation tools' JSON, logs of URLs only ----------
q = enc([("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "MARKET"), ("quantity", "0.001"), ("recvWindow", "120000"), ("timestamp", TS)])
n8n_qs = ",\n".join(f'          "{k}": "{v}"' for k, v in [p.split("=") for p in f"{q}&signature={mac(q)}".split("&")])
case("n8n-http-node-error-recvwindow-too-large", """HTTP Request node: Send Query Parameters, recvWindow = 120000 (a value copied from a futures example)""",
     -1102, "recv-window-too-large", "http",
     '{\n  "errorMessage": "Bad request - please check your parameters",\n  "errorDetails": {\n    "rawErrorMessage": [\n'
     '      "400 - \\"{\\\\\\"code\\\\\\":-1102,\\\\\\"msg\\\\\\":\\\\\\"\'recvWindow\' contains unexpected value. Cannot be greater than 60000.\\\\\\"}\\""\n'
     '    ],\n    "httpCode": "400"\n  },\n  "n8nDetails": {\n    "nodeType": "n8n-nodes-base.httpRequest",\n    "cause": {\n      "options": {\n'
     f'        "headers": {{\n          "X-MBX-APIKEY": "{KEY}"\n        }},\n        "method": "POST",\n        "uri": "{API}/api/v3/order",\n'
     f'        "qs": {{\n{n8n_qs}\n        }},\n        "json": false\n      }}\n    }}\n  }}\n}}\n')
signed_raw = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.0015&price=70100&newClientOrderId=tv:BTC:long:1&timestamp=" + str(TS)
make_qs = ",\n".join(f'            {{\n                "name": "{k}",\n                "value": "{v}"\n            }}'
                     for k, v in [p.split("=", 1) for p in signed_raw.split("&")] + [("signature", mac(signed_raw))])
case("make-http-module-bundle-colon-signed-raw", """sha256(symbol=...&newClientOrderId=tv:BTC:long:1&timestamp=...; "hex"; secret)   // Make's HMAC over the raw text; its HTTP module encodes ':' in the query""",
     -1022, "signed-unencoded", "http",
     "The request failed due to failure of remote server. Status Code Error: 400\n\nINPUT\n[\n    {\n        \"qs\": [\n"
     f"{make_qs}\n        ],\n        \"url\": \"{API}/api/v3/order\",\n        \"method\": \"post\",\n"
     f"        \"headers\": [\n            {{\n                \"name\": \"X-MBX-APIKEY\",\n                \"value\": \"{KEY}\"\n            }}\n        ]\n    }}\n]\n\n"
     "OUTPUT\n[\n    {\n        \"data\": {\n            \"code\": -1022,\n            \"msg\": \"Signature for this request is not valid.\"\n        },\n        \"statusCode\": 400\n    }\n]\n")
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
case("python-urllib3-debug-url-only-newline-signed", """signature = hmac.new(secret, (query + "\\n").encode(), hashlib.sha256).hexdigest()   # the query read back from a file, with its newline
logging.basicConfig(level=logging.DEBUG)   # urllib3 logs the request line only""",
     -1022, "signed-trailing-newline", "http",
     "DEBUG:urllib3.connectionpool:Starting new HTTPS connection (1): api.binance.com:443\n"
     f'DEBUG:urllib3.connectionpool:https://api.binance.com:443 "GET /api/v3/openOrders?{q}&signature={mac(q + chr(10))} HTTP/1.1" 400 None\n'
     "ERROR:bot:Binance error {'code': -1022, 'msg': 'Signature for this request is not valid.'}\n")
q = enc([("symbol", "SOLUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "1.5"), ("timestamp", TS)])
case("python-relay-log-body-label-signed-before-timestamp", """payload = urlencode(order); sig = sign(payload); payload += f"&timestamp={ts}"   # timestamp added after signing
log.debug("POST %s body=%s", url, payload + "&signature=" + sig)""",
     -1022, "signed-before-timestamp", "http",
     f"2024-06-07 13:30:00,421 DEBUG tv-relay.binance: POST {API}/api/v3/order body={q}&signature={mac(q.rsplit('&', 1)[0])}\n"
     '2024-06-07 13:30:00,633 ERROR tv-relay.binance: 400 {"code":-1022,"msg":"Signature for this request is not valid."}\n')

# ---------- session 38: captures of tools, payload encodings, Go's %v ----------
q = enc([("symbol", "ETHUSDT"), ("timestamp", TS - 45_000)])
case("tshark-follow-tls-stale-timestamp", """ts = cached_ts or int(time.time() * 1000)   # a timestamp computed once, reused 45 s later
# tshark -r cap.pcapng -o tls.keylog_file:keys.log -q -z follow,tls,ascii,3""",
     -1021, "timestamp-too-old", "http",
     "\n===================================================================\nFollow: tls,ascii\nFilter: tcp.stream eq 3\n"
     "Node 0: 192.168.1.23:51544\nNode 1: 18.65.3.114:443\n240\n"
     f"GET /api/v3/openOrders?{q}&signature={mac(q)} HTTP/1.1\nHost: api.binance.com\nUser-Agent: python-requests/2.31.0\n"
     f"Accept: */*\nX-MBX-APIKEY: {KEY}\n\n\n\t180\nHTTP/1.1 400 Bad Request\nContent-Type: application/json;charset=UTF-8\n\n"
     '{"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}\n')
q = enc(ORDER + [("timestamp", TS)])
sig = pct(rsa_b64(q))
body = f"{q}&signature={sig}"
case("insomnia-timeline-rsa-form-correct", """Insomnia: Form URL Encoded body; a pre-request script signs it with the RSA private key (SHA256withRSA)""",
     0, "", "http",
     "* Preparing request to https://api.binance.com/api/v3/order\n* Using default HTTP version\n*   Trying 13.225.103.48:443...\n"
     "* Connected to api.binance.com (13.225.103.48) port 443 (#5)\n\n> POST /api/v3/order HTTP/2\n> Host: api.binance.com\n"
     f"> user-agent: insomnia/2023.5.8\n> x-mbx-apikey: {KEY}\n> content-type: application/x-www-form-urlencoded\n> accept: */*\n"
     f"> content-length: {len(body)}\n\n| {body}\n\n* We are completely uploaded and fine\n", key="rsa")
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
b64_sig = pct(ed25519(base64.b64encode(q.encode()).decode()))
case("python-urllib3-debug-ed25519-signs-base64-of-payload", """signature = base64.b64encode(private_key.sign(base64.b64encode(query.encode())))   # the payload encoded first
logging.basicConfig(level=logging.DEBUG)""",
     -1022, "signed-payload-base64", "http",
     "DEBUG:urllib3.connectionpool:Starting new HTTPS connection (1): api.binance.com:443\n"
     f'DEBUG:urllib3.connectionpool:https://api.binance.com:443 "GET /api/v3/openOrders?{q}&signature={b64_sig} HTTP/1.1" 400 None\n',
     key="ed25519")
pairs = [("apiKey", KEY), ("orderId", 28531194007), ("symbol", "BTCUSDT"), ("timestamp", TS)]
go_text = "apiKey=" + KEY + "&orderId=2.8531194007e+10&symbol=BTCUSDT&timestamp=1.499827319559e+12"
case("go-ws-interface-float64-signed-with-pct-v", """var params map[string]interface{}; json.Unmarshal(raw, &params)   // numbers become float64
for _, k := range keys { parts = append(parts, fmt.Sprintf("%s=%v", k, params[k])) }   // %v: 2.8531194007e+10""",
     -1022, "signed-other-value-text", "ws", frame(7, "order.status", pairs + [("signature", mac(go_text))]))

def trace_rows(data):
    """Bytes as `curl --trace` prints them: offset, 16 bytes in hex, their text with dots."""
    rows = []
    for i in range(0, len(data), 16):
        chunk = data[i:i + 16]
        hexes = " ".join(f"{b:02x}" for b in chunk).ljust(47)
        rows.append(f"{i:04x}: {hexes} " + "".join(chr(b) if 32 <= b < 127 else "." for b in chunk))
    return "\n".join(rows)
q = enc(ORDER + [("timestamp", TS)])
body = f"{q}&signature={mac(q + chr(10))}".encode()
head = (f"POST /api/v3/order HTTP/1.1\r\nHost: api.binance.com\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n"
        f"X-MBX-APIKEY: {KEY}\r\nContent-Length: {len(body)}\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n").encode()
case("bash-curl-trace-hex-file-newline-signed", """sig=$(openssl dgst -sha256 -hmac "$SECRET" < body.txt | cut -d' ' -f2)   # body.txt ends in a newline
curl --trace trace.txt -H "X-MBX-APIKEY: $KEY" -d @body.txt -d "signature=$sig" "$API/api/v3/order"   # -d @file strips newlines""",
     -1022, "signed-trailing-newline", "http",
     "== Info: Connected to api.binance.com (13.32.99.49) port 443\n"
     f"=> Send header, {len(head)} bytes (0x{len(head):x})\n{trace_rows(head)}\n"
     f"=> Send data, {len(body)} bytes (0x{len(body):x})\n{trace_rows(body)}\n"
     "== Info: upload completely sent off: 152 bytes\n<= Recv header, 26 bytes (0x1a)\n"
     "0000: 48 54 54 50 2f 31 2e 31 20 34 30 30 20 42 61 64 HTTP/1.1 400 Bad\n0010: 20 52 65 71 75 65 73 74 0d 0a                    Request..\n")

q = enc([("symbol", "XRPUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quoteOrderQty", "15"), ("timestamp", TS)])
case("autohotkey-msgbox-key-with-ini-comment", """IniRead, key, binance.ini, api, key   ; the line is `key=vmPU...    ; main account`: IniRead keeps the comment
MsgBox % "POST " url "`nX-MBX-APIKEY: " key "`n" body "`n`nStatus: " http.Status "`n" http.ResponseText""",
     -2014, "key-whitespace", "http",
     "---------------------------\nbinance.ahk\n---------------------------\n"
     f"POST {API}/api/v3/order\nX-MBX-APIKEY: {KEY}    ; main account\n{q}&signature={mac(q)}\n\nStatus: 401\n"
     '{"code":-2014,"msg":"API-key format invalid."}\n---------------------------\nOK   \n---------------------------\n')

written = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.0015"),
           ("price", "60125.5"), ("recvWindow", "5000"), ("timestamp", TS)]
d = dict(written)
sig = mac(enc(written))
scrambled = [("timeInForce", d["timeInForce"]), ("side", "BUY"), ("quantity", d["quantity"]), ("signature", sig),
             ("recvWindow", "5000"), ("symbol", "BTCUSDT"), ("price", d["price"]), ("timestamp", TS), ("type", "LIMIT")]
case("clojure-array-map-becomes-hash-map", """(def params (array-map :symbol "BTCUSDT" :side "BUY" ... :timestamp ts))   ; eight keys: an array-map
(http/post url {:query-params (assoc params :signature (sign (query-string params)))})   ; a ninth: assoc makes a hash-map""",
     -1022, "sent-other-order", "curl", curl("POST", "/api/v3/order", enc(scrambled)))

q = "timestamp=" + str(TS)
body = "price=67000&quantity=0.0015&side=BUY&symbol=BTCUSDT&timeInForce=GTC&type=LIMIT"
case("go-binance-debug-secret-trailing-space", """client := binance.NewClient(apiKey, secret + " ")   // the secret read from a line with a space at its end
client.Debug = true""",
     -1022, "secret-with-space", "http",
     f"Binance-golang 2024/06/04 16:30:00 full url: {API}/api/v3/order?{q}&signature={mac(q + body, SECRET + ' ')}, body: {body}\n"
     'Binance-golang 2024/06/04 16:30:00 request: &http.Request{Method:"POST", URL:(*url.URL)(0xc0001b2000), Proto:"HTTP/1.1", '
     f'Header:http.Header{{"Content-Type":[]string{{"application/x-www-form-urlencoded"}}, "X-Mbx-Apikey":[]string{{"{KEY}"}}}}}}\n'
     'Binance-golang 2024/06/04 16:30:00 response body: {"code":-1022,"msg":"Signature for this request is not valid."}\n'
     "Binance-golang 2024/06/04 16:30:00 response status code: 400\n")

q = enc([("symbol", "BTCUSDT"), ("startTime", TS - 3 * 86_400_000), ("endTime", TS), ("timestamp", TS)])
case("python-ccxt-my-trades-three-days", """trades = exchange.fetch_my_trades("BTC/USDT", since=now - 3 * 86400000, params={"endTime": now})   # a day at most""",
     -1127, "param-combination", "curl", curl("GET", "/api/v3/myTrades", f"{q}&signature={mac(q)}"))

# ---------- Postman: signed before the variables were filled in ----------
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
template = "symbol=BTCUSDT&timestamp={{timestamp}}&signature={{signature}}"
case("postman-pre-request-signs-unresolved-query", """// pre-request script
pm.environment.set("timestamp", Date.now());
const query = pm.request.url.getQueryString();   // "symbol=BTCUSDT&timestamp={{timestamp}}&signature={{signature}}"
pm.environment.set("signature", CryptoJS.HmacSHA256(query, pm.environment.get("secret")).toString());""",
     -1022, "signed-unresolved-variable", "http",
     http2("GET", "/api/v3/openOrders", f"{q}&signature={mac(template)}",
           [h for h in postman_headers([("X-MBX-APIKEY", KEY)], "postman-unresolved") if h[0] != "Host"]))

# ---------- fourth probe round: Swift's optionals, libcurl's printed body, a notebook's source line ----------
body = enc([("symbol", "ETHUSDT"), ("side", "SELL"), ("type", "MARKET"), ("quantity", "0.05"), ("timestamp", TS)])
case("swift-urlsession-print-optional-secret-newline", """let secret = try String(contentsOfFile: path, encoding: .utf8)   // keeps the file's final newline
print("Headers: \\(request.allHTTPHeaderFields)"); print("Body: \\(String(data: request.httpBody!, encoding: .utf8))")""",
     -1022, "secret-with-newline", "http",
     "➡️ POST https://api.binance.com/api/v3/order\n"
     f'Headers: Optional(["Content-Type": "application/x-www-form-urlencoded", "X-MBX-APIKEY": "{KEY}"])\n'
     f'Body: Optional("{body}&signature={mac(body, SECRET + chr(10))}")\n'
     'Response: {"code":-1022,"msg":"Signature for this request is not valid."}\n')
body = enc([("symbol", "LTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quoteOrderQty", "12"), ("timestamp", TS)])
signed_body = f"{body}&signature={mac(body, decoded)}"
case("c-libcurl-verbose-printed-postfields-decoded-secret", """unsigned char *key = base64_decode(secret, &key_len);   /* the secret is text, not base64 */
printf("POSTFIELDS: %s\\n", postfields); curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);""",
     -1022, "secret-base64-decoded", "http",
     f"POSTFIELDS: {signed_body}\n*   Trying 3.168.70.41:443...\n* Connected to api.binance.com (3.168.70.41) port 443\n"
     f"> POST /api/v3/order HTTP/1.1\nHost: api.binance.com\nAccept: */*\nX-MBX-APIKEY: {KEY}\nContent-Length: {len(signed_body)}\n"
     "Content-Type: application/x-www-form-urlencoded\n\n* upload completely sent off\n< HTTP/1.1 400 Bad Request\n"
     "< Content-Type: application/json;charset=UTF-8\n< \n* Connection #0 to host api.binance.com left intact\n"
     '{"code":-1022,"msg":"Signature for this request is not valid."}\n')
unsigned = enc([("symbol", "BNBBTC"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "1"), ("price", "0.0085")])
q = enc([("symbol", "BNBBTC"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "1"), ("price", "0.0085"), ("timestamp", TS)])
case("python-jupyter-traceback-variable-key-signed-before-timestamp", """sig = sign(urlencode(params)); params['timestamp'] = int(time.time() * 1000); params['signature'] = sig""",
     -1022, "signed-before-timestamp", "http",
     "HTTPError                                 Traceback (most recent call last)\nCell In[14], line 9\n"
     "      7 r = requests.post(BASE + '/api/v3/order', params=params,\n      8                   headers={'X-MBX-APIKEY': API_KEY})\n"
     "----> 9 r.raise_for_status()\n\n"
     f"HTTPError: 400 Client Error: Bad Request for url: https://api.binance.com/api/v3/order?{q}&signature={mac(unsigned)}\n")

# ---------- fifth probe round: a cached signature, a printed signed string ----------
first = enc([("symbol", "SOLUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.50"), ("price", "131.20"), ("timestamp", TS - 2900)])
second = enc([("symbol", "SOLUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.50"), ("price", "130.90"), ("timestamp", TS)])
case("python-grid-bot-signature-cached", """@lru_cache(maxsize=None)
def signer(self): return functools.partial(hmac_sign, self.query)   # built once, with the first order's query""",
     -1022, "signature-reused", "http",
     f"2026-03-21 14:00:00,013 [DEBUG] binance: POST {API}/api/v3/order?{first}&signature={mac(first)}\n"
     '2026-03-21 14:00:00,201 [DEBUG] binance: 200 {"symbol":"SOLUSDT","orderId":4829110233,"orderListId":-1}\n'
     f"2026-03-21 14:00:02,881 [DEBUG] binance: POST {API}/api/v3/order?{second}&signature={mac(first)}\n"
     '2026-03-21 14:00:03,070 [DEBUG] binance: 400 {"code":-1022,"msg":"Signature for this request is not valid."}\n'
     f"X-MBX-APIKEY: {KEY}\n")
signed_text = enc([("symbol", "ADAUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "40"), ("price", "0.6120"), ("timestamp", TS)])
sent_body = enc([("symbol", "ADAUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("timestamp", TS), ("price", "0.6120"), ("quantity", "40")])
case("retool-form-rows-order-differs-from-signed-text", """// a JS transformer signs the fields in its own order; the form body's table lists them in another""",
     -1022, "signed-printed-payload", "http",
     "placeOrder failed (0.21s)\n  Request\n    method: POST\n    url: https://api.binance.com/api/v3/order\n    headers:\n"
     f"      X-MBX-APIKEY: {KEY}\n      Content-Type: application/x-www-form-urlencoded\n"
     f"    body (x-www-form-urlencoded): {sent_body}&signature={mac(signed_text)}\n"
     '  Response\n    {"code":-1022,"msg":"Signature for this request is not valid."}\n'
     f'signPayload (JS transformer) returned "{mac(signed_text)}"\n  input: {signed_text}\n')

# ---------- sixth probe round: the key's bytes, the pairs' joins ----------
q = enc(ORDER + [("timestamp", TS)])
case("java-secret-getbytes-utf16", """Mac mac = Mac.getInstance("HmacSHA256");
mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_16), "HmacSHA256"));   // a BOM, then two bytes a character""",
     -1022, "secret-utf16", "http",
     http("POST", "/api/v3/order", "", body=f"{q}&signature={mac(q, bytes([0xFE, 0xFF]) + SECRET.encode('utf-16-be'))}",
          headers=(("X-MBX-APIKEY", KEY), ("Content-Type", "application/x-www-form-urlencoded"))))
case("c-sizeof-array-secret-with-nul", """char secret[] = "NhqP...";   /* 65 bytes with its NUL */
HMAC(EVP_sha256(), secret, sizeof(secret), (unsigned char *)query, strlen(query), md, &len);""",
     -1022, "secret-with-nul", "curl", curl("POST", "/api/v3/order", f"{q}&signature={mac(q, SECRET.encode() + bytes([0]))}"))
kotlin_signed = ", ".join(q.split("&"))
case("kotlin-jointostring-default-separator", """val payload = params.entries.joinToString { "${it.key}=${it.value}" }   // joinToString's default separator is a comma and a space""",
     -1022, "signed-other-separator", "curl", curl("POST", "/api/v3/order", f"{q}&signature={mac(kotlin_signed)}"))
rust_signed = "&".join(f'{k}="{v}"' for k, v in (p.split("=", 1) for p in q.split("&")))
case("rust-debug-format-quotes-values", """let payload = params.iter().map(|(k, v)| format!("{k}={v:?}")).collect::<Vec<_>>().join("&");   // {:?} quotes a String""",
     -1022, "signed-quoted-values", "curl", curl("POST", "/api/v3/order", f"{q}&signature={mac(rust_signed)}"))

# ---------- ninth probe round: an order list's own rules ----------
opo = [("symbol", "BTCUSDT"), ("workingType", "LIMIT"), ("workingSide", "SELL"), ("workingPrice", "62000"),
       ("workingQuantity", "0.01"), ("workingTimeInForce", "GTC"), ("pendingType", "LIMIT_MAKER"),
       ("pendingSide", "BUY"), ("pendingPrice", "58000"), ("timestamp", TS)]
case("python-opo-working-sell", """# an OPO buys first and sells what it bought: this one sells first, as an OTO would
client.post("/api/v3/orderList/opo", {"workingSide": "SELL", "pendingSide": "BUY", ...})""",
     -1222, "order-terms", "http",
     http("POST", "/api/v3/orderList/opo", "", body=signed(opo),
          headers=(("X-MBX-APIKEY", KEY), ("Content-Type", "application/x-www-form-urlencoded"))))
oto = [("symbol", "BTCUSDT"), ("workingType", "LIMIT"), ("workingSide", "BUY"), ("workingPrice", "58000"),
       ("workingQuantity", "0.01"), ("workingTimeInForce", "GTC"), ("pendingType", "LIMIT"), ("pendingSide", "SELL"),
       ("pendingPrice", "64000"), ("pendingQuantity", "0.01"), ("timestamp", TS)]
case("bash-oto-pending-limit-without-time-in-force", """# the pending LIMIT order needs pendingTimeInForce, as a LIMIT order needs timeInForce""",
     -1102, "order-terms", "curl", curl("POST", "/api/v3/orderList/oto", signed(oto)))
oco = [("symbol", "BTCUSDT"), ("side", "SELL"), ("quantity", "0.01"), ("aboveType", "LIMIT_MAKER"), ("abovePrice", "66000"),
       ("belowType", "STOP_LOSS_LIMIT"), ("belowPrice", "54000"), ("belowStopPrice", "54500"), ("timestamp", TS)]
case("node-oco-stop-loss-limit-leg-without-time-in-force", """// belowTimeInForce left out: a STOP_LOSS_LIMIT leg needs it""",
     -1102, "order-terms", "curl", curl("POST", "/api/v3/orderList/oco", signed(oco)))
pairs = [("symbol", "BTCUSDT"), ("workingType", "LIMIT"), ("workingSide", "BUY"), ("workingPrice", "58000"),
         ("workingQuantity", "0.01"), ("workingTimeInForce", "GTC"), ("pendingType", "LIMIT_MAKER"), ("pendingSide", "BUY"),
         ("pendingPrice", "57000"), ("apiKey", KEY), ("timestamp", TS)]
case("python-ws-opo-pending-buy", """# the pending order of an OPO sells what the working order bought""",
     -1223, "order-terms", "ws",
     frame(uid("ws-opo-1"), "orderList.place.opo", pairs + [("signature", mac(ws_payload(pairs)))], "python"))

# ---------- tenth probe round: platforms' printouts and their bytes ----------
ORDER_MKT = [("symbol", "BNBUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quoteOrderQty", "20"), ("timestamp", TS)]
q = enc(ORDER_MKT)
case("apps-script-getrequest-logged-correct", """var sig = Utilities.computeHmacSha256Signature(query, secret).map(function (b) { return ('0' + ((b + 256) % 256).toString(16)).slice(-2); }).join('');
Logger.log(UrlFetchApp.getRequest(BASE + '/api/v3/order', {method: 'post', headers: {'X-MBX-APIKEY': KEY}, payload: query + '&signature=' + sig}));""",
     0, "", "http",
     "11:40:00 AM\tInfo\t{method=post, useIntranet=false, headers={X-MBX-APIKEY=" + KEY + "}, payload=" + q + "&signature=" + mac(q)
     + ", contentType=application/x-www-form-urlencoded, followRedirects=true, url=https://api.binance.com/api/v3/order, validateHttpsCertificates=true}\n")
swapped = hmac.new(q.encode(), SECRET.encode(), hashlib.sha256).hexdigest()
case("apps-script-hmac-arguments-swapped", """// computeHmacSha256Signature(value, key): the secret went first
var sig = hex(Utilities.computeHmacSha256Signature(secret, query));
Logger.log(JSON.stringify(UrlFetchApp.getRequest(url, options)));""",
     -1022, "hmac-arguments-swapped", "http",
     "10:30:00 PM\tInfo\t" + json.dumps({"url": API + "/api/v3/order", "method": "post", "headers": {"X-MBX-APIKEY": KEY},
                                         "payload": f"{q}&signature={swapped}", "contentType": "application/x-www-form-urlencoded"}) + "\n")
qa = enc([("timestamp", TS)])
signed_bytes = ",".join(str(b - 256 if b > 127 else b) for b in hmac.new(SECRET.encode(), qa.encode(), hashlib.sha256).digest())
case("apps-script-signature-as-signed-bytes", """var url = BASE + '/api/v3/account?' + query + '&signature=' + Utilities.computeHmacSha256Signature(query, secret);   // byte[] joined""",
     -1022, "signature-not-bare", "http",
     f"2:00:00 PM\tInfo\t{API}/api/v3/account?{qa}&signature={signed_bytes}\n"
     f"2:00:00 PM\tInfo\t{{\"method\":\"get\",\"headers\":{{\"X-MBX-APIKEY\":\"{KEY}\"}}}}\n")
case("bun-subtle-sign-arraybuffer-in-url", """const sig = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(query));   // an ArrayBuffer
fetch(`${BASE}/api/v3/account?${query}&signature=${sig}`, { headers: { 'X-MBX-APIKEY': KEY }, verbose: true });""",
     -1022, "signature-not-bare", "http",
     f"[fetch] > HTTP/1.1 GET {API}/api/v3/account?{qa}&signature=[object%20ArrayBuffer]\n[fetch] > X-MBX-APIKEY: {KEY}\n")
crystal = urllib.parse.quote_plus("Bytes[" + ", ".join(str(b) for b in hmac.new(SECRET.encode(), qa.encode(), hashlib.sha256).digest()) + "]")
case("crystal-digest-bytes-to-s", """sig = OpenSSL::HMAC.digest(:sha256, secret, query).to_s   # Bytes[225, 74, ...], not hexdigest""",
     -1022, "signature-not-bare", "http",
     f"DEBUG - http.client: Performing request -- method: \"GET\", host: \"api.binance.com\", resource: \"/api/v3/account?{qa}&signature={crystal}\"\n"
     f"headers: HTTP::Headers{{\"X-MBX-APIKEY\" => \"{KEY}\"}}\n")
written = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.001"), ("price", "60200"), ("timestamp", TS)]
case("elixir-map-body-sorted-quoted-in-log", """payload = URI.encode_query(params)          # a keyword list, in the order written: signed
body = URI.encode_query(Map.new(params) |> Map.put(:signature, sig))   # a map: sorted by key""",
     -1022, "sent-sorted-params", "http",
     f"11:20:01.005 [debug] POST {API}/api/v3/order body=\"{enc(sorted(written))}&signature={mac(enc(written))}\" "
     f"headers=[{{\"X-MBX-APIKEY\", \"{KEY}\"}}, {{\"Content-Type\", \"application/x-www-form-urlencoded\"}}]\n")
zap = json.dumps({k: str(v) for k, v in written} | {"signature": mac(enc(written))})
case("zapier-webhooks-payload-type-json", """Webhooks by Zapier, POST, Payload Type: json   # a JSON body Binance does not read""",
     -1102, "json-body", "http",
     f"Request\n  method: POST\n  url: {API}/api/v3/order\n  headers:\n    X-MBX-APIKEY: {KEY}\n"
     f"    Content-Type: application/json; charset=utf-8\n  body: {zap}\n")
lm = enc([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT_MAKER"), ("quantity", "0.001"), ("price", "30000"), ("timestamp", TS)]) 
lm_body = f"{lm}&signature={mac(lm)}"
case("julia-httpjl-verbose-triple-quoted-correct", """HTTP.post(url, headers, body; verbose=2)   # prints the request inside triple quotes""",
     0, "", "http",
     "HTTP.Messages.Request:\n\"\"\"\nPOST /api/v3/order HTTP/1.1\r\n" + f"X-MBX-APIKEY: {KEY}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
     f"Host: api.binance.com\r\nContent-Length: {len(lm_body)}\r\n\r\n{lm_body}\"\"\"\n")
utf16 = hmac.new(SECRET.encode("utf-16-le"), q.encode("utf-16-le"), hashlib.sha256).hexdigest()
case("vba-hmac-over-utf16-strings", """Set enc = CreateObject("System.Security.Cryptography.HMACSHA256")
enc.Key = secretKey   ' a VBA String: its UTF-16LE bytes (StrConv(secretKey, vbFromUnicode) forgotten)
hash = enc.ComputeHash_2(query)   ' the same for the message""",
     -1022, "signed-utf16", "curl", curl("POST", "/api/v3/order", f"{q}&signature={utf16}"))
nul = hmac.new(SECRET.encode() + b"\0", q.encode() + b"\0", hashlib.sha256).hexdigest()
case("mql5-stringtochararray-terminators", """StringToCharArray(secret, key);    // copies the terminating zero
StringToCharArray(query, data);    // here too
CryptEncode(CRYPT_HASH_SHA256, data, key, hash);   // an HMAC written around it""",
     -1022, "signed-with-nul", "curl", curl("POST", "/api/v3/order", f"{q}&signature={nul}"))


def axios_inspect(method, url, headers, data, answer, params=None):
    """An AxiosError as console.log prints it when the request's head is not shown: the config's
    own headers first, the answer's headers (application/json) after."""
    def lit(v):
        return "undefined" if v is None else "'" + str(v).replace("\\", "\\\\").replace("'", "\\'") + "'"
    def name(k):
        return k if k.isidentifier() else lit(k)
    hs = ",\n".join(f"      {name(k)}: {lit(v)}" for k, v in headers)
    ps = ""
    if params:
        ps = "    params: {\n" + ",\n".join(f"      {name(k)}: {lit(v)}" for k, v in params) + "\n    },\n"
    return ("AxiosError: Request failed with status code 400\n    at settle (/app/node_modules/axios/dist/node/axios.cjs:2019:12)\n"
            "    at IncomingMessage.handleStreamEnd (/app/node_modules/axios/dist/node/axios.cjs:3135:11) {\n"
            "  code: 'ERR_BAD_REQUEST',\n  config: {\n    transitional: { silentJSONParsing: true, forcedJSONParsing: true },\n"
            "    adapter: [ 'xhr', 'http', 'fetch' ],\n    transformRequest: [ [Function: transformRequest] ],\n"
            "    env: { FormData: [Function], Blob: [class Blob] },\n"
            f"    headers: Object [AxiosHeaders] {{\n{hs}\n    }},\n    method: {lit(method)},\n    url: {lit(url)},\n{ps}"
            f"    data: {lit(data)}\n  }},\n  request: <ref *1> ClientRequest {{\n    _events: [Object: null prototype] {{}},\n"
            "    method: " + lit(method.upper()) + ",\n    host: 'api.binance.com'\n  },\n  response: {\n    status: 400,\n"
            "    headers: Object [AxiosHeaders] {\n      'content-type': 'application/json;charset=UTF-8',\n      'content-length': '78'\n    },\n"
            "    config: { ... },\n    request: <ref *1> ClientRequest { ... },\n"
            f"    data: {{ code: {answer[0]}, msg: {lit(answer[1])} }}\n  }}\n}}\n")
form = enc(ORDER + [("timestamp", TS)])
AXIOS_FORM = [("Accept", "application/json, text/plain, */*"), ("Content-Type", "application/x-www-form-urlencoded"),
              ("X-MBX-APIKEY", KEY), ("User-Agent", "axios/1.7.9")]
case("js-axios-console-log-balance-refusal-signed-right", """axios.post(url, body, { headers }).catch(err => console.log(err))   // a balance refusal: signed right""",
     -2010, "answer-unexplained", "http", axios_inspect("post", f"{API}/api/v3/order", AXIOS_FORM, f"{form}&signature={mac(form)}",
                                  (-2010, "Account has insufficient balance for requested action.")))
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
case("js-axios-console-log-authorization", """headers: { Authorization: `X-MBX-APIKEY: ${apiKey}` }   // console.log(err) of the refusal""",
     -2014, "key-in-header-value", "http",
     axios_inspect("get", f"{API}/api/v3/openOrders?{q}&signature={mac(q)}",
                   [("Accept", "application/json, text/plain, */*"), ("Content-Type", None), ("Authorization", f"X-MBX-APIKEY: {KEY}")],
                   None, (-2014, "API-key format invalid.")))
top = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET")]
rest = enc([("quantity", "0.001"), ("timestamp", TS)])
joined = mac(enc(top) + "&" + rest)
case("js-axios-console-log-params-and-data-joined", """const sig = hmac(new URLSearchParams(params) + '&' + body)   // Binance joins query and body with nothing
axios.post(url, body + '&signature=' + sig, { params, headers })""",
     -1022, "signed-query-and-body-joined", "http",
     axios_inspect("post", f"{API}/api/v3/order", AXIOS_FORM, f"{rest}&signature={joined}",
                   (-1022, "Signature for this request is not valid."), params=top))

# ---------- forum posts: code, then what it printed (round 12) ----------
params = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001"), ("timestamp", TS)]
pyrepr = "{" + ", ".join(f"'{k}': {v}" if k == "timestamp" else f"'{k}': '{v}'" for k, v in params) + "}"
q = enc(params)
case("python-forum-signs-str-of-dict", """params = {"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.001", "timestamp": ts}
sig = hmac.new(SECRET.encode(), str(params).encode(), hashlib.sha256).hexdigest()   # str(dict), not urlencode""",
     -1022, "signed-dict-repr", "http",
     f"output:\n```\nPOST {API}/api/v3/order?{q}&signature={mac(pyrepr)}\nX-MBX-APIKEY: {KEY}\n"
     "{'code': -1022, 'msg': 'Signature for this request is not valid.'}\n```\n")
q = enc([("symbol", "BTCUSDT"), ("limit", "10"), ("timestamp", TS)])
case("js-forum-encodes-the-whole-query-before-signing", """const sig = crypto.createHmac('sha256', secret).update(encodeURIComponent(query)).digest('hex')""",
     -1022, "signed-encoded-whole", "http",
     http("GET", "/api/v3/myTrades", f"{q}&signature={mac(urllib.parse.quote(q, safe=''))}"))
unsorted = [("symbol", "BTCUSDT"), ("limit", "10")]
signed_sorted = enc(sorted(unsorted))
q = enc(unsorted + [("timestamp", TS)])
case("go-forum-signs-values-encode-before-timestamp", """v := url.Values{}; v.Set("symbol", "BTCUSDT"); v.Set("limit", "10")
sig := sign(v.Encode())   // sorted by name, and before the timestamp
u := base + "/api/v3/myTrades?symbol=BTCUSDT&limit=10&timestamp=" + ts + "&signature=" + sig""",
     -1022, "signed-before-timestamp", "http", http("GET", "/api/v3/myTrades", f"{q}&signature={mac(signed_sorted)}"))
top = enc([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC")])
rest = enc([("quantity", "0.01"), ("price", "30000"), ("timestamp", TS)])
case("csharp-forum-interpolated-url-and-printed-request-correct", """var req = new HttpRequestMessage(HttpMethod.Post, $"https://api.binance.com/api/v3/order?{query}") {
    Content = new StringContent($"{body}&signature={Sign(query + body)}", Encoding.UTF8, "application/x-www-form-urlencoded") };
Console.WriteLine(req); Console.WriteLine(await req.Content.ReadAsStringAsync());""",
     0, "", "http",
     "var req = new HttpRequestMessage(HttpMethod.Post, $\"https://api.binance.com/api/v3/order?{query}\");\n\noutput:\n"
     f"Method: POST, RequestUri: '{API}/api/v3/order?{top}', Version: 1.1, Content: System.Net.Http.StringContent, Headers:\n"
     f"{{\n  X-MBX-APIKEY: {KEY}\n  Content-Type: application/x-www-form-urlencoded; charset=utf-8\n}}\n{rest}&signature={mac(top + rest)}\n")
form = enc([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quoteOrderQty", "100"), ("timestamp", TS)])
case("python-forum-body-printed-before-the-url-correct", """print(resp.request.body)   # then the post names the URL in a sentence""",
     0, "", "http",
     f"output:\n```\n{form}&signature={mac(form)}\n```\n\nPOST to {API}/api/v3/order, key {KEY}\n")
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS * 1000)])
case("python-forum-time-unit-us", """headers = {"X-MBX-APIKEY": KEY, "X-MBX-TIME-UNIT": "us"}   # MICROSECOND is the word""",
     -1194, "time-unit-invalid", "http",
     f"GET {API}/api/v3/openOrders?{q}&signature={mac(q)}\nX-MBX-APIKEY: {KEY}\nX-MBX-TIME-UNIT: us\n")

q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
case("js-rest-signed-like-a-websocket-frame", """// the WebSocket API's habit on REST: apiKey among the signed parameters
const sig = hmac(`apiKey=${apiKey}&${query}`); axios.get(`${BASE}/api/v3/openOrders?${query}&signature=${sig}`, { headers })""",
     -1022, "signed-ws-style", "http", http("GET", "/api/v3/openOrders", f"{q}&signature={mac('apiKey=' + KEY + '&' + q)}"))

# ---------- programs in many languages, as they print their requests (round 14) ----------
q = enc([("symbol", "ETHUSDT"), ("timestamp", TS)])
case("python-print-prepared-request-and-headers-correct", """prepped = session.prepare_request(requests.Request("GET", url, params=params, headers=headers))
print(prepped.method, prepped.url); print(prepped.headers)""",
     0, "", "http",
     f"GET {API}/api/v3/openOrders?{q}&signature={mac(q)}\n"
     f"{{'User-Agent': 'python-requests/2.31.0', 'Accept': '*/*', 'X-MBX-APIKEY': '{KEY}'}}\n"
     "200 []\n")
q = enc([("symbol", "BTCUSDT"), ("timestamp", TS)])
case("go-println-header-map-empty-key", """req.Header.Set("X-MBX-APIKEY", os.Getenv("BINANCE_KEY"))   // unset in this shell
fmt.Println(req.Method, req.URL); fmt.Println(req.Header)""",
     -2014, "key-empty", "http",
     f"POST {API}/api/v3/order/test?{q}&signature={mac(q)}\nmap[X-Mbx-Apikey:[]]\n"
     '401 Unauthorized {"code":-2014,"msg":"API-key format invalid."}\n')
unsigned = enc([("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "MARKET"), ("quantity", "0.001")])
q = unsigned + "&" + enc([("timestamp", TS)])
case("rust-println-header-map-signed-before-timestamp", """let sig = sign(&query);   // before timestamp is pushed
query.push_str(&format!("&timestamp={ts}")); println!("{} {}", req.method(), req.url()); println!("{:?}", req.headers());""",
     -1022, "signed-before-timestamp", "http",
     f"POST {API}/api/v3/order?{q}&signature={mac(unsigned)}\n{{\"x-mbx-apikey\": \"{KEY}\"}}\n"
     'Error: Api { code: -1022, msg: "Signature for this request is not valid." }\n')
written = [("symbol", "ETHUSDT"), ("side", "BUY"), ("quantity", "0.02"), ("type", "MARKET"), ("timestamp", TS)]
form = enc(sorted(written))
case("java-okhttp-signed-in-hashmap-order", """Map<String, String> p = new HashMap<>(); ... String sig = sign(join(p));   // HashMap's order
RequestBody body = FormBody of new TreeMap<>(p)   // sent sorted""",
     -1022, "signed-hashmap-order", "http",
     "I/okhttp.OkHttpClient: --> POST https://api.binance.com/api/v3/order\n"
     "I/okhttp.OkHttpClient: Content-Type: application/x-www-form-urlencoded\n"
     f"I/okhttp.OkHttpClient: Content-Length: {len(form) + 75}\n"
     f"I/okhttp.OkHttpClient: X-MBX-APIKEY: {KEY}\nI/okhttp.OkHttpClient: \n"
     f"I/okhttp.OkHttpClient: {form}&signature={mac(enc(written))}\n"
     f"I/okhttp.OkHttpClient: --> END POST ({len(form) + 75}-byte body)\n")
params = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.002"), ("timestamp", TS)]
form = enc(params)
case("kotlin-signs-map-tostring", """val params = linkedMapOf("symbol" to "BTCUSDT", ...); val sig = hmac(params.toString())   // {symbol=BTCUSDT, ...}""",
     -1022, "signed-dict-repr", "http",
     http("POST", "/api/v3/order", "", headers=(("X-MBX-APIKEY", KEY), ("Content-Type", "application/x-www-form-urlencoded")),
          body=f"{form}&signature={mac('{' + ', '.join(f'{k}={v}' for k, v in params) + '}')}"))
q = enc([("timestamp", TS)])
case("bash-key-from-env-file-with-literal-backslash-n", """# .env: BINANCE_KEY=vmPU...\\n  (the escape kept as text by the reader)
curl -H "X-MBX-APIKEY: $BINANCE_KEY" "$BASE/api/v3/account?$q&signature=$sig\"""",
     -2014, "key-whitespace", "curl",
     curl("GET", "/api/v3/account", f"{q}&signature={mac(q)}", headers=(("X-MBX-APIKEY", KEY + "\\n"),)))
order = [("symbol", "XRPUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "100"), ("price", "0.55"), ("timestamp", TS)]
body = "{" + ", ".join(f'"{k}": {v}' if k == "timestamp" else f'"{k}": "{v}"' for k, v in order) + f', "signature": "{mac(enc(order))}"}}'
case("csharp-httpclient-log-and-printed-json-body", """var content = new StringContent(JsonConvert.SerializeObject(parameters), Encoding.UTF8, "application/json");
Console.WriteLine("body: " + await content.ReadAsStringAsync());""",
     -1102, "json-body", "http",
     "info: System.Net.Http.HttpClient.Default.ClientHandler[100]\n      Sending HTTP request POST https://api.binance.com/api/v3/order\n"
     "trce: System.Net.Http.HttpClient.Default.ClientHandler[102]\n      Request Headers:\n"
     f"      X-MBX-APIKEY: {KEY}\n      Content-Type: application/json; charset=utf-8\nbody: {body}\n")
order = [("symbol", "BNBUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.1"), ("timestamp", TS)]
body = "{" + ",".join(f'"{k}":"{v}"' for k, v in order) + f',"signature":"{mac(enc(order))}"}}'
case("dart-flutter-prints-its-json-body", """final res = await http.post(Uri.parse(url), headers: headers, body: jsonEncode(params));
print(url); print(headers); print(jsonEncode(params));""",
     -1102, "json-body", "http",
     f"flutter: {API}/api/v3/order\nflutter: {{X-MBX-APIKEY: {KEY}, Content-Type: application/json}}\nflutter: {body}\n")

order = [("symbol", "ETHUSDT"), ("side", "SELL"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.05"), ("price", "3900.5"), ("timestamp", TS)]
map_order = [order[i] for i in (2, 6, 0, 4, 1, 5, 3)]
case("go-map-read-twice-signed-in-another-order", """params := map[string]string{"symbol": "ETHUSDT", "side": "SELL", ...}
for k, v := range params { toSign += k + "=" + v + "&" }   // one order
for k, v := range params { q.Add(k, v) }                    // another order: Go randomizes map iteration""",
     -1022, "signed-other-order", "http",
     http("POST", "/api/v3/order/test", f"{enc(order)}&signature={mac(enc(map_order))}"))

# ---------- session 45: logs of less common clients, posts with the answer after the request ----------
market = [("symbol", "BNBUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quoteOrderQty", "25")]
q = enc(market + [("timestamp", TS)])
case("node-undici-debug-doubled-slash-signed-before-timestamp", """const sig = sign(new URLSearchParams(params).toString()); params.timestamp = Date.now();
// NODE_DEBUG=undici prints origin and path joined by a '/' of its own""",
     -1022, "signed-before-timestamp", "http",
     f"UNDICI 48213: sending request to POST {API}//api/v3/order?{q}&signature={mac(enc(market))}\n"
     f"UNDICI 48213: received response to POST {API}//api/v3/order?{q}&signature={mac(enc(market))} - HTTP 400\n"
     '{"code":-1022,"msg":"Signature for this request is not valid."}\n')
case("node-needle-debug-response-headers-object", """needle.get(`${API}/api/v3/depth?symbol=BTCUSDT&limit=5`)   // NODE_DEBUG=needle""",
     0, "", "http",
     "NEEDLE 90121: Making request #1 {\n  protocol: 'https:',\n  host: 'api.binance.com',\n  port: 443,\n"
     "  path: '/api/v3/depth?symbol=BTCUSDT&limit=5',\n  method: 'get',\n  headers: { accept: '*/*' }\n}\n"
     "NEEDLE 90121: Got response 200 {\n  'content-type': 'application/json;charset=UTF-8'\n}\n")
get = [("symbol", "BTCUSDT"), ("timestamp", TS)]
case("elixir-tesla-logger-query-lines", """Tesla.get(client, "/api/v3/openOrders", query: [symbol: "BTCUSDT", timestamp: ts, signature: sig])""",
     0, "", "http",
     f"10:00:00.190 [info] GET {API}/api/v3/openOrders -> 200 (190.412 ms)\n>>> REQUEST >>>\n"
     + "".join(f"Query: {k}: {v}\n" for k, v in get + [("signature", mac(enc(get)))])
     + f"x-mbx-apikey: {KEY}\n\n(no body)\n\n<<< RESPONSE <<<\n[]\n")
case("java-apache-httpclient-wire-log-key-quoted", """request.addHeader("X-MBX-APIKEY", "'" + apiKey + "'");   // logger org.apache.http.wire at DEBUG""",
     -2014, "key-quoted", "http",
     f'http-outgoing-0 >> "GET /api/v3/openOrders?{signed(get)} HTTP/1.1[\\r][\\n]"\n'
     'http-outgoing-0 >> "Host: api.binance.com[\\r][\\n]"\n'
     f'http-outgoing-0 >> "X-MBX-APIKEY: \'{KEY}\'[\\r][\\n]"\n'
     'http-outgoing-0 >> "[\\r][\\n]"\n'
     'http-outgoing-0 << "HTTP/1.1 401 Unauthorized[\\r][\\n]"\n'
     'http-outgoing-0 << "[\\r][\\n]"\n'
     'http-outgoing-0 << "{"code":-2014,"msg":"API-key format invalid."}"\n')
case("java-spring-headers-key-with-escaped-newline", """headers.set("X-MBX-APIKEY", props.getProperty("key"));   // the properties file wrote key\\n""",
     -2014, "key-whitespace", "http",
     f"o.s.web.client.RestTemplate : HTTP GET {API}/api/v3/openOrders?{signed(get)}\n"
     f'c.e.bot.LoggingInterceptor : Request headers: [Accept:"application/json", X-MBX-APIKEY:"{KEY}\\n"]\n')
form = enc(market + [("timestamp", TS)])
case("python-httpx-hook-prints-content-bytes", """def hook(request): print("request hook:", request.method, request.url); print(f"content={request.content!r}")""",
     0, "", "http",
     f"request hook: POST {API}/api/v3/order/test\n"
     f"headers=Headers({{'x-mbx-apikey': '{KEY}', 'content-type': 'application/x-www-form-urlencoded'}})\n"
     f"content=b'{form}&signature={mac(form)}'\n")
test_order = market + [("timestamp", TS)]
case("go-request-dump-then-the-next-log-line", """dump, _ := httputil.DumpRequest(req, false); log.Printf("request:\\n%s", dump); log.Printf("status %d", resp.StatusCode)""",
     0, "", "http",
     f"2017/07/12 02:41:59 request:\nPOST /api/v3/order/test?{signed(test_order)} HTTP/1.1\nHost: api.binance.com\n"
     f"X-Mbx-Apikey: {KEY}\n\n2017/07/12 02:41:59 status 200\n")
lwp = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.00100"), ("price", "58000.00"), ("timestamp", TS)]
lq = enc(lwp)
lsig = mac(lq, SECRET + "\n")
row = lambda k, v, w: f"| {k:<{w}} | {v:<64} |"
case("perl-lwp-consolelogger-secret-read-with-newline", """my $secret = <$fh>;   # no chomp
$ua->post($url, \\%params, 'X-MBX-APIKEY' => $key);   # LWP::ConsoleLogger::Everywhere""",
     -1022, "secret-with-newline", "http",
     f"POST {API}/api/v3/order\n\n"
     ".---------------------------------+------------------------------------------------------------------.\n"
     + row("Request (before sending) Header", "Value", 31) + "\n"
     "+---------------------------------+------------------------------------------------------------------+\n"
     + row("Content-Length", str(len(lq) + 75), 31) + "\n"
     + row("Content-Type", "application/x-www-form-urlencoded", 31) + "\n"
     + row("X-MBX-APIKEY", KEY, 31) + "\n"
     "'---------------------------------+------------------------------------------------------------------'\n\n"
     ".------.\n| Content |\n+------+\n" f"| {lq}&signature={lsig} |\n'------'\n\n==> 400 Bad Request\n\n"
     '.------.\n| Content |\n+------+\n| {"code":-1022,"msg":"Signature for this request is not valid."} |\n\'------\'\n')
limit = ORDER + [("timestamp", TS)]
case("post-request-then-a-blank-line-then-binance-answer", """A post: the request the program printed, a blank line, then what Binance answered.""",
     -2010, "answer-unexplained", "http",
     f"POST {API}/api/v3/order?{signed(limit)}\nX-MBX-APIKEY: {KEY}\n\n"
     '{"code":-2010,"msg":"Account has insufficient balance for requested action."}\n')
case("post-request-with-response-label-under-the-key", """A post: the request the program printed, then `Response: {...}` on the next line.""",
     -2010, "answer-unexplained", "http",
     f"POST {API}/api/v3/order?{signed(limit)}\nX-MBX-APIKEY: {KEY}\n"
     'Response: {"code":-2010,"msg":"Account has insufficient balance for requested action."}\n')
acct = enc([("timestamp", TS)])
case("python-http-client-debuglevel-second-request-refused", """http.client.HTTPConnection.debuglevel = 1
requests.get(account_url); requests.post(order_url)   # the order signed before its timestamp""",
     -1022, "signed-before-timestamp", "http",
     f"send: b'GET /api/v3/account?{acct}&signature={mac(acct)} HTTP/1.1\\r\\nHost: api.binance.com\\r\\nX-MBX-APIKEY: {KEY}\\r\\n\\r\\n'\n"
     "reply: 'HTTP/1.1 200 OK\\r\\n'\n"
     f"send: b'POST /api/v3/order?{enc(market + [('timestamp', TS)])}&signature={mac(enc(market))} HTTP/1.1\\r\\nHost: api.binance.com\\r\\nX-MBX-APIKEY: {KEY}\\r\\n\\r\\n'\n"
     "reply: 'HTTP/1.1 400 Bad Request\\r\\n'\n")
docs = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "1"), ("price", "0.1"), ("recvWindow", "5000"), ("timestamp", TS + 60)]
case("curl-with-the-docs-example-signature", """curl -H "X-MBX-APIKEY: $KEY" -X POST 'https://api.binance.com/api/v3/order' -d '...&signature=c8db5682...'   # copied from the docs""",
     -1022, "signature-reused", "curl",
     curl("POST", "/api/v3/order", "", body=f"{enc(docs)}&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"))

# ---------- session 45, rounds 28-29: tools' exports, PowerShell hashtables, JVM loggers, JSON lines ----------
order = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "1"), ("timestamp", TS)]
case("bash-curl-json-flag-sends-the-form-as-json", """curl -X POST "$API/api/v3/order" -H "X-MBX-APIKEY: $KEY" --json "$query&signature=$sig"   # --json sets Content-Type: application/json""",
     -1102, "body-not-form", "curl",
     f"curl -X POST {API}/api/v3/order -H 'X-MBX-APIKEY: {KEY}' --json '{signed(order)}'")
get = [("symbol", "BTCUSDT"), ("timestamp", TS)]
case("powershell-get-with-an-ordered-body-hashtable", """Invoke-RestMethod -Method Get -Uri $uri -Headers $h -Body ([ordered]@{ symbol = 'BTCUSDT'; timestamp = $ts; signature = $sig })   # a GET's -Body becomes the query""",
     0, "", "curl",
     f"Invoke-RestMethod -Method Get -Uri '{API}/api/v3/openOrders' -Headers @{{ 'X-MBX-APIKEY' = '{KEY}' }} -Body ([ordered]@{{ "
     + "; ".join(f"{k} = '{v}'" for k, v in get + [("signature", mac(enc(get)))]) + " })")
limit = ORDER + [("timestamp", TS)]
postman = {"info": {"_postman_id": "0f0e0d0c-0000-4000-8000-000000000045", "name": "Binance", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
           "item": [{"name": "Spot", "item": [{"name": "New order", "request": {"method": "POST",
               "header": [{"key": "X-MBX-APIKEY", "value": KEY, "type": "text"}, {"key": "Content-Type", "value": "application/x-www-form-urlencoded", "type": "text"}],
               "body": {"mode": "urlencoded", "urlencoded": [{"key": k, "value": str(v), "type": "text"} for k, v in limit + [("signature", mac(enc(limit)))]]},
               "url": {"raw": f"{API}/api/v3/order", "protocol": "https", "host": ["api", "binance", "com"], "path": ["api", "v3", "order"]}}}]}]}
case("postman-collection-export-urlencoded-body", """Postman: Export collection (v2.1), the request's body in x-www-form-urlencoded rows""",
     0, "", "http", json.dumps(postman, indent=2))
insomnia = {"_type": "export", "__export_format": 4, "resources": [{"_id": "req_1", "_type": "request", "method": "GET", "url": f"{API}/api/v3/order",
            "body": {}, "parameters": [{"name": k, "value": str(v)} for k, v in get + [("signature", "0" * 64)]],
            "headers": [{"name": "X-MBX-APIKEY", "value": KEY}]}]}
case("insomnia-export-query-parameters-signature-placeholder", """Insomnia: Export data, the query in the Query tab's rows (the signature left as a placeholder)""",
     -1022, "signature-mismatch", "http", json.dumps(insomnia, indent=2))
acct = [("timestamp", TS)]
bad = [("symbol", "BTCUSDT"), ("timestamp", TS)]
case("java-okhttp-logback-second-request-signed-query-only", """logging.level.okhttp3=INFO with HttpLoggingInterceptor.Level.BODY; the order's body is left out of what is signed""",
     -1022, "signed-query-only", "http",
     "".join(f"05:47:00.031 [main] INFO  okhttp3.OkHttpClient - {l}\n" for l in [
         f"--> GET {API}/api/v3/account?{signed(acct)}", f"X-MBX-APIKEY: {KEY}", "--> END GET",
         f"<-- 200 OK {API}/api/v3/account?{signed(acct)} (80ms)", "", '{"balances":[]}', "<-- END HTTP (15-byte body)",
         f"--> POST {API}/api/v3/order?{signed(bad)}", "Content-Type: application/x-www-form-urlencoded", "Content-Length: 38",
         f"X-MBX-APIKEY: {KEY}", "", "side=BUY&type=MARKET&quantity=0.00150", "--> END POST (38-byte body)",
         f"<-- 400 Bad Request {API}/api/v3/order?{signed(bad)} (140ms)", "", '{"code":-1022,"msg":"Signature for this request is not valid."}', "<-- END HTTP (63-byte body)"]))
first = [("symbol", "BTCUSDT"), ("timestamp", TS - 20000)]
second = [("symbol", "ETHUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.01"), ("timestamp", TS)]
sorted_second = sorted(second)
case("node-pino-json-lines-second-request-refused", """logger.debug({ method, url, headers }, 'binance request'); logger.debug({ status, body }, 'binance response')   // the order signed over its params sorted""",
     -1022, "signed-sorted-params", "http",
     json.dumps({"level": "debug", "msg": "binance request", "method": "GET", "url": f"{API}/api/v3/openOrders?{signed(first)}", "headers": {"X-MBX-APIKEY": KEY}}) + "\n"
     + json.dumps({"level": "debug", "msg": "binance response", "status": 200, "body": "[]"}) + "\n"
     + json.dumps({"level": "debug", "msg": "binance request", "method": "POST", "url": f"{API}/api/v3/order?{enc(second)}&signature={mac(enc(sorted_second))}", "headers": {"X-MBX-APIKEY": KEY}}) + "\n"
     + json.dumps({"level": "debug", "msg": "binance response", "status": 400, "body": '{"code":-1022,"msg":"Signature for this request is not valid."}'}) + "\n")
case("post-label-line-then-the-answer-in-spanish", """Un post: la petición impresa, una línea en blanco, "Respuesta de Binance:" y la respuesta.""",
     -2010, "answer-unexplained", "http",
     f"POST {API}/api/v3/order?{signed(limit)}\nX-MBX-APIKEY: {KEY}\n\nRespuesta de Binance:\n"
     '{"code":-2010,"msg":"Account has insufficient balance for requested action."}\n')
case("bash-klines-time-zone-plus-not-encoded", """curl "$API/api/v3/klines?symbol=BTCUSDT&interval=1h&timeZone=+08:00"   # a raw '+' is a space""",
     -1130, "param-malformed", "curl",
     f"curl '{API}/api/v3/klines?symbol=BTCUSDT&interval=1h&timeZone=+08:00&limit=24'")

# ---------- session 45, rounds 30-31: API tools' files, loggers' levels, auth settings ----------
get = [("symbol", "BTCUSDT"), ("timestamp", TS)]
order = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001"), ("timestamp", TS)]
thunder = {"clientName": "Thunder Client", "collectionName": "binance", "version": "1.2", "folders": [], "requests": [
    {"_id": "1", "name": "order", "url": f"{API}/api/v3/order/test", "method": "POST",
     "headers": [{"name": "X-MBX-APIKEY", "value": KEY}, {"name": "Content-Type", "value": "application/x-www-form-urlencoded"}],
     "params": [], "body": {"type": "formencoded", "raw": "", "form": [{"name": k, "value": str(v)} for k, v in order + [("signature", mac(enc(order)))]]}}]}
case("thunder-client-export-form-body", """Thunder Client: Export collection, the order's body in Form-encoded rows""",
     0, "", "http", json.dumps(thunder, indent=2))
hopp = [{"v": 2, "name": "Binance", "folders": [], "requests": [
    {"v": "6", "endpoint": f"{API}/api/v3/openOrders", "name": "open", "method": "GET",
     "params": [{"key": k, "value": str(v), "active": True} for k, v in get + [("signature", mac(enc(get)))]],
     "headers": [{"key": "X-MBX-APIKEY", "value": KEY, "active": False}],
     "auth": {"authType": "none", "authActive": True}, "body": {"contentType": None, "body": None}}]}]
case("hoppscotch-export-key-header-switched-off", """Hoppscotch: the X-MBX-APIKEY header row left unchecked, then Export""",
     -2014, "key-missing", "http", json.dumps(hopp, indent=2))
bru_form = "\n".join(f"  {k}: {v}" for k, v in order + [("signature", mac(enc(order)))])
case("bruno-request-file-with-its-environment", """collections/binance/order.bru and environments/Production.bru (vars { baseUrl, apiKey })""",
     0, "", "http",
     "meta {\n  name: order\n  type: http\n  seq: 1\n}\n\npost {\n  url: {{baseUrl}}/api/v3/order/test\n  body: formUrlEncoded\n  auth: none\n}\n\n"
     "headers {\n  X-MBX-APIKEY: {{apiKey}}\n}\n\nbody:form-urlencoded {\n" + bru_form + "\n}\n\n"
     f"vars {{\n  baseUrl: {API}\n  apiKey: {KEY}\n}}\n")
case("vscode-rest-client-file-variables-and-a-multiline-form", """@ts = ...  @sig = ...  then a form body over lines that start with &""",
     0, "", "http",
     f"@ts = {TS}\n@sig = {mac(enc(order))}\n\nPOST {API}/api/v3/order/test\nX-MBX-APIKEY: {KEY}\nContent-Type: application/x-www-form-urlencoded\n\n"
     + "\n&".join(f"{k}={v}" for k, v in order[:-1] + [("timestamp", "{{ts}}"), ("signature", "{{sig}}")]) + "\n")
insomnia = {"_type": "export", "__export_format": 4, "resources": [{"_id": "req_1", "_type": "request", "method": "GET", "url": f"{API}/api/v3/openOrders",
            "body": {}, "headers": [], "parameters": [{"name": k, "value": str(v)} for k, v in get + [("signature", mac(enc(get)))]],
            "authentication": {"type": "bearer", "token": KEY, "prefix": ""}}]}
case("insomnia-export-key-as-bearer-token", """Insomnia: Auth tab set to Bearer Token with the API key""",
     -2014, "key-in-authorization-header", "http", json.dumps(insomnia, indent=2))
case("csharp-logger-level-line-after-the-printed-url", """_logger.LogInformation(url); ... _logger.LogError("Binance returned {Status}: {Body}", ...)""",
     -2010, "answer-unexplained", "http",
     f"info: Worker[0]\n      GET {API}/api/v3/openOrders?{signed(get)}\nfail: Worker[0]\n"
     '      Binance returned 400: {"code":-2010,"msg":"Account has insufficient balance for requested action."}\n')
case("curlie-with-curl-options", """curlie -X GET "$API/api/v3/openOrders?$q&signature=$sig" -H 'X-MBX-APIKEY: $KEY'""",
     0, "", "curl", f"curlie -X GET '{API}/api/v3/openOrders?{signed(get)}' -H 'X-MBX-APIKEY: {KEY}'")
zap_data = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001"), ("timestamp", TS)]
zap_data = zap_data + [("signature", mac(enc(zap_data)))]
case("zapier-webhooks-post-data-block-as-json", """Webhooks by Zapier, POST: its Data in panel (payload_type json, the pairs under data:)""",
     -1102, "json-body", "http",
     f"Data in\nurl: {API}/api/v3/order\npayload_type: json\ndata:\n" + "".join(f"  {k}: {v}\n" for k, v in zap_data)
     + f"wrap_in_array: no\nunflatten: yes\nbasic_auth: \nheaders:\n  X-MBX-APIKEY: {KEY}\n\n"
     "The app returned \"Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.\".\n")
node_red = {"url": f"{API}/api/v3/order", "method": "POST", "headers": {"X-MBX-APIKEY": KEY},
            "payload": {k: str(v) for k, v in zap_data}}
case("node-red-http-request-object-payload", """Node-RED: a function node sets msg.payload = {symbol, side, ...} before an http request node""",
     -1102, "json-body", "http",
     "msg : Object\n" + json.dumps(node_red) + "\nmsg : Object\n"
     '{"payload":{"code":-1102,"msg":"Mandatory parameter \'symbol\' was not sent, was empty/null, or malformed."},"statusCode":400}\n')
case("postman-console-form-data-body", """Postman: Body tab on form-data (not x-www-form-urlencoded); the console's print of the request""",
     -1102, "body-multipart", "http",
     f"POST {API}/api/v3/order\n400\nRequest Headers\n  X-MBX-APIKEY: {KEY}\n"
     "  Content-Type: multipart/form-data; boundary=--------------------------512345678901234567890123\n"
     "Request Body\n" + "".join(f'  {k}: "{v}"\n' for k, v in zap_data))
pm_query = [("symbol", "BTCUSDT"), ("timestamp", "{{timestamp}}"), ("recvWindow", "5000"), ("signature", "{{signature}}")]
pm_signed = enc([("symbol", "BTCUSDT"), ("recvWindow", "5000"), ("timestamp", TS)])
def postman_collection(key_var):
    return {"info": {"_postman_id": "2f0c3b8e-1d5a-4e07-9a43-6b1f0e2d7c11", "name": "Binance Spot",
                     "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
            "item": [{"name": "Open orders", "request": {"method": "GET",
                      "header": [{"key": "X-MBX-APIKEY", "value": "{{" + key_var + "}}"}],
                      "url": {"raw": "{{url}}/api/v3/openOrders?" + "&".join(f"{k}={v}" for k, v in pm_query),
                              "host": ["{{url}}"], "path": ["api", "v3", "openOrders"],
                              "query": [{"key": k, "value": v} for k, v in pm_query]}}}],
            "event": [{"listen": "prerequest", "script": {"type": "text/javascript", "exec": [
                "const ts = Date.now();",
                "pm.environment.set('timestamp', ts);",
                "const params = pm.request.url.query.filter(p => !['timestamp', 'signature'].includes(p.key)).map(p => p.key + '=' + p.value);",
                "params.push('timestamp=' + ts);",
                "pm.environment.set('signature', CryptoJS.HmacSHA256(params.join('&'), pm.environment.get('binance-api-secret')).toString());"]}}]}
pm_env = {"id": "7c0e6f3a-52b1-4d8e-8f0a-3e9d2c1b4a55", "name": "Binance", "values": [
    {"key": "url", "value": API, "enabled": True},
    {"key": "binance-api-key", "value": KEY, "enabled": True},
    {"key": "binance-api-secret", "value": SECRET, "type": "secret", "enabled": True},
    {"key": "timestamp", "value": str(TS), "enabled": True},
    {"key": "signature", "value": mac(pm_signed), "enabled": True}], "_postman_variable_scope": "environment"}
case("postman-collection-script-signs-timestamp-last", """Postman: the collection's pre-request script signs the query with timestamp appended last, while the
# URL has timestamp={{timestamp}} before recvWindow (the collection and its environment, both exported)""",
     -1022, "signed-time-last", "http",
     "Binance Spot.postman_collection.json\n" + json.dumps(postman_collection("binance-api-key"), indent="\t")
     + "\n\nBinance.postman_environment.json\n" + json.dumps(pm_env, indent="\t") + "\n")
case("postman-collection-key-variable-the-environment-lacks", """Postman: the header says {{apiKey}}, the environment defines binance-api-key""",
     -2014, "key-empty", "http",
     json.dumps(postman_collection("apiKey"), indent=1) + "\n\n" + json.dumps(pm_env, indent=1) + "\n")
# Round 32: programs run against a sandbox, their own prints pasted.
sorted_order = sorted(ORDER + [("timestamp", TS)])
written = enc(ORDER + [("timestamp", TS)])
case("python-prints-signed-and-sent-lines-without-url", """print("signed:", to_sign); print("sent:  ", r.request.body)   # to_sign built from sorted(params.items())""",
     -1022, "signed-sorted-params", "http",
     f"signed: {enc(sorted_order)}\nsent:   {written}&signature={mac(enc(sorted_order))}\n"
     '400 {"code":-1022,"msg":"Signature for this request is not valid."}\n')
plus_ts = next(t for t in range(TS, TS + 500) if "+" in ed25519(enc(ORDER + [("timestamp", t)])))
plus_q = enc(ORDER + [("timestamp", plus_ts)])
case("node-prints-the-bare-form-ed25519-plus-raw", """console.log(body)   // body = `${query}&signature=${sig}`: the base64 signature's '+' left raw""",
     -1022, "signature-plus-not-encoded", "http",
     f"{plus_q}&signature={ed25519(plus_q)}\n" + '400 {"code":-1022,"msg":"Signature for this request is not valid."}\n',
     key="ed25519", time=plus_ts + 120)
pb = [("newClientOrderId", "grid#7 buy@30000"), ("price", "30000"), ("quantity", "0.01"), ("side", "BUY"), ("symbol", "BTCUSDT"),
      ("timeInForce", "GTC"), ("timestamp", str(TS)), ("type", "LIMIT")]
pb_sig = mac("&".join(f"{k}={v}" for k, v in pb))
case("python-binance-verbose-log-client-order-id-unencoded", """Client(key, secret, verbose=True): python-binance signs k=v joined as they are, requests then sends them urlencoded""",
     -1022, "signed-unencoded", "http",
     "2026-12-06 20:02:27,994 DEBUG binance.base_client: \n"
     "Request: POST https://api.binance.com/api/v3/order\nRequestHeaders: {'Content-Type': 'application/x-www-form-urlencoded'}\n"
     "RequestBody: [" + ", ".join(f"('{k}', '{v}')" for k, v in pb + [("signature", pb_sig)]) + "]\n"
     "Response: 400\nResponseHeaders: {'content-type': 'application/json;charset=UTF-8'}\n"
     'ResponseBody: {"code":-1022,"msg":"Signature for this request is not valid."}\n')
get_q = enc(get)
case("python-prints-get-url-then-its-body", """requests.request("GET", url, data=params) ; print(method, r.request.url, r.request.body)""",
     -1102, "get-with-body", "http",
     f"GET {API}/api/v3/openOrders {get_q}&signature={mac(get_q)}\n"
     '400 {"code":-1102,"msg":"Mandatory parameter \'timestamp\' was not sent, was empty/null, or malformed."}\n')
case("curl-verbose-get-announcing-a-body", """curl -sv -X GET "$BASE/api/v3/allOrders" -H "X-MBX-APIKEY: $KEY" -d "$params&signature=$sig" """,
     -1102, "get-with-body", "http",
     f"> GET /api/v3/allOrders HTTP/1.1\n> Host: api.binance.com\n> User-Agent: curl/7.88.1\n> Accept: */*\n> X-MBX-APIKEY: {KEY}\n"
     "> Content-Length: 122\n> Content-Type: application/x-www-form-urlencoded\n> \n} [122 bytes data]\n< HTTP/1.1 400 Bad Request\n"
     "< content-type: application/json;charset=UTF-8\n< \n{ [98 bytes data]\n"
     '{"code":-1102,"msg":"Mandatory parameter \'timestamp\' was not sent, was empty/null, or malformed."}\n')
# Round 33: Go, PHP, Ruby programs run against a sandbox.
lot = enc([("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.000001"),
           ("price", "61000.00"), ("timestamp", TS)])
case("php-curl-verbose-then-the-program-prints-the-answer", """curl_setopt($ch, CURLOPT_VERBOSE, true); ... echo "HTTP $code: $resp\\n";   # the answer's body only in the program's print""",
     -1013, "answer-unexplained", "http",
     "> POST /api/v3/order HTTP/1.1\nHost: api.binance.com\nAccept: */*\n" f"X-MBX-APIKEY: {KEY}\nContent-Length: {len(lot) + 75}\n"
     "Content-Type: application/x-www-form-urlencoded\n\n< HTTP/1.1 400 Bad Request\n< content-type: application/json;charset=UTF-8\n< \n"
     f"* Connection #0 to host api.binance.com left intact\nPOST /api/v3/order {lot}&signature={mac(lot)}\n"
     'HTTP 400: {"code":-1013,"msg":"Filter failure: LOT_SIZE"}\n')
bal = enc([("symbol", "ETHUSDT"), ("side", "SELL"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "50000"),
           ("price", "3100"), ("timestamp", TS)])
case("ruby-exception-quotes-the-answer-after-the-url", """raise BinanceError, "#{req.method} #{req.path} failed: #{body['code']} #{body['msg']}" """,
     -2010, "answer-unexplained", "http",
     f"rb_order.rb:24:in `<main>': POST /api/v3/order?{bal}&signature={mac(bal)} failed: -2010 Account has insufficient balance for requested action. (BinanceError)\n")
bad = enc([("price", "50000.00"), ("quantity", "0.00100"), ("side", "BUY"), ("symbol", "BTCUSD"), ("timeInForce", "GTC"),
           ("timestamp", TS), ("type", "LIMIT")])
case("go-log-form-then-colon-and-the-error-struct", """log.Fatalf("order %s: %+v", body, apiErr)   # the form, a colon, Go's print of the error""",
     -1121, "answer-unexplained", "http",
     f"2017/07/12 03:21:59 order {bad}&signature={mac(bad)}: {{Code:-1121 Msg:Invalid symbol.}}\nexit status 1\n")
jb = {"symbol": "BTCUSDT", "side": "SELL", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.00100", "price": "65000.00", "timestamp": TS}
jb["signature"] = mac(json.dumps(jb, separators=(",", ":")))
case("php-prints-a-json-body-without-the-url", """curl_setopt($ch, CURLOPT_POSTFIELDS, json_encode($params)); echo "body: ", json_encode($params)""",
     -1102, "json-body", "http",
     "body: " + json.dumps(jb, separators=(",", ":")) + "\n"
     'response: {"code":-1102,"msg":"Mandatory parameter \'timestamp\' was not sent, was empty/null, or malformed."}\n')
arr = [("symbol", "BNBUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.100"), ("price", "500.000"), ("timestamp", TS)]
arr = arr + [("signature", mac(enc(arr)))]
case("php-array-postfields-curl-verbose-and-print-r", """curl_setopt($ch, CURLOPT_POSTFIELDS, $params);   // an array: curl sends multipart/form-data
print_r($params);""",
     -1102, "body-multipart", "http",
     "> POST /api/v3/order HTTP/1.1\nHost: api.binance.com\nAccept: */*\n" f"X-MBX-APIKEY: {KEY}\nContent-Length: 921\n"
     "Content-Type: multipart/form-data; boundary=------------------------2dd3427f778559d6\n\n* We are completely uploaded and fine\n"
     "< HTTP/1.1 400 Bad Request\n< content-type: application/json;charset=UTF-8\n< \nArray\n(\n"
     + "".join(f"    [{k}] => {v}\n" for k, v in arr) + ")\n"
     '{"code":-1102,"msg":"Mandatory parameter \'timestamp\' was not sent, was empty/null, or malformed."}\n')
go_ws = [("apiKey", KEY), ("omitZeroBalances", "true"), ("timestamp", TS)]
go_signed = "&".join(f"{k}={v}" for k, v in [go_ws[2], go_ws[0], go_ws[1]])
case("go-websocket-params-map-walked-to-sign", """for k, v := range params { parts = append(parts, k+"="+v) }   // a map's order, then json.Marshal sorts""",
     -1022, "signed-other-order", "ws",
     frame("acct-1", "account.status", go_ws + [("signature", mac(go_signed))]))
# Round 34: libraries' logs and WebSocket API programs.
acct = enc([("omitZeroBalances", "true"), ("recvWindow", "5000"), ("timestamp", TS)])
case("httpx-event-hook-line-and-its-info-line", """event_hooks={"request": [lambda r: print("-->", r.method, r.url)]} with logging at INFO""",
     0, "", "http",
     f"--> GET {API}/api/v3/account?{acct}&signature={mac(acct)}\n"
     f'INFO:httpx:HTTP Request: GET {API}/api/v3/account?{acct}&signature={mac(acct)} "HTTP/1.1 200 OK"\n')
case("got-before-request-hook-and-http-error-without-body", """hooks: { beforeRequest: [o => console.log('beforeRequest', o.method, o.url.href)] }, json: params""",
     -1102, "answer-unexplained", "http",
     f"beforeRequest POST {API}/api/v3/order\nHTTPError: Request failed with status code 400 (Bad Request): POST {API}/api/v3/order\n"
     '{"code":-1102,"msg":"Mandatory parameter \'timestamp\' was not sent, was empty/null, or malformed."}\n')
mp_fields = [("symbol", "BNBUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.100"), ("price", "550.00"), ("timestamp", TS)]
mp_fields = mp_fields + [("signature", mac(enc(mp_fields)))]
bnd = "------------------------laOx3BfyVEhH5UpSeAIahh"
mp_body = "".join(f"--{bnd}\\r\\nContent-Disposition: form-data; name=\"{k}\"\\r\\n\\r\\n{v}\\r\\n" for k, v in mp_fields) + f"--{bnd}--\\r\\n"
mp_len = len(mp_body.replace("\\r\\n", "\r\n"))
case("pycurl-debugfunction-httppost-multipart", """c.setopt(pycurl.HTTPPOST, list(params.items())); c.setopt(pycurl.DEBUGFUNCTION, lambda t, m: print(f"debug({t}): {m!r}"))""",
     -1102, "body-multipart", "http",
     f"debug(0): b'  Trying 127.0.0.1:443...\\n'\ndebug(2): b'POST /api/v3/order HTTP/1.1\\r\\nHost: api.binance.com\\r\\nAccept: */*\\r\\n"
     f"X-MBX-APIKEY: {KEY}\\r\\nContent-Length: {mp_len}\\r\\nContent-Type: multipart/form-data; boundary={bnd}\\r\\n\\r\\n'\n"
     f"debug(4): b'{mp_body}'\ndebug(1): b'HTTP/1.1 400 Bad Request\\r\\n'\n"
     "debug(3): b'{\"code\":-1102,\"msg\":\"Mandatory parameter \\\\'timestamp\\\\' was not sent, was empty/null, or malformed.\"}'\n")
# Session 47: shell scripts' slips read from the request they send.
acct = enc([("omitZeroBalances", "true"), ("timestamp", TS)])
case("curl-user-basic-credentials", """curl -s -u "$KEY:" "$BASE/api/v3/account?$Q&signature=$SIG"   # -u sends Authorization: Basic""",
     -2014, "key-in-authorization-header", "curl",
     f"curl -s -u {KEY}: '{API}/api/v3/account?{acct}&signature={mac(acct)}'")
case("curl-verbose-data-to-get-only-path", """curl -v -s -H "X-MBX-APIKEY: $KEY" -d "$Q&signature=$SIG" "$BASE/api/v3/account"   # -d posts""",
     -405, "path-unknown", "http",
     f"> POST /api/v3/account HTTP/1.1\n> Host: api.binance.com\n> User-Agent: curl/7.88.1\n> Accept: */*\n> X-MBX-APIKEY: {KEY}\n"
     f"> Content-Length: {len(acct) + 75}\n> Content-Type: application/x-www-form-urlencoded\n> \n}} [{len(acct) + 75} bytes data]\n"
     "< HTTP/1.1 405 Method Not Allowed\n< allow: GET,HEAD\n< content-length: 0\n< \n")

for old in HERE.glob("*.case"):
    old.unlink()
for i, (name, client, code, cause, form, request, key, time, extra) in enumerate(CASES, 1):
    lines = [f"# {line}" for line in client.splitlines()]
    lines += [f"key: {key}"] + [f"{k}: {v}" for k, v in extra]
    lines += [f"time: {time}", f"expect-code: {code}", f"expect-cause: {cause}", f"--- {form}", request]
    # Three digits once there are more than 99 (the tests find cases by name, not number).
    width = 3 if len(CASES) > 99 else 2
    (HERE / f"{i:0{width}d}-{name}.case").write_text("\n".join(lines) + "\n")
print(f"wrote {len(CASES)} cases")
