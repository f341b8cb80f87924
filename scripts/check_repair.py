#!/usr/bin/python3
"""Check repaired checkpoints with real PyTorch: each repaired file must load with torch.load,
have the new epoch and step 0, and every other value and tensor equal (torch.equal) to the
original's. Zip archives are also checked with Python's zipfile (every CRC-32, 64-byte data
alignment as PyTorch writes it).

Usage: /usr/bin/python3 scripts/check_repair.py CASES.json
CASES.json: [{"original": path, "repaired": path, "epoch": N}, ...]
Prints one JSON line: [{"repaired": path, "ok": bool, "problems": [...], "epoch": .., "step": ..}, ...]
Only trusted fixtures may be given: torch.load runs the pickle.
"""
import json
import sys
import zipfile

import numpy as np
import torch


def compare(a, b, path, problems):
    """Append a sentence to problems for every place where a and b differ."""
    if len(problems) > 20:
        return
    if type(a) is not type(b):
        problems.append(f"{path}: type {type(a).__name__} != {type(b).__name__}")
    elif isinstance(a, torch.Tensor):
        if a.dtype != b.dtype or a.shape != b.shape or a.stride() != b.stride() or not torch.equal(a, b):
            problems.append(f"{path}: tensor differs")
    elif isinstance(a, dict):
        if list(a.keys()) != list(b.keys()):
            problems.append(f"{path}: keys differ")
        else:
            for k in a:
                compare(a[k], b[k], f"{path}.{k}", problems)
    elif isinstance(a, (list, tuple)):
        if len(a) != len(b):
            problems.append(f"{path}: length differs")
        else:
            for i, (x, y) in enumerate(zip(a, b)):
                compare(x, y, f"{path}[{i}]", problems)
    elif isinstance(a, (np.ndarray, np.generic)):
        if a.dtype != b.dtype or not np.array_equal(a, b, equal_nan=True):
            problems.append(f"{path}: numpy value differs")
    elif isinstance(a, float) and a != a:
        if b == b:
            problems.append(f"{path}: NaN became {b}")
    elif a != b:
        problems.append(f"{path}: {a!r} != {b!r}")


def check_zip(path, problems):
    """Every CRC valid; every storage record's data 64-byte aligned."""
    if not zipfile.is_zipfile(path):
        return
    with zipfile.ZipFile(path) as z:
        bad = z.testzip()
        if bad is not None:
            problems.append(f"zip CRC check failed at {bad}")
        with open(path, "rb") as f:
            for info in z.infolist():
                f.seek(info.header_offset + 26)
                n, e = int.from_bytes(f.read(2), "little"), int.from_bytes(f.read(2), "little")
                data = info.header_offset + 30 + n + e
                if "/data/" in info.filename and data % 64 != 0:
                    problems.append(f"{info.filename} data at {data} is not 64-byte aligned")


def main():
    """Check every case and print the results as one JSON line."""
    cases = json.load(open(sys.argv[1]))
    results = []
    for case in cases:
        problems = []
        try:
            a = torch.load(case["original"], map_location="cpu")
            b = torch.load(case["repaired"], map_location="cpu")
            if b.get("epoch") != case["epoch"]:
                problems.append(f"epoch is {b.get('epoch')!r}, expected {case['epoch']}")
            if b.get("step") != 0:
                problems.append(f"step is {b.get('step')!r}, expected 0")
            a = dict(a)
            b2 = dict(b)
            for k in ("epoch", "step"):
                a.pop(k, None)
                b2.pop(k, None)
            compare(a, b2, "root", problems)
            check_zip(case["repaired"], problems)
            results.append({"repaired": case["repaired"], "ok": not problems, "problems": problems, "epoch": b.get("epoch"), "step": b.get("step")})
        except Exception as e:  # noqa: BLE001 - report, do not crash the batch
            results.append({"repaired": case["repaired"], "ok": False, "problems": [f"{type(e).__name__}: {e}"]})
    print(json.dumps(results))


if __name__ == "__main__":
    main()
