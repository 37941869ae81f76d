"""Order statements by their dependency edges (a stable topological sort)."""

from __future__ import annotations

import heapq

from .statement import Statement


class CycleError(ValueError):
    """Statements that require each other in a circle."""


def topo_sort(statements: list[Statement]) -> list[Statement]:
    """Return the statements so that each comes after every statement it requires.

    Requirements no statement provides are taken as already present (objects of another
    schema, or of the database). Ties are broken by (kind rank, key): the output is the same
    for the same input, whatever order it came in.
    """
    providers: dict[str, list[int]] = {}
    for i, st in enumerate(statements):
        for p in st.provides:
            providers.setdefault(p, []).append(i)
    after: dict[int, set[int]] = {i: set() for i in range(len(statements))}
    indegree = [0] * len(statements)
    for i, st in enumerate(statements):
        for req in st.requires:
            for j in providers.get(req, []):
                if j != i and i not in after[j]:
                    after[j].add(i)
                    indegree[i] += 1
    ready = [(st.sort_key, i) for i, st in enumerate(statements) if indegree[i] == 0]
    heapq.heapify(ready)
    out: list[Statement] = []
    while ready:
        _, i = heapq.heappop(ready)
        out.append(statements[i])
        for k in sorted(after[i]):
            indegree[k] -= 1
            if indegree[k] == 0:
                heapq.heappush(ready, (statements[k].sort_key, k))
    if len(out) != len(statements):
        stuck = sorted(st.key for i, st in enumerate(statements) if indegree[i] > 0)
        raise CycleError("dependency cycle among: " + ", ".join(stuck))
    return out
