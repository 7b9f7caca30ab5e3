"""The live sides ``zerodrift drift`` can read: an explicit registry.

Each entry names the module and class of one source (``scanner.drift.model.
Source``). Modules are imported when chosen, so the optional extras (boto3,
kubernetes) are only needed for the source that uses them.
"""
from __future__ import annotations

import importlib

from scanner.drift.model import Source
from scanner.errors import UsageError

SOURCES: dict[str, tuple[str, str]] = {
    "terraform-plan": ("scanner.drift.sources.terraform_plan", "TerraformPlanSource"),
    "terraform-state": ("scanner.drift.sources.tfstate", "TerraformStateSource"),
    "kubernetes": ("scanner.drift.sources.kubernetes", "KubernetesSource"),
    "aws": ("scanner.drift.sources.aws", "AwsSource"),
}
PEEK = 65536


def get_source(name: str, kubeconfig: str | None = None) -> Source:
    if name not in SOURCES:
        raise UsageError(f"unknown drift source {name!r}; choose from {', '.join(sorted(SOURCES))}")
    module, cls = SOURCES[name]
    factory = getattr(importlib.import_module(module), cls)
    return factory(kubeconfig=kubeconfig) if name == "kubernetes" else factory()


def detect_source(spec: str) -> str:
    """Which source reads ``spec``: a URL scheme, or the file's content."""
    if spec.startswith("k8s://"):
        return "kubernetes"
    if spec.startswith("aws://"):
        return "aws"
    if "://" in spec:
        raise UsageError(f"--live {spec}: unknown scheme; use a file, k8s://CONTEXT[/NAMESPACE] or aws://REGION")
    try:
        with open(spec, "rb") as fh:
            head = fh.read(PEEK).decode("utf-8", errors="replace")
    except OSError as exc:
        raise UsageError(f"--live {spec}: cannot read: {exc.strerror or exc}") from None
    stripped = head.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{"):
        # any plan rendering (a no-drift plan may hold only prior_state), and the
        # streaming log, whose reader says why it cannot be used
        if '"@level"' in stripped.split("\n", 1)[0] or '"format_version"' in head:
            return "terraform-plan"
        if '"lineage"' in head or ('"terraform_version"' in head and '"resources"' in head):
            return "terraform-state"
    if "apiVersion" in head and "kind" in head:
        return "kubernetes"
    raise UsageError(f"--live {spec}: not a Terraform plan (terraform show -json), a Terraform state or a Kubernetes export; "
                     "name the format with --source")
