"""Copies the top-level rules/ and policies/ into the wheel as scanner/_data/.

They are data the package reads at run time (``scanner.engine.loader.builtin_dir``);
in a source checkout the loader reads them from the repository root instead.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        for name in ("rules", "policies"):
            target = Path(self.build_lib) / "scanner" / "_data" / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(HERE / name, target, ignore=shutil.ignore_patterns("*.pyc", "__pycache__"))


setup(cmdclass={"build_py": BuildPyWithData})
