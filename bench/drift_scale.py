"""Drift at scale: a 2,000-resource Terraform plan and 5,000 Kubernetes objects.

    python bench/drift_scale.py [--plan 2000] [--k8s 5000] [--runs 3] [--checkov PATH] [--workdir DIR]

Generates (deterministically) both inputs at 1/4, 1/2 and full size:

* Terraform: ``main.tf`` with N resources (security groups, buckets with
  public-access blocks, RDS instances, IAM policies) and the ``terraform show
  -json`` of a refresh-only plan holding all N in ``prior_state`` /
  ``planned_values`` and a quarter of them in ``resource_drift`` (an SG opened
  to 0.0.0.0/0, a database made public, a tag added, a block deleted);
* Kubernetes: ``manifests.yaml`` with N objects over 50 namespaces
  (Deployments, Services, ConfigMaps, ServiceAccounts, Roles, RoleBindings,
  NetworkPolicies) and a ``kubectl get -o json`` export of the same objects as
  a server returns them (status, managedFields, uid, defaulted fields, clusterIP),
  with 5 % of them changed by hand (privileged containers, scaled replicas,
  added RBAC subjects, deleted NetworkPolicies) and 1 % unmanaged extras.

Then runs ``zerodrift drift --format json`` on each in a fresh process,
--runs times, and reports the median wall time and the peak RSS (``os.wait4``).
Memory is linear when the increment per object stays flat across sizes.

Anchor, in the same run: Checkov (installed in its own virtualenv: pass
``--checkov`` or set ZERODRIFT_CHECKOV) scanning the same plan file
(``--framework terraform_plan``) and the same manifests (``--framework
kubernetes``), the closest thing an existing tool does with these inputs.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

NAMESPACES = 50


# ------------------------------------------------------------------ Terraform

def _sg(i: int, open_ssh: bool) -> dict:
    rules = [{"cidr_blocks": ["10.20.0.0/16"], "description": "https", "from_port": 443, "ipv6_cidr_blocks": [], "prefix_list_ids": [],
              "protocol": "tcp", "security_groups": [], "self": False, "to_port": 443}]
    if open_ssh:
        rules.append({**rules[0], "cidr_blocks": ["0.0.0.0/0"], "description": "debug", "from_port": 22, "to_port": 22})
    return {"arn": f"arn:aws:ec2:eu-west-1:111122223333:security-group/sg-{i:017x}", "description": f"sg {i}", "egress": [],
            "id": f"sg-{i:017x}", "ingress": rules, "name": f"sg-{i}", "owner_id": "111122223333", "revoke_rules_on_delete": False,
            "tags": {"team": "t"}, "tags_all": {"team": "t"}, "vpc_id": "vpc-0a1b2c3d"}


def _bucket(i: int) -> dict:
    return {"arn": f"arn:aws:s3:::bkt-{i}", "bucket": f"bkt-{i}", "id": f"bkt-{i}", "tags": {"team": "t"}, "tags_all": {"team": "t"}}


def _pab(i: int) -> dict:
    return {"block_public_acls": True, "block_public_policy": True, "bucket": f"bkt-{i}", "id": f"bkt-{i}", "ignore_public_acls": True,
            "restrict_public_buckets": True}


def _db(i: int, public: bool) -> dict:
    return {"allocated_storage": 20, "arn": f"arn:aws:rds:eu-west-1:111122223333:db:db-{i}", "backup_retention_period": 14,
            "deletion_protection": True, "enabled_cloudwatch_logs_exports": ["postgresql"], "engine": "postgres", "id": f"db-{i}",
            "iam_database_authentication_enabled": True, "identifier": f"db-{i}", "instance_class": "db.t4g.micro",
            "publicly_accessible": public, "storage_encrypted": True, "tags": {"team": "t"}, "tags_all": {"team": "t"}}


def _policy(i: int) -> dict:
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": f"arn:aws:s3:::bkt-{i}/*"}]}
    return {"arn": f"arn:aws:iam::111122223333:policy/p-{i}", "id": f"p-{i}", "name": f"p-{i}", "path": "/", "policy": json.dumps(doc), "tags": {}}


HCL = {
    "aws_security_group": lambda i: f'''resource "aws_security_group" "r{i}" {{
  name        = "sg-{i}"
  description = "sg {i}"
  vpc_id      = "vpc-0a1b2c3d"
  ingress {{
    description = "https"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.20.0.0/16"]
  }}
  tags = {{ team = "t" }}
}}
''',
    "aws_s3_bucket": lambda i: f'''resource "aws_s3_bucket" "r{i}" {{
  bucket = "bkt-{i}"
  tags   = {{ team = "t" }}
}}
''',
    "aws_s3_bucket_public_access_block": lambda i: f'''resource "aws_s3_bucket_public_access_block" "r{i}" {{
  bucket                  = "bkt-{i - 1}"
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}}
''',
    "aws_db_instance": lambda i: f'''resource "aws_db_instance" "r{i}" {{
  identifier                          = "db-{i}"
  engine                              = "postgres"
  instance_class                      = "db.t4g.micro"
  allocated_storage                   = 20
  storage_encrypted                   = true
  publicly_accessible                 = false
  deletion_protection                 = true
  backup_retention_period             = 14
  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = ["postgresql"]
  tags = {{ team = "t" }}
}}
''',
    "aws_iam_policy": lambda i: f'''resource "aws_iam_policy" "r{i}" {{
  name = "p-{i}"
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "arn:aws:s3:::bkt-{i}/*" }}]
  }})
}}
''',
}
TYPES = ["aws_security_group", "aws_s3_bucket", "aws_s3_bucket_public_access_block", "aws_db_instance", "aws_iam_policy"]


def gen_plan(n: int, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    hcl, resources, drift = [], [], []
    for i in range(n):
        rtype = TYPES[i % len(TYPES)]
        hcl.append(HCL[rtype](i))
        before = {"aws_security_group": lambda: _sg(i, False), "aws_s3_bucket": lambda: _bucket(i),
                  "aws_s3_bucket_public_access_block": lambda: _pab(i - 1), "aws_db_instance": lambda: _db(i, False),
                  "aws_iam_policy": lambda: _policy(i)}[rtype]()
        after: dict | None = before
        if i % 4 == 0:  # a quarter drifted by hand
            after = {"aws_security_group": lambda: _sg(i, True), "aws_db_instance": lambda: _db(i, True),
                     "aws_s3_bucket_public_access_block": lambda: None}.get(rtype, lambda: {**before, "tags": {"team": "t", "x": "y"}})()
        address = f"{rtype}.r{i}"
        entry = {"address": address, "mode": "managed", "type": rtype, "name": f"r{i}", "provider_name": "registry.terraform.io/hashicorp/aws"}
        if after is not None:
            resources.append({**entry, "schema_version": 0, "values": after, "sensitive_values": {}})
        if after is not before:
            drift.append({**entry, "change": {"actions": ["update"] if after is not None else ["delete"], "before": before, "after": after,
                                              "after_unknown": {}, "before_sensitive": {}, "after_sensitive": {}}})
    plan = {"format_version": "1.2", "terraform_version": "1.11.4", "planned_values": {"root_module": {"resources": resources}},
            "resource_drift": drift, "prior_state": {"format_version": "1.0", "terraform_version": "1.11.4", "values": {"root_module": {"resources": resources}}},
            "configuration": {"root_module": {}}, "timestamp": "2026-11-22T00:00:00Z", "applyable": False, "complete": True, "errored": False}
    (folder / "main.tf").write_text("\n".join(hcl))
    (folder / "plan.json").write_text(json.dumps(plan))


# ------------------------------------------------------------------ Kubernetes

def _manifests(i: int) -> dict:
    ns = f"team-{i % NAMESPACES}"
    kind = ["Deployment", "Service", "ConfigMap", "ServiceAccount", "Role", "RoleBinding", "NetworkPolicy"][i % 7]
    name = f"app-{i}"
    meta = {"name": name, "namespace": ns, "labels": {"app": name}}
    if kind == "Deployment":
        return {"apiVersion": "apps/v1", "kind": kind, "metadata": meta, "spec": {
            "replicas": 2, "selector": {"matchLabels": {"app": name}}, "template": {"metadata": {"labels": {"app": name}}, "spec": {
                "serviceAccountName": name, "automountServiceAccountToken": False,
                "containers": [{"name": "app", "image": f"registry.example.com/app@sha256:{i:064x}", "ports": [{"containerPort": 8080}],
                                "env": [{"name": "MODE", "value": "prod"}],
                                "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}, "requests": {"cpu": "0.1", "memory": "128Mi"}},
                                "securityContext": {"runAsNonRoot": True, "allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                                                    "capabilities": {"drop": ["ALL"]}}}]}}}}
    if kind == "Service":
        return {"apiVersion": "v1", "kind": kind, "metadata": meta, "spec": {"selector": {"app": name}, "ports": [{"port": 80, "targetPort": 8080}]}}
    if kind == "ConfigMap":
        return {"apiVersion": "v1", "kind": kind, "metadata": meta, "data": {"LOG_LEVEL": "info"}}
    if kind == "ServiceAccount":
        return {"apiVersion": "v1", "kind": kind, "metadata": meta, "automountServiceAccountToken": False}
    if kind == "Role":
        return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": meta,
                "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list"]}]}
    if kind == "RoleBinding":
        return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": meta,
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name},
                "subjects": [{"kind": "ServiceAccount", "name": name, "namespace": ns}]}
    return {"apiVersion": "networking.k8s.io/v1", "kind": kind, "metadata": meta, "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}


def _as_served(obj: dict, i: int) -> dict:
    """What the API server returns for ``obj``: server fields and defaults added."""
    live = copy.deepcopy(obj)
    meta = live["metadata"]
    meta.update(uid=f"{i:08x}-0000-4000-8000-{i:012x}", resourceVersion=str(1000 + i), creationTimestamp="2026-11-01T10:00:00Z",
                generation=1, managedFields=[{"manager": "kubectl-client-side-apply", "operation": "Update", "apiVersion": live["apiVersion"],
                                              "time": "2026-11-01T10:00:00Z", "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata": {}}}])
    meta.setdefault("annotations", {})["kubectl.kubernetes.io/last-applied-configuration"] = json.dumps(obj)
    kind = live["kind"]
    if kind == "Deployment":
        spec = live["spec"]
        spec.update(revisionHistoryLimit=10, progressDeadlineSeconds=600,
                    strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}})
        pod = spec["template"]["spec"]
        pod.update(dnsPolicy="ClusterFirst", restartPolicy="Always", schedulerName="default-scheduler", securityContext={},
                   terminationGracePeriodSeconds=30, serviceAccount=pod["serviceAccountName"])
        for c in pod["containers"]:
            c.update(imagePullPolicy="IfNotPresent", terminationMessagePath="/dev/termination-log", terminationMessagePolicy="File")
            c["resources"]["requests"]["cpu"] = "100m"
            for p in c["ports"]:
                p["protocol"] = "TCP"
        live["status"] = {"observedGeneration": 1, "replicas": 2, "readyReplicas": 2, "availableReplicas": 2}
    elif kind == "Service":
        spec = live["spec"]
        spec.update(clusterIP=f"10.96.{i // 250 % 250}.{i % 250}", clusterIPs=[f"10.96.{i // 250 % 250}.{i % 250}"], ipFamilies=["IPv4"],
                    ipFamilyPolicy="SingleStack", internalTrafficPolicy="Cluster", sessionAffinity="None", type="ClusterIP")
        for p in spec["ports"]:
            p["protocol"] = "TCP"
        live["status"] = {"loadBalancer": {}}
    elif kind == "RoleBinding":
        for s in live["subjects"]:
            s.setdefault("apiGroup", "")
    return live


def _hand_edit(live: dict, i: int) -> dict | None:
    kind = live["kind"]
    if kind == "Deployment":
        c = live["spec"]["template"]["spec"]["containers"][0]
        c["securityContext"]["privileged"] = True
        live["spec"]["replicas"] = 5
    elif kind == "RoleBinding":
        live["subjects"].append({"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": f"mallory-{i}"})
    elif kind == "NetworkPolicy":
        return None  # deleted
    elif kind == "ConfigMap":
        live["data"]["LOG_LEVEL"] = "debug"
    return live


def gen_k8s(n: int, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    manifests, items = [], []
    for i in range(n):
        obj = _manifests(i)
        manifests.append(obj)
        live: dict | None = _as_served(obj, i)
        if i % 20 == 3:  # 5 % changed by hand
            live = _hand_edit(live, i)
        if live is not None:
            items.append(live)
    for j in range(n // 100):  # 1 % unmanaged
        extra = _as_served({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"handmade-{j}", "namespace": f"team-{j % NAMESPACES}"},
                            "data": {"K": "v"}}, n + j)
        items.append(extra)
    with open(folder / "manifests.yaml", "w", encoding="utf-8") as fh:
        for obj in manifests:
            fh.write("---\n" + json.dumps(obj) + "\n")  # JSON is YAML; keeps generation fast
    (folder / "export.json").write_text(json.dumps({"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": items}))


# ------------------------------------------------------------------ running

def measure(cmd: list[str], runs: int, cwd: Path) -> tuple[float, float, int]:
    """(median wall seconds, peak RSS MB, exit status) of ``runs`` fresh processes."""
    times, peak, status = [], 0, 0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, wait_status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        peak = max(peak, usage.ru_maxrss)
        status = os.waitstatus_to_exitcode(wait_status)
        if proc.stderr is not None:
            err = proc.stderr.read().decode(errors="replace").strip()
            proc.stderr.close()
            if status not in (0, 1):
                print(f"  {' '.join(cmd[:3])}... exited {status}: {err[-300:]}", file=sys.stderr)
    return statistics.median(times), peak / 1024, status


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plan", type=int, default=2000)
    ap.add_argument("--k8s", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--checkov", default=os.environ.get("ZERODRIFT_CHECKOV") or shutil.which("checkov"))
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/zd-drift-bench"))
    args = ap.parse_args()
    zerodrift = [sys.executable, "-m", "scanner"]
    rows = []
    for label, full, gen, live, framework, target in (
        ("terraform plan", args.plan, gen_plan, "plan.json", "terraform_plan", "plan.json"),
        ("kubernetes export", args.k8s, gen_k8s, "export.json", "kubernetes", "manifests.yaml"),
    ):
        for size in (full // 4, full // 2, full):
            folder = args.workdir / f"{label.split()[0]}-{size}"
            if folder.exists():
                shutil.rmtree(folder)
            gen(size, folder)
            cmd = zerodrift + ["drift", "--template", "." if label.startswith("terraform") else "manifests.yaml", "--live", live,
                               "--format", "json", "--output", "report.json"]
            subprocess.run(cmd, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)  # warm the rule cache
            wall, rss, status = measure(cmd, args.runs, folder)
            report = json.loads((folder / "report.json").read_text())
            anchor = None
            if args.checkov and size == full:
                anchor = measure([args.checkov, "-f", target, "--framework", framework, "--quiet", "--compact", "-o", "json",
                                  "--skip-download"], 1, folder)
            rows.append((label, size, (folder / live).stat().st_size / 1e6, wall, rss, status, len(report["findings"]),
                         report["drift"]["counts"], anchor))
    print("| input | objects | live file | zerodrift drift | peak RSS | exit | findings | Checkov on the same input (anchor) | ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    for label, size, mb, wall, rss, status, findings, counts, anchor in rows:
        anchor_text = f"{anchor[0]:.2f} s, {anchor[1]:.0f} MB" if anchor else "-"
        ratio = f"**{anchor[0] / wall:.1f}x** faster" if anchor else "-"
        print(f"| {label} | {size:,} | {mb:.1f} MB | {wall:.2f} s | {rss:.0f} MB | {status} | {findings} | {anchor_text} | {ratio} |")
    print()
    for label in ("terraform plan", "kubernetes export"):
        mine = [r for r in rows if r[0] == label]
        steps = [(b[4] - a[4]) / (b[1] - a[1]) * 1024 for a, b in zip(mine, mine[1:])]
        print(f"{label}: memory per extra object {' / '.join(f'{s:.1f} KB' for s in steps)} (flat = linear); counts at full size {mine[-1][7]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
