"""The import graph of ``review/`` and ``reproduce/``: layered, acyclic, imports at the top.

The graph is read from the source with :mod:`ast` (nothing is imported): an edge ``a -> b``
means module ``a`` imports project module ``b`` at module level (importing ``x.y.z`` also runs
the ``__init__`` of ``x`` and ``x.y``, so those are edges too).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from review import paths

ROOT = paths.ROOT
PACKAGES = ("review", "reproduce")

#: Optional heavy dependencies a function may import (each such import carries a comment), and
#: dependencies the GPU image lacks that only the CPU side needs (imagehash: near duplicates;
#: platformdirs: default folders when no variable is set). great_tables and itables render the
#: report's tables (1-2 s to import each, itables pulls in pandas): review.output also holds the
#: CLI's ``--format`` writer, which must start without them. playwright (a browser driver of
#: about 100 MB) and pypdf are the optional dev extra, needed only by the browser test and
#: ``make report-pdf``: the modules that use them must import without them.
HEAVY = ("torch", "torchvision", "timm", "h5py", "sklearn", "matplotlib", "seaborn", "statsmodels",
         "imagehash", "platformdirs", "great_tables", "itables", "playwright", "pypdf")  # fmt: skip

#: Modules allowed to import PROJECT modules inside functions, and why.
LAZY_PROJECT_IMPORTS = {
    "reproduce.cli": "the CLI starts without torch; the engine is imported when a run starts",
    "reproduce.attacks.cli": "the CLI starts without torch; the attack code is imported on use",
    "reproduce.device.cli": "the CLI starts without torch; packing reads the model files",
    "reproduce.cluster.task": "a job-array task imports the (torch) worker in its own process",
    "reproduce.results.export": "exporting CIFAR-10 checkpoints needs the (torch) model code",
    "reproduce.report.fragility": "rebuilding an example image needs the (torch) attack code",
    "reproduce.claims.bootstrap": "amendment A1 reuses the engine's (torch) AUC only when applied",
    "review.stats.analyze": "matplotlib (through review.stats.plots) only when figures are drawn",
}

#: Layers, lowest first: a module may import only from its own layer or the layers below.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("review.errors",),
    ("review.paths",),
    ("review.output", "review.schema"),
    ("reproduce.engine.config", "reproduce.engine.io", "reproduce.engine.device"),
    ("reproduce.engine.env",),
    ("reproduce.datasets",),
    ("reproduce.device.cost",),
    ("reproduce.engine.train", "reproduce.engine.features", "reproduce.engine.cost"),
    ("reproduce.engine.heads",),
    ("reproduce.models.registry", "reproduce.models.backbone", "reproduce.models.archs"),
    ("reproduce.models.zoo",),
    ("reproduce.approaches",),
    ("reproduce.models.pretrain", "reproduce.engine.plan", "reproduce.results.schema"),
    ("reproduce.engine.execute",),
    ("reproduce.device.worker", "reproduce.device.build_pack"),
)

#: Modules a GPU worker executes: none of them may import polars (the GPU image has none).
GPU_MODULES = (
    "reproduce.datasets.load",
    "reproduce.models.backbone",
    "reproduce.models.pretrain",
    "reproduce.approaches",
    "reproduce.engine.train",
    "reproduce.engine.features",
    "reproduce.engine.cost",
    "reproduce.engine.execute",
    "reproduce.engine.heads",
    "reproduce.datasets.pack",
    "reproduce.device.cost",
    "reproduce.device.worker",
    "reproduce.attacks.execute",
    "reproduce.attacks.uap",
    "reproduce.attacks.victim",
    "reproduce.attacks.device",
)


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for f in sorted((ROOT / pkg).rglob("*.py")):
            parts = list(f.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = f
    return out


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The project module ``name`` refers to (itself, or the module holding an attribute)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _targets(node: ast.Import | ast.ImportFrom) -> set[str]:
    names: list[str] = []
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    elif node.module:
        names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
    out = set()
    for n in names:
        m = _resolve(n)
        while m:  # the module and every package above it run on import
            out.add(m)
            m = m.rpartition(".")[0] if "." in m else ""
    return out


def _graph() -> dict[str, set[str]]:
    g: dict[str, set[str]] = {}
    for mod, f in MODULES.items():
        tree = ast.parse(f.read_text(encoding="utf-8"))
        edges: set[str] = set()
        for node in tree.body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                edges |= _targets(node)
        edges.discard(mod)
        # a package's own __init__ is run before its submodules: not an edge back
        g[mod] = {e for e in edges if not mod.startswith(e + ".")}
    return g


GRAPH = _graph()


def _cycle(g: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(g.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m) :] + [m]
            if m not in state and (c := visit(m)):
                return c
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(g):
        if n not in state and (c := visit(n)):
            return c
    return None


def _closure(mod: str) -> set[str]:
    seen, todo = set(), [mod]
    while todo:
        m = todo.pop()
        for n in GRAPH.get(m, ()):
            if n not in seen:
                seen.add(n)
                todo.append(n)
    return seen


def test_import_graph_of_both_packages_is_found():
    assert "reproduce.engine.execute" in GRAPH and "review.errors" in GRAPH
    assert "reproduce.approaches" in GRAPH["reproduce.engine.execute"]


def test_module_level_imports_have_no_cycle():
    assert _cycle(GRAPH) is None, " -> ".join(_cycle(GRAPH) or [])


def test_cycle_finder_finds_a_planted_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def _layer(mod: str) -> int | None:
    best = None
    for i, layer in enumerate(LAYERS):
        for prefix in layer:
            if mod == prefix or mod.startswith(prefix + "."):
                best = i
    return best


def test_no_module_imports_a_module_of_a_higher_layer():
    bad = []
    for mod, deps in GRAPH.items():
        lm = _layer(mod)
        if lm is None:
            continue
        for d in deps:
            ld = _layer(d)
            if ld is not None and ld > lm:
                bad.append(f"{mod} (layer {lm}) imports {d} (layer {ld})")
    assert not bad, "\n".join(bad)


def test_errors_module_imports_nothing_from_the_project():
    assert GRAPH["review.errors"] == set()
    assert _closure("review.paths") <= {"review", "review.errors"}


def test_review_package_imports_nothing_from_reproduce_not_even_in_functions():
    """``review`` is the base both packages use: an import of ``reproduce`` would invert it."""
    top = [f"{m} -> {d}" for m, deps in GRAPH.items() if m.startswith("review")
           for d in deps if d.startswith("reproduce")]  # fmt: skip
    inner = [f"{m}:{line} -> {name}" for m, line, name, _ in _function_imports()
             if m.startswith("review") and name.split(".")[0] == "reproduce"]  # fmt: skip
    assert not top + inner, top + inner


def test_gpu_modules_do_not_import_polars_even_indirectly():
    offenders = []
    for mod in GPU_MODULES:
        # namespace packages (reproduce/device has no __init__.py) hold no code to read
        for m in ({mod} | _closure(mod)) & MODULES.keys():
            tree = ast.parse(MODULES[m].read_text(encoding="utf-8"))
            for node in tree.body:
                if isinstance(node, ast.Import | ast.ImportFrom):
                    names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                    names.append(getattr(node, "module", None) or "")
                    if any(n.split(".")[0] == "polars" for n in names):
                        offenders.append(f"{mod} -> {m}")
    assert not offenders, offenders


def _function_imports() -> list[tuple[str, int, str, bool]]:
    """``(module, line, imported root, has a comment)`` of every import inside a function."""
    out = []
    for mod, f in MODULES.items():
        text = f.read_text(encoding="utf-8")
        lines = text.splitlines()
        for fn in ast.walk(ast.parse(text)):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    name = node.names[0].name if isinstance(node, ast.Import) else node.module
                    here = lines[node.lineno - 1 : node.end_lineno]
                    i = node.lineno - 2  # walk up over the imports of the same block
                    while i >= 0 and lines[i].strip().startswith(("import ", "from ", ")")):
                        i -= 1
                    before = lines[i].strip() if i >= 0 else ""
                    commented = any("#" in ln for ln in here) or before.startswith("#")
                    out.append((mod, node.lineno, name or "", commented))
    return out


def test_imports_inside_functions_are_heavy_optional_dependencies_with_a_comment():
    bad = []
    for mod, line, name, commented in _function_imports():
        root = name.split(".")[0]
        ok_kind = root in HEAVY or (root in PACKAGES and mod in LAZY_PROJECT_IMPORTS)
        if not ok_kind or not commented:
            bad.append(f"{MODULES[mod].relative_to(ROOT)}:{line}: import {name}")
    assert not bad, "imports inside functions:\n" + "\n".join(bad)


@pytest.mark.slow
def test_smoke_profile_runs_through_run_suite_without_polars(tmp_path):
    """A GPU worker has no polars: plan and execute a SYNTHETIC suite with polars blocked."""
    suite = tmp_path / "nopolars.yaml"
    suite.write_text(
        textwrap.dedent(
            """
            suite: nopolars
            description: SYNTHETIC suite run with polars blocked
            profiles:
              smoke:
                defaults: {dataset: synthetic, arch: efficientnet_lite0, source: random,
                           resolution: 32, epochs: 1, batch_size: 32, seed: 0}
                grids:
                  - approach: [feature_extractor, scratch]
            """
        )
    )
    code = textwrap.dedent(
        f"""
        import importlib.abc, json, sys

        class NoPolars(importlib.abc.MetaPathFinder):
            # As on the GPU image: polars is not installed. (sys.modules["polars"] = None would
            # also block the import, but scikit-learn then finds "polars" in sys.modules and
            # fails on None; a missing package is what a worker really has.)
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] == "polars":
                    raise ModuleNotFoundError(f"No module named {{name!r}} (blocked by the test)")
                return None

        sys.modules.pop("polars", None)
        sys.meta_path.insert(0, NoPolars())
        import torch
        torch.set_num_threads(1)
        from reproduce.engine.execute import run_suite
        from reproduce.engine.plan import expand_suite, load_suite, plan_runs
        suite = load_suite({str(suite)!r})
        planned = plan_runs(expand_suite(suite, "smoke"))
        out = run_suite(planned, suite=suite.name, quiet=True, echo=lambda s: None)
        print(json.dumps([[o.status, o.result.get("error")] for o in out]))
        assert not [m for m in sys.modules if m.split(".")[0] == "polars"]
        """
    )
    env = {
        "PYTHONPATH": str(ROOT),
        "TLREVIEW_RUNS_DIR": str(tmp_path / "runs"),
        "TLREVIEW_CACHE_DIR": str(tmp_path / "cache"),
        "PATH": "/usr/bin:/bin",
    }
    res = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600
    )
    assert res.returncode == 0, res.stderr[-3000:]
    statuses = json.loads(res.stdout.strip().splitlines()[-1])
    assert statuses == [["ok", None], ["ok", None]]
    assert len(list((tmp_path / "runs" / "nopolars").glob("*/predictions.parquet"))) == 2
