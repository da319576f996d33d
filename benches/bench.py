#!/usr/bin/env python3
"""pkce-tray's benchmarks: memory, throughput and start times, each beside
its floor (a bare Tauri tray app, a bare hyper server) measured in the same
run on the same machine. Medians of several rounds; prints a Markdown
report. Run through scripts/bench, which builds the release binaries and
installs wrk."""

import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ["CARGO_TARGET_DIR"]
DESKTOP = f"{TARGET}/release/pkce-tray"
ENGINE = f"{TARGET}/engine-only/release/pkce-tray"
BARE_TAURI = f"{TARGET}/release/examples/bare_tauri"
BARE_HYPER = f"{TARGET}/release/examples/bare_hyper"
BROWSER = f"{REPO}/tests/provider/browser"
CLIENT_ID = "pkce-tray-dev"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
MIB = 1024


class Process:
    """A child whose stdout and stderr lines are kept with their arrival time."""

    def __init__(self, argv, env=None):
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            argv, env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace",
        )
        self.lines = []
        for pipe in (self.proc.stdout, self.proc.stderr):
            threading.Thread(target=self._read, args=(pipe,), daemon=True).start()

    def _read(self, pipe):
        for line in pipe:
            self.lines.append((time.monotonic(), line.rstrip("\n")))

    def wait_line(self, pattern, timeout=60):
        """Seconds from start to the first line matching `pattern`, and its match."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while time.monotonic() < deadline:
            for at, line in list(self.lines):
                found = regex.search(line)
                if found:
                    return at - self.started, found
            if self.proc.poll() is not None:
                break
            time.sleep(0.002)
        raise RuntimeError(f"no line matching {pattern!r} in {timeout}s: {self.lines[-5:]}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


def descendants(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (FileNotFoundError, ProcessLookupError, IndexError):
                pass
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def comm(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except FileNotFoundError:
        return ""


def webkit_children(pid):
    return [p for p in descendants(pid) if comm(p).startswith("WebKit")]


def window_children(pid):
    """The window's process and its WebKit processes."""
    return [p for p in descendants(pid) if comm(p).startswith(("WebKit", "pkce-tray-windo"))]


def http_status(url, method="GET", body=None, timeout=120):
    request = urllib.request.Request(url, method=method, data=body)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_http(url, started, timeout=30):
    """Seconds from `started` until `url` answers at all."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            http_status(url, timeout=1)
            return time.monotonic() - started
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.0005)
    raise RuntimeError(f"{url} did not answer in {timeout}s")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wrk(url, seconds=5, connections=32):
    """The load generator on the second core (the servers under test run on
    the first: see measure_throughput)."""
    out = subprocess.run(
        ["taskset", "-c", "1", "wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    return {"rps": rps, "requests": requests, "p99_ms": float(p99.group(1)) * scale}


def median(values):
    return statistics.median(values)


class Desktop:
    """A private X display and session bus for the desktop runs."""

    def __init__(self):
        self.home = tempfile.mkdtemp(prefix="pkce-tray-bench-")
        self.xvfb = Process(["Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
        _, display = self.xvfb.wait_line(r"^(\d+)$")
        self.bus = Process(["dbus-daemon", "--session", "--nofork", "--print-address=1"])
        _, address = self.bus.wait_line(r"^(unix:\S+)")
        self.env = {
            "DISPLAY": f":{display.group(1)}",
            "DBUS_SESSION_BUS_ADDRESS": address.group(1),
            "HOME": self.home,
            "XDG_CONFIG_HOME": f"{self.home}/config",
            "XDG_DATA_HOME": f"{self.home}/data",
            "XDG_RUNTIME_DIR": f"{self.home}/run",
        }
        os.makedirs(f"{self.home}/run", mode=0o700)

    def stop(self):
        self.bus.stop()
        self.xvfb.stop()
        shutil.rmtree(self.home, ignore_errors=True)


def headless_args(issuer, port=0):
    return ["--headless", "--port", str(port), "--issuer", issuer, "--client-id", CLIENT_ID]


def start_server(binary, issuer, env=None, pin=(), port=0, config=None):
    env = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent", "PKCE_TRAY_LOG": "pkce_tray=debug", **(env or {})}
    env.pop("DISPLAY", None)
    args = headless_args(issuer, port) if config is None else ["--headless", "--port", str(port), "--config", config]
    app = Process([*pin, binary, *args], {**env, "DISPLAY": ""})
    _, found = app.wait_line(r"listening on (http://\S+)")
    return app, found.group(1)


def measure_server_start(binary, issuer):
    """Spawn to first HTTP answer, and idle RSS."""
    times, rss = [], []
    for _ in range(ROUNDS):
        app = Process([binary, *headless_args(issuer)], {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent", "DISPLAY": ""})
        _, found = app.wait_line(r"listening on (http://\S+)")
        times.append(wait_http(found.group(1) + "/session", app.started))
        time.sleep(2)
        rss.append(status_kib(app.proc.pid, "VmRSS"))
        app.stop()
    return {"start_ms": median(times) * 1000, "idle_rss_mib": median(rss) / MIB}


def measure_burst(binary, issuer):
    app, url = start_server(binary, issuer)
    time.sleep(1)
    total = 0
    while total < 100_000:
        total += wrk(url + "/pkce/challenge", seconds=5)["requests"]
    time.sleep(1)
    rss = status_kib(app.proc.pid, "VmRSS")
    peak = status_kib(app.proc.pid, "VmHWM")
    app.stop()
    return {"requests": total, "rss_after_mib": rss / MIB, "peak_mib": peak / MIB}


def measure_throughput(issuer):
    """Each server on the first core, wrk on the second: on a 2-core machine
    a load generator sharing the server's core preempts it, and the tail
    measured is the scheduler's."""
    first_core = ("taskset", "-c", "0")
    app, url = start_server(DESKTOP, issuer, pin=first_core)
    bare = Process([*first_core, BARE_HYPER])
    _, found = bare.wait_line(r"listening on (http://\S+)")
    bare_url = found.group(1)
    rounds = {"challenge": [], "not_found": [], "bare_hyper": []}
    for _ in range(ROUNDS):
        rounds["challenge"].append(wrk(url + "/pkce/challenge"))
        rounds["not_found"].append(wrk(url + "/nope"))
        rounds["bare_hyper"].append(wrk(bare_url + "/"))
    app.stop()
    bare.stop()
    return {
        name: {"rps": median(r["rps"] for r in runs), "p99_ms": median(r["p99_ms"] for r in runs)}
        for name, runs in rounds.items()
    }


def measure_tray(binary, args, extra_env, desktop, ready_pattern):
    times, rss, webkit = [], [], []
    for _ in range(3):
        app = Process([binary, *args], {**desktop.env, **extra_env})
        took, _ = app.wait_line(ready_pattern)
        times.append(took)
        time.sleep(3)
        rss.append(status_kib(app.proc.pid, "VmRSS"))
        webkit.append(len(webkit_children(app.proc.pid)))
        app.stop()
    return {"ready_ms": median(times) * 1000, "rss_mib": median(rss) / MIB, "webkit_processes": max(webkit)}


def tree_memory(pid):
    pids = [pid, *descendants(pid)]
    return {
        "pss_mib": sum(pss_kib(p) for p in pids) / MIB,
        "rss_mib": sum(status_kib(p, "VmRSS") for p in pids) / MIB,
        "processes": len(pids),
    }


def webdriver(driver_url, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    status, answer = http_status(driver_url + path, method=method, body=data, timeout=120)
    if status >= 400:
        raise RuntimeError(f"WebDriver {method} {path}: {status} {answer[:200]!r}")
    return json.loads(answer or b"{}")


def measure_window(binary, args, desktop, app_pattern, close=True):
    """Window open through tauri-driver: PSS of the app and its WebKit
    processes; then the window closed (Escape, as a person would: WebDriver's
    own close would end the app with the session): what is left."""
    for attempt in (1, 2):
        port, native_port = free_port(), free_port()
        driver = Process(["tauri-driver", "--port", str(port), "--native-port", str(native_port)], desktop.env)
        url = f"http://127.0.0.1:{port}"
        wait_http(url + "/status", driver.started)
        try:
            session = webdriver(url, "POST", "/session", {"capabilities": {"alwaysMatch": {
                "browserName": "wry", "tauri:options": {"application": binary, "args": args}}}})
            break
        except (RuntimeError, OSError, http.client.HTTPException) as error:
            # Seen once in many runs: tauri-driver dropped the session request.
            print(f"WebDriver session failed (attempt {attempt}): {error!r}; "
                  f"driver said: {[line for _, line in driver.lines[-5:]]}", file=sys.stderr)
            driver.stop()
            if attempt == 2:
                raise
    session_id = session["value"]["sessionId"]
    app_pid = next(p for p in descendants(driver.proc.pid) if re.search(app_pattern, comm(p)))
    time.sleep(4)
    opened = tree_memory(app_pid)
    if not close:
        os.kill(app_pid, 15)
        driver.stop()
        return {"open": opened}
    body = webdriver(url, "POST", f"/session/{session_id}/element", {"using": "css selector", "value": "body"})
    element = next(iter(body["value"].values()))
    try:
        webdriver(url, "POST", f"/session/{session_id}/element/{element}/value", {"text": "\ue00c"})
    except RuntimeError:
        pass  # the window may be gone before the driver answers
    deadline = time.monotonic() + 30
    while window_children(app_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(3)
    closed = {"rss_mib": status_kib(app_pid, "VmRSS") / MIB, "webkit_processes": len(webkit_children(app_pid)),
              "window_processes": len(window_children(app_pid))}
    try:
        os.kill(app_pid, 15)
    except ProcessLookupError:
        pass
    driver.stop()
    return {"open": opened, "closed": closed}


def measure_open_to_painted(desktop, issuer):
    """A running tray app is asked to Open (a second launch); time until
    the window's page has loaded (the app's own log mark)."""
    times = []
    for _ in range(3):
        args = ["--hidden", "--port", "0", "--issuer", issuer, "--client-id", CLIENT_ID]
        app = Process([DESKTOP, *args], {**desktop.env, "PKCE_TRAY_LOG": "pkce_tray=info"})
        app.wait_line(r"tray ready")
        time.sleep(1)
        asked = time.monotonic()
        subprocess.run([DESKTOP], env={**os.environ, **desktop.env}, check=True, timeout=30,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        took, _ = app.wait_line(r"window loaded")
        times.append(took - (asked - app.started))
        app.stop()
    return {"open_to_loaded_ms": median(times) * 1000}


def log_time(line):
    """Seconds since midnight of a tracing log line's timestamp."""
    stamp = re.search(r"T(\d\d):(\d\d):(\d\d\.\d+)Z", line)
    hours, minutes, seconds = stamp.groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def measure_sign_in(issuer, port=0):
    """A whole API sign-in against a local provider with the HTTP test
    browser. The app's share is the total less the time from opening the
    browser to the provider's answer at the callback (the browser and the
    provider's pages) and less the token endpoint's time (both from the
    app's own log marks). `port`: the one the provider registered, where
    it matches redirect URIs exactly (Glewlwyd)."""
    app, url = start_server(DESKTOP, issuer, {"BROWSER": BROWSER, "TEST_BROWSER_ENGINE": "http",
                                              "NO_COLOR": "1"}, port=port)
    shares, totals = [], []
    for round_number in range(ROUNDS + 1):
        marks_before = len(app.lines)
        started = time.monotonic()
        _, body = http_status(url + "/pkce/challenge")
        challenge = json.loads(body)["challenge"]
        seed = {"response_type": "code", "state": challenge["state"], "nonce": challenge["nonce"],
                "code_challenge": challenge["challenge"], "code_challenge_method": "S256",
                "scope": ["openid", "profile", "email", "offline_access"], "client_id": CLIENT_ID}
        status, body = http_status(url + "/pkce/code", "POST", json.dumps(seed).encode())
        assert status == 200, body
        code = json.loads(body)["result"]["code"]
        token = {"grant_type": "authorization_code", "client_id": CLIENT_ID, "code": code,
                 "redirect_uri": f"{url}/pkce/response/code", "code_verifier": challenge["verifier"]}
        status, body = http_status(url + "/pkce/token", "POST", json.dumps(token).encode())
        assert status == 200, body
        total = time.monotonic() - started
        time.sleep(0.3)
        lines = [line for _, line in app.lines[marks_before:]]
        opened = next(log_time(l) for l in lines if "opened the sign-in page" in l)
        answered = next(log_time(l) for l in lines if "answered at the callback" in l)
        provider_s = sum(int(m.group(1)) for l in lines
                         for m in [re.search(r"token endpoint answered in (\d+)", l)] if m) / 1e6
        if round_number:  # the first round warms the discovery and JWKS caches
            totals.append(total)
            shares.append(total - (answered - opened) - provider_s)
    app.stop()
    return {"total_ms": median(totals) * 1000, "app_share_ms": median(shares) * 1000}


def accounts_config(issuer, count):
    """A configuration of `count` accounts, a1 … aN, all at `issuer`."""
    return "".join(f'[accounts.a{n}]\nissuer = "{issuer}"\nclient_id = "{CLIENT_ID}"\n\n'
                   for n in range(1, count + 1))


def measure_terminal_token(issuer, accounts=0):
    """`pkce-tray token` against a running instance (signed in, the token
    fresh, so no refresh), beside the same binary's `--version`: each run
    is a whole process, spawn to exit, alternating the two. With
    `accounts`, that many are configured, each signed in, and the token is
    the last one's (`token --account`)."""
    runtime = tempfile.mkdtemp(prefix="pkce-tray-bench-run-")
    env = {"XDG_RUNTIME_DIR": runtime, "BROWSER": BROWSER, "TEST_BROWSER_ENGINE": "http"}
    config = None
    if accounts:
        config = f"{runtime}/config.toml"
        with open(config, "w") as file:
            file.write(accounts_config(issuer, accounts))
        env["PKCE_TRAY_CONFIG"] = config
    else:
        env.update({"PKCE_TRAY_ISSUER": issuer, "PKCE_TRAY_CLIENT_ID": CLIENT_ID})
    app, _ = start_server(DESKTOP, issuer, env, config=config)
    full_env = {**os.environ, **env, "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"}
    token_args = ["token"]
    for n in range(1, accounts + 1) or [None]:
        which = ["--account", f"a{n}"] if n else []
        subprocess.run([DESKTOP, "sign-in", *which], env=full_env, check=True, capture_output=True, timeout=60)
        token_args = ["token", *which]

    def once(args):
        started = time.monotonic()
        done = subprocess.run([DESKTOP, *args], env=full_env, stdout=subprocess.DEVNULL, timeout=10)
        assert done.returncode == 0, args
        return time.monotonic() - started

    token, version = [], []
    for _ in range(20):  # warm the page cache
        once(token_args)
    for _ in range(300):
        token.append(once(token_args))
        version.append(once(["--version"]))
    app.stop()
    shutil.rmtree(runtime, ignore_errors=True)
    return {"token_ms": median(token) * 1000, "version_ms": median(version) * 1000,
            "token_p90_ms": statistics.quantiles(token, n=10)[-1] * 1000}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure_sign_in_at_glewlwyd():
    """The same sign-in against Glewlwyd (the tests' second provider), its
    redirect URI registered with the app's port."""
    port = free_port()
    provider = Process(["node", f"{REPO}/tests/provider/glewlwyd.mjs", "--port", "0", "--client-id", CLIENT_ID,
                        "--redirect", f"http://127.0.0.1:{port}/pkce/response/code"])
    _, found = provider.wait_line(r"READY (http://\S+)")
    try:
        return measure_sign_in(found.group(1), port)
    finally:
        provider.stop()


def measure_tray_accounts(desktop, issuer, count):
    """The tray's idle RSS with `count` accounts, every one signed in (its
    session kept in memory: no keychain on the benchmark's bus)."""
    rss = []
    env = {**desktop.env, "BROWSER": BROWSER, "TEST_BROWSER_ENGINE": "http",
           "PKCE_TRAY_CONFIG": f"{desktop.home}/accounts-{count}.toml"}
    with open(env["PKCE_TRAY_CONFIG"], "w") as file:
        file.write(accounts_config(issuer, count))
    for _ in range(3):
        app = Process([DESKTOP, "--hidden", "--port", "0"], env)
        app.wait_line(r"tray ready")
        for n in range(1, count + 1):
            subprocess.run([DESKTOP, "sign-in", "--account", f"a{n}"], env={**os.environ, **env},
                           check=True, capture_output=True, timeout=120)
        time.sleep(3)
        rss.append(status_kib(app.proc.pid, "VmRSS"))
        app.stop()
    return median(rss) / MIB


def measure_accounts(issuer):
    """Several accounts: `token --account` beside `--version`, and the
    tray's idle RSS with one account signed in and with five."""
    desktop = Desktop()
    try:
        return {
            "token_account": measure_terminal_token(issuer, accounts=2),
            "tray_one_account_rss_mib": measure_tray_accounts(desktop, issuer, 1),
            "tray_five_accounts_rss_mib": measure_tray_accounts(desktop, issuer, 5),
        }
    finally:
        desktop.stop()


def main():
    provider = Process(["node", f"{REPO}/tests/provider/provider.mjs", "--port", "0", "--client-id", CLIENT_ID])
    _, found = provider.wait_line(r"READY (http://\S+)")
    issuer = found.group(1)
    results = {}
    if sys.argv[1:] == ["accounts"]:
        try:
            results["accounts"] = measure_accounts(issuer)
        finally:
            provider.stop()
            json.dump(results, sys.stdout, indent=2)
            print()
        return
    if sys.argv[1:] == ["sign-in"]:
        try:
            results["sign_in"] = measure_sign_in(issuer)
            results["sign_in_glewlwyd"] = measure_sign_in_at_glewlwyd()
        finally:
            provider.stop()
            json.dump(results, sys.stdout, indent=2)
            print()
        return
    desktop = Desktop()
    try:
        print("engine-only build...", file=sys.stderr)
        results["engine_only"] = measure_server_start(ENGINE, issuer)
        results["engine_only_burst"] = measure_burst(ENGINE, issuer)
        print("desktop --headless...", file=sys.stderr)
        results["headless"] = measure_server_start(DESKTOP, issuer)
        print("throughput...", file=sys.stderr)
        results["throughput"] = measure_throughput(issuer)
        print("tray only...", file=sys.stderr)
        tray_args = ["--hidden", "--port", "0", "--issuer", issuer, "--client-id", CLIENT_ID]
        results["tray"] = measure_tray(DESKTOP, tray_args, {}, desktop, r"tray ready")
        results["bare_tray"] = measure_tray(BARE_TAURI, [], {}, desktop, r"tray ready")
        results["bare_tray_no_gl"] = measure_tray(BARE_TAURI, [], {"GDK_GL": "disable"}, desktop, r"tray ready")
        print("window...", file=sys.stderr)
        show_args = ["--show", "--port", "0", "--issuer", issuer, "--client-id", CLIENT_ID]
        results["window"] = measure_window(DESKTOP, show_args, desktop, r"^pkce-tray$")
        results["bare_window"] = measure_window(BARE_TAURI, ["--show"], desktop, r"^bare_tauri", close=False)
        results["open"] = measure_open_to_painted(desktop, issuer)
        print("sign-in...", file=sys.stderr)
        results["sign_in"] = measure_sign_in(issuer)
        results["sign_in_glewlwyd"] = measure_sign_in_at_glewlwyd()
        print("terminal token...", file=sys.stderr)
        results["terminal_token"] = measure_terminal_token(issuer)
        print("accounts...", file=sys.stderr)
        results["accounts"] = measure_accounts(issuer)
    finally:
        desktop.stop()
        provider.stop()
        json.dump(results, sys.stdout, indent=2)
        print()


if __name__ == "__main__":
    main()
