"""A small read-only fake Kubernetes API server for the live-drift tests.

Standard library only (``http.server`` in a daemon thread on 127.0.0.1, a free
port). It serves recorded objects the way kube-apiserver does, enough for the
``kubernetes`` client and ``kubectl get``: discovery (``/api``, ``/apis``,
``/api/v1``, ``/apis/<group>/<version>`` with ``shortNames``, subresources
included), ``/version``, list and get on the real REST paths, cluster-wide
and per namespace, with ``limit``/``continue`` pagination. List items come
without ``apiVersion``/``kind``, as the real server sends them.

It speaks HTTPS with a self-signed certificate made per process (kubectl
sends a bearer token only over TLS; the kubeconfig carries the CA as
``certificate-authority-data``), or plain HTTP with ``tls=False``.
It requires ``Authorization: Bearer <token>`` (401 otherwise), can answer 403
for chosen resources (the ``view`` role and Secrets), rejects every method but
GET with 405, and records every request, so tests can prove a reader is
read-only. It does no defaulting, admission, conversion or dry-run.

Use ``serve(objects)`` as a context manager (no pytest needed; the yielded
``FakeKubeAPI`` has ``.kubeconfig``), or the ``fake_k8s_api`` pytest fixture,
which starts with the recorded cluster in ``fixtures/k8s-api/``.
"""
from __future__ import annotations

import base64
import contextlib
import copy
import datetime
import json
import shutil
import ssl
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from urllib.parse import unquote
from urllib.parse import urlsplit

try:  # the module is usable without pytest (benchmarks, scripts)
    import pytest
except ImportError:  # pragma: no cover
    pytest = None  # type: ignore[assignment]

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "k8s-api"
TOKEN = "zd-fake-token-0123456789abcdef"
CONTEXT = "zd-fake"
VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]


@dataclass(frozen=True)
class ResourceType:
    group: str
    versions: tuple[str, ...]  # preferred first
    plural: str
    kind: str
    namespaced: bool
    short_names: tuple[str, ...] = ()
    subresources: tuple[str, ...] = ()


# the built-in kinds a v1.3x server serves (a subset: what the readers need plus a few neighbours)
BUILTIN: tuple[ResourceType, ...] = (
    ResourceType("", ("v1",), "namespaces", "Namespace", False, ("ns",), ("finalize", "status")),
    ResourceType("", ("v1",), "nodes", "Node", False, ("no",), ("proxy", "status")),
    ResourceType("", ("v1",), "serviceaccounts", "ServiceAccount", True, ("sa",), ("token",)),
    ResourceType("", ("v1",), "configmaps", "ConfigMap", True, ("cm",)),
    ResourceType("", ("v1",), "secrets", "Secret", True),
    ResourceType("", ("v1",), "services", "Service", True, ("svc",), ("proxy", "status")),
    ResourceType("", ("v1",), "pods", "Pod", True, ("po",), ("attach", "exec", "log", "status")),
    ResourceType("", ("v1",), "persistentvolumeclaims", "PersistentVolumeClaim", True, ("pvc",), ("status",)),
    ResourceType("", ("v1",), "resourcequotas", "ResourceQuota", True, ("quota",), ("status",)),
    ResourceType("", ("v1",), "limitranges", "LimitRange", True, ("limits",)),
    ResourceType("", ("v1",), "endpoints", "Endpoints", True, ("ep",)),
    ResourceType("apps", ("v1",), "deployments", "Deployment", True, ("deploy",), ("scale", "status")),
    ResourceType("apps", ("v1",), "statefulsets", "StatefulSet", True, ("sts",), ("scale", "status")),
    ResourceType("apps", ("v1",), "daemonsets", "DaemonSet", True, ("ds",), ("status",)),
    ResourceType("apps", ("v1",), "replicasets", "ReplicaSet", True, ("rs",), ("scale", "status")),
    ResourceType("apps", ("v1",), "controllerrevisions", "ControllerRevision", True),
    ResourceType("batch", ("v1",), "jobs", "Job", True, (), ("status",)),
    ResourceType("batch", ("v1",), "cronjobs", "CronJob", True, ("cj",), ("status",)),
    ResourceType("networking.k8s.io", ("v1",), "networkpolicies", "NetworkPolicy", True, ("netpol",)),
    ResourceType("networking.k8s.io", ("v1",), "ingresses", "Ingress", True, ("ing",), ("status",)),
    ResourceType("networking.k8s.io", ("v1",), "ingressclasses", "IngressClass", False),
    ResourceType("rbac.authorization.k8s.io", ("v1",), "roles", "Role", True),
    ResourceType("rbac.authorization.k8s.io", ("v1",), "rolebindings", "RoleBinding", True),
    ResourceType("rbac.authorization.k8s.io", ("v1",), "clusterroles", "ClusterRole", False),
    ResourceType("rbac.authorization.k8s.io", ("v1",), "clusterrolebindings", "ClusterRoleBinding", False),
    ResourceType("autoscaling", ("v2", "v1"), "horizontalpodautoscalers", "HorizontalPodAutoscaler", True,
                 ("hpa",), ("status",)),
    ResourceType("policy", ("v1",), "poddisruptionbudgets", "PodDisruptionBudget", True, ("pdb",), ("status",)),
)


def recorded_objects() -> list[dict]:
    """The recorded cluster: every object of ``fixtures/k8s-api/*.json``
    (``kubectl get -o json`` Lists), in file order."""
    objects: list[dict] = []
    for path in sorted(FIXTURES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        objects.extend(data["items"] if data.get("kind") == "List" else [data])
    return objects


_CERT: tuple[bytes, bytes] | None = None


def _make_certificate() -> tuple[bytes, bytes]:
    """A self-signed certificate and key (PEM) for 127.0.0.1, made once per process."""
    global _CERT
    if _CERT is not None:
        return _CERT
    try:
        import ipaddress

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        _CERT = _make_certificate_with_openssl()
        return _CERT
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "zerodrift-fake-kube-apiserver")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                        x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    _CERT = (cert.public_bytes(serialization.Encoding.PEM),
             key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                               serialization.NoEncryption()))
    return _CERT


def _make_certificate_with_openssl() -> tuple[bytes, bytes]:
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("the fake API server needs 'cryptography' or the openssl binary for TLS; "
                           "or pass tls=False")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-keyout", f"{tmp}/key.pem", "-out", f"{tmp}/cert.pem", "-days", "2",
                        "-subj", "/CN=zerodrift-fake-kube-apiserver",
                        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                       check=True, capture_output=True, timeout=60)
        return Path(f"{tmp}/cert.pem").read_bytes(), Path(f"{tmp}/key.pem").read_bytes()


def _status(code: int, reason: str, message: str, details: dict | None = None) -> dict:
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}
    if details:
        body["details"] = details
    return body


class FakeKubeAPI:
    """State and control of one fake server (thread-safe)."""

    def __init__(self, objects: Iterable[dict] = (), forbidden: Iterable[tuple[str, str]] = (),
                 unserved: Iterable[tuple[str, str]] = (), token: str = TOKEN, context: str = CONTEXT,
                 tls: bool = True) -> None:
        self.token = token
        self.tls = tls
        self.ca_pem = b""  # the server's self-signed certificate, when tls
        self.context = context
        self.requests: list[tuple[str, str]] = []  # (method, path?query) of every request, in order
        self.page_size: int | None = None  # caps every page, as a server may (None: honour limit only)
        self.kubeconfig = ""
        self.port = 0
        self._lock = threading.Lock()
        self._forbidden: set[tuple[str, str]] = set(forbidden)
        self._unserved: set[tuple[str, str]] = set(unserved)
        self._failing: dict[tuple[str, str], int] = {}
        self._raw: dict[tuple[str, str], bytes] = {}
        self._store: dict[tuple[str, str], list[dict]] = {}
        self._types: dict[tuple[str, str], ResourceType] = {(t.group, t.plural): t for t in BUILTIN}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.resource_version = 1000
        self.set_objects(objects)

    # -- control -----------------------------------------------------------
    def set_objects(self, objects: Iterable[dict]) -> None:
        """Replace every served object (deep-copied; unknown kinds become served CRD-like types)."""
        store: dict[tuple[str, str], list[dict]] = {}
        with self._lock:
            for obj in objects:
                rtype = self._type_of(obj)
                store.setdefault((rtype.group, rtype.plural), []).append(copy.deepcopy(obj))
            for items in store.values():
                items.sort(key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"]))
            self._store = store
            self.resource_version += 1

    def forbid(self, group: str, resource: str) -> None:
        """Answer 403 to list/get of ``resource`` (plural) in ``group``, as RBAC would."""
        with self._lock:
            self._forbidden.add((group, resource))

    def fail(self, group: str, resource: str, status: int = 500) -> None:
        """Answer ``status`` (a Status body) to list/get of ``resource`` in ``group``."""
        with self._lock:
            self._failing[(group, resource)] = status

    def answer_raw(self, group: str, resource: str, body: bytes) -> None:
        """Answer list/get of ``resource`` with 200 and ``body`` verbatim (a broken or hostile server)."""
        with self._lock:
            self._raw[(group, resource)] = body

    def unserve(self, group: str, resource: str) -> None:
        """Drop ``resource`` from discovery and the REST paths (an older or trimmed server)."""
        with self._lock:
            self._unserved.add((group, resource))

    def write_kubeconfig(self, path: str | Path, token: str | None = None, context: str | None = None,
                         port: int | None = None) -> str:
        """Write a kubeconfig for this server (or another token/context/port) and return its path."""
        name = context or self.context
        config = {
            "apiVersion": "v1", "kind": "Config", "preferences": {},
            "clusters": [{"name": f"{name}-cluster", "cluster": self._cluster_entry(port)}],
            "users": [{"name": f"{name}-user", "user": {"token": token if token is not None else self.token}}],
            "contexts": [{"name": name, "context": {"cluster": f"{name}-cluster", "user": f"{name}-user",
                                                    "namespace": "default"}}],
            "current-context": name,
        }
        Path(path).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
        return str(path)

    def _cluster_entry(self, port: int | None) -> dict:
        server = f"{'https' if self.tls else 'http'}://127.0.0.1:{port or self.port}"
        if not self.tls:
            return {"server": server}
        return {"server": server, "certificate-authority-data": base64.b64encode(self.ca_pem).decode()}

    def non_get_requests(self) -> list[tuple[str, str]]:
        return [r for r in self.requests if r[0] != "GET"]

    # -- model -------------------------------------------------------------
    def _type_of(self, obj: dict) -> ResourceType:
        api_version = str(obj.get("apiVersion", "v1"))
        group, _, version = api_version.rpartition("/")
        kind = str(obj.get("kind", ""))
        for rtype in self._types.values():
            if rtype.group == group and rtype.kind == kind:
                return rtype
        rtype = ResourceType(group, (version,), kind.lower() + "s", kind,
                             "namespace" in (obj.get("metadata") or {}), (), ())
        self._types[(group, rtype.plural)] = rtype
        return rtype

    def _served(self) -> list[ResourceType]:
        return [t for k, t in sorted(self._types.items()) if k not in self._unserved]

    def groups(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for rtype in self._served():
            versions = found.setdefault(rtype.group, [])
            versions.extend(v for v in rtype.versions if v not in versions)
        return found

    def resource_list(self, group: str, version: str) -> dict | None:
        resources = []
        for rtype in self._served():
            if rtype.group != group or version not in rtype.versions:
                continue
            resources.append({"name": rtype.plural, "singularName": rtype.kind.lower(),
                              "namespaced": rtype.namespaced, "kind": rtype.kind, "verbs": VERBS,
                              **({"shortNames": list(rtype.short_names)} if rtype.short_names else {}),
                              "storageVersionHash": base64.b64encode(rtype.plural.encode()).decode()[:11]})
            for sub in rtype.subresources:
                sub_kind = {"scale": "Scale", "token": "TokenRequest", "log": "Pod", "exec": "PodExecOptions",
                            "attach": "PodAttachOptions", "proxy": "NodeProxyOptions"}.get(sub, rtype.kind)
                resources.append({"name": f"{rtype.plural}/{sub}", "singularName": "",
                                  "namespaced": rtype.namespaced, "kind": sub_kind,
                                  "verbs": ["get"] if sub in ("log", "status", "scale") else ["create", "get"]})
        if not resources:
            return None
        group_version = f"{group}/{version}" if group else version
        return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version,
                "resources": resources}

    # -- HTTP --------------------------------------------------------------
    def handle(self, method: str, raw_path: str, authorization: str) -> tuple[int, dict | bytes]:
        with self._lock:
            self.requests.append((method, raw_path))
            if method != "GET":
                return 405, _status(405, "MethodNotAllowed", "this fake API server is read-only")
            if authorization != f"Bearer {self.token}":
                return 401, _status(401, "Unauthorized", "Unauthorized")
            split = urlsplit(raw_path)
            parts = [unquote(p) for p in split.path.split("/") if p]
            query = {k: v[-1] for k, v in parse_qs(split.query).items()}
            return self._route(parts, query)

    def _route(self, parts: list[str], query: dict[str, str]) -> tuple[int, dict | bytes]:
        not_found = (404, _status(404, "NotFound", "the server could not find the requested resource"))
        if parts == ["version"]:
            return 200, {"major": "1", "minor": "31", "gitVersion": "v1.31.0-zerodrift-fake",
                         "platform": "linux/amd64"}
        groups = self.groups()
        if parts == ["api"]:
            return 200, {"kind": "APIVersions", "versions": groups.get("", ["v1"]),
                         "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0",
                                                         "serverAddress": f"127.0.0.1:{self.port}"}]}
        if parts == ["apis"]:
            return 200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
                {"name": g, "versions": [{"groupVersion": f"{g}/{v}", "version": v} for v in vs],
                 "preferredVersion": {"groupVersion": f"{g}/{vs[0]}", "version": vs[0]}}
                for g, vs in sorted(groups.items()) if g]}
        if len(parts) >= 2 and parts[0] == "api":
            group, version, rest = "", parts[1], parts[2:]
        elif len(parts) >= 3 and parts[0] == "apis":
            group, version, rest = parts[1], parts[2], parts[3:]
        else:
            return not_found
        if version not in groups.get(group, []):
            return not_found
        if not rest:
            listing = self.resource_list(group, version)
            return (200, listing) if listing else not_found
        namespace = None
        if rest[0] == "namespaces" and len(rest) >= 3:
            namespace, rest = rest[1], rest[2:]
        if len(rest) > 2:
            return not_found
        rtype = self._types.get((group, rest[0]))
        if rtype is None or (group, rest[0]) in self._unserved or version not in rtype.versions \
                or (namespace is not None and not rtype.namespaced):
            return not_found
        verb = "get" if len(rest) == 2 else "list"
        if (group, rtype.plural) in self._forbidden:
            where = f' in the namespace "{namespace}"' if namespace else " at the cluster scope"
            return 403, _status(403, "Forbidden",
                                f'{rtype.plural} is forbidden: User "system:serviceaccount:zd:viewer" cannot '
                                f'{verb} resource "{rtype.plural}" in API group "{group}"{where}',
                                {"kind": rtype.plural, **({"group": group} if group else {})})
        if (group, rtype.plural) in self._raw:
            return 200, self._raw[(group, rtype.plural)]
        if (group, rtype.plural) in self._failing:
            code = self._failing[(group, rtype.plural)]
            return code, _status(code, "InternalError", "an error on the server has prevented the request")
        items = [o for o in self._store.get((group, rtype.plural), [])
                 if namespace is None or o["metadata"].get("namespace") == namespace]
        if verb == "get":
            for obj in items:
                if obj["metadata"]["name"] == rest[1]:
                    return 200, obj
            return 404, _status(404, "NotFound", f'{rtype.plural} "{rest[1]}" not found')
        return self._page(rtype, version, items, query)

    def _page(self, rtype: ResourceType, version: str, items: list[dict], query: dict[str, str]) -> tuple[int, dict]:
        start = 0
        if query.get("continue"):
            try:
                start = int(json.loads(base64.urlsafe_b64decode(query["continue"]))["start"])
            except (ValueError, KeyError, TypeError):
                return 400, _status(400, "BadRequest", "continue key is not valid")
        limits = [n for n in (_int(query.get("limit")), self.page_size) if n]
        end = min([start + n for n in limits] + [len(items)])
        page = []
        for obj in items[start:end]:
            item = copy.deepcopy(obj)
            item.pop("apiVersion", None)
            item.pop("kind", None)
            page.append(item)
        meta: dict[str, Any] = {"resourceVersion": str(self.resource_version)}
        if end < len(items):
            token = {"rv": self.resource_version, "start": end}
            meta["continue"] = base64.urlsafe_b64encode(json.dumps(token).encode()).decode()
            meta["remainingItemCount"] = len(items) - end
        group_version = f"{rtype.group}/{version}" if rtype.group else version
        return 200, {"kind": f"{rtype.kind}List", "apiVersion": group_version, "metadata": meta, "items": page}

    # -- lifecycle ---------------------------------------------------------
    def start(self) -> None:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out in two writes

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(min(length, 1 << 20))
                code, body = api.handle(self.command, self.path, self.headers.get("Authorization", ""))
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _answer

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        if self.tls:
            cert, key = _make_certificate()
            self.ca_pem = cert
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            with tempfile.TemporaryDirectory() as tmp:  # load_cert_chain reads files only
                Path(tmp, "tls.crt").write_bytes(cert)
                Path(tmp, "tls.key").write_bytes(key)
                context.load_cert_chain(Path(tmp, "tls.crt"), Path(tmp, "tls.key"))
            # the handshake runs in the handler thread, so a stalled client cannot block accept()
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True,
                                                      do_handshake_on_connect=False)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-k8s-api", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"


def _int(value: str | None) -> int:
    try:
        return max(0, int(value or 0))
    except ValueError:
        return 0


@contextlib.contextmanager
def serve(objects: Iterable[dict], forbidden: Iterable[tuple[str, str]] = (), *,
          unserved: Iterable[tuple[str, str]] = (), directory: str | Path | None = None,
          token: str = TOKEN, context: str = CONTEXT, tls: bool = True) -> Iterator[FakeKubeAPI]:
    """Run a fake API server serving ``objects`` until the block ends.

    ``forbidden``/``unserved`` are (group, plural) pairs. The kubeconfig is
    written to ``directory`` (a temporary directory when None) as
    ``<directory>/kubeconfig``; set ``KUBECONFIG`` to it for a subprocess.
    """
    api = FakeKubeAPI(objects, forbidden, unserved, token, context, tls)
    with contextlib.ExitStack() as stack:
        if directory is None:
            directory = stack.enter_context(tempfile.TemporaryDirectory(prefix="zd-fake-k8s-"))
        api.start()
        stack.callback(api.stop)
        api.kubeconfig = api.write_kubeconfig(Path(directory) / "kubeconfig")
        yield api


if pytest is not None:

    @pytest.fixture
    def fake_k8s_api(tmp_path: Path) -> Iterator[FakeKubeAPI]:
        """A fake API server serving the recorded cluster (``fixtures/k8s-api``);
        ``.kubeconfig``, ``.context``, ``.requests``, ``.set_objects()``, ``.forbid()``."""
        directory = tmp_path / "fake-k8s"
        directory.mkdir()
        with serve(recorded_objects(), directory=directory) as api:
            yield api
