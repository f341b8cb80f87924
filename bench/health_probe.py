#!/usr/bin/python3
"""Health benchmark helper (bench/health.ts): what users run today, in one fresh Python process.

Usage (prints one JSON line):
    /usr/bin/python3 bench/health_probe.py prepare SRC A B
        torch.load SRC (make_fixtures.py --large), put NaN into two tensors and torch.save it to A;
        then change one tensor (one layer's exp_avg, halved) and torch.save it to B, so A and B
        differ in exactly that tensor. Prints the NaN counts it wrote and the changed tensor.
    /usr/bin/python3 bench/health_probe.py health FILE
        torch.load(FILE, map_location="cpu", weights_only=False), then torch.isnan(t).sum() over
        every tensor of the loaded object (nested dicts, lists and tuples walked).
    /usr/bin/python3 bench/health_probe.py diff A B
        torch.load both, then torch.equal on every tensor of A against the tensor at the same key
        path in B (and, where that says "differs", torch.allclose(rtol=0, atol=0, equal_nan=True),
        since NaN != NaN makes torch.equal false for a tensor holding NaN even against itself).

load_bytes is what torch.load read (/proc/self/io rchar before and after). Tensor names are key paths joined with "." (``optimizer_state_dict.state.0.exp_avg``), as
ckptview names them. Times are seconds from time.perf_counter(); memory is ru_maxrss (peak
resident set of this process, KiB on Linux). Only trusted, generated files are given: torch.load
runs the pickle.
"""
import json
import resource
import sys
import time
from typing import Any, Dict, Iterator, Tuple

T0 = time.perf_counter()
import torch  # noqa: E402

T_IMPORT = time.perf_counter() - T0

# Where prepare puts NaN (tensor path, element stride, count) and which tensor it changes.
NAN_PLAN = (("optimizer_state_dict", "state", 0, "exp_avg", 99_013, 337),
            ("optimizer_state_dict", "state", 5, "exp_avg_sq", 1, 7))
CHANGED = ("optimizer_state_dict", "state", 2, "exp_avg")


def maxrss_bytes() -> int:
    """Peak resident set size of this process so far, in bytes."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def walk(obj: Any, prefix: str = "") -> Iterator[Tuple[str, torch.Tensor]]:
    """Every tensor in a loaded checkpoint with its dotted key path."""
    if isinstance(obj, torch.Tensor):
        yield prefix, obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from walk(v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            yield from walk(v, f"{prefix}.{i}" if prefix else str(i))


def at(obj: Any, path: Tuple[Any, ...]) -> Any:
    """The value at a key path of nested dicts and lists."""
    for k in path:
        obj = obj[k]
    return obj


def dotted(path: Tuple[Any, ...]) -> str:
    """A key path as ckptview names it."""
    return ".".join(str(k) for k in path)


def rchar() -> int:
    """Bytes this process has read through read() and friends so far (/proc/self/io rchar; -1 if absent)."""
    try:
        with open("/proc/self/io", encoding="ascii") as f:
            for line in f:
                if line.startswith("rchar:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def load(path: str) -> Any:
    """torch.load as users run it to look at a checkpoint."""
    return torch.load(path, map_location="cpu", weights_only=False)


def prepare(src: str, a: str, b: str) -> Dict[str, Any]:
    """Write A (NaN in two tensors) and B (A with one tensor changed)."""
    d = load(src)
    nan: Dict[str, int] = {}
    for *path, stride, count in NAN_PLAN:
        flat = at(d, tuple(path)).view(-1)
        flat[: stride * count : stride] = float("nan")
        nan[dotted(tuple(path))] = int(torch.isnan(flat).sum())
    torch.save(d, a)
    at(d, CHANGED).mul_(0.5)
    torch.save(d, b)
    return {"nan": nan, "changed": dotted(CHANGED)}


def health(path: str) -> Dict[str, Any]:
    """torch.load, then torch.isnan(t).sum() over every tensor."""
    t, r = time.perf_counter(), rchar()
    d = load(path)
    out: Dict[str, Any] = {"load_s": time.perf_counter() - t, "load_bytes": rchar() - r}
    t = time.perf_counter()
    nan: Dict[str, int] = {}
    tensors = 0
    for name, x in walk(d):
        tensors += 1
        n = int(torch.isnan(x).sum())
        if n:
            nan[name] = n
    out.update({"scan_s": time.perf_counter() - t, "tensors": tensors, "nan": nan})
    return out


def same_with_nan(x: torch.Tensor, y: torch.Tensor) -> bool:
    """Equal where NaN counts as equal to NaN (torch.equal says a tensor holding NaN differs from itself)."""
    return x.is_floating_point() and bool(torch.allclose(x, y, rtol=0.0, atol=0.0, equal_nan=True))


def diff(a: str, b: str) -> Dict[str, Any]:
    """torch.load both, then torch.equal on every tensor of A against B's at the same path."""
    t, r = time.perf_counter(), rchar()
    da, db = load(a), load(b)
    out: Dict[str, Any] = {"load_s": time.perf_counter() - t, "load_bytes": rchar() - r}
    t = time.perf_counter()
    tb = dict(walk(db))
    changed, identical, only_a = [], 0, []
    for name, x in walk(da):
        y = tb.pop(name, None)
        if y is None:
            only_a.append(name)
        elif x.dtype == y.dtype and x.shape == y.shape and (torch.equal(x, y) or same_with_nan(x, y)):
            identical += 1
        else:
            changed.append(name)
    out.update({"compare_s": time.perf_counter() - t, "identical": identical, "changed": changed,
                "only_a": only_a, "only_b": sorted(tb)})
    return out


def main() -> int:
    """Run one mode and print its measurements as one JSON line."""
    mode, args = sys.argv[1], sys.argv[2:]
    out: Dict[str, Any] = {"mode": mode, "torch": torch.__version__, "import_s": T_IMPORT,
                           "maxrss_after_import": maxrss_bytes()}
    if mode == "prepare":
        out.update(prepare(*args))
    elif mode == "health":
        out.update(health(*args))
    elif mode == "diff":
        out.update(diff(*args))
    else:
        raise SystemExit(f"unknown mode {mode}")
    out["total_s"] = time.perf_counter() - T0
    out["maxrss"] = maxrss_bytes()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
