#!/usr/bin/python3
"""Tensor health and checkpoint diff fixtures (ckptview issue 17), written with real torch.

Writes ``fixtures/health/`` with Debian's ``python3-torch`` 1.13 and numpy:

- ``nan_checkpoint/checkpoint.pth`` (torch.save zip) and ``nan_checkpoint_legacy/checkpoint.pth``
  (the same object in the pre-1.6 legacy format): a model state dict with NaN in two tensors
  (``model.0.weight`` and ``extras.half``), an all-zero ``model.2.bias``, a real Adam state (torch
  1.13: 0-d float ``step``) with a negative ``exp_avg_sq`` in state 1 and the moments of state 2
  transposed (their shape no longer matches ``model.2.weight``), a GradScaler state, and extra
  float64 / float16 / bfloat16 / int64 tensors, a transposed view, a slice with a storage offset
  and a strided view (not one contiguous range: reported as skipped);
- ``safetensors_model/model.safetensors``: F32, F16, BF16, F8_E4M3, F8_E5M2 and I64 tensors written
  byte by byte (torch 1.13 has no float8 dtypes: the float8 bytes are chosen and decoded here with
  the OCP OFP8 rules, numpy doing the arithmetic);
- ``diff_same_weights/epoch_1`` and ``epoch_2``: identical model and optimizer, different
  counters (a save that did not write new weights);
- ``diff_one_layer/a`` and ``b`` (zip), ``diff_one_layer_legacy`` (legacy) and
  ``diff_one_layer_safetensors`` (model.safetensors): ``b`` changes only layer ``2.weight``;
- ``diff_frozen_run/ckpt_1..3``: layer ``0`` never changes, layer ``2`` changes every time.

``expected.json`` in each folder holds numpy's statistics of every tensor (read back with
``torch.load``: NaN / +Inf / -Inf / zero counts, min, max, mean and RMS of the finite values, in
float64) or the diff's expected changed tensors. Run: ``/usr/bin/python3 scripts/fixtures_health.py``
(or through ``make_fixtures.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_fixtures as mf  # noqa: E402  (re-execs under /usr/bin/python3 when needed)

import json  # noqa: E402
import shutil  # noqa: E402
import struct  # noqa: E402
from collections import OrderedDict  # noqa: E402
from typing import Any, Dict, List, Optional  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

#: Top folder under fixtures/ this script owns.
FOLDER = "health"


def np_stats(a: np.ndarray) -> Dict[str, Any]:
    """numpy's health statistics of an array (as float64): counts, and min/max/mean/rms of finite values."""
    x = np.asarray(a, dtype=np.float64).ravel()
    fin = x[np.isfinite(x)]
    out: Dict[str, Any] = {
        "numel": int(x.size),
        "nan": int(np.isnan(x).sum()),
        "posInf": int(np.isposinf(x).sum()),
        "negInf": int(np.isneginf(x).sum()),
        "zeros": int((x == 0).sum()),
    }
    if fin.size:
        out.update(min=float(fin.min()), max=float(fin.max()), mean=float(fin.mean()), rms=float(np.sqrt(np.mean(fin * fin))))
    return out


def tensor_stats(t: torch.Tensor) -> Dict[str, Any]:
    """numpy statistics of a torch tensor (bfloat16 / float16 converted exactly to float64 by torch first)."""
    return np_stats(t.detach().to(torch.float64).numpy())


def flat_tensors(obj: Any, path: str = "") -> "OrderedDict[str, torch.Tensor]":
    """Every tensor of a saved object by key path, as ckptview names them (dict keys and list indices joined by dots)."""
    out: "OrderedDict[str, torch.Tensor]" = OrderedDict()
    if isinstance(obj, torch.Tensor):
        out[path] = obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            out.update(flat_tensors(v, f"{path}.{k}" if path else str(k)))
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            out.update(flat_tensors(v, f"{path}.{i}" if path else str(i)))
    return out


def small_model(seed: int) -> "OrderedDict[str, torch.Tensor]":
    """State dict of ``Sequential(Linear(8, 4), ReLU, Linear(4, 2))`` with seeded weights."""
    return OrderedDict((k, v.detach().clone()) for k, v in mf.make_model(seed, (8, 4, 2)).state_dict().items())


def adam_state(model_sd: "OrderedDict[str, torch.Tensor]", steps: int, seed: int) -> Dict[str, Any]:
    """A real Adam state dict after ``steps`` steps on a model carrying ``model_sd``."""
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(8, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    model.load_state_dict(model_sd)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(steps):
        opt.zero_grad()
        model(torch.randn(3, 8)).pow(2).sum().backward()
        opt.step()
    return opt.state_dict()


def build_nan(out: Path) -> Dict[str, Any]:
    """The NaN / negative exp_avg_sq / shape mismatch checkpoint, zip and legacy."""
    model = small_model(1)
    opt = adam_state(model, 2, 11)
    model = small_model(1)  # the weights before training: the optimizer moments are what matters here
    model["0.weight"][0, 1] = float("nan")
    model["0.weight"][2, 3] = float("nan")
    model["2.bias"].zero_()
    opt["state"][1]["exp_avg_sq"][0] = -1e-3
    for slot in ("exp_avg", "exp_avg_sq"):
        opt["state"][2][slot] = opt["state"][2][slot].t().contiguous()  # [4, 2] for a [2, 4] parameter
    base = torch.arange(-6, 18, dtype=torch.float32)
    extras = OrderedDict(
        half=torch.tensor([1.5, float("nan"), float("inf"), 0.0, -2.25], dtype=torch.float16),
        bf16=torch.tensor([0.1, -3.0, float("-inf"), 0.0, 7.5], dtype=torch.bfloat16),
        f64=torch.linspace(-1.0, 2.0, 7, dtype=torch.float64),
        ints=torch.tensor([5, -7, 0, 123456789012], dtype=torch.int64),
        transposed=torch.arange(12, dtype=torch.float32).reshape(3, 4).t(),
        offset_slice=base[4:10],
        strided=base[::2],
    )
    obj = {
        "epoch": 3,
        "step": 0,
        "model": model,
        "optimizer": opt,
        "scaler": {"scale": torch.tensor(65536.0), "_growth_tracker": 0, "growth_factor": 2.0, "backoff_factor": 0.5, "growth_interval": 2000},
        "extras": extras,
    }
    result: Dict[str, Any] = {}
    for folder, legacy in (("nan_checkpoint", False), ("nan_checkpoint_legacy", True)):
        path = out / FOLDER / folder / "checkpoint.pth"
        mf.torch_save(obj, path, legacy=legacy)
        back = mf.torch_load(path)
        tensors = flat_tensors(back)
        stats = OrderedDict((name, tensor_stats(t)) for name, t in tensors.items())
        skipped = ["extras.strided"]
        for name in skipped:
            stats[name] = {"numel": tensors[name].numel(), "skipped": True}
        expected = {
            "format": "torch.save legacy" if legacy else "torch.save zip",
            "tensors": stats,
            "nan_tensors": [n for n, s in stats.items() if s.get("nan", 0) > 0],
            "inf_tensors": [n for n, s in stats.items() if s.get("posInf", 0) + s.get("negInf", 0) > 0],
            "all_zero_tensors": ["model.2.bias"],
            "negative_exp_avg_sq": [n for n, s in stats.items() if n.endswith("exp_avg_sq") and s.get("min", 0) < 0],
            "shape_mismatch": ["optimizer.state.2.exp_avg"],
            "skipped": skipped,
        }
        mf.write_json(path.parent / "expected.json", expected, sort_keys=False)
        result[folder] = {"nan": expected["nan_tensors"], "negative": expected["negative_exp_avg_sq"]}
    return result


def f8_e4m3fn(b: int) -> float:
    """OCP OFP8 E4M3 (torch float8_e4m3fn): bias 7, no Inf, only S.1111.111 is NaN."""
    s = -1.0 if b & 0x80 else 1.0
    e, m = (b >> 3) & 0xF, b & 0x7
    if e == 0xF and m == 0x7:
        return float("nan")
    return s * (2.0 ** -6) * (m / 8) if e == 0 else s * 2.0 ** (e - 7) * (1 + m / 8)


def f8_e5m2(b: int) -> float:
    """OCP OFP8 E5M2 (torch float8_e5m2): bias 15, IEEE-like Inf and NaN."""
    s = -1.0 if b & 0x80 else 1.0
    e, m = (b >> 2) & 0x1F, b & 0x3
    if e == 0x1F:
        return float("nan") if m else s * float("inf")
    return s * (2.0 ** -14) * (m / 4) if e == 0 else s * 2.0 ** (e - 15) * (1 + m / 4)


def write_safetensors_raw(path: Path, tensors: List[Any]) -> None:
    """Write a safetensors file from (name, dtype code, shape, raw little-endian bytes), in the given order."""
    header: Dict[str, Any] = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name, code, shape, blob in tensors:
        header[name] = {"dtype": code, "shape": shape, "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    head += b" " * ((8 - len(head) % 8) % 8)
    mf.write_bytes(path, struct.pack("<Q", len(head)) + head + b"".join(t[3] for t in tensors))


def build_safetensors(out: Path) -> Dict[str, Any]:
    """model.safetensors with every float kind (float8 by hand) and an int64 tensor."""
    f32 = torch.tensor([[0.5, float("nan"), -1.25], [0.0, 3.0, float("inf")]], dtype=torch.float32)
    f16 = torch.tensor([65504.0, -0.0, 1e-7, float("-inf")], dtype=torch.float16)
    bf16 = torch.tensor([1e30, -1e-30, 0.0, 2.5], dtype=torch.bfloat16)
    i64 = torch.tensor([[-3, 0], [9, 2**40]], dtype=torch.int64)
    e4m3 = bytes([0x00, 0x38, 0xB8, 0x7E, 0x7F, 0x01, 0xFE, 0x80])  # 0, 1, -1, 448, NaN, 2^-9, -448, -0
    e5m2 = bytes([0x3C, 0x7C, 0xFC, 0x7D, 0x01, 0x7B, 0x00, 0xC0])  # 1, +Inf, -Inf, NaN, 2^-16, 57344, 0, -2
    raw = [
        ("a.f32", "F32", [2, 3], f32.numpy().astype("<f4").tobytes()),
        ("b.f16", "F16", [4], f16.numpy().astype("<f2").tobytes()),
        ("c.bf16", "BF16", [4], bf16.view(torch.int16).numpy().astype("<i2").tobytes()),
        ("d.e4m3", "F8_E4M3", [8], e4m3),
        ("e.e5m2", "F8_E5M2", [2, 4], e5m2),
        ("f.i64", "I64", [2, 2], i64.numpy().astype("<i8").tobytes()),
    ]
    path = out / FOLDER / "safetensors_model" / "model.safetensors"
    write_safetensors_raw(path, raw)
    stats = OrderedDict(
        [
            ("a.f32", tensor_stats(f32)),
            ("b.f16", tensor_stats(f16)),
            ("c.bf16", tensor_stats(bf16)),
            ("d.e4m3", np_stats(np.array([f8_e4m3fn(b) for b in e4m3]))),
            ("e.e5m2", np_stats(np.array([f8_e5m2(b) for b in e5m2]))),
            ("f.i64", tensor_stats(i64)),
        ]
    )
    mf.write_json(path.parent / "expected.json", {"format": "safetensors", "tensors": stats, "nan_tensors": [n for n, s in stats.items() if s["nan"]]}, sort_keys=False)
    return {"tensors": list(stats)}


def training_object(model: "OrderedDict[str, torch.Tensor]", opt: Dict[str, Any], epoch: int, step: int) -> Dict[str, Any]:
    """The saved dict of the diff fixtures: counters, model, optimizer."""
    return {"epoch": epoch, "step": step, "total_batches": 100, "best_acc": 0.5 + epoch / 100, "model": model, "optimizer": opt}


def build_diffs(out: Path) -> Dict[str, Any]:
    """The diff pairs and the frozen run."""
    root = out / FOLDER
    model = small_model(2)
    opt = adam_state(model, 3, 21)
    # a save that did not write new weights: same tensors, newer counters
    for name, epoch, step in (("epoch_1", 1, 40), ("epoch_2", 2, 0)):
        mf.torch_save(training_object(model, opt, epoch, step), root / "diff_same_weights" / name / "checkpoint.pth")
    mf.write_json(root / "diff_same_weights" / "expected.json", {"a": "epoch_1", "b": "epoch_2", "changed": [], "identical_model": True, "identical_optimizer": True, "counters": {"epoch": [1, 2], "step": [40, 0]}}, sort_keys=False)
    # one changed layer
    changed = OrderedDict((k, v.clone()) for k, v in model.items())
    changed["2.weight"] = changed["2.weight"] * 0.5 + 0.01
    for folder, legacy in (("diff_one_layer", False), ("diff_one_layer_legacy", True)):
        mf.torch_save(training_object(model, opt, 1, 50), root / folder / "a" / "checkpoint.pth", legacy=legacy)
        mf.torch_save(training_object(changed, opt, 1, 60), root / folder / "b" / "checkpoint.pth", legacy=legacy)
        mf.write_json(root / folder / "expected.json", {"a": "a", "b": "b", "changed": ["model.2.weight"], "identical_optimizer": True}, sort_keys=False)
    mf.write_safetensors(root / "diff_one_layer_safetensors" / "a" / "model.safetensors", model)
    mf.write_safetensors(root / "diff_one_layer_safetensors" / "b" / "model.safetensors", changed)
    mf.write_json(root / "diff_one_layer_safetensors" / "expected.json", {"a": "a", "b": "b", "changed": ["2.weight"]}, sort_keys=False)
    # a run whose first layer never trains
    frozen = OrderedDict((k, v.clone()) for k, v in model.items())
    for i in (1, 2, 3):
        frozen["2.weight"] = frozen["2.weight"] + 0.125
        frozen["2.bias"] = frozen["2.bias"] - 0.25
        run_opt = adam_state(frozen, i, 30 + i)
        mf.torch_save(training_object(frozen, run_opt, i, 0), root / "diff_frozen_run" / f"ckpt_{i}" / "checkpoint.pth")
    mf.write_json(root / "diff_frozen_run" / "expected.json", {"checkpoints": ["ckpt_1", "ckpt_2", "ckpt_3"], "frozen": ["model.0.weight", "model.0.bias"], "frozen_layers": ["model.0"]}, sort_keys=False)
    return {"diff_one_layer": ["model.2.weight"]}


def check_numpy_against_torch(out: Path) -> None:
    """The expected NaN counts equal torch.isnan's on the files read back (numpy is the reference; torch agrees)."""
    for folder in ("nan_checkpoint", "nan_checkpoint_legacy"):
        exp = json.loads((out / FOLDER / folder / "expected.json").read_text())
        back = flat_tensors(mf.torch_load(out / FOLDER / folder / "checkpoint.pth"))
        for name, s in exp["tensors"].items():
            if not s.get("skipped"):
                assert int(torch.isnan(back[name].to(torch.float64)).sum()) == s["nan"], name


def build_health(out: Path) -> Dict[str, Any]:
    """Write every fixture of this group under ``out`` (removing ``out/health`` first)."""
    if (out / FOLDER).is_dir():
        shutil.rmtree(out / FOLDER)
    torch.manual_seed(0)
    summary = {"nan": build_nan(out), "safetensors": build_safetensors(out), "diffs": build_diffs(out)}
    check_numpy_against_torch(out)
    return {"health": summary}


def main(argv: Optional[List[str]] = None) -> int:
    """Write fixtures/health only."""
    torch.set_num_threads(1)
    print(json.dumps(build_health(mf.DEFAULT_OUT), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
