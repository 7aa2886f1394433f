"""Split a suite's runs into shards of equal predicted time (greedy longest-first).

A job array is only as fast as its slowest task, so shards are balanced by the predicted
seconds of their runs, not by their number: :func:`balance_shards` is the classical LPT rule
(sort the runs by predicted time, longest first, and give each to the shard with the least
predicted time so far), whose makespan is at most 4/3 of the optimum (Graham 1969).

The prediction comes from the cost model of the device worker when it is available
(:func:`predict_seconds`); without it every run counts as one unit, and the shards are then
balanced by count, which :func:`predict_seconds` says in its ``predictor`` label.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any

from review.errors import InputError

__all__ = ["balance_shards", "plan_shards", "predict_seconds"]


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


def predict_seconds(planned: Sequence[Any], device: str) -> tuple[list[float], str]:
    """Predicted seconds of each planned run on ``device`` and the name of the predictor.

    Parameters
    ----------
    planned
        :class:`reproduce.runner.PlannedRun` objects.
    device
        ``cpu``, ``cuda``, ... (what the tasks will run on).

    Returns
    -------
    tuple
        ``(seconds, predictor)``; ``predictor`` names where the numbers come from
        (``"uniform"``: one unit per run, i.e. balancing by count, when no cost model is
        available).
    """
    del device  # used by the cost model
    return [1.0] * len(planned), "uniform"


def plan_shards(planned: Sequence[Any], n_shards: int, device: str) -> dict[str, Any]:
    """Predict each run's time and split the runs into balanced shards.

    Parameters
    ----------
    planned
        :class:`reproduce.runner.PlannedRun` objects, in plan order.
    n_shards
        Number of shards wanted (fewer when there are fewer runs).
    device
        What the tasks run on (``cpu`` or ``cuda``), for the prediction.

    Returns
    -------
    dict
        ``predictor``, ``predicted_s`` (all runs), ``predicted_makespan_s`` (the longest
        shard) and ``shards``: ``[{"index", "run_ids", "predicted_s"}, ...]``, as
        ``submission.json`` records them. The seconds are ``None`` when no cost model is
        available (``predictor = "uniform"``: the shards are then balanced by count).
    """
    seconds, predictor = predict_seconds(planned, device)
    groups = balance_shards(seconds, n_shards) if planned else []
    known = predictor != "uniform"  # a count is not a time: no predicted seconds then

    def total(idx: Sequence[int]) -> float | None:
        return float(sum(seconds[i] for i in idx)) if known else None

    shards = [
        {"index": k, "run_ids": [planned[i].run_id for i in g], "predicted_s": total(g)}
        for k, g in enumerate(groups)
    ]
    return {
        "predictor": predictor,
        "predicted_s": total(range(len(planned))),
        "predicted_makespan_s": max((total(g) or 0.0 for g in groups), default=0.0)
        if known
        else None,
        "shards": shards,
    }
