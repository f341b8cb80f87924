#!/usr/bin/python3
"""Check the trainers' own repairs (src/core/conventions/<id>/repair.ts) with real PyTorch.

Each repaired pickle file must load with torch.load (trainer classes such as
ultralytics.nn.tasks.DetectionModel are replaced by stand-in classes, so no trainer package is
needed), hold the new values at the changed paths and every other value and tensor equal
(torch.equal) to the original's. For Lightning and HF Trainer the position the trainer's own
resume rule computes from the repaired checkpoint is reported, reimplemented from CONVENTIONS.md:
- Lightning >= 2.5 (`FitLoop.update_restart_stage`, PR #20379, CONVENTIONS.md §4): on
  `epoch_progress.total`, ready = started = processed and completed = processed - 1 is
  RESUMED_ON_EPOCH_END, and `FitLoop.reset` increments completed: the next epoch is completed + 1
  from batch 0; processed = started - 1 is RESTARTED_MID_EPOCH (the epoch `completed` again).
- HF Trainer (`Trainer._inner_training_loop`, CONVENTIONS.md §2): epochs_trained = global_step // U,
  steps skipped in that epoch = global_step % U.
JSON files (trainer_state.json) are compared with Python's json (NaN allowed).

Usage: /usr/bin/python3 scripts/check_convention_repair.py CASES.json
CASES.json: [{"kind": "pickle"|"json", "original": path, "repaired": path,
              "changes": [{"path": [keys...], "after_json": "3.0"}], "rule": "lightning"|"hf"|null, "U": int|null}]
Prints one JSON line: [{"repaired": path, "ok": bool, "problems": [...], "position": {...}|null}, ...]
Only trusted fixtures may be given: torch.load runs the pickle (with stand-ins for unknown classes).
"""
import json
import sys
import types

import numpy as np
import torch

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from check_repair import compare  # noqa: E402


class StandIn:
    """A stand-in for a trainer class torch.load cannot import: keeps its state for comparison."""

    def __init__(self, *args, **kwargs):
        self.args = args

    def __setstate__(self, state):
        self.state = state

    def __eq__(self, other):
        return type(self) is type(other) and self.__dict__ == other.__dict__


_classes = {}


def stand_in_module(name):
    """Put a module `name` (and its parents) in sys.modules whose attributes are stand-in classes."""
    parts = name.split(".")
    for i in range(1, len(parts) + 1):
        mod_name = ".".join(parts[:i])
        if mod_name in sys.modules:
            continue
        mod = types.ModuleType(mod_name)
        mod.__path__ = []

        def attr(attr_name, mod_name=mod_name):
            if attr_name.startswith("__"):
                raise AttributeError(attr_name)
            key = f"{mod_name}.{attr_name}"
            if key not in _classes:
                _classes[key] = type(attr_name, (StandIn,), {"__module__": mod_name})
            return _classes[key]

        mod.__getattr__ = attr
        sys.modules[mod_name] = mod


def load(path):
    """torch.load with stand-in modules for trainer packages that are not installed."""
    for _ in range(20):
        try:
            return torch.load(path, map_location="cpu", weights_only=False)
        except ModuleNotFoundError as e:
            if not e.name:
                raise
            stand_in_module(e.name)
    raise RuntimeError("too many missing modules")


def get(value, path):
    for k in path:
        value = value[k]
    return value


def compare_all(a, b, path, problems):
    """compare() of check_repair.py, following stand-in objects' state."""
    if isinstance(a, StandIn) and isinstance(b, StandIn):
        if type(a).__name__ != type(b).__name__:
            problems.append(f"{path}: class differs")
        compare_all(a.__dict__.get("state"), b.__dict__.get("state"), f"{path}.state", problems)
        return
    if isinstance(a, dict) and isinstance(b, dict) and list(a) == list(b):
        for k in a:
            compare_all(a[k], b[k], f"{path}.{k}", problems)
        return
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and len(a) == len(b) and type(a) is type(b):
        for i, (x, y) in enumerate(zip(a, b)):
            compare_all(x, y, f"{path}[{i}]", problems)
        return
    if type(a) is type(b) and hasattr(a, "__dict__") and not isinstance(a, torch.Tensor):
        # modules and other objects (torch.nn.Sequential holding stand-ins): compare their state
        compare_all(vars(a), vars(b), f"{path}.__dict__", problems)
        return
    compare(a, b, path, problems)


def lightning_position(ckpt):
    ep = ckpt["loops"]["fit_loop"]["epoch_progress"]["total"]
    r, s, p, c = ep["ready"], ep["started"], ep["processed"], ep["completed"]
    if r == s == p and c == p - 1:
        return {"stage": "RESUMED_ON_EPOCH_END", "next_epoch": c + 1, "batch": 0}
    if p == s - 1:
        return {"stage": "RESTARTED_MID_EPOCH", "next_epoch": c, "batch": ckpt["loops"]["fit_loop"]["epoch_loop.batch_progress"]["current"]["completed"]}
    return {"stage": "OTHER", "next_epoch": c, "batch": None}


def main():
    cases = json.load(open(sys.argv[1]))
    out = []
    for case in cases:
        problems = []
        position = None
        try:
            if case["kind"] == "json":
                a = json.load(open(case["original"]))
                b = json.load(open(case["repaired"]))
            else:
                a = load(case["original"])
                b = load(case["repaired"])
            for ch in case["changes"]:
                after = json.loads(ch["after_json"])
                got = get(b, ch["path"])
                if got != after or type(got) is not type(after):
                    problems.append(f"{'.'.join(map(str, ch['path']))} is {got!r}, not {after!r}")
                parent = get(a, ch["path"][:-1])
                parent[ch["path"][-1]] = after  # the intended change, so the rest must be equal
            compare_all(a, b, "root", problems)
            if case.get("rule") == "lightning":
                position = lightning_position(b)
            elif case.get("rule") == "hf":
                gs = b["global_step"]
                position = {"epochs_trained": gs // case["U"], "steps_skipped": gs % case["U"]}
        except Exception as e:  # noqa: BLE001 - reported to the test
            problems.append(f"{type(e).__name__}: {e}")
        out.append({"repaired": case["repaired"], "ok": not problems, "problems": problems, "position": position})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
