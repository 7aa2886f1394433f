"""Run a module as ``__main__`` with polars made unimportable (the GPU image has no polars).

``python tests/device/block_polars.py MODULE [ARGS...]``. An import hook refuses ``polars``
(rather than ``sys.modules["polars"] = None``, which scikit-learn's data-frame checks trip on),
so any import of polars on the worker's path fails the run.
"""

import runpy
import sys


class _BlockPolars:
    def find_spec(self, name, path=None, target=None):  # noqa: ANN001, ANN201 - import protocol
        if name == "polars" or name.startswith("polars."):
            raise ImportError("polars is blocked: the GPU image has none")
        return None


if __name__ == "__main__":
    sys.meta_path.insert(0, _BlockPolars())
    module = sys.argv[1]
    sys.argv = [module, *sys.argv[2:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
