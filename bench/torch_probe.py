#!/usr/bin/python3
"""Benchmark helper: what users run today, timed inside one fresh Python process.

Usage (prints one JSON line):
    /usr/bin/python3 bench/torch_probe.py load FILE
        torch.load(FILE, map_location="cpu"), as the seed's debug_checkpoint.py does.
    /usr/bin/python3 bench/torch_probe.py loadsave FILE OUT EPOCH
        torch.load, set epoch = EPOCH and step = 0, torch.save to OUT (the core of
        fix_checkpoint_epoch.py; OUT is a new file so FILE is never truncated).
    /usr/bin/python3 bench/torch_probe.py seedfix FILE OUT EPOCH
        the seed's whole repair: torch.load, shutil.copy2 of FILE to OUT.backup, set epoch and
        step, torch.save to OUT, torch.load(OUT) to confirm.
    /usr/bin/python3 bench/torch_probe.py versions
        torch, numpy and Python versions.

Times are seconds from time.perf_counter(); memory is ru_maxrss (peak resident set, KiB on
Linux) after importing torch and at the end. Only trusted, generated files are given: torch.load
runs the pickle.
"""
import json
import resource
import shutil
import sys
import time

T0 = time.perf_counter()
import numpy  # noqa: E402
import torch  # noqa: E402

T_IMPORT = time.perf_counter() - T0


def maxrss_bytes() -> int:
    """Peak resident set size of this process so far, in bytes."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main() -> int:
    """Run one mode and print its measurements as one JSON line."""
    mode = sys.argv[1]
    out = {"mode": mode, "import_s": T_IMPORT, "maxrss_after_import": maxrss_bytes()}
    if mode == "versions":
        out.update({"torch": torch.__version__, "numpy": numpy.__version__, "python": sys.version.split()[0],
                    "threads": torch.get_num_threads()})
    elif mode == "load":
        t = time.perf_counter()
        d = torch.load(sys.argv[2], map_location="cpu")
        out["load_s"] = time.perf_counter() - t
        out.update({"epoch": int(d["epoch"]), "step": int(d["step"]), "total_batches": int(d.get("total_batches", 0)),
                    "best_val_f1": float(d["best_val_f1"]), "best_val_acc": float(d["best_val_acc"])})
    elif mode in ("loadsave", "seedfix"):
        src, dst, epoch = sys.argv[2], sys.argv[3], int(sys.argv[4])
        t = time.perf_counter()
        d = torch.load(src, map_location="cpu")
        out["load_s"] = time.perf_counter() - t
        if mode == "seedfix":
            t = time.perf_counter()
            shutil.copy2(src, dst + ".backup")
            out["backup_s"] = time.perf_counter() - t
        d["epoch"] = epoch
        d["step"] = 0
        t = time.perf_counter()
        torch.save(d, dst)
        out["save_s"] = time.perf_counter() - t
        if mode == "seedfix":
            del d
            t = time.perf_counter()
            back = torch.load(dst, map_location="cpu")
            out["reload_s"] = time.perf_counter() - t
            assert back["epoch"] == epoch and back["step"] == 0
    else:
        raise SystemExit(f"unknown mode {mode}")
    out["maxrss"] = maxrss_bytes()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
