"""Read-only reader of a live Kubernetes API: raw JSON objects of the
security-relevant kinds, for ``zerodrift drift --live k8s://CONTEXT[/NAMESPACE]``.

``fetch`` loads the kubeconfig through the official ``kubernetes`` client (the
optional extra ``zerodrift[k8s]``), finds the preferred version of every wanted
kind by API discovery (``/api``, ``/api/v1``, ``/apis``, ``/apis/<group>/<version>``),
then lists each kind with paginated GET requests and keeps the bodies as raw
JSON -- the client's typed models drop fields they do not know, and a field
only live has (``privileged: true``) is exactly what drift must see.

Read-only by construction: the only HTTP method this module sends is GET.
Every request has a timeout and the whole fetch a call budget. A kind the
server does not serve is skipped with a warning; a kind that cannot be read
(403 for Secrets under the ``view`` role, a server error, an exhausted budget)
goes to ``not_inspected`` with a warning, so the pipeline never calls its
templates "missing". Unusable configuration or connection problems raise a
one-line ``UsageError`` that names the context and the reason, never a value
from the kubeconfig or the cluster (shared/docs/drift.md sections 5.1, 7, 11.3).
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from urllib.parse import quote
from urllib.parse import urlsplit

from scanner.errors import ParseError
from scanner.errors import UsageError

# (API group, Kind); the core group is ""
DEFAULT_KINDS: tuple[tuple[str, str], ...] = (
    ("", "Namespace"),
    ("", "ServiceAccount"),
    ("", "ConfigMap"),
    ("", "Secret"),
    ("", "Service"),
    ("", "Pod"),
    ("", "ResourceQuota"),
    ("", "LimitRange"),
    ("apps", "Deployment"),
    ("apps", "StatefulSet"),
    ("apps", "DaemonSet"),
    ("batch", "Job"),
    ("batch", "CronJob"),
    ("networking.k8s.io", "NetworkPolicy"),
    ("networking.k8s.io", "Ingress"),
    ("rbac.authorization.k8s.io", "Role"),
    ("rbac.authorization.k8s.io", "RoleBinding"),
    ("rbac.authorization.k8s.io", "ClusterRole"),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
    ("autoscaling", "HorizontalPodAutoscaler"),
    ("policy", "PodDisruptionBudget"),
)

REQUEST_TIMEOUT = 15.0  # seconds, per request
MAX_CALLS = 2000  # requests per fetch, discovery included
PAGE_SIZE = 500  # items per list page (kubectl's default chunk size)
MAX_KUBECONFIG_BYTES = 4 * 1024 * 1024
MISSING_EXTRA = "live Kubernetes needs the optional extra: pip install 'zerodrift[k8s]'"

_NAMESPACE = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_QUIET_LOGGERS = ("kubernetes", "urllib3")


@dataclass
class FetchResult:
    objects: list[dict]  # raw API objects, apiVersion and kind filled in, sorted
    kinds: list[tuple[str, str]]  # (group, Kind) listed completely
    not_inspected: list[tuple[str, str]]  # served but not (completely) readable: 403, errors, budget
    warnings: list[str] = field(default_factory=list)
    provenance: str = ""  # k8s://<context>[/<namespace>] (server <host>)


@dataclass(frozen=True)
class _Resource:
    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool
    verbs: tuple[str, ...]

    @property
    def group_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    def list_path(self, namespace: str | None) -> str:
        base = f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"
        if self.namespaced and namespace:
            return f"{base}/namespaces/{quote(namespace, safe='')}/{self.plural}"
        return f"{base}/{self.plural}"


class _HTTPError(Exception):
    """A non-2xx answer of the API server (status only, never the body)."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


class _BudgetExhausted(Exception):
    pass


def _label(group: str, kind: str) -> str:
    return f"{group}/{kind}" if group else kind


def fetch(
    context: str | None,
    namespace: str | None,
    kubeconfig: str | None = None,
    kinds: tuple[tuple[str, str], ...] = DEFAULT_KINDS,
    *,
    timeout: float = REQUEST_TIMEOUT,
    max_calls: int = MAX_CALLS,
    page_size: int = PAGE_SIZE,
) -> FetchResult:
    """List ``kinds`` from the cluster of ``context`` (None = the kubeconfig's
    current context), in ``namespace`` only for namespaced kinds (None = all).

    Raises ``UsageError`` (one line) when the client extra is missing, the
    kubeconfig or context is unusable, the server cannot be reached, or it
    rejects the credentials.
    """
    try:
        import kubernetes  # noqa: F401
    except ImportError:
        raise UsageError(MISSING_EXTRA) from None
    if namespace is not None and (len(namespace) > 63 or not _NAMESPACE.fullmatch(namespace)):
        raise UsageError("live Kubernetes: the namespace in k8s://CONTEXT/NAMESPACE is not a valid namespace name")
    with _quiet():
        api_client, context_name, host = _client(context, kubeconfig, timeout)
        try:
            reader = _Reader(api_client, context_name, host, timeout, max_calls, page_size)
            result = reader.read(kinds, namespace)
        finally:
            with contextlib.suppress(Exception):
                api_client.close()
    scope = f"k8s://{context_name}" + (f"/{namespace}" if namespace else "")
    result.provenance = f"{scope} (server {host})"
    return result


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence the client's and urllib3's own logging and warnings
    (InsecureRequestWarning, retry messages): errors come out as one line."""
    loggers = [logging.getLogger(name) for name in _QUIET_LOGGERS]
    saved = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for lg, level in zip(loggers, saved):
            lg.setLevel(level)


def _kubeconfig_paths(kubeconfig: str | None) -> tuple[str, list[str]]:
    """The kubeconfig value to hand to the client and the files it names."""
    if kubeconfig:
        if not os.path.isfile(kubeconfig):
            raise UsageError(f"live Kubernetes: kubeconfig not found: {kubeconfig}")
        return kubeconfig, [kubeconfig]
    env = os.environ.get("KUBECONFIG", "")
    if env:
        paths = [p for p in env.split(os.pathsep) if p and os.path.isfile(os.path.expanduser(p))]
        if not paths:
            raise UsageError("live Kubernetes: no file named by KUBECONFIG exists")
        return os.pathsep.join(paths), [os.path.expanduser(p) for p in paths]
    default = os.path.expanduser(os.path.join("~", ".kube", "config"))
    if not os.path.isfile(default):
        raise UsageError("live Kubernetes: no kubeconfig found (set KUBECONFIG or create ~/.kube/config)")
    return default, [default]


def _read_kubeconfig_files(paths: list[str]) -> tuple[list[str], str | None]:
    """Context names and the current context of the kubeconfig files, merged
    as kubectl does (the first file that sets a value wins).

    Every file is parsed with zerodrift's hardened YAML loader first, so a
    hostile one (alias bomb, deep nesting, huge) is refused with one line
    before the client's own loader reads it."""
    from scanner.parsers.safe_yaml import load_documents

    names: list[str] = []
    current: str | None = None
    for path in paths:
        try:
            if os.path.getsize(path) > MAX_KUBECONFIG_BYTES:
                raise UsageError(f"live Kubernetes: kubeconfig {path} is larger than {MAX_KUBECONFIG_BYTES} bytes")
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError):
            raise UsageError(f"live Kubernetes: cannot read kubeconfig {path}") from None
        try:
            docs = load_documents(text)
        except ParseError as exc:
            where = f" (line {exc.line})" if exc.line else ""
            # the loader's own limits (alias bomb, nesting) are worth naming; a
            # syntax message could quote the file, which may hold a token
            why = "" if exc.reason.startswith("invalid") else f": {exc.reason}"
            raise UsageError(f"live Kubernetes: kubeconfig {path} is not valid YAML{where}{why}") from None
        values = [d.value for d in docs if d.value is not None]
        if len(values) > 1 or (values and not isinstance(values[0], dict)):
            raise UsageError(f"live Kubernetes: kubeconfig {path} is not a kubeconfig mapping")
        config = values[0] if values else {}
        contexts = config.get("contexts")
        for entry in contexts if isinstance(contexts, list) else []:
            name = entry.get("name") if isinstance(entry, dict) else None
            if isinstance(name, str) and name and name not in names:
                names.append(name)
        if current is None and isinstance(config.get("current-context"), str) and config["current-context"]:
            current = config["current-context"]
    return names, current


def _client(context: str | None, kubeconfig: str | None, timeout: float) -> tuple[Any, str, str]:
    """An ApiClient for ``context``, its name and the server host."""
    from kubernetes import client as k8s_client
    from kubernetes import config as k8s_config
    from kubernetes.config.config_exception import ConfigException

    config_file, paths = _kubeconfig_paths(kubeconfig)
    names, current = _read_kubeconfig_files(paths)
    if context is None:
        if not current:
            raise UsageError("live Kubernetes: the kubeconfig has no current-context; name one: k8s://CONTEXT")
        context_name = current
    else:
        context_name = context
    if context_name not in names:
        shown = ", ".join(sorted(names)) or "none"
        raise UsageError(f"live Kubernetes: context {context_name!r} is not in the kubeconfig (contexts: {shown})")

    configuration = k8s_client.Configuration()
    configuration.retries = 1  # one reconnect, then fail: never a long retry loop
    try:
        api_client = k8s_config.new_client_from_config(
            config_file=config_file, context=context_name, persist_config=False,
            client_configuration=configuration)
    except ConfigException as exc:
        message = str(exc).splitlines()[0] if str(exc) else ""
        # structural messages name keys, never values; anything else (an exec
        # plugin's output, a token file) is not echoed
        detail = message if message.startswith("Invalid kube-config file.") else "its credentials cannot be loaded"
        raise UsageError(f"live Kubernetes: context {context_name!r}: {detail}") from None
    except Exception as exc:
        raise UsageError(f"live Kubernetes: context {context_name!r} cannot be loaded ({type(exc).__name__})") from None
    return api_client, context_name, _host(api_client.configuration.host)


def _host(url: str) -> str:
    """The server URL without any user:password part."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return "?"
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return f"{parts.scheme}://{netloc}{parts.path}".rstrip("/") if parts.scheme else netloc or "?"


class _Reader:
    def __init__(self, api_client: Any, context: str, host: str, timeout: float, max_calls: int,
                 page_size: int) -> None:
        self.api = api_client
        self.context = context
        self.host = host
        self.timeout = timeout
        self.calls_left = max_calls
        self.page_size = max(1, page_size)
        self.warnings: list[str] = []
        self._resource_lists: dict[str, list[dict] | None] = {}

    # -- HTTP ------------------------------------------------------------
    def get(self, path: str, query: list[tuple[str, str]] | None = None) -> Any:
        """GET ``path`` and return the decoded JSON; the only request made."""
        if self.calls_left <= 0:
            raise _BudgetExhausted()
        self.calls_left -= 1
        status, data = self._send_get(path, query or [])
        if status == 401:
            raise UsageError(f"live Kubernetes: the API server of context {self.context!r} ({self.host}) "
                             "rejected the credentials (401 Unauthorized)")
        if not 200 <= status <= 299:
            raise _HTTPError(status)
        try:
            return json.loads(data)
        except (ValueError, RecursionError):
            raise _HTTPError(-1) from None

    def _send_get(self, path: str, query: list[tuple[str, str]]) -> tuple[int, bytes]:
        import urllib3
        from kubernetes.client.exceptions import ApiException

        headers = {"Accept": "application/json"}
        try:
            if hasattr(self.api, "param_serialize"):  # clients generated by openapi-generator 7
                method, url, header_params, _body, _post = self.api.param_serialize(
                    "GET", path, query_params=query, header_params=headers, auth_settings=["BearerToken"])
                response = self.api.call_api(method, url, header_params=header_params,
                                             _request_timeout=self.timeout)
                return int(response.status), response.read() or b""
            response = self.api.call_api(  # pragma: no cover - kubernetes < 32 (python-legacy client)
                path, "GET", query_params=query, header_params=headers, auth_settings=["BearerToken"],
                _preload_content=False, _request_timeout=self.timeout, _return_http_data_only=True)
            return int(response.status), response.data or b""  # pragma: no cover
        except ApiException as exc:  # the legacy client raises for non-2xx
            return int(exc.status or 0), b""
        except urllib3.exceptions.HTTPError as exc:
            raise UsageError(f"live Kubernetes: cannot reach the API server of context {self.context!r} "
                             f"({self.host}): {_connection_reason(exc)}") from None
        except OSError:
            raise UsageError(f"live Kubernetes: cannot reach the API server of context {self.context!r} "
                             f"({self.host}): connection failed") from None

    # -- discovery ---------------------------------------------------------
    def _resources(self, group_version: str) -> list[dict] | None:
        """The APIResourceList entries of ``group_version``; None when not served."""
        if group_version not in self._resource_lists:
            path = f"/apis/{group_version}" if "/" in group_version else f"/api/{group_version}"
            try:
                body = self.get(path)
            except _HTTPError as exc:
                if exc.status not in (404, 503):  # 503: an unavailable aggregated API
                    self.warnings.append(f"discovery of {group_version} failed ({_status_text(exc.status)})")
                body = None
            entries = body.get("resources") if isinstance(body, dict) else None
            self._resource_lists[group_version] = [e for e in entries if isinstance(e, dict)] \
                if isinstance(entries, list) else None
        return self._resource_lists[group_version]

    def _group_versions(self, groups: set[str]) -> dict[str, list[str]]:
        """Versions of each wanted group, preferred first."""
        found: dict[str, list[str]] = {}
        if "" in groups:
            body = self._discovery_root("/api")
            versions = body.get("versions") if isinstance(body, dict) else None
            found[""] = [v for v in versions if isinstance(v, str)] if isinstance(versions, list) else []
        if groups - {""}:
            body = self._discovery_root("/apis")
            for group in body.get("groups") or [] if isinstance(body, dict) else []:
                if not isinstance(group, dict) or group.get("name") not in groups:
                    continue
                listed = [v.get("groupVersion") for v in group.get("versions") or [] if isinstance(v, dict)]
                preferred = (group.get("preferredVersion") or {}).get("groupVersion") \
                    if isinstance(group.get("preferredVersion"), dict) else None
                ordered = ([preferred] if preferred else []) + [v for v in listed if v != preferred]
                found[str(group["name"])] = [v for v in ordered if isinstance(v, str) and "/" in v]
        return found

    def _discovery_root(self, path: str) -> Any:
        try:
            return self.get(path)
        except _HTTPError as exc:
            raise UsageError(f"live Kubernetes: API discovery ({path}) failed on context {self.context!r} "
                             f"({self.host}): {_status_text(exc.status)}") from None

    def _resolve(self, group: str, kind: str, versions: list[str]) -> _Resource | None:
        for group_version in versions:
            for entry in self._resources(group_version) or []:
                name = entry.get("name")
                if entry.get("kind") != kind or not isinstance(name, str) or not name or "/" in name:
                    continue
                version = group_version.rsplit("/", 1)[-1]
                verbs = tuple(v for v in entry.get("verbs") or [] if isinstance(v, str))
                return _Resource(group, version, name, kind, entry.get("namespaced") is True, verbs)
        return None

    # -- listing -----------------------------------------------------------
    def read(self, kinds: tuple[tuple[str, str], ...], namespace: str | None) -> FetchResult:
        wanted = list(dict.fromkeys((str(g), str(k)) for g, k in kinds))
        listed: list[tuple[str, str]] = []
        not_inspected: list[tuple[str, str]] = []
        objects: dict[tuple[str, str, str, str], dict] = {}
        try:
            group_versions = self._group_versions({g for g, _ in wanted})
        except _BudgetExhausted:
            raise UsageError(f"live Kubernetes: the call budget ran out during API discovery on context "
                             f"{self.context!r}") from None
        budget_hit = False
        for group, kind in wanted:
            label = _label(group, kind)
            if budget_hit:
                not_inspected.append((group, kind))
                continue
            resource: _Resource | None = None
            try:
                resource = self._resolve(group, kind, group_versions.get(group, []))
                if resource is None:
                    self.warnings.append(f"{label}: not served by the API server; skipped")
                    continue
                if resource.verbs and "list" not in resource.verbs:
                    self.warnings.append(f"{label}: the API server does not allow listing it; not inspected")
                    not_inspected.append((group, kind))
                    continue
                items = self._list(resource, namespace)
            except _BudgetExhausted:
                self.warnings.append(f"the call budget ran out at {label}; it and the kinds after it "
                                     "were not inspected")
                not_inspected.append((group, kind))
                budget_hit = True
                continue
            except _HTTPError as exc:
                if exc.status == 403:
                    scope = f" in namespace {namespace}" if namespace and resource and resource.namespaced else ""
                    self.warnings.append(f"{label}: forbidden (403) for this user{scope}; not inspected")
                else:
                    self.warnings.append(f"{label}: listing failed ({_status_text(exc.status)}); not inspected")
                not_inspected.append((group, kind))
                continue
            listed.append((group, kind))
            for item in items:
                meta = item["metadata"]
                key = (group, kind, str(meta.get("namespace") or ""), str(meta.get("name") or ""))
                objects[key] = item
        ordered = [objects[k] for k in sorted(objects)]
        return FetchResult(objects=ordered, kinds=listed, not_inspected=not_inspected, warnings=self.warnings)

    def _list(self, resource: _Resource, namespace: str | None) -> list[dict]:
        """Every item of ``resource``, page by page, apiVersion and kind filled in."""
        path = resource.list_path(namespace)
        items: list[dict] = []
        token = ""
        seen_tokens: set[str] = set()
        while True:
            query = [("limit", str(self.page_size))] + ([("continue", token)] if token else [])
            body = self.get(path, query)
            if not isinstance(body, dict) or "items" not in body or not isinstance(body["items"], (list, type(None))):
                raise _HTTPError(-1)
            for item in body.get("items") or []:
                if not isinstance(item, dict) or not isinstance(item.get("metadata"), dict):
                    continue
                item.setdefault("apiVersion", resource.group_version)
                item.setdefault("kind", resource.kind)
                items.append(item)
            meta = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
            token = meta.get("continue") or ""
            if not token or not isinstance(token, str):
                return items
            if token in seen_tokens:  # a server that loops would never end
                raise _HTTPError(-2)
            seen_tokens.add(token)


def _status_text(status: int) -> str:
    if status == -1:
        return "the answer is not a JSON object list"
    if status == -2:
        return "the server repeated a continue token"
    names = {403: "403 Forbidden", 404: "404 Not Found", 410: "410 Gone: the list expired mid-way",
             429: "429 Too Many Requests", 500: "500 Internal Server Error", 503: "503 Service Unavailable"}
    return names.get(status, f"HTTP {status}")


def _connection_reason(exc: Exception) -> str:
    """A short category for a connection failure (the exception text names
    the URL and can quote a proxy; it is never echoed)."""
    import urllib3

    inner = getattr(exc, "reason", None) or exc
    # NewConnectionError subclasses ConnectTimeoutError in urllib3 2: test it first
    if isinstance(inner, urllib3.exceptions.NewConnectionError):
        text = str(inner).lower()
        if "refused" in text:
            return "connection refused"
        if "name or service" in text or "resolution" in text or "nodename" in text:
            return "host name not resolved"
        return "connection failed"
    if isinstance(inner, urllib3.exceptions.SSLError):
        return "TLS error (check the cluster's certificate-authority)"
    if isinstance(inner, urllib3.exceptions.ProxyError):
        return "proxy error"
    if isinstance(inner, urllib3.exceptions.TimeoutError):
        return "timed out"
    return "connection failed"
