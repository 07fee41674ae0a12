"""What every Python conformance suite here shares: the sandbox it drives, the checks and their report,
and the admin API's key registration. Imported by run.py and connector/run.py (each in its own venv)."""
import json
import subprocess
import traceback
import urllib.request


class Sandbox:
    """An mbx sandbox on a free loopback port, in memory: its REST base, WebSocket base and demo key."""

    def __init__(self, mbx):
        self.proc = subprocess.Popen([mbx, "--output", "json", "sandbox", "--addr", "127.0.0.1:0", "--memory"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        info = json.loads(self.proc.stdout.readline())
        self.base, self.ws, self.key, self.secret = info["rest"], info["ws"], info["apiKey"], info["secretKey"]

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)

    def admin(self, path, body):
        """POSTs `body` (JSON) to the sandbox's admin API at `path`; its JSON answer."""
        request = urllib.request.Request(self.base + path, data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request) as answer:
            return json.loads(answer.read())

    def register_key(self, kind):
        """A new key pair of `kind` ("ed25519" or "rsa", made with pycryptodome, which binance-common and
        binance-connector sign with), its public key registered on the demo account through the admin
        API: (apiKey, private key PEM)."""
        from Crypto.PublicKey import ECC, RSA
        key = ECC.generate(curve="ed25519") if kind == "ed25519" else RSA.generate(2048)

        def pem(k):
            text = k.export_key(format="PEM")  # str for ECC keys, bytes for RSA ones
            return text if isinstance(text, str) else text.decode()
        answer = self.admin("/sandbox/v1/keys", {"kind": kind, "publicKey": pem(key.public_key())})
        return answer["apiKey"], pem(key)


def expect(condition, message):
    """Raises AssertionError(message) unless condition holds (usable inside lambdas)."""
    if not condition:
        raise AssertionError(message)


class Checks:
    """Named checks: each passes or fails on its own (a failure is noted, the next still runs)."""

    def __init__(self):
        self.results = []

    def _failed(self, name, e):
        self.results.append((name, False, f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=3)}"))

    def check(self, name, fn):
        try:
            self.results.append((name, True, fn() or ""))
        except Exception as e:  # a failed check is reported, the others still run
            self._failed(name, e)

    async def check_async(self, name, fn):
        try:
            self.results.append((name, True, (await fn()) or ""))
        except Exception as e:  # a failed check is reported, the others still run
            self._failed(name, e)

    def report(self):
        """Prints one line per check and 'N passed, N failed'; the exit status (1 if any failed)."""
        failed = 0
        for name, ok, detail in self.results:
            print(f"{'ok  ' if ok else 'FAIL'} {name}" + ("" if ok else f"\n{detail}"))
            failed += 0 if ok else 1
        print(f"{len(self.results) - failed} passed, {failed} failed")
        return 1 if failed else 0
