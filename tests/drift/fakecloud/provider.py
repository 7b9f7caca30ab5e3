"""A fake Terraform provider for tests only (shared/docs/drift.md 11.1).

Speaks the Terraform plugin protocol through PyPI ``tf``. The "cloud" is
the JSON file named by ``FAKECLOUD_FILE``: {"security_groups": {id: obj},
"buckets": {name: obj}}. Editing that file by hand is out-of-band drift, and
a deleted entry makes Read return None (deleted out of band). Terraform runs
Create/Update/Delete in parallel, so every access holds an flock.
Run as ``python provider.py`` through a ``terraform-provider-fakecloud``
launcher found by a CLI config ``dev_overrides`` entry.
"""
from __future__ import annotations

import fcntl
import json
import os
import sys
from contextlib import contextmanager
from typing import Any, Iterator, Optional

from tf import runner, schema, types
from tf.iface import Config, CreateContext, DeleteContext, ReadContext, State, UpdateContext, UpgradeContext
from tf.provider import Provider, Resource
from tf.utils import Diagnostics


@contextmanager
def cloud() -> Iterator[dict[str, Any]]:
    """The cloud as a dict, locked; changes are written back on exit."""
    path = os.environ["FAKECLOUD_FILE"]
    with open(path + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = json.load(open(path)) if os.path.exists(path) else {}
        data.setdefault("security_groups", {})
        data.setdefault("buckets", {})
        yield data
        with open(path + ".tmp", "w") as out:
            json.dump(data, out, indent=2, sort_keys=True)
        os.replace(path + ".tmp", path)


class _Object(Resource):
    """CRUD of one collection of the cloud; ``id`` is computed."""
    collection = ""
    fields: tuple[str, ...] = ()

    def __init__(self, provider: Provider) -> None:
        self.provider = provider

    def _new_id(self, planned: State, data: dict) -> str:
        raise NotImplementedError

    def create(self, ctx: CreateContext, planned: State) -> Optional[State]:
        with cloud() as data:
            oid = self._new_id(planned, data)
            data[self.collection][oid] = {k: planned.get(k) for k in self.fields}
        return {**planned, "id": oid}

    def read(self, ctx: ReadContext, current: State) -> Optional[State]:
        with cloud() as data:
            live = data[self.collection].get(current["id"])
        return None if live is None else {**{k: live.get(k) for k in self.fields}, "id": current["id"]}

    def update(self, ctx: UpdateContext, current: State, planned: State) -> Optional[State]:
        with cloud() as data:
            data[self.collection][current["id"]] = {k: planned.get(k) for k in self.fields}
        return {**planned, "id": current["id"]}

    def upgrade(self, ctx: UpgradeContext, version: int, old: State) -> Optional[State]:
        return old  # one schema version; tf's default adds a warning to every plan

    def delete(self, ctx: DeleteContext, current: State) -> None:
        with cloud() as data:
            data[self.collection].pop(current["id"], None)


class SecurityGroup(_Object):
    collection, fields = "security_groups", ("name", "ingress_port", "ingress_cidrs")

    @classmethod
    def get_name(cls) -> str:
        return "security_group"

    @classmethod
    def get_schema(cls) -> schema.Schema:
        return schema.Schema(attributes=[
            schema.Attribute("id", types.String(), computed=True),
            schema.Attribute("name", types.String(), required=True),
            schema.Attribute("ingress_port", types.Number(), required=True),
            schema.Attribute("ingress_cidrs", types.List(types.String()), required=True),
        ])

    def _new_id(self, planned: State, data: dict) -> str:
        return f"sg-{len(data['security_groups']) + 1:04d}"


class Bucket(_Object):
    collection, fields = "buckets", ("bucket", "sse_algorithm", "block_public_access")

    @classmethod
    def get_name(cls) -> str:
        return "bucket"

    @classmethod
    def get_schema(cls) -> schema.Schema:
        return schema.Schema(attributes=[
            schema.Attribute("id", types.String(), computed=True),
            schema.Attribute("bucket", types.String(), required=True, requires_replace=True),
            schema.Attribute("sse_algorithm", types.String(), optional=True),
            schema.Attribute("block_public_access", types.Bool(), optional=True),
        ])

    def _new_id(self, planned: State, data: dict) -> str:
        return str(planned["bucket"])


class FakeCloud(Provider):
    def get_model_prefix(self) -> str:
        return "fakecloud_"

    def full_name(self) -> str:
        return "example.com/zd/fakecloud"

    def get_provider_schema(self, diags: Diagnostics) -> schema.Schema:
        return schema.Schema(attributes=[])

    def validate_config(self, diags: Diagnostics, config: Config) -> None:
        pass

    def configure_provider(self, diags: Diagnostics, config: Config) -> None:
        pass

    def get_data_sources(self) -> list:
        return []

    def get_resources(self) -> list:
        return [SecurityGroup, Bucket]


if __name__ == "__main__":
    runner.run_provider(FakeCloud(), sys.argv)
