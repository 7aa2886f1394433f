"""Split a suite's runs into shards of equal predicted time (greedy longest-first).

A job array is only as fast as its slowest task, so shards are balanced by the predicted
seconds of their runs, not by their number: :func:`balance_shards` is the classical LPT rule
(sort the runs by predicted time, longest first, and give each to the shard with the least
predicted time so far), whose makespan is at most 4/3 of the optimum (Graham 1969).

The prediction comes from the cost model of the device worker (:mod:`reproduce.device.cost`:
images to push through the network over measured step rates per architecture, resolution and
batch). Where it cannot predict (a data set of unknown size, no step times) every run counts as
one unit and the shards are balanced by count, which the plan's ``predictor`` label says.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any

from reproduce.device import cost
from review.errors import InputError

__all__ = ["COST_DEVICE", "balance_shards", "plan_shards", "predict_seconds"]

#: Device key of the cost model's step-time table used for balancing (the only one measured;
#: the balance needs relative times, which carry over to other GPUs).
COST_DEVICE = "h200"


def balance_shards(seconds: Sequence[float], n_shards: int) -> list[list[int]]:
    """Assign runs to ``n_shards`` shards, balancing their summed predicted seconds.

    Parameters
    ----------
    seconds
        Predicted seconds of each run (``>= 0``), in plan order.
    n_shards
        Number of shards (``>= 1``); more shards than runs leaves no shard empty: it is
        reduced to the number of runs.

    Returns
    -------
    list of list of int
        For each shard, the indices of its runs in plan order. Ties go to the lowest
        shard index and, among runs of equal time, to the earlier run first, so the result
        is deterministic.

    Raises
    ------
    InputError
        ``n_shards < 1`` or a negative or non-finite prediction.

    Examples
    --------
    >>> balance_shards([5.0, 1.0, 1.0, 1.0, 1.0, 1.0], 2)
    [[0], [1, 2, 3, 4, 5]]
    """
    if n_shards < 1:
        raise InputError(f"--shards {n_shards}: expected an integer >= 1")
    for i, s in enumerate(seconds):
        if not (s >= 0 and s != float("inf")):
            raise InputError(f"predicted seconds of run #{i}: {s!r}, expected a finite value >= 0")
    n = min(n_shards, len(seconds)) or 1
    order = sorted(range(len(seconds)), key=lambda i: (-seconds[i], i))
    heap = [(0.0, k) for k in range(n)]
    shards: list[list[int]] = [[] for _ in range(n)]
    for i in order:
        load, k = heapq.heappop(heap)
        shards[k].append(i)
        heapq.heappush(heap, (load + float(seconds[i]), k))
    return [sorted(s) for s in shards if s] or [[]]


def predict_seconds(
    planned: Sequence[Any], cost_device: str = COST_DEVICE
) -> tuple[list[float], str]:
    """Predicted seconds of each planned run, warm (its shape's warm-up not counted).

    Parameters
    ----------
    planned
        :class:`reproduce.engine.plan.PlannedRun` objects.
    cost_device
        Device key of the cost model's step-time table
        (:data:`reproduce.device.cost.TABLE`).

    Returns
    -------
    tuple
        ``(seconds, predictor)``. ``predictor`` is ``"cost-model:<device>"``, or
        ``"uniform"`` (one unit per run: the shards are balanced by count) when the cost model
        cannot predict a run (no step times for the device, a data set of unknown size), with
        the reason after a colon.
    """
    table = cost.load_table()
    out = []
    for p in planned:
        try:
            counts = cost.dataset_counts(p.config.dataset)
            out.append(float(cost.predict_run(p.config, counts, table, cost_device)["seconds"]))
        except (InputError, ValueError, KeyError) as exc:
            return [1.0] * len(planned), f"uniform: {p.config.dataset}: {exc}"[:300]
    return out, f"cost-model:{cost_device}"


def _shard_seconds(runs: Sequence[Any], cost_device: str) -> float:
    """Predicted seconds of one shard run by one worker (in its order, one warm-up per shape)."""
    ordered = cost.order_seed_major(runs)
    preds = cost.predict_runs([p.config for p in ordered], cost.dataset_counts, None, cost_device)
    return float(sum(q["seconds"] for q in preds))


def plan_shards(
    planned: Sequence[Any], n_shards: int, cost_device: str = COST_DEVICE
) -> dict[str, Any]:
    """Predict each run's time and split the runs into balanced shards.

    Parameters
    ----------
    planned
        :class:`reproduce.engine.plan.PlannedRun` objects, in plan order.
    n_shards
        Number of shards wanted (fewer when there are fewer runs).
    cost_device
        Device key of the cost model's table.

    Returns
    -------
    dict
        ``predictor``, ``predicted_s`` (all shards), ``predicted_makespan_s`` (the longest
        shard) and ``shards``: ``[{"index", "run_ids", "predicted_s"}, ...]``, as
        ``submission.json`` records them. A shard's seconds are those of one worker running
        it (one warm-up per shape). The seconds are ``None`` when the cost model could not
        predict (``predictor`` starting with ``uniform``: the shards are balanced by count).
    """
    seconds, predictor = predict_seconds(planned, cost_device)
    groups = balance_shards(seconds, n_shards) if planned else []
    known = not predictor.startswith("uniform")  # a count is not a time
    shards = [
        {
            "index": k,
            "run_ids": [planned[i].run_id for i in g],
            "predicted_s": _shard_seconds([planned[i] for i in g], cost_device) if known else None,
        }
        for k, g in enumerate(groups)
    ]
    totals = [sh["predicted_s"] for sh in shards]
    return {
        "predictor": predictor,
        "cost_device": cost_device,
        "predicted_s": float(sum(totals)) if known else None,
        "predicted_makespan_s": max(totals, default=0.0) if known else None,
        "shards": shards,
    }
