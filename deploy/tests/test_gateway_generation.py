"""The compose gateway (nginx) and the Gateway API routes serve exactly routes.yaml.

Parsed from the committed files, independently of the generator: every prefix of
deploy/gateway/routes.yaml goes to its service, nothing else is proxied, and both gateways
limit the same paths at the same rates. With nginx installed, the generated config is
also run against four stand-in services.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import gen_gateway
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ROUTES = ROOT / "deploy" / "gateway" / "routes.yaml"
NGINX_CONF = ROOT / "deploy" / "compose" / "gateway" / "nginx.conf"
GATEWAY_API = ROOT / "deploy" / "k8s" / "base" / "gateway.yaml"

PROXY_LOCATION = re.compile(
    r"location\s+(=\s+)?(\S+)\s*\{\s*(?:limit_req\s+[^;]*;\s*)?proxy_pass\s+\$upstream_(\w+);\s*\}"
)
LIMIT_REQ = re.compile(r"location\s+=\s+(\S+)\s*\{\s*limit_req\s+zone=(\w+)\s+burst=(\d+)")
ZONE = re.compile(r"limit_req_zone\s+\$sme_limit_(\w+)\s+zone=(\w+):\S+\s+rate=(\d+)r/m;")
ANY_LOCATION = re.compile(r"location\s+(?:=\s+)?(\S+)\s*\{")
UPSTREAM = re.compile(r"set \$upstream_(\w+) http://([\w.-]+):(\d+);")


def routes() -> dict[str, list[str]]:
    return dict(yaml.safe_load(ROUTES.read_text(encoding="utf-8"))["services"])


def expected() -> set[tuple[str, str]]:
    return {(prefix, service) for service, prefixes in routes().items() for prefix in prefixes}


def rate_limits() -> dict[str, tuple[str, int]]:
    """path -> (method, requests per minute), as written in routes.yaml."""
    data = yaml.safe_load(ROUTES.read_text(encoding="utf-8"))["rate_limits"]
    return {v["path"]: (v["method"], v["requests_per_minute"]) for v in data.values()}


def nginx_table(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """(exact locations, prefix locations) -> service, from the proxying locations."""
    exact: dict[str, str] = {}
    prefix: dict[str, str] = {}
    for eq, path, service in PROXY_LOCATION.findall(text):
        table = exact if eq else prefix
        assert path not in table, f"location {path} twice"
        table[path] = service
    return exact, prefix


def nginx_route_prefix(prefix: dict[str, str], path: str) -> str | None:
    matches = [p for p in prefix if path.startswith(p)]
    return prefix[max(matches, key=len)] if matches else None


def nginx_route(text: str, path: str) -> str | None:
    """Which service nginx sends `path` to: exact match, else the longest prefix (no regexes)."""
    exact, prefix = nginx_table(text)
    if path in exact:
        return exact[path]
    matches = [p for p in prefix if path.startswith(p)]
    return prefix[max(matches, key=len)] if matches else None


def test_routes_table_is_sane() -> None:
    assert gen_gateway.load_routes(ROUTES) == routes()
    assert set(routes()) == {"intake", "review", "supervision", "tracking"}


def test_nginx_proxies_every_prefix_and_nothing_else() -> None:
    text = NGINX_CONF.read_text(encoding="utf-8")
    exact, prefix = nginx_table(text)
    # Exact locations: every prefix, plus the rate-limited paths below a prefix.
    prefixes = {p for p, _ in expected()}
    limited_below = {(p, nginx_route_prefix(prefix, p)) for p in rate_limits() if p not in prefixes}
    assert set(exact.items()) == expected() | limited_below
    assert {(p.removesuffix("/"), s) for p, s in prefix.items()} == expected()
    assert all(p.endswith("/") for p in prefix)
    # Each upstream variable names the service's own host on the service port.
    assert {name: (host, port) for name, host, port in UPSTREAM.findall(text)} == {
        s: (s, "8000") for s in routes()
    }
    # The only other locations: the gateway's health, the JSON 404 catch-all and the 503 handler.
    proxied = set(exact) | set(prefix)
    others = [p for p in ANY_LOCATION.findall(text) if p not in proxied]
    assert sorted(others) == ["/", "/gateway/healthz", "@rate_limited", "@unavailable"]
    assert text.count("proxy_pass") == len(exact) + len(prefix)


def test_nginx_matching_follows_prefix_semantics() -> None:
    text = NGINX_CONF.read_text(encoding="utf-8")
    for prefix, service in expected():
        assert nginx_route(text, prefix) == service
        assert nginx_route(text, prefix + "/x/y?z=1") == service
        # A prefix is whole path segments: "/docs/reviewx" is not review's (it is under
        # /docs, intake's), "/api/v1/casesX" is no one's.
        beside = prefix + "x"
        assert nginx_route(text, beside) == ("intake" if beside.startswith("/docs/") else None)
    assert nginx_route(text, "/api/v1/revocation-proposals/7") == "supervision"
    assert nginx_route(text, "/api/v1/revocations") == "supervision"
    assert nginx_route(text, "/api/v1/casesX") is None
    assert nginx_route(text, "/api/v1/public/notices?year=2025") is None  # query is not a path
    assert nginx_route(text, "/api/v1/public/notices") == "review"
    assert nginx_route(text, "/docs") == "intake"  # the gateway document's Swagger UI
    assert nginx_route(text, "/docs/assets/swagger-ui.css") == "intake"
    assert nginx_route(text, "/docs/review") == "review"  # the longer prefix wins
    assert nginx_route(text, "/api/v2/applications") is None


def _gateway_docs() -> list[dict[str, object]]:
    return [d for d in yaml.safe_load_all(GATEWAY_API.read_text(encoding="utf-8")) if d]


def test_httproutes_route_every_prefix_and_nothing_else() -> None:
    docs: list[dict] = _gateway_docs()  # type: ignore[type-arg]
    gateways = [d for d in docs if d["kind"] == "Gateway"]
    assert len(gateways) == 1
    assert [lst["protocol"] for lst in gateways[0]["spec"]["listeners"]] == ["HTTPS"]
    got = []
    for route in (d for d in docs if d["kind"] == "HTTPRoute"):
        assert route["spec"]["parentRefs"] == [
            {"name": gateways[0]["metadata"]["name"], "sectionName": "https"}
        ]
        assert "hostnames" not in route["spec"]  # the listener's host (overlay) applies
        for rule in route["spec"]["rules"]:
            assert rule["backendRefs"] == [{"name": route["metadata"]["name"], "port": 80}]
            for match in rule["matches"]:
                assert match["path"]["type"] == "PathPrefix"
                assert set(match) == {"path"}  # no method/header restriction
                got.append((match["path"]["value"], rule["backendRefs"][0]["name"]))
    assert len(got) == len(set(got))
    assert set(got) == expected()


def test_both_gateways_limit_the_same_paths_at_the_same_rates() -> None:
    limits = rate_limits()
    assert "/api/v1/cases" in limits  # the public complaint filing
    assert "/api/v1/evaluations/preview" in limits
    # Envoy Gateway: a local rate limit rule per path, on the route that serves it.
    envoy = {}
    for policy in (d for d in _gateway_docs() if d["kind"] == "BackendTrafficPolicy"):
        spec: dict = policy["spec"]  # type: ignore[assignment,type-arg]
        (target,) = spec["targetRefs"]
        for rule in spec["rateLimit"]["local"]["rules"]:
            (selector,) = rule["clientSelectors"]
            assert selector["path"]["type"] == "Exact"
            (method,) = selector["methods"]
            assert rule["limit"]["unit"] == "Minute"
            path = selector["path"]["value"]
            envoy[path] = (method["value"], rule["limit"]["requests"])
            assert gen_gateway.route_of(routes(), path) == target["name"]
    assert envoy == limits
    # nginx: a zone per limit at the same rate, counting only the limited method, on an
    # exact location of that path; burst = the per-minute number (Envoy's bucket size).
    text = NGINX_CONF.read_text(encoding="utf-8")
    zones = {zone: int(rate) for var, zone, rate in ZONE.findall(text) if var == zone}
    nginx = {}
    for path, zone, burst in LIMIT_REQ.findall(text):
        method = re.search(rf"map \$request_method \$sme_limit_{zone} \{{\s*(\w+) ", text)
        assert method
        assert int(burst) == zones[zone]
        nginx[path] = (method.group(1), zones[zone])
    assert nginx == limits
    assert "limit_req_status 429;" in text
    assert "error_page 429 = @rate_limited;" in text


def test_committed_files_are_what_the_generator_writes() -> None:
    assert gen_gateway.main(["--check"]) == 0


def test_the_gateway_document_and_its_docs_are_routed_to_one_service() -> None:
    text = NGINX_CONF.read_text(encoding="utf-8")
    for path in ("/openapi.json", "/docs", "/redoc", "/redoc/redoc.standalone.js"):
        assert nginx_route(text, path) == "intake", path
    assert re.search(r"location = /gateway/healthz \{.*?return 200 ", text, re.S)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("services: {intake: [/a], review: [/a]}", "routed to intake and review"),
        ("services: {intake: [/a/]}", "bad prefix"),
        ("services: {intake: ['/a;b']}", "bad prefix"),
        ("services: {intake: [/gateway/healthz]}", "served by the gateway itself"),
        ("services: {intake: []}", "needs a list"),
        ("routes: []", "expected a mapping"),
        (
            "services: {intake: [/a]}\nrate_limits: {x: {method: POST, path: /b, "
            "requests_per_minute: 5}}",
            "not a routed path",
        ),
        (
            "services: {intake: [/a]}\nrate_limits: {x: {method: GET, path: /a, "
            "requests_per_minute: 5}}",
            "not a write method",
        ),
        (
            "services: {intake: [/a]}\nrate_limits: {x: {method: POST, path: /a, "
            "requests_per_minute: 0}}",
            "positive integer",
        ),
    ],
)
def test_generator_refuses_what_it_cannot_express(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "routes.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(gen_gateway.RoutesError, match=message):
        gen_gateway.load_rate_limits(path)


# --- the generated nginx config, run -------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stand_in(name: str) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = f"{name} {self.path} {self.headers.get('X-Request-ID', '')}".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.do_GET()

        def log_message(self, format: str, *args: object) -> None:
            pass

    return ThreadingHTTPServer(("127.0.0.1", 0), Handler)


@pytest.fixture
def running_gateway(tmp_path: Path) -> Iterator[tuple[int, dict[str, ThreadingHTTPServer]]]:
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if nginx is None:
        # `make test` installs nginx first (deploy/tools/ensure-nginx.sh) and sets
        # SME_REQUIRE_NGINX, so there a missing nginx fails instead of passing unseen.
        if os.environ.get("SME_REQUIRE_NGINX"):
            pytest.fail("nginx is required here (run deploy/tools/ensure-nginx.sh)")
        pytest.skip("nginx is not installed (the static checks above still ran)")
    servers = {name: _stand_in(name) for name in routes()}
    for server in servers.values():
        threading.Thread(target=server.serve_forever, daemon=True).start()
    port = _free_port()
    conf = NGINX_CONF.read_text(encoding="utf-8")
    conf = re.sub(r"\n\s*resolver [^;]*;", "\n", conf)
    conf = conf.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    conf = conf.replace("pid /tmp/nginx.pid;", f"pid {tmp_path}/nginx.pid;")
    conf = conf.replace("/tmp/nginx-", f"{tmp_path}/nginx-")
    for name, server in servers.items():
        conf = conf.replace(f"http://{name}:8000;", f"http://127.0.0.1:{server.server_port};")
    (tmp_path / "nginx.conf").write_text(conf, encoding="utf-8")
    proc = subprocess.Popen(
        [
            nginx,
            "-p",
            str(tmp_path),
            "-c",
            str(tmp_path / "nginx.conf"),
            "-e",
            "stderr",
            "-g",
            "daemon off; master_process off;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode() if proc.stderr else ""
                    pytest.fail(f"nginx did not start: {err}")
                time.sleep(0.05)
        yield port, servers
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        for server in servers.values():
            server.shutdown()  # idempotent
            server.server_close()


def _get(
    port: int, path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        body = b"{}" if method == "POST" else None
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read().decode(), resp.getheader("Content-Type") or ""
    finally:
        conn.close()


def test_generated_nginx_routes_requests(
    running_gateway: tuple[int, dict[str, ThreadingHTTPServer]],
) -> None:
    port, servers = running_gateway
    for prefix, service in sorted(expected()):
        for path in (prefix, prefix + "/sub/path?year=2025"):
            status, body, _ = _get(port, path)
            assert status == 200, path
            assert body.split(" ")[:2] == [service, path]
    status, body, _ = _get(port, "/api/v1/cases/1", {"X-Request-ID": "req-1"})
    assert body.endswith(" req-1")  # the client's request id reaches the service
    status, body, ctype = _get(port, "/api/v1/casesX")
    assert status == 404
    assert ctype == "application/json"
    assert '"code":"not_found"' in body
    status, body, ctype = _get(port, "/gateway/healthz")
    assert status == 200
    assert ctype == "application/json"
    assert body == '{"status":"ok"}'
    # A service that is down: 503 in the contract's error shape, not nginx's HTML page.
    servers["tracking"].shutdown()
    servers["tracking"].server_close()
    status, body, ctype = _get(port, "/api/v1/obligations")
    assert status == 503
    assert ctype == "application/json"
    assert '"code":"service_unavailable"' in body


def test_generated_nginx_limits_public_filing(
    running_gateway: tuple[int, dict[str, ThreadingHTTPServer]],
) -> None:
    port, _ = running_gateway
    method, per_minute = rate_limits()["/api/v1/cases"]
    statuses = [_get(port, "/api/v1/cases", method=method)[0] for _ in range(per_minute + 5)]
    # The burst (= the per-minute number) passes at once, the rest is refused.
    assert statuses[:per_minute] == [200] * per_minute
    assert statuses[-1] == 429
    status, body, ctype = _get(port, "/api/v1/cases", method=method)
    assert (status, ctype) == (429, "application/json")
    assert '"code":"rate_limited"' in body
    # Only that method on that path counts: reading cases and other paths still work.
    assert _get(port, "/api/v1/cases")[0] == 200
    assert _get(port, "/api/v1/cases/7", method=method)[0] == 200
    assert _get(port, "/api/v1/evaluations/preview", method=method)[0] == 200
