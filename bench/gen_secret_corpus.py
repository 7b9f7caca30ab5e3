"""Deterministic synthetic repository for the secret-scanning benchmark.

    python bench/gen_secret_corpus.py OUT_DIR [--files 20000] [--seed 1] [--secret-rate 0.01] [--jobs N]

Writes OUT_DIR/<pkgNNN>/<area>/<name>.{py,js,go,tf,yaml,json,md,env}: text files
of realistic shape and size (1-20 KB, log-uniform), about --secret-rate of
them with one planted FAKE secret (random values of the right format; none is
a real credential) and about 3% with a non-secret look-alike (git SHA, UUID,
image digest, AWS documentation example key, placeholder). OUT_DIR/planted.json
lists both: ``secrets`` and ``lookalikes`` as {file, line, kind}, where line is
the 1-based line on which the value starts.

The same --files/--seed always give byte-identical output (each file has its
own random stream, so --jobs does not change anything). OUT_DIR must be empty
or absent; --force replaces a directory that this script generated before
(one holding planted.json).
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import math
import os
import random
import shutil
import string
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

VERSION = 1

# ---------------------------------------------------------------- vocabulary
NOUNS = """account address agent alert archive asset audit backup balance batch billing bucket budget build
cache campaign cart catalog channel checkout claim client cluster comment config connection contract cursor
customer dashboard dataset deployment device digest discount document domain draft event feature feed
filter folder gateway group handler history image incident index inventory invoice item job journal
label layer ledger limit listing location manifest member message metric migration module monitor node note
notice offer order owner page partner payment period pipeline plan policy pool portfolio preference
price product profile project promotion queue quota rate receipt record region release report request
reservation resource result review route rule sample schedule schema score segment sensor server service
session shipment snapshot source stage status step store stream subscription summary supplier task team
template tenant thread ticket timeline topic track transfer trigger upload usage user variant vendor version
volume warehouse webhook widget worker workflow zone""".split()
VERBS = """add apply build cancel check clean close collect compute convert copy count create decode delete
deliver detect disable download emit enable encode ensure enqueue estimate export fetch filter find flush format
generate handle index init list load lock merge migrate notify normalize open parse patch poll prepare
process publish push read rebuild record refresh register reload remove render replace reset resolve restore
retry rotate route run save scan schedule select send serialize sort split start stop store sync track
transform trim unlock update upload validate verify watch write""".split()
ADJS = """active archived async basic cached current daily default delayed draft empty enabled external failed
final global hourly initial internal large latest legacy local main manual monthly new next nightly old
partial pending primary private public queued raw recent remote retry scheduled secondary shared small stale
static sync temporary total valid weekly""".split()
WORDS = NOUNS + VERBS + ADJS + """the a of to in for on with by from is are be this that it as at or
an was which when if then each all any new more most some such only also than into over after""".split()
REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"]
HEX = "0123456789abcdef"
ALNUM = string.ascii_letters + string.digits
B64URL = ALNUM + "-_"
UPPER_DIGITS = string.ascii_uppercase + string.digits
EXTS = ["py", "js", "go", "tf", "yaml", "json", "md", "env"]
EXT_WEIGHTS = [22, 15, 11, 12, 16, 10, 10, 4]
AREAS = ["src", "lib", "api", "internal", "config", "deploy", "infra", "docs", "scripts", "services", "web", "tools"]

# ------------------------------------------------------------ small helpers


def _snake(r: random.Random, n: int = 2) -> str:
    return "_".join(r.choice(NOUNS) for _ in range(n))


def _camel(r: random.Random) -> str:
    return r.choice(VERBS) + r.choice(NOUNS).capitalize()


def _pascal(r: random.Random) -> str:
    return r.choice(ADJS).capitalize() + r.choice(NOUNS).capitalize()


def _sentence(r: random.Random, lo: int = 6, hi: int = 16) -> str:
    words = [r.choice(WORDS) for _ in range(r.randint(lo, hi))]
    return " ".join(words).capitalize() + "."


def _url(r: random.Random) -> str:
    return f"https://{r.choice(NOUNS)}.example.com/{r.choice(['v1', 'v2', 'api'])}/{r.choice(NOUNS)}s"


def _rs(r: random.Random, alphabet: str, n: int) -> str:
    return "".join(r.choices(alphabet, k=n))


def _names(words: list[str], style: str) -> str:
    if style == "upper":
        return "_".join(words).upper()
    if style == "camel":
        return words[0] + "".join(w.capitalize() for w in words[1:])
    return "_".join(words)


# ------------------------------------------------------ filler block pools
# Blocks are generated once per (seed, type) and files are sampled from them;
# "@N@" is replaced by the block's position so names stay unique in a file.


def _py_block(r: random.Random) -> str:
    kind = r.random()
    if kind < 0.55:
        args = [r.choice(NOUNS) for _ in range(r.randint(1, 3))]
        var = r.choice(NOUNS) + "_count"
        body = [f'    """{_sentence(r)}"""', f"    {var} = 0"]
        for _ in range(r.randint(2, 9)):
            a = r.choice(args)
            body.append(r.choice([
                f"    if {a} is None:\n        raise ValueError(\"{a} is required\")",
                f"    for item in {a}.{r.choice(NOUNS)}s:\n        {var} += item.{r.choice(NOUNS)}_{r.choice(['id', 'size', 'count'])}",
                f"    logger.{r.choice(['debug', 'info', 'warning'])}(\"{_sentence(r, 3, 7)} %s\", {a})",
                f"    {var} = max({var}, len({a}))",
                f"    result = {r.choice(VERBS)}_{r.choice(NOUNS)}({a}, timeout={r.randint(1, 60)})",
                f"    # {_sentence(r)}",
            ]))
        body.append(f"    return {var}")
        return f"def {r.choice(VERBS)}_{r.choice(NOUNS)}_@N@({', '.join(dict.fromkeys(args))}):\n" + "\n".join(body) + "\n"
    if kind < 0.85:
        cls = _pascal(r) + "@N@"
        fields = [f"    {r.choice(NOUNS)}_{r.choice(['id', 'name', 'count', 'url', 'state'])}: {r.choice(['int', 'str', 'float', 'bool'])}"
                  for _ in range(r.randint(2, 6))]
        meth = f"    def {r.choice(VERBS)}(self) -> bool:\n        return self.{fields[0].split(':')[0].strip()} is not None"
        return f"@dataclass\nclass {cls}:\n    \"\"\"{_sentence(r)}\"\"\"\n\n" + "\n".join(dict.fromkeys(fields)) + "\n\n" + meth + "\n"
    lines = [f"{r.choice(ADJS).upper()}_{r.choice(NOUNS).upper()}_@N@ = {r.choice([str(r.randint(1, 5000)), repr(_url(r)), repr(r.choice(REGIONS)), 'True', 'False'])}"
             for _ in range(r.randint(2, 5))]
    return "\n".join(dict.fromkeys(lines)) + "\n"


def _js_block(r: random.Random) -> str:
    if r.random() < 0.6:
        name = _camel(r) + "@N@"
        a, b = r.sample(NOUNS, 2)
        body = [f"  // {_sentence(r)}", f"  const {b}s = await client.get(`/{a}s/${{{a}.id}}/{b}s`);"]
        for _ in range(r.randint(1, 7)):
            body.append(r.choice([
                f"  if (!{a}) {{\n    throw new Error(\"{a} is required\");\n  }}",
                f"  const {r.choice(NOUNS)}Count = {b}s.filter((x) => x.{r.choice(ADJS)}).length;",
                f"  logger.{r.choice(['info', 'debug', 'warn'])}(\"{_sentence(r, 3, 7)}\", {{ id: {a}.id }});",
                f"  await {_camel(r)}({a}, {{ retries: {r.randint(1, 5)} }});",
            ]))
        body.append(f"  return {b}s.map((x) => x.{r.choice(NOUNS)}Id);")
        return f"export async function {name}({a}) {{\n" + "\n".join(body) + "\n}\n"
    props = [f"  {_camel(r)}: {r.choice([str(r.randint(0, 999)), json.dumps(_url(r)), 'true', 'false', json.dumps(r.choice(NOUNS))])},"
             for _ in range(r.randint(2, 8))]
    return f"export const {r.choice(NOUNS)}Config@N@ = {{\n" + "\n".join(dict.fromkeys(props)) + "\n};\n"


def _go_block(r: random.Random) -> str:
    if r.random() < 0.65:
        name = _pascal(r) + "@N@"
        a = r.choice(NOUNS)
        body = [f"\t// {_sentence(r)}", f"\tif {a} == nil {{\n\t\treturn 0, errors.New(\"{a} is required\")\n\t}}", "\ttotal := 0"]
        for _ in range(r.randint(1, 6)):
            body.append(r.choice([
                f"\tfor _, item := range {a}.{r.choice(NOUNS).capitalize()}s {{\n\t\ttotal += item.{r.choice(['Size', 'Count', 'Weight'])}\n\t}}",
                f"\tlog.Printf(\"{_sentence(r, 3, 6)} %d\", total)",
                f"\tif err := {r.choice(VERBS)}{r.choice(NOUNS).capitalize()}(ctx, {a}); err != nil {{\n\t\treturn 0, fmt.Errorf(\"{r.choice(VERBS)}: %w\", err)\n\t}}",
            ]))
        body.append("\treturn total, nil")
        return f"func {name}(ctx context.Context, {a} *{a.capitalize()}) (int, error) {{\n" + "\n".join(body) + "\n}\n"
    fields = dict.fromkeys(f"\t{r.choice(NOUNS).capitalize()}{r.choice(['ID', 'Name', 'Count', 'URL'])} {r.choice(['string', 'int', 'int64', 'bool'])} `json:\"{r.choice(NOUNS)}\"`"
                           for _ in range(r.randint(2, 7)))
    return f"type {_pascal(r)}@N@ struct {{\n" + "\n".join(fields) + "\n}\n"


def _tf_block(r: random.Random) -> str:
    kind = r.random()
    name = _snake(r) + "_@N@"
    if kind < 0.3:
        return (f'resource "aws_s3_bucket" "{name}" {{\n  bucket = "{r.choice(NOUNS)}-{r.choice(NOUNS)}-{r.randint(100, 999)}"\n'
                f'  tags = {{\n    team        = "{r.choice(NOUNS)}"\n    environment = "{r.choice(["dev", "staging", "prod"])}"\n  }}\n}}\n')
    if kind < 0.55:
        return (f'resource "aws_instance" "{name}" {{\n  ami           = var.ami_id\n  instance_type = "{r.choice(["t3.micro", "t3.small", "m5.large"])}"\n'
                f'  subnet_id     = aws_subnet.{r.choice(NOUNS)}.id\n  monitoring    = {r.choice(["true", "false"])}\n\n'
                f'  root_block_device {{\n    volume_size = {r.choice([8, 20, 50, 100])}\n    encrypted   = true\n  }}\n}}\n')
    if kind < 0.75:
        port = r.choice([22, 80, 443, 5432, 6379, 8080])
        return (f'resource "aws_security_group" "{name}" {{\n  name        = "{name}"\n  description = "{_sentence(r, 3, 8)}"\n  vpc_id      = var.vpc_id\n\n'
                f'  ingress {{\n    from_port   = {port}\n    to_port     = {port}\n    protocol    = "tcp"\n    cidr_blocks = ["10.{r.randint(0, 255)}.0.0/16"]\n  }}\n}}\n')
    if kind < 0.9:
        return (f'variable "{name}" {{\n  description = "{_sentence(r, 3, 9)}"\n  type        = {r.choice(["string", "number", "bool"])}\n'
                f'  default     = {r.choice([json.dumps(r.choice(NOUNS)), str(r.randint(1, 100)), "true"])}\n}}\n')
    return f'output "{name}" {{\n  value = aws_instance.{r.choice(NOUNS)}.{r.choice(["id", "arn", "private_ip"])}\n}}\n'


def _yaml_block(r: random.Random) -> str:
    kind = r.random()
    if kind < 0.5:
        lines = [f"{r.choice(NOUNS)}_{r.choice(NOUNS)}_@N@:"]
        for _ in range(r.randint(2, 6)):
            lines.append(f"  {r.choice(NOUNS)}_{r.choice(['enabled', 'limit', 'url', 'name', 'region'])}: "
                         + r.choice([str(r.randint(1, 1000)), "true", "false", r.choice(REGIONS), _url(r), r.choice(NOUNS)]))
        lines.append(f"  {r.choice(NOUNS)}s:")
        lines += [f"    - {r.choice(NOUNS)}-{r.choice(NOUNS)}" for _ in range(r.randint(1, 4))]
        return "\n".join(lines) + "\n"
    if kind < 0.8:
        name = f"{r.choice(NOUNS)}-{r.choice(NOUNS)}-@N@"
        return (f"{name}:\n  image: registry.example.com/{r.choice(NOUNS)}:{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 9)}\n"
                f"  replicas: {r.randint(1, 6)}\n  env:\n    - name: {r.choice(NOUNS).upper()}_{r.choice(['URL', 'PORT', 'MODE'])}\n"
                f"      value: \"{r.choice([_url(r), str(r.randint(1000, 9999)), r.choice(ADJS)])}\"\n"
                f"    - name: LOG_LEVEL\n      value: {r.choice(['info', 'debug', 'warn'])}\n"
                f"  resources:\n    limits:\n      cpu: {r.choice(['250m', '500m', '1'])}\n      memory: {r.choice(['128Mi', '256Mi', '1Gi'])}\n")
    return f"# {_sentence(r)}\n{r.choice(ADJS)}_{r.choice(NOUNS)}_@N@: {r.choice(['true', 'false', str(r.randint(1, 99))])}\n"


def _json_block(r: random.Random) -> str:
    obj = {f"{r.choice(NOUNS)}{r.choice(['Id', 'Name', 'Count', 'Url', 'Enabled'])}":
           r.choice([r.randint(0, 10000), r.choice(NOUNS), _url(r), True, False, None]) for _ in range(r.randint(2, 6))}
    if r.random() < 0.4:
        obj[f"{r.choice(NOUNS)}s"] = [{"name": r.choice(NOUNS), "weight": r.randint(1, 9)} for _ in range(r.randint(1, 3))]
    body = json.dumps(obj, indent=2).replace("\n", "\n  ")
    return f'  "{r.choice(NOUNS)}_@N@": {body}'


def _md_block(r: random.Random) -> str:
    kind = r.random()
    if kind < 0.5:
        return "\n".join(_sentence(r, 8, 20) for _ in range(r.randint(2, 5))) + "\n"
    if kind < 0.7:
        return f"## {r.choice(VERBS).capitalize()} the {r.choice(NOUNS)} @N@\n"
    if kind < 0.85:
        return "\n".join(f"- {_sentence(r, 4, 10)}" for _ in range(r.randint(2, 6))) + "\n"
    return f"```sh\n{r.choice(['make', 'npm run', 'go run ./cmd/'])}{r.choice(VERBS)} --{r.choice(NOUNS)} {r.choice(NOUNS)}\n```\n"


def _env_block(r: random.Random) -> str:
    lines = [f"# {_sentence(r, 3, 8)}"] if r.random() < 0.3 else []
    for _ in range(r.randint(1, 4)):
        lines.append(f"{r.choice(NOUNS).upper()}_{r.choice(['HOST', 'PORT', 'MODE', 'URL', 'REGION', 'ENABLED', 'LIMIT'])}_@N@="
                     + r.choice([f"{r.choice(NOUNS)}.internal", str(r.randint(1, 65535)), r.choice(ADJS), _url(r), r.choice(REGIONS), "true"]))
    return "\n".join(lines) + "\n"


BLOCKS = {"py": _py_block, "js": _js_block, "go": _go_block, "tf": _tf_block, "yaml": _yaml_block,
          "json": _json_block, "md": _md_block, "env": _env_block}
HEADERS = {
    "py": '"""{s}"""\nfrom __future__ import annotations\n\nimport logging\nfrom dataclasses import dataclass\n\nlogger = logging.getLogger(__name__)\n\n',
    "js": '// {s}\nimport {{ client }} from "./client.js";\nimport {{ logger }} from "./logger.js";\n\n',
    "go": "// Package {p} {s}\npackage {p}\n\nimport (\n\t\"context\"\n\t\"errors\"\n\t\"fmt\"\n\t\"log\"\n)\n\n",
    "tf": "# {s}\n\n",
    "yaml": "# {s}\n",
    "json": "{{\n",
    "md": "# {P}\n\n{s}\n\n",
    "env": "# {s}\n",
}
SEPARATORS = {"py": "\n\n", "js": "\n", "go": "\n", "tf": "\n", "yaml": "", "json": ",\n", "md": "\n", "env": ""}
FOOTERS = {"json": "\n}\n"}
POOL_SIZE = 1500


def _pools(seed: int) -> dict[str, list[tuple[str, int]]]:
    pools = {}
    for ext, fn in BLOCKS.items():
        r = random.Random(f"pool:{seed}:{ext}")
        blocks = [fn(r) for _ in range(POOL_SIZE)]
        pools[ext] = [(b, b.count("\n")) for b in blocks]
    return pools


# ------------------------------------------------------- fake secret values


def _pem(r: random.Random, label: str, nbytes: int) -> str:
    body = base64.b64encode(r.randbytes(nbytes)).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----"


def _jwt(r: random.Random) -> str:
    def b64u(b: bytes) -> str:
        return base64.urlsafe_b64encode(b).decode().rstrip("=")
    payload = json.dumps({"sub": f"svc-{r.choice(NOUNS)}", "iat": r.randint(1_600_000_000, 1_720_000_000)}, separators=(",", ":"))
    return f"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{b64u(payload.encode())}.{b64u(r.randbytes(32))}"


def _password(r: random.Random) -> str:
    return _rs(r, ALNUM, r.randint(12, 20)) + r.choice("-_.~") + _rs(r, string.digits, 2)


# kind -> (name words, value factory). All values are random: none is a real credential.
SECRET_KINDS = {
    "aws-access-key-id": (["aws", "access", "key", "id"], lambda r: "AKIA" + _rs(r, UPPER_DIGITS, 16)),
    "aws-secret-access-key": (["aws", "secret", "access", "key"], lambda r: _rs(r, ALNUM + "/+", 40)),
    "github-token": (["github", "token"], lambda r: r.choice(["ghp_", "gho_", "ghs_", "ghu_"]) + _rs(r, ALNUM, 36)
                     if r.random() < 0.7 else "github_pat_" + _rs(r, ALNUM, 22) + "_" + _rs(r, ALNUM, 59)),
    "gitlab-token": (["gitlab", "token"], lambda r: "glpat-" + _rs(r, B64URL, 19) + _rs(r, ALNUM, 1)),
    "google-api-key": (["google", "api", "key"], lambda r: "AIza" + _rs(r, B64URL, 34) + _rs(r, ALNUM, 1)),
    "azure-storage-key": (["storage", "account", "key"], lambda r: base64.b64encode(r.randbytes(64)).decode()),
    "azure-connection-string": (["storage", "connection", "string"], lambda r: (
        f"DefaultEndpointsProtocol=https;AccountName={r.choice(NOUNS)}{r.randint(10, 99)};"
        f"AccountKey={base64.b64encode(r.randbytes(64)).decode()};EndpointSuffix=core.windows.net")),
    "slack-token": (["slack", "bot", "token"], lambda r: f"xoxb-{_rs(r, string.digits, 12)}-{_rs(r, string.digits, 13)}-{_rs(r, ALNUM, 24)}"),
    "slack-webhook": (["slack", "webhook", "url"], lambda r: (
        f"https://hooks.slack.com/services/T{_rs(r, UPPER_DIGITS, 8)}/B{_rs(r, UPPER_DIGITS, 10)}/{_rs(r, ALNUM, 24)}")),
    "stripe-key": (["stripe", "secret", "key"], lambda r: "sk_live_" + _rs(r, ALNUM, r.choice([24, 99]))),
    "twilio-key": (["twilio", "api", "key"], lambda r: "SK" + _rs(r, HEX, 32)),
    "sendgrid-key": (["sendgrid", "api", "key"], lambda r: "SG." + _rs(r, B64URL, 22) + "." + _rs(r, B64URL, 42) + _rs(r, ALNUM, 1)),
    "npm-token": (["npm", "token"], lambda r: "npm_" + _rs(r, ALNUM, 36)),
    "pypi-token": (["pypi", "token"], lambda r: "pypi-AgEIcHlwaS5vcmc" + base64.urlsafe_b64encode(r.randbytes(110)).decode().rstrip("=")),
    "docker-auth": (["docker", "auth"], lambda r: base64.b64encode(f"{r.choice(NOUNS)}-bot:{_password(r)}".encode()).decode()),
    "database-url": (["database", "url"], lambda r: r.choice([
        f"postgres://{r.choice(NOUNS)}:{_password(r)}@{r.choice(NOUNS)}-db.internal:5432/{r.choice(NOUNS)}",
        f"mysql://{r.choice(NOUNS)}:{_password(r)}@{r.choice(NOUNS)}.internal:3306/{r.choice(NOUNS)}",
        f"mongodb+srv://{r.choice(NOUNS)}:{_password(r)}@cluster0.{_rs(r, HEX, 5)}.mongodb.net/{r.choice(NOUNS)}"])),
    "private-key": (["private", "key"], lambda r: r.choice([
        _pem(r, "RSA PRIVATE KEY", 1190), _pem(r, "EC PRIVATE KEY", 121),
        _pem(r, "OPENSSH PRIVATE KEY", 400), _pem(r, "PRIVATE KEY", 1216)])),
    "jwt": (["auth", "token"], _jwt),
    "password-assignment": (["db", "password"], _password),
}
MULTILINE = {"private-key"}
JSON_ONLY = {"docker-auth", "gcp-service-account-key"}
LOOKALIKES = {
    "git-sha": (["git", "commit"], lambda r: _rs(r, HEX, 40)),
    "uuid": (["request", "id"], lambda r: "%s-%s-4%s-%s%s-%s" % (_rs(r, HEX, 8), _rs(r, HEX, 4), _rs(r, HEX, 3),
                                                                   r.choice("89ab"), _rs(r, HEX, 3), _rs(r, HEX, 12))),
    "image-digest": (["image", "digest"], lambda r: "sha256:" + _rs(r, HEX, 64)),
    "aws-docs-example": (["aws", "access", "key", "id"], lambda r: "AKIAIOSFODNN7EXAMPLE"),
    "placeholder": (["api", "token"], lambda r: r.choice(["<your-token>", "${API_TOKEN}", "changeme", "xxxxxxxx", "REDACTED"])),
    "integrity-hash": (["integrity"], lambda r: "sha512-" + base64.b64encode(r.randbytes(64)).decode()),
}


def _render(ext: str, words: list[str], value: str, multiline: bool) -> tuple[str, int]:
    """A block holding ``value`` in the idiom of ``ext``; returns (block, 0-based line of the value in it)."""
    if ext == "py":
        name = _names(words, "upper") + "_@N@"
        return (f'{name} = """{value}\n"""\n', 0) if multiline else (f'{name} = "{value}"\n', 0)
    if ext == "js":
        name = _names(words, "camel") + "@N@"
        return (f"export const {name} = `{value}\n`;\n", 0) if multiline else (f'export const {name} = "{value}";\n', 0)
    if ext == "go":
        name = _names(words, "camel") + "@N@"
        return (f"const {name} = `{value}\n`\n", 0) if multiline else (f'const {name} = "{value}"\n', 0)
    if ext == "tf":
        name = _names(words, "snake")
        if multiline:
            return f"locals {{\n  {name}_@N@ = <<-EOT\n{value}\n  EOT\n}}\n", 2
        return f'locals {{\n  {name}_@N@ = "{value}"\n}}\n', 1
    if ext == "yaml":
        name = _names(words, "snake")
        if multiline:
            return f"{name}_@N@: |\n" + "\n".join("  " + v for v in value.split("\n")) + "\n", 1
        return f'{name}_@N@: "{value}"\n', 0
    if ext == "json":
        name = _names(words, "camel")
        return f'  "{name}_@N@": {json.dumps(value)}', 0
    if ext == "md":
        name = _names(words, "upper")
        return f"```sh\nexport {name}=\"{value}\"\n```\n", 1
    name = _names(words, "upper")  # env
    return f"{name}_@N@={value}\n", 0


def _json_special(r: random.Random, kind: str, value: str) -> tuple[str, int]:
    if kind == "docker-auth":
        return ('  "auths_@N@": {\n    "registry.example.com": {\n      "auth": ' + json.dumps(value) + "\n    }\n  }", 2)
    pem = _pem(r, "PRIVATE KEY", 1216) + "\n"
    return ('  "service_account_@N@": {\n    "type": "service_account",\n    "project_id": "' + r.choice(NOUNS) + '-prod",\n'
            '    "private_key_id": "' + _rs(r, HEX, 40) + '",\n    "private_key": ' + json.dumps(pem) + ',\n'
            '    "client_email": "runner@' + r.choice(NOUNS) + '-prod.iam.gserviceaccount.com"\n  }', 4)


# -------------------------------------------------------------- one file


def _make_file(seed: int, index: int, pools, secret_rate: float, lookalike_rate: float):
    r = random.Random(f"file:{seed}:{index}")
    ext = r.choices(EXTS, EXT_WEIGHTS)[0]
    group = f"pkg{index // 250:03d}"
    area = r.choice(AREAS)
    stem = f"{r.choice(VERBS)}_{r.choice(NOUNS)}_{index}"
    rel = f"{group}/{area}/{stem}.{ext}"
    target = int(math.exp(r.uniform(math.log(1024), math.log(20 * 1024))))

    header = HEADERS[ext].format(s=_sentence(r), p=r.choice(NOUNS), P=_sentence(r, 2, 5).rstrip("."))
    sep = SEPARATORS[ext]
    pool = pools[ext]
    blocks: list[tuple[str, int]] = []
    size = len(header)
    while size < target - 200:
        chunk = r.choices(pool, k=8)
        for b in chunk:
            blocks.append(b)
            size += len(b[0]) + len(sep)
            if size >= target - 200:
                break

    plants = []  # (block index to insert before, block text, line offset in block, kind, is_secret)
    if r.random() < secret_rate:
        kinds = [k for k in SECRET_KINDS if k not in JSON_ONLY] + (sorted(JSON_ONLY) if ext == "json" else [])
        kind = r.choice(kinds)
        if kind in JSON_ONLY:
            value = SECRET_KINDS["docker-auth"][1](r) if kind == "docker-auth" else ""
            text, off = _json_special(r, kind, value)
        else:
            words, factory = SECRET_KINDS[kind]
            if ext == "env" and kind in MULTILINE:
                kind = "password-assignment"
                words, factory = SECRET_KINDS[kind]
            text, off = _render(ext, words, factory(r), kind in MULTILINE)
        plants.append((r.randint(0, len(blocks)), text, off, kind, True))
    if r.random() < lookalike_rate:
        kind = r.choice(list(LOOKALIKES))
        words, factory = LOOKALIKES[kind]
        text, off = _render(ext, words, factory(r), False)
        plants.append((r.randint(0, len(blocks)), text, off, kind, False))

    # Assemble; planted blocks go before the block at their position.
    by_pos: dict[int, list] = {}
    for p in plants:
        by_pos.setdefault(p[0], []).append(p)
    parts = [header]
    line = 1 + header.count("\n")
    found_secrets, found_lookalikes = [], []
    seq = 0
    sep_lines = sep.count("\n")
    items = []
    for pos in range(len(blocks) + 1):
        for p in by_pos.get(pos, []):
            items.append((p[1], p[1].count("\n"), p))
        if pos < len(blocks):
            items.append((blocks[pos][0], blocks[pos][1], None))
    for i, (text, nlines, plant) in enumerate(items):
        if i:
            parts.append(sep)
            line += sep_lines
        if plant is not None:
            rec = {"file": rel, "line": line + plant[2], "kind": plant[3]}
            (found_secrets if plant[4] else found_lookalikes).append(rec)
        parts.append(text.replace("@N@", str(seq)))
        seq += 1
        line += nlines
    parts.append(FOOTERS.get(ext, "\n" if sep else ""))
    return rel, "".join(parts), found_secrets, found_lookalikes


_POOLS: dict[int, dict] = {}


def _worker(job):
    out, seed, start, stop, secret_rate, lookalike_rate = job
    if seed not in _POOLS:
        _POOLS[seed] = _pools(seed)
    pools = _POOLS[seed]
    out = Path(out)
    secrets, lookalikes, nbytes = [], [], 0
    made_dirs = set()
    for index in range(start, stop):
        rel, text, s, l = _make_file(seed, index, pools, secret_rate, lookalike_rate)
        path = out / rel
        if path.parent not in made_dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(path.parent)
        data = text.encode()
        path.write_bytes(data)
        nbytes += len(data)
        secrets += s
        lookalikes += l
    return secrets, lookalikes, nbytes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--files", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--secret-rate", type=float, default=0.01, help="fraction of files with a planted secret (default 0.01)")
    parser.add_argument("--lookalike-rate", type=float, default=0.03, help="fraction of files with a non-secret look-alike")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--force", action="store_true", help="replace OUT_DIR if it is a corpus generated by this script")
    args = parser.parse_args(argv)

    out = Path(args.out_dir)
    if out.exists() and any(out.iterdir()):
        if not (args.force and (out / "planted.json").is_file()):
            print(f"{out} is not empty (use --force to replace a corpus generated by this script)", file=sys.stderr)
            return 2
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    jobs = max(1, args.jobs)
    step = max(1, math.ceil(args.files / (jobs * 4)))
    chunks = [(str(out), args.seed, s, min(s + step, args.files), args.secret_rate, args.lookalike_rate)
              for s in range(0, args.files, step)]
    secrets, lookalikes, nbytes = [], [], 0
    if jobs == 1:
        results = map(_worker, chunks)
    else:
        pool = ProcessPoolExecutor(max_workers=jobs)
        results = pool.map(_worker, chunks)
    for s, l, n in results:
        secrets += s
        lookalikes += l
        nbytes += n
    if jobs != 1:
        pool.shutdown()
    kinds: dict[str, int] = {}
    for s in secrets:
        kinds[s["kind"]] = kinds.get(s["kind"], 0) + 1
    manifest = {
        "generator": "bench/gen_secret_corpus.py", "version": VERSION, "seed": args.seed, "files": args.files,
        "bytes": nbytes, "secret_rate": args.secret_rate, "lookalike_rate": args.lookalike_rate,
        "note": "All planted values are random fakes of the right format; none is a real credential.",
        "secrets_per_kind": dict(sorted(kinds.items())),
        "secrets": secrets, "lookalikes": lookalikes,
    }
    (out / "planted.json").write_text(json.dumps(manifest, indent=1) + "\n")
    elapsed = time.perf_counter() - started
    print(f"{args.files} files, {nbytes / 1e6:.1f} MB, {len(secrets)} planted secrets, "
          f"{len(lookalikes)} look-alikes in {out} ({elapsed:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
