#!/usr/bin/python3
"""Write ckptview's own test checkpoints with real PyTorch, plus the answers.

Run with a Python that has torch and numpy (Debian: ``/usr/bin/python3`` with
``python3-torch`` 1.13 and ``python3-numpy`` 1.24)::

    /usr/bin/python3 scripts/make_fixtures.py            # (re)writes fixtures/
    /usr/bin/python3 scripts/make_fixtures.py --large /tmp/big.pth --megabytes 200

Everything that is a torch file is written by real ``torch.save`` (or by torch's own
zip writer ``torch._C.PyTorchFileWriter`` for the hand-built hostile pickles); the
small ``model.safetensors`` files, the TensorBoard event file and the hostile pickles
are written byte by byte following their published formats. Every checkpoint gets an
``expected.json`` (or ``<file>.expected.json``) whose values are computed from what
``torch.load`` returned when reading the written file back, so they are the right
answers for the TypeScript parser's tests.

Determinism: fixed seeds, fixed wall times, fixed temp-folder suffixes; torch's zip
writer stamps every entry 1980-01-01 and names the top folder after the file stem.
The legacy (pre-1.6) format names storages after their memory address
(``str(storage._cdata)``); this script runs torch's own ``_legacy_save`` with a
``str`` that maps those addresses to fixed numbers, so re-running yields identical
bytes everywhere.

Hostile pickles (``fixtures/bad/malicious_os_system.pth`` and ``fixtures/hostile/``)
are assembled from raw opcodes and are NEVER unpickled here; they are only checked
with ``pickletools.genops``, which decodes opcodes without executing anything.
"""

from __future__ import annotations

import os
import sys


def _reexec_with_system_python() -> None:
    """Re-run this script under /usr/bin/python3 when the current Python lacks torch.

    ``python3`` on PATH may be a pyenv interpreter without torch, while Debian's
    ``/usr/bin/python3`` has ``python3-torch``. Does nothing when torch imports.
    """
    try:
        import torch  # noqa: F401
    except ImportError:
        system_python = "/usr/bin/python3"
        if os.path.exists(system_python) and os.path.realpath(sys.executable) != os.path.realpath(system_python):
            os.execv(system_python, [system_python, *sys.argv])
        raise


_reexec_with_system_python()

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import enum  # noqa: E402
import functools  # noqa: E402
import hashlib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import pickle  # noqa: E402
import pickletools  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import struct  # noqa: E402
import time  # noqa: E402
import types  # noqa: E402
import warnings  # noqa: E402
import zipfile  # noqa: E402
from collections import OrderedDict  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, Callable, Dict, List, Optional, Tuple  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

warnings.filterwarnings("ignore")

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "fixtures"

#: Folders (and files) under fixtures/ that this script owns and rewrites.
OWNED = [
    "enstack", "enstack_legacy_fields", "torch_legacy_format", "pickle_protocol0",
    "pickle_protocol1", "pickle_protocol3", "pickle_protocol4", "pickle_protocol5",
    "wide_epoch", "custom_top_folder", "enstack_run", "hf_trainer", "lightning", "bad",
    "hostile", "tutorial", "README.md",
]

BASE_LR = 2e-5
SCALE_DEFAULT = 65536.0
#: Wall time of the first TensorBoard event (2025-11-29 06:46:40 UTC), fixed.
BASE_WALL_TIME = 1764398800.0
#: Fake storage "addresses" used as legacy-format storage keys (15 digits, ascending).
LEGACY_KEY_BASE = 94_447_263_113_216

CONFIG_JSON = {
    "_name_or_path": "microsoft/codebert-base",
    "architectures": ["RobertaForSequenceClassification"],
    "attention_probs_dropout_prob": 0.1,
    "hidden_size": 768,
    "id2label": {"0": "SAFE", "1": "VULNERABLE"},
    "label2id": {"SAFE": 0, "VULNERABLE": 1},
    "model_type": "roberta",
    "num_attention_heads": 12,
    "num_hidden_layers": 12,
    "problem_type": "single_label_classification",
    "torch_dtype": "float32",
    "transformers_version": "4.46.3",
    "vocab_size": 50265,
}


# --------------------------------------------------------------------------- helpers


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, creating parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_json(path: Path, obj: Any, sort_keys: bool = True, compact_pairs: bool = False) -> None:
    """Write ``obj`` as indented JSON (Python's json: NaN/Infinity written bare) + newline.

    ``compact_pairs`` puts two-number lists such as ``[step, value]`` on one line.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(obj, indent=2, sort_keys=sort_keys)
    if compact_pairs:
        num = r"(-?[0-9][0-9.eE+-]*)"
        text = re.sub(r"\[\s+" + num + r",\s+" + num + r"\s+\]", r"[\1, \2]", text)
    path.write_text(text + "\n", encoding="utf-8")


def f32(x: float) -> float:
    """Return ``x`` rounded to the nearest float32, as a Python float."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def torch_load(path: Path, **kwargs: Any) -> Any:
    """``torch.load`` on CPU; only ever called on files this script wrote benignly."""
    return torch.load(str(path), map_location="cpu", **kwargs)


def torch_save(obj: Any, path: Path, protocol: int = 2, legacy: bool = False,
               archive_name: Optional[str] = None) -> None:
    """Save ``obj`` with real torch, deterministically.

    Args:
        obj: the object to save.
        path: destination file.
        protocol: pickle protocol passed to torch (``pickle_protocol``).
        legacy: write the pre-1.6 non-zip format (``_use_new_zipfile_serialization=False``).
            torch names legacy storages ``str(storage._cdata)`` (a memory address); we run
            torch's own ``_legacy_save`` with a ``str`` that maps each address to a fixed
            15-digit number in first-seen order, so the bytes are reproducible.
        archive_name: zip format only: save as ``<archive_name>.pth`` next to ``path`` and
            rename, so the zip's top folder is ``archive_name`` instead of the file stem.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if legacy:
        real_str = str
        mapping: Dict[int, str] = {}

        class _StrMeta(type):
            """Metaclass so ``isinstance(x, str)`` keeps working inside the patched function."""

            def __instancecheck__(cls, obj: Any) -> bool:
                """Behave like ``isinstance(obj, str)``."""
                return isinstance(obj, real_str)

            def __subclasscheck__(cls, sub: type) -> bool:
                """Behave like ``issubclass(sub, str)``."""
                return issubclass(sub, real_str)

        class _DeterministicStr(metaclass=_StrMeta):
            """Stand-in for ``str`` mapping storage addresses to stable keys."""

            def __new__(cls, *args: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
                """``str(address)`` -> a fixed key for storage addresses; plain ``str`` otherwise."""
                if len(args) == 1 and not kwargs and type(args[0]) is int and args[0] > (1 << 20):
                    if args[0] not in mapping:
                        mapping[args[0]] = real_str(LEGACY_KEY_BASE + 64 * len(mapping))
                    return mapping[args[0]]
                return real_str(*args, **kwargs)

        src = torch.serialization._legacy_save
        glb = dict(src.__globals__)
        glb["str"] = _DeterministicStr
        patched = types.FunctionType(src.__code__, glb, src.__name__, src.__defaults__, src.__closure__)
        with open(path, "wb") as fh:
            patched(obj, fh, pickle, protocol)
        return
    if archive_name:
        tmp = path.with_name(archive_name + ".pth")
        torch.save(obj, str(tmp), pickle_protocol=protocol)
        os.replace(tmp, path)
    else:
        torch.save(obj, str(path), pickle_protocol=protocol)


def write_raw_torch_zip(path: Path, data_pkl: bytes, records: Optional[Dict[str, bytes]] = None) -> None:
    """Write a torch zip checkpoint whose ``data.pkl`` is ``data_pkl``, using torch's own writer.

    ``torch._C.PyTorchFileWriter`` produces exactly the container ``torch.save`` makes
    (stored entries, 64-byte aligned data, top folder = file stem, a ``version`` record).
    The pickle bytes are written as given and never unpickled.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = torch._C.PyTorchFileWriter(str(path))
    writer.write_record("data.pkl", data_pkl, len(data_pkl))
    for name, blob in (records or {}).items():
        writer.write_record(name, blob, len(blob))
    writer.write_end_of_file()
    del writer


def pickle_protocol_of_stream(data: bytes) -> int:
    """Return the protocol of the first pickle in ``data`` without executing it.

    The PROTO opcode's argument when present (protocol 2+), else the highest protocol of
    any opcode used (protocol 0 vs 1 have no PROTO opcode). Source: pickletools opcode table.
    """
    highest = 0
    for op, arg, _pos in pickletools.genops(io.BytesIO(data)):
        if op.name == "PROTO":
            return int(arg)
        highest = max(highest, op.proto)
    return highest


def read_zip_pickle(path: Path) -> Tuple[str, bytes]:
    """Return (top folder, data.pkl bytes) of a torch zip checkpoint."""
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.endswith("/data.pkl") and name.count("/") == 1:
                return name.split("/")[0], zf.read(name)
    raise ValueError(f"{path}: no <top>/data.pkl")


def legacy_main_pickle(path: Path) -> bytes:
    """Return the bytes of the 4th pickle (the saved object) of a legacy-format torch file."""
    data = path.read_bytes()
    stream = io.BytesIO(data)
    for _ in range(3):  # magic number, protocol version, sys_info
        for _op in pickletools.genops(stream):
            pass
    start = stream.tell()
    for _op in pickletools.genops(stream):
        pass
    return data[start:stream.tell()]


def container_info(path: Path) -> Dict[str, Any]:
    """Describe the container of a torch file: format, top folder, zip members, pickle protocol."""
    if zipfile.is_zipfile(path):
        top, pkl = read_zip_pickle(path)
        with zipfile.ZipFile(path) as zf:
            members = [n.split("/", 1)[1] for n in zf.namelist()]
        return {"container": "zip", "zip_top_folder": top, "pickle_protocol": pickle_protocol_of_stream(pkl),
                "zip_members": len(members),
                "has_serialization_id": ".data/serialization_id" in members,
                "has_byteorder": "byteorder" in members}
    return {"container": "legacy", "zip_top_folder": None,
            "pickle_protocol": pickle_protocol_of_stream(legacy_main_pickle(path))}


def pickle_globals(path: Path) -> List[str]:
    """Sorted distinct globals ('module.name') that a torch file's main pickle references.

    Decoded from opcodes with :func:`check_pickle` (nothing is executed). This is what a
    weights_only verdict is based on: e.g. ``numpy.core.multiarray.scalar`` (numpy float64
    metrics) is refused by ``torch.load(weights_only=True)`` in torch >= 2.6.
    """
    if zipfile.is_zipfile(path):
        data = read_zip_pickle(path)[1]
    else:
        data = legacy_main_pickle(path)
    return sorted(set(check_pickle(data)))


# ----------------------------------------------------------------------- safetensors


def write_safetensors(path: Path, tensors: "OrderedDict[str, torch.Tensor]") -> None:
    """Write a safetensors file by hand (format: huggingface/safetensors README).

    Layout: u64 little-endian header length N, N bytes of JSON header (padded with spaces
    so the data starts 8-byte aligned), then the raw little-endian tensor bytes. The header
    maps each name to {dtype, shape, data_offsets [begin, end) relative to the data start}
    plus ``__metadata__`` {"format": "pt"}; tensors are laid out in name order.
    """
    header: Dict[str, Any] = {"__metadata__": {"format": "pt"}}
    blobs: List[bytes] = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].detach().cpu().contiguous()
        assert t.dtype == torch.float32
        blob = t.numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    head += b" " * ((8 - len(head) % 8) % 8)
    write_bytes(path, struct.pack("<Q", len(head)) + head + b"".join(blobs))


def read_safetensors(path: Path) -> "OrderedDict[str, np.ndarray]":
    """Read back a float32 safetensors file written by :func:`write_safetensors`."""
    data = path.read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    out: "OrderedDict[str, np.ndarray]" = OrderedDict()
    base = 8 + n
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        out[name] = np.frombuffer(data[base + b:base + e], dtype="<f4").reshape(info["shape"])
    return out


def count_weight_elements(folder: Path) -> Optional[int]:
    """Total element count of the model weights file in ``folder`` (read back from disk)."""
    st = folder / "model.safetensors"
    if st.exists():
        return int(sum(a.size for a in read_safetensors(st).values()))
    binf = folder / "pytorch_model.bin"
    if binf.exists():
        return int(sum(t.numel() for t in torch_load(binf).values()))
    return None


# ----------------------------------------------------------------- model + optimizer


def make_model(seed: int, sizes: Tuple[int, ...] = (8, 4, 2)) -> nn.Sequential:
    """Build ``nn.Sequential(Linear, ReLU, Linear, ...)`` with seeded init."""
    torch.manual_seed(seed)
    layers: List[nn.Module] = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def train_briefly(model: nn.Module, optimizer: torch.optim.Optimizer, scheduler: Any,
                  n_steps: int, seed: int) -> None:
    """Run ``n_steps`` real AdamW steps on seeded random data so the state is genuine."""
    gen = torch.Generator().manual_seed(seed)
    first = next(model.parameters())
    n_in = first.shape[1]
    out_features = [m.out_features for m in model.modules() if isinstance(m, nn.Linear)][-1]
    for _ in range(n_steps):
        x = torch.randn(16, n_in, generator=gen)
        y = torch.randint(0, out_features, (16,), generator=gen)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()


def linear_warmup_lambda(total_steps: int, warmup_steps: int) -> Callable[[int], float]:
    """EnStack's linear schedule with warmup (a plain function: LambdaLR saves it as None)."""

    def lr_lambda(current_step: int) -> float:
        """LR multiplier after ``current_step`` scheduler steps."""
        if current_step < warmup_steps:
            return float(current_step) / float(max(1, warmup_steps))
        return max(0.0, float(total_steps - current_step) / float(max(1, total_steps - warmup_steps)))

    return lr_lambda


def _hf_linear_lambda(current_step: int, *, num_warmup_steps: int, num_training_steps: int) -> float:
    """HF ``_get_linear_schedule_with_warmup_lr_lambda`` (used through functools.partial)."""
    if current_step < num_warmup_steps:
        return float(current_step) / float(max(1, num_warmup_steps))
    return max(0.0, float(num_training_steps - current_step) / float(max(1, num_training_steps - num_warmup_steps)))


def set_optimizer_steps(optimizer: torch.optim.Optimizer, steps: int) -> None:
    """Set every per-parameter ``step`` (a 0-d float tensor in torch 1.13) to ``steps``."""
    for state in optimizer.state.values():
        state["step"].fill_(float(steps))


def set_scheduler_position(scheduler: torch.optim.lr_scheduler.LambdaLR, steps: int) -> None:
    """Put a LambdaLR where ``steps`` scheduler.step() calls would have left it.

    Mirrors LambdaLR.step: last_epoch = steps, _step_count = steps + 1, each group's lr =
    base_lr * lambda(steps), _last_lr = those lrs.
    """
    scheduler.last_epoch = steps
    scheduler._step_count = steps + 1
    lrs = [base * fn(steps) for base, fn in zip(scheduler.base_lrs, scheduler.lr_lambdas)]
    for group, lr in zip(scheduler.optimizer.param_groups, lrs):
        group["lr"] = lr
    scheduler._last_lr = lrs


def scaler_state(growth_tracker: int, scale: float = SCALE_DEFAULT) -> Dict[str, Any]:
    """A ``torch.cuda.amp.GradScaler.state_dict()`` built by hand (the CPU scaler is disabled
    and returns {}). Key order as GradScaler.state_dict writes it."""
    return {"scale": scale, "growth_factor": 2.0, "backoff_factor": 0.5, "growth_interval": 2000,
            "_growth_tracker": growth_tracker}


def max_optimizer_step(opt_state: Dict[str, Any]) -> Optional[float]:
    """Largest per-parameter ``step`` in an optimizer state_dict (None when there is none)."""
    steps = []
    for st in opt_state.get("state", {}).values():
        if "step" in st:
            s = st["step"]
            steps.append(float(s.item() if isinstance(s, torch.Tensor) else s))
    return max(steps) if steps else None


# ------------------------------------------------------------------------ decisions


def decide(epoch: int, step: int, total_batches: int) -> Dict[str, Any]:
    """The seed tool's (debug_checkpoint.py) completion rule.

    step == 0 -> complete, resume "start epoch E+1"; total_batches > 0 and step >=
    total_batches -> complete (progress null); otherwise incomplete, with progress
    (round(step/total*100, 1)) and remaining only when total_batches > 0.
    """
    if step == 0 or (total_batches > 0 and step >= total_batches):
        return {"epoch_complete": True, "progress_percent": None, "remaining_batches": None,
                "resume": f"start epoch {epoch + 1}"}
    if total_batches > 0:
        return {"epoch_complete": False, "progress_percent": round(step / total_batches * 100, 1),
                "remaining_batches": total_batches - step, "resume": f"continue epoch {epoch} from step {step}"}
    return {"epoch_complete": False, "progress_percent": None, "remaining_batches": None,
            "resume": f"continue epoch {epoch} from step {step}"}


def expected_optimizer_steps(epoch: int, step: int, total_batches: int) -> Optional[int]:
    """The trainer's expected optimizer step count: epoch*T at an epoch end, else (epoch-1)*T+step."""
    if total_batches <= 0:
        return None
    return epoch * total_batches if step == 0 else (epoch - 1) * total_batches + step


def summarize_enstack(folder: Path) -> Dict[str, Any]:
    """Compute an EnStack checkpoint's expected values from what torch.load returns."""
    path = folder / "training_state.pth"
    state = torch_load(path)
    epoch, step = int(state["epoch"]), int(state["step"])
    total = int(state.get("total_batches", 0) or 0)
    opt = state.get("optimizer_state_dict", {})
    sched = state.get("scheduler_state_dict") or {}
    scaler = state.get("scaler_state_dict") or {}
    info = container_info(path)
    out: Dict[str, Any] = {
        "kind": "enstack",
        "epoch": epoch,
        "step": step,
        "total_batches": total,
        "has_total_batches_key": "total_batches" in state,
        **decide(epoch, step, total),
        "best_val_f1": float(state["best_val_f1"]),
        "best_val_acc": float(state["best_val_acc"]),
        "best_val_type": type(state["best_val_f1"]).__module__ + "." + type(state["best_val_f1"]).__name__,
        "optimizer_steps": max_optimizer_step(opt),
        "optimizer_param_states": len(opt.get("state", {})),
        "expected_optimizer_steps": expected_optimizer_steps(epoch, step, total),
        "model_parameters": count_weight_elements(folder),
        "scheduler_last_epoch": sched.get("last_epoch"),
        "scaler_scale": scaler.get("scale"),
        "top_level_keys": list(state.keys()),
        "pickle_globals": pickle_globals(path),
        **info,
    }
    return out


# ----------------------------------------------------------------------- EnStack writer


@dataclasses.dataclass
class EnStackSpec:
    """What one EnStack ``training_state.pth`` holds and how it is written."""

    epoch: int
    step: int
    total_batches: Optional[int]  # None: key absent (old checkpoints)
    best_val_f1: float
    best_val_acc: float
    seed: int
    numpy_metrics: bool = True
    protocol: int = 2
    legacy_format: bool = False
    weights: str = "safetensors"  # "safetensors" | "bin" | "bin-legacy"
    scale: float = SCALE_DEFAULT
    tensor_free_optimizer: bool = False  # protocol 0 cannot carry tensors torch.load can read
    archive_name: Optional[str] = None
    num_epochs: int = 5
    assumed_total_batches: int = 800  # batches/epoch behind the optimizer count when the key is absent
    real_steps: int = 3


def write_enstack_checkpoint(folder: Path, spec: EnStackSpec) -> Dict[str, Any]:
    """Write an EnStack-style checkpoint folder and its expected.json; return the expected values.

    Folder: ``training_state.pth`` (torch.save of the dict EnStack's trainer saves, same key
    order), ``model.safetensors`` or ``pytorch_model.bin``, ``config.json``.
    The optimizer runs ``spec.real_steps`` genuine AdamW steps, then its per-parameter
    ``step`` tensors are set to the global optimizer step (epoch*T at an epoch end, else
    (epoch-1)*T + step) and the LambdaLR is positioned at the same step.
    """
    folder.mkdir(parents=True, exist_ok=True)
    tb = spec.total_batches if spec.total_batches is not None else spec.assumed_total_batches
    global_step = expected_optimizer_steps(spec.epoch, spec.step, tb)
    assert global_step is not None
    model = make_model(spec.seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=BASE_LR)
    total_steps = spec.num_epochs * tb
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, linear_warmup_lambda(total_steps, total_steps // 10))
    train_briefly(model, optimizer, scheduler, spec.real_steps, spec.seed + 1)
    set_optimizer_steps(optimizer, global_step)
    set_scheduler_position(scheduler, global_step)
    opt_state = optimizer.state_dict()
    if spec.tensor_free_optimizer:
        opt_state = {"state": {}, "param_groups": opt_state["param_groups"]}
    metric: Callable[[float], Any] = np.float64 if spec.numpy_metrics else float
    state: Dict[str, Any] = {
        "optimizer_state_dict": opt_state,
        "best_val_f1": metric(spec.best_val_f1),
        "best_val_acc": metric(spec.best_val_acc),
        "epoch": spec.epoch,
        "step": spec.step,
    }
    if spec.total_batches is not None:
        state["total_batches"] = spec.total_batches
    state["scheduler_state_dict"] = scheduler.state_dict()
    state["scaler_state_dict"] = scaler_state(global_step % 2000, spec.scale)
    torch_save(state, folder / "training_state.pth", protocol=spec.protocol, legacy=spec.legacy_format,
               archive_name=spec.archive_name)
    weights = OrderedDict((k, v.detach().clone()) for k, v in model.state_dict().items())
    if spec.weights == "safetensors":
        write_safetensors(folder / "model.safetensors", weights)
    else:
        torch_save(weights, folder / "pytorch_model.bin", legacy=spec.weights == "bin-legacy")
    write_json(folder / "config.json", CONFIG_JSON)
    expected = summarize_enstack(folder)
    write_json(folder / "expected.json", expected)
    return expected


# ------------------------------------------------------------------------ TensorBoard

_CRC32C_TABLE: List[int] = []


def crc32c(data: bytes) -> int:
    """CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), table driven."""
    if not _CRC32C_TABLE:
        for n in range(256):
            c = n
            for _ in range(8):
                c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
            _CRC32C_TABLE.append(c)
    crc = 0xFFFFFFFF
    for b in data:
        crc = _CRC32C_TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc32c(data: bytes) -> int:
    """TFRecord's masked CRC: ((crc >> 15) | (crc << 17)) + 0xa282ead8, mod 2**32."""
    crc = crc32c(data)
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def pb_varint(n: int) -> bytes:
    """Protobuf base-128 varint of a non-negative int."""
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def pb_key(field: int, wire_type: int) -> bytes:
    """Protobuf field key."""
    return pb_varint((field << 3) | wire_type)


def pb_bytes(field: int, payload: bytes) -> bytes:
    """Length-delimited field (wire type 2)."""
    return pb_key(field, 2) + pb_varint(len(payload)) + payload


def tf_event(wall_time: float, step: int = 0, file_version: Optional[str] = None,
             values: Optional[List[bytes]] = None) -> bytes:
    """Serialize a tensorflow.Event: 1 wall_time double, 2 step int64, 3 file_version, 5 summary."""
    out = pb_key(1, 1) + struct.pack("<d", wall_time)
    if step:
        out += pb_key(2, 0) + pb_varint(step)
    if file_version is not None:
        out += pb_bytes(3, file_version.encode())
    if values:
        out += pb_bytes(5, b"".join(pb_bytes(1, v) for v in values))
    return out


def tf_simple_value(tag: str, value: float) -> bytes:
    """Summary.Value{tag=1, simple_value=2 (float)} as written by add_scalar (new_style=False)."""
    return pb_bytes(1, tag.encode()) + pb_key(2, 5) + struct.pack("<f", value)


def tf_tensor_value(tag: str, value: float) -> bytes:
    """Summary.Value{tag=1, tensor=8 TensorProto{dtype=1 DT_FLOAT, tensor_shape=2 {}, float_val=5
    packed}, metadata=9 SummaryMetadata{plugin_data=1 {plugin_name=1 "scalars"}}} (new style)."""
    tensor = pb_key(1, 0) + pb_varint(1) + pb_bytes(2, b"") + pb_bytes(5, struct.pack("<f", value))
    metadata = pb_bytes(1, pb_bytes(1, b"scalars"))
    return pb_bytes(1, tag.encode()) + pb_bytes(8, tensor) + pb_bytes(9, metadata)


def tfrecord(data: bytes) -> bytes:
    """TFRecord framing: u64 length, masked crc32c(length), data, masked crc32c(data)."""
    length = struct.pack("<Q", len(data))
    return length + struct.pack("<I", masked_crc32c(length)) + data + struct.pack("<I", masked_crc32c(data))


def _pb_fields(buf: bytes) -> List[Tuple[int, int, Any]]:
    """Decode a protobuf message into (field, wire_type, value) triples (verification only)."""
    out = []
    i = 0
    while i < len(buf):
        key = 0
        shift = 0
        while True:
            b = buf[i]
            i += 1
            key |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        field, wt = key >> 3, key & 7
        if wt == 0:
            v = 0
            shift = 0
            while True:
                b = buf[i]
                i += 1
                v |= (b & 0x7F) << shift
                shift += 7
                if not b & 0x80:
                    break
        elif wt == 1:
            v = buf[i:i + 8]
            i += 8
        elif wt == 5:
            v = buf[i:i + 4]
            i += 4
        elif wt == 2:
            n = 0
            shift = 0
            while True:
                b = buf[i]
                i += 1
                n |= (b & 0x7F) << shift
                shift += 7
                if not b & 0x80:
                    break
            v = buf[i:i + n]
            i += n
        else:
            raise ValueError(f"wire type {wt}")
        out.append((field, wt, v))
    return out


def read_tfevents(path: Path, rounded: bool = True) -> Tuple[str, Dict[str, List[List[float]]]]:
    """Read back an event file: check both CRCs of every record, return (file_version, scalars).

    Scalars are {tag: [[step, value], ...]} from simple_value or from a DT_FLOAT tensor's
    float_val; value is round(float32 value, 6) when ``rounded``, else the exact float32.
    """
    data = path.read_bytes()
    i = 0
    version = ""
    scalars: Dict[str, List[List[float]]] = {}
    while i < len(data):
        length_bytes = data[i:i + 8]
        (n,) = struct.unpack("<Q", length_bytes)
        assert struct.unpack("<I", data[i + 8:i + 12])[0] == masked_crc32c(length_bytes)
        payload = data[i + 12:i + 12 + n]
        assert struct.unpack("<I", data[i + 12 + n:i + 16 + n])[0] == masked_crc32c(payload)
        i += 16 + n
        step = 0
        for field, _wt, v in _pb_fields(payload):
            if field == 2:
                step = v
            elif field == 3:
                version = v.decode()
            elif field == 5:
                for sf, _swt, sv in _pb_fields(v):
                    if sf != 1:
                        continue
                    tag, value = "", None
                    for vf, _vwt, vv in _pb_fields(sv):
                        if vf == 1:
                            tag = vv.decode()
                        elif vf == 2:
                            value = struct.unpack("<f", vv)[0]
                        elif vf == 8:
                            for tf_, _twt, tv in _pb_fields(vv):
                                if tf_ == 5:
                                    value = struct.unpack("<f", tv[:4])[0]
                    if value is not None:
                        scalars.setdefault(tag, []).append([step, round(value, 6) if rounded else value])
    return version, scalars


# ------------------------------------------------------------------------ fixtures: EnStack


def build_enstack(out: Path) -> Dict[str, Dict[str, Any]]:
    """fixtures/enstack: the basic EnStack set, 1500 batches per epoch."""
    base = out / "enstack"
    specs = {
        "last_checkpoint": EnStackSpec(2, 1200, 1500, 0.6534, 0.7656, seed=11),
        "best_model": EnStackSpec(2, 0, 1500, 0.7312, 0.8125, seed=12),
        "checkpoint_epoch2_step500": EnStackSpec(2, 500, 1500, 0.6534, 0.7656, seed=13),
        "checkpoint_epoch3_step300": EnStackSpec(3, 300, 1500, 0.7312, 0.8125, seed=14),
        "recovery_checkpoint": EnStackSpec(3, 450, 1500, 0.7312, 0.8125, seed=15),
    }
    return {name: write_enstack_checkpoint(base / name, spec) for name, spec in specs.items()}


def build_variants(out: Path) -> Dict[str, Dict[str, Any]]:
    """Legacy fields, legacy torch format, pickle protocols, wide epoch, custom zip top folder."""
    res: Dict[str, Dict[str, Any]] = {}
    res["enstack_legacy_fields"] = write_enstack_checkpoint(
        out / "enstack_legacy_fields" / "last_checkpoint",
        EnStackSpec(4, 300, None, 0.6843, 0.7701, seed=21, numpy_metrics=False, weights="bin"))
    res["torch_legacy_format"] = write_enstack_checkpoint(
        out / "torch_legacy_format" / "last_checkpoint",
        EnStackSpec(3, 700, 1500, 0.7012, 0.7969, seed=22, legacy_format=True, weights="bin-legacy"))
    protocol_specs = {
        0: EnStackSpec(1, 250, 1500, 0.4471, 0.6094, seed=30, protocol=0, tensor_free_optimizer=True),
        1: EnStackSpec(2, 1500, 1500, 0.5893, 0.7188, seed=31, protocol=1, scale=32768.0),
        3: EnStackSpec(5, 0, 1500, 0.7655, 0.8438, seed=33, protocol=3),
        4: EnStackSpec(4, 1499, 1500, 0.7421, 0.8281, seed=34, protocol=4),
        5: EnStackSpec(7, 65600, 70000, 0.8017, 0.8594, seed=35, protocol=5, num_epochs=8),
    }
    for proto, spec in protocol_specs.items():
        res[f"pickle_protocol{proto}"] = write_enstack_checkpoint(
            out / f"pickle_protocol{proto}" / "last_checkpoint", spec)
    res["wide_epoch"] = write_enstack_checkpoint(
        out / "wide_epoch" / "last_checkpoint",
        EnStackSpec(200, 37, 40, 0.9123, 0.9531, seed=40, scale=16384.0, num_epochs=300))
    res["custom_top_folder"] = write_enstack_checkpoint(
        out / "custom_top_folder",
        EnStackSpec(2, 640, 1500, 0.6534, 0.7656, seed=41, archive_name="archive_name"))
    return res


def build_enstack_run(out: Path) -> Dict[str, Any]:
    """fixtures/enstack_run: a whole run folder showing a lost end-of-epoch save.

    900 batches per epoch. best_model: epoch 2 complete; last_checkpoint still epoch 2 step 800
    (its end-of-epoch save was lost); checkpoint_epoch3_step300 and recovery_checkpoint show
    epoch 3 had started; .backup_last_checkpoint is an older copy (epoch 1 complete);
    .tmp_last_checkpoint_<8 chars> is an interrupted save (config.json only, like
    tempfile.mkdtemp(prefix=".tmp_last_checkpoint_") leaves); logs/ holds a TensorBoard file.
    """
    base = out / "enstack_run"
    tb = 900
    f1 = {1: 0.6128, 2: 0.6934}
    acc = {1: 0.7344, 2: 0.7891}
    train_loss = {1: 0.5832, 2: 0.4417}
    specs = {
        "last_checkpoint": EnStackSpec(2, 800, tb, f1[1], acc[1], seed=51, num_epochs=4),
        "best_model": EnStackSpec(2, 0, tb, f1[2], acc[2], seed=52, num_epochs=4),
        "checkpoint_epoch3_step300": EnStackSpec(3, 300, tb, f1[2], acc[2], seed=53, num_epochs=4),
        "recovery_checkpoint": EnStackSpec(3, 450, tb, f1[2], acc[2], seed=54, num_epochs=4),
        ".backup_last_checkpoint": EnStackSpec(1, 0, tb, f1[1], acc[1], seed=55, num_epochs=4),
    }
    per = {name: write_enstack_checkpoint(base / name, spec) for name, spec in specs.items()}
    tmp_name = ".tmp_last_checkpoint_k2v9_q7m"
    write_json(base / tmp_name / "config.json", CONFIG_JSON)

    # TensorBoard: Train/Loss every 50 global steps (simple_value), Train/LR every 150 global
    # steps (tensor style), Epoch/* once per completed epoch at step = epoch.
    rng = random.Random(7)
    records = [tfrecord(tf_event(BASE_WALL_TIME, file_version="brain.Event:2"))]
    last_global = 2 * tb + 450
    warm = (4 * tb) // 10
    lr_fn = linear_warmup_lambda(4 * tb, warm)
    t = BASE_WALL_TIME
    for g in range(50, last_global + 1, 50):
        t += 11.25
        loss = 0.25 + 0.47 * math.exp(-g / 1100.0) + rng.uniform(-0.03, 0.03)
        records.append(tfrecord(tf_event(t, g, values=[tf_simple_value("Train/Loss", loss)])))
        if g % 150 == 0:
            records.append(tfrecord(tf_event(t, g, values=[tf_tensor_value("Train/LR", BASE_LR * lr_fn(g))])))
        if g % tb == 0:
            e = g // tb
            t += 40.0
            records.append(tfrecord(tf_event(t, e, values=[tf_simple_value("Epoch/Train_Loss", train_loss[e])])))
            records.append(tfrecord(tf_event(t + 30.0, e, values=[tf_simple_value("Epoch/Val_F1", f1[e]),
                                                                   tf_simple_value("Epoch/Val_Acc", acc[e])])))
    event_name = f"events.out.tfevents.{int(BASE_WALL_TIME)}.colab-vm.2817.0"
    write_bytes(base / "logs" / event_name, b"".join(records))
    version, scalars = read_tfevents(base / "logs" / event_name)
    assert version == "brain.Event:2"

    run_expected = {
        "checkpoints": ["last_checkpoint", "best_model", "checkpoint_epoch3_step300", "recovery_checkpoint",
                        ".backup_last_checkpoint"],
        "interrupted_save_leftovers": [
            f"{tmp_name} (config.json only, no training_state.pth)",
            ".backup_last_checkpoint (a copy of an older checkpoint)",
        ],
        "total_batches": tb,
        "latest_checkpoint": "recovery_checkpoint",
        "latest_position": {"epoch": 3, "step": 450},
        "event_file": f"logs/{event_name}",
        "file_version": version,
        "tensorboard_scalars": scalars,
        "tensorboard_points": {tag: len(v) for tag, v in scalars.items()},
        "tensorboard_scalars_exact_float32": read_tfevents(base / "logs" / event_name, rounded=False)[1],
        "tensor_style_tags": ["Train/LR"],
        # The sentence ckptview's findings write (same wording as the outside fixture's).
        "finding": ("best_model says epoch 2 is complete (step 0) while last_checkpoint says epoch 2 step 800; "
                    "checkpoint_epoch3_step300 shows epoch 3 had started: last_checkpoint's end-of-epoch save was lost"),
    }
    write_json(base / "expected.json", run_expected, sort_keys=False, compact_pairs=True)
    assert json.loads((base / "expected.json").read_text()) == json.loads(json.dumps(run_expected))
    return {"run": run_expected, **per}


# -------------------------------------------------------------------- Hugging Face Trainer


def _install_fake_transformers() -> Tuple[type, type, type, type]:
    """Register fake ``transformers.training_args`` / ``transformers.trainer_utils`` modules.

    Real transformers is not installed; pickle records classes by module + qualname, so
    classes defined here with those ``__module__`` values pickle exactly like the real ones
    (``GLOBAL 'transformers.training_args TrainingArguments'`` + NEWOBJ + BUILD).
    """
    pkg = sys.modules.get("transformers") or types.ModuleType("transformers")
    pkg.__path__ = []  # type: ignore[attr-defined]
    targs = types.ModuleType("transformers.training_args")
    tutils = types.ModuleType("transformers.trainer_utils")
    sys.modules["transformers"] = pkg
    sys.modules["transformers.training_args"] = targs
    sys.modules["transformers.trainer_utils"] = tutils

    class _ByValue:
        """Pickle enum members by value (``cls(value)``), as Python <= 3.10 and >= 3.12 do.

        Python 3.11 pickles them as ``builtins.getattr(cls, name)`` instead; real
        training_args.bin files (e.g. shared/realworld/hf_old_schema) use the by-value form.
        """

        def __reduce_ex__(self, proto: int) -> Tuple[type, Tuple[Any, ...]]:
            """Return ``(cls, (value,))``."""
            return self.__class__, (self._value_,)  # type: ignore[attr-defined]

    class IntervalStrategy(_ByValue, str, enum.Enum):
        """Stand-in for transformers.trainer_utils.IntervalStrategy."""

        NO = "no"
        STEPS = "steps"
        EPOCH = "epoch"

    class SchedulerType(_ByValue, str, enum.Enum):
        """Stand-in for transformers.trainer_utils.SchedulerType."""

        LINEAR = "linear"
        COSINE = "cosine"

    class OptimizerNames(_ByValue, str, enum.Enum):
        """Stand-in for transformers.training_args.OptimizerNames."""

        ADAMW_TORCH = "adamw_torch"

    for cls, mod in ((IntervalStrategy, tutils), (SchedulerType, tutils), (OptimizerNames, targs)):
        cls.__module__ = mod.__name__
        cls.__qualname__ = cls.__name__
        setattr(mod, cls.__name__, cls)

    @dataclasses.dataclass
    class TrainingArguments:
        """Stand-in for transformers.training_args.TrainingArguments (a subset of fields)."""

        output_dir: str = "out"
        overwrite_output_dir: bool = False
        do_train: bool = False
        do_eval: bool = True
        eval_strategy: Any = None
        per_device_train_batch_size: int = 16
        per_device_eval_batch_size: int = 32
        gradient_accumulation_steps: int = 1
        learning_rate: float = 2e-5
        weight_decay: float = 0.01
        num_train_epochs: float = 3.0
        max_steps: int = -1
        lr_scheduler_type: Any = None
        warmup_ratio: float = 0.0
        warmup_steps: int = 94
        logging_dir: str = "out/runs/Nov29_06-46-40_colab-vm"
        logging_strategy: Any = None
        logging_steps: float = 50
        save_strategy: Any = None
        save_steps: float = 350
        save_total_limit: Optional[int] = 2
        seed: int = 42
        fp16: bool = True
        eval_steps: Optional[float] = 350
        load_best_model_at_end: bool = True
        metric_for_best_model: Optional[str] = "eval_f1"
        greater_is_better: Optional[bool] = True
        optim: Any = None
        report_to: List[str] = dataclasses.field(default_factory=lambda: ["tensorboard"])
        resume_from_checkpoint: Optional[str] = None

    TrainingArguments.__module__ = targs.__name__
    TrainingArguments.__qualname__ = "TrainingArguments"
    targs.TrainingArguments = TrainingArguments  # type: ignore[attr-defined]
    return TrainingArguments, IntervalStrategy, SchedulerType, OptimizerNames


def build_hf_trainer(out: Path) -> Dict[str, Any]:
    """fixtures/hf_trainer/checkpoint-700: a Hugging Face Trainer checkpoint folder.

    313 update steps per epoch, 3 epochs (max_steps 939), checkpoint at global_step 700
    (epoch 2.2364...): 2 epochs completed, 74 steps into the third. AdamW with HF's two
    param groups (decay / no decay), LambdaLR through functools.partial (saved as {}),
    fp16 GradScaler state, rng_state.pth, training_args.bin (a pickled dataclass).
    """
    folder = out / "hf_trainer" / "checkpoint-700"
    folder.mkdir(parents=True, exist_ok=True)
    steps_per_epoch, epochs, global_step = 313, 3, 700
    max_steps = steps_per_epoch * epochs
    warmup = 94
    torch.manual_seed(70)
    model = nn.Sequential(OrderedDict([("pre_classifier", nn.Linear(8, 6)), ("act", nn.ReLU()),
                                       ("classifier", nn.Linear(6, 3))]))
    decay = [p for n, p in model.named_parameters() if n.endswith("weight")]
    no_decay = [p for n, p in model.named_parameters() if n.endswith("bias")]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01},
                                   {"params": no_decay, "weight_decay": 0.0}], lr=BASE_LR)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, functools.partial(_hf_linear_lambda, num_warmup_steps=warmup, num_training_steps=max_steps))
    train_briefly(model, optimizer, scheduler, 3, 71)
    set_optimizer_steps(optimizer, global_step)
    set_scheduler_position(scheduler, global_step)
    torch_save(optimizer.state_dict(), folder / "optimizer.pt")
    torch_save(scheduler.state_dict(), folder / "scheduler.pt")
    torch_save(scaler_state(global_step % 2000, 32768.0), folder / "scaler.pt")
    random.seed(42)
    np.random.seed(42)
    torch.manual_seed(42)
    torch_save({"python": random.getstate(), "numpy": np.random.get_state(), "cpu": torch.random.get_rng_state()},
               folder / "rng_state.pth")
    TrainingArguments, IntervalStrategy, SchedulerType, OptimizerNames = _install_fake_transformers()
    args = TrainingArguments(
        eval_strategy=IntervalStrategy.STEPS, lr_scheduler_type=SchedulerType.LINEAR,
        logging_strategy=IntervalStrategy.STEPS, save_strategy=IntervalStrategy.STEPS,
        optim=OptimizerNames.ADAMW_TORCH, num_train_epochs=float(epochs))
    torch_save(args, folder / "training_args.bin")
    write_safetensors(folder / "model.safetensors", OrderedDict(model.state_dict()))
    config = dict(CONFIG_JSON, id2label={"0": "NEG", "1": "NEU", "2": "POS"},
                  label2id={"NEG": 0, "NEU": 1, "POS": 2})
    write_json(folder / "config.json", config)

    rng = random.Random(5)
    log_history: List[Dict[str, Any]] = []
    for s in range(50, global_step + 1, 50):
        grad_norm: float = 1.0 + rng.random() * 3.0
        if s == 250:
            grad_norm = float("nan")  # fp16 overflow step: HF logs NaN
        log_history.append({"epoch": round(s / steps_per_epoch, 4), "grad_norm": grad_norm,
                            "learning_rate": BASE_LR * _hf_linear_lambda(s, num_warmup_steps=warmup,
                                                                         num_training_steps=max_steps),
                            "loss": round(1.1 - 0.00055 * s + rng.uniform(-0.02, 0.02), 4), "step": s})
        if s % 350 == 0:
            ev = {350: (0.8013, 0.6684, 0.6521), 700: (0.6932, 0.7461, 0.7034)}[s]
            entry = {"epoch": round(s / steps_per_epoch, 4), "eval_accuracy": ev[1], "eval_f1": ev[2],
                     "eval_loss": ev[0], "eval_runtime": 9.8731, "eval_samples_per_second": 101.286,
                     "eval_steps_per_second": 3.241, "step": s}
            if s == 350:
                entry["eval_min_log_prob"] = float("-inf")
            log_history.append(entry)
    trainer_state = {
        "best_global_step": 700,
        "best_metric": 0.7034,
        "best_model_checkpoint": "out/checkpoint-700",
        "epoch": global_step / steps_per_epoch,
        "eval_steps": 350,
        "global_step": global_step,
        "is_hyper_param_search": False,
        "is_local_process_zero": True,
        "is_world_process_zero": True,
        "log_history": log_history,
        "logging_steps": 50,
        "max_steps": max_steps,
        "num_input_tokens_seen": 0,
        "num_train_epochs": epochs,
        "save_steps": 350,
        "stateful_callbacks": {"TrainerControl": {"args": {
            "should_epoch_stop": False, "should_evaluate": False, "should_log": False, "should_save": True,
            "should_training_stop": False}, "attributes": {}}},
        "total_flos": 183746000000000.0,
        "train_batch_size": 16,
        "trial_name": None,
        "trial_params": None,
    }
    write_json(folder / "trainer_state.json", trainer_state)

    # Read everything back.
    ts = json.loads((folder / "trainer_state.json").read_text())
    opt = torch_load(folder / "optimizer.pt")
    sched = torch_load(folder / "scheduler.pt")
    scaler = torch_load(folder / "scaler.pt")
    rng_state = torch_load(folder / "rng_state.pth")
    targs = torch_load(folder / "training_args.bin")
    spe = ts["max_steps"] // ts["num_train_epochs"]
    assert spe == round(ts["global_step"] / ts["epoch"])
    expected = {
        "kind": "hf-trainer",
        "global_step": ts["global_step"],
        "epoch": ts["epoch"],
        "max_steps": ts["max_steps"],
        "num_train_epochs": ts["num_train_epochs"],
        "steps_per_epoch": spe,
        "epochs_completed": ts["global_step"] // spe,
        "steps_into_epoch": ts["global_step"] % spe,
        "resume": f"skip {ts['global_step'] // spe} epochs and {ts['global_step'] % spe} batches "
                  f"(global_step {ts['global_step']})",
        "best_metric": ts["best_metric"],
        "best_model_checkpoint": ts["best_model_checkpoint"],
        "eval_points": sum(1 for e in ts["log_history"] if any(k.startswith("eval_") for k in e)),
        "loss_points": sum(1 for e in ts["log_history"] if "loss" in e),
        "log_history_non_finite": ["log_history[4].grad_norm = NaN", "log_history[7].eval_min_log_prob = -Infinity"],
        "optimizer_steps": max_optimizer_step(opt),
        "optimizer_param_states": len(opt["state"]),
        "optimizer_param_groups": len(opt["param_groups"]),
        "scheduler_last_epoch": sched["last_epoch"],
        "scheduler_lr_lambdas": sched["lr_lambdas"],
        "scaler_scale": scaler["scale"],
        "rng_state_keys": sorted(rng_state.keys()),
        "training_args_class": type(targs).__module__ + "." + type(targs).__name__,
        "training_args_note": "torch.load of training_args.bin raises ModuleNotFoundError unless transformers "
                              "is importable; read it symbolically",
        "training_args": {"learning_rate": targs.learning_rate, "num_train_epochs": targs.num_train_epochs,
                          "per_device_train_batch_size": targs.per_device_train_batch_size,
                          "eval_strategy": targs.eval_strategy.value, "metric_for_best_model":
                          targs.metric_for_best_model, "seed": targs.seed},
        "model_parameters": count_weight_elements(folder),
        "pickle_protocol": container_info(folder / "optimizer.pt")["pickle_protocol"],
    }
    text = (folder / "trainer_state.json").read_text()
    assert "NaN" in text and "-Infinity" in text
    assert ts["log_history"][4]["grad_norm"] != ts["log_history"][4]["grad_norm"]
    assert ts["log_history"][7]["eval_min_log_prob"] == float("-inf")
    write_json(folder / "expected.json", expected)
    return expected


# ------------------------------------------------------------------------------ Lightning


def _progress(ready: int, started: int, processed: int, completed: int) -> Dict[str, int]:
    """A Lightning _BatchProgress/_Progress counter dict."""
    return {"ready": ready, "started": started, "processed": processed, "completed": completed}


def _ckpt_key(monitor: Optional[str], mode: str, every_n_train_steps: int, every_n_epochs: int) -> str:
    """ModelCheckpoint.state_key exactly as Lightning 2.x formats it."""
    return "ModelCheckpoint" + repr({"monitor": monitor, "mode": mode, "every_n_train_steps": every_n_train_steps,
                                     "every_n_epochs": every_n_epochs, "train_time_interval": None})


def write_lightning_ckpt(folder: Path, *, epoch: int, batches_per_epoch: int, batches_in_epoch: int,
                         end_of_epoch: bool, seed: int) -> Dict[str, Any]:
    """Write a PyTorch Lightning 2.4-style ``epoch=E-step=S.ckpt`` built by hand, + expected.json.

    ``epoch`` is Lightning's 0-based current_epoch. End-of-epoch saves (ModelCheckpoint
    on_train_epoch_end) have batch_progress.current all == batches_per_epoch, is_last_batch
    True, epoch_progress processed = epoch+1, completed = epoch. Mid-epoch saves
    (every_n_train_steps, from on_train_batch_end) have completed = processed - 1 because
    Lightning increments ``completed`` after the batch-end hooks.
    """
    global_step = (epoch + 1) * batches_per_epoch if end_of_epoch else epoch * batches_per_epoch + batches_in_epoch
    name = f"epoch={epoch}-step={global_step}.ckpt"
    torch.manual_seed(seed)

    class LitClassifier(nn.Module):
        """The LightningModule's parameters: ``model.0`` / ``model.2``."""

        def __init__(self) -> None:
            """Create ``model = Sequential(Linear(6, 4), ReLU, Linear(4, 2))``."""
            super().__init__()
            self.model = nn.Sequential(nn.Linear(6, 4), nn.ReLU(), nn.Linear(4, 2))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            """Logits for a batch ``x`` of shape (N, 6)."""
            return self.model(x)

    module = LitClassifier()
    optimizer = torch.optim.AdamW(module.parameters(), lr=3e-4)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    train_briefly(module.model, optimizer, None, 3, seed + 1)
    for _ in range(epoch):  # one StepLR step per finished epoch
        scheduler.step()
    set_optimizer_steps(optimizer, global_step)

    cur_done = batches_per_epoch if end_of_epoch else batches_in_epoch
    cur_completed = cur_done if end_of_epoch else cur_done - 1
    tot_done = global_step
    tot_completed = tot_done if end_of_epoch else tot_done - 1
    fit_loop = {
        "state_dict": {},
        "epoch_loop.state_dict": {"_batches_that_stepped": global_step},
        "epoch_loop.batch_progress": {"total": _progress(tot_done, tot_done, tot_done, tot_completed),
                                      "current": _progress(cur_done, cur_done, cur_done, cur_completed),
                                      "is_last_batch": end_of_epoch},
        "epoch_loop.scheduler_progress": {"total": {"ready": epoch, "completed": epoch},
                                          "current": {"ready": 0, "completed": 0}},
        "epoch_loop.automatic_optimization.state_dict": {},
        "epoch_loop.automatic_optimization.optim_progress": {"optimizer": {
            "step": {"total": {"ready": global_step, "completed": global_step},
                     "current": {"ready": cur_done, "completed": cur_done}},
            "zero_grad": {"total": {"ready": global_step, "started": global_step, "completed": global_step},
                          "current": {"ready": cur_done, "started": cur_done, "completed": cur_done}}}},
        "epoch_loop.manual_optimization.state_dict": {},
        "epoch_loop.manual_optimization.optim_step_progress": {"total": {"ready": 0, "completed": 0},
                                                               "current": {"ready": 0, "completed": 0}},
        "epoch_loop.val_loop.state_dict": {},
        "epoch_loop.val_loop.batch_progress": {"total": _progress(0, 0, 0, 0), "current": _progress(0, 0, 0, 0),
                                               "is_last_batch": False},
        "epoch_progress": {"total": _progress(epoch + 1, epoch + 1, epoch + 1 if end_of_epoch else epoch, epoch),
                           "current": _progress(epoch + 1, epoch + 1, epoch + 1 if end_of_epoch else epoch, epoch)},
    }
    empty_loop = {"state_dict": {}, "batch_progress": {"total": _progress(0, 0, 0, 0),
                                                       "current": _progress(0, 0, 0, 0), "is_last_batch": False}}
    best_paths = {"ckpts/epoch=3-step=500.ckpt": torch.tensor(0.7012), "ckpts/epoch=5-step=750.ckpt": torch.tensor(0.7431)}
    callbacks = {
        _ckpt_key("val_f1", "max", 0, 1): {
            "monitor": "val_f1",
            "best_model_score": torch.tensor(0.7431),
            "best_model_path": "ckpts/epoch=5-step=750.ckpt",
            "current_score": torch.tensor(0.7431) if end_of_epoch else torch.tensor(0.7235),
            "dirpath": "ckpts",
            "best_k_models": best_paths,
            "kth_best_model_path": "ckpts/epoch=3-step=500.ckpt",
            "kth_value": torch.tensor(0.7012),
            "last_model_path": "",
        },
        _ckpt_key(None, "min", 50, 0): {
            "monitor": None,
            "best_model_score": None,
            "best_model_path": f"ckpts/steps/epoch={epoch}-step={global_step - (global_step % 50)}.ckpt",
            "current_score": None,
            "dirpath": "ckpts/steps",
            "best_k_models": {},
            "kth_best_model_path": "",
            "kth_value": torch.tensor(float("inf")),
            "last_model_path": "",
        },
        "EarlyStopping{'monitor': 'val_loss', 'mode': 'min'}": {
            "wait_count": 1, "stopped_epoch": 0, "best_score": torch.tensor(0.5123), "patience": 3,
        },
    }
    ckpt = {
        "epoch": epoch,
        "global_step": global_step,
        "pytorch-lightning_version": "2.4.0",
        "state_dict": OrderedDict(module.state_dict()),
        "loops": {"fit_loop": fit_loop, "validate_loop": empty_loop, "test_loop": empty_loop,
                  "predict_loop": {"state_dict": {}, "batch_progress": {"total": _progress(0, 0, 0, 0),
                                                                       "current": _progress(0, 0, 0, 0)}}},
        "callbacks": callbacks,
        "optimizer_states": [optimizer.state_dict()],
        "lr_schedulers": [scheduler.state_dict()],
        "hparams_name": "kwargs",
        "hyper_parameters": {"lr": 3e-4, "hidden": 4, "num_classes": 2, "batch_size": 32, "max_epochs": 10},
    }
    path = folder / name
    torch_save(ckpt, path)

    back = torch_load(path)
    fl = back["loops"]["fit_loop"]
    mc = back["callbacks"][_ckpt_key("val_f1", "max", 0, 1)]
    es = back["callbacks"]["EarlyStopping{'monitor': 'val_loss', 'mode': 'min'}"]
    bp = fl["epoch_loop.batch_progress"]
    expected = {
        "kind": "lightning",
        "epoch": back["epoch"],
        "global_step": back["global_step"],
        "lightning_version": back["pytorch-lightning_version"],
        "batches_done_in_epoch": bp["current"]["processed"],
        "batch_progress_current": bp["current"],
        "is_last_batch": bp["is_last_batch"],
        "epochs_completed": fl["epoch_progress"]["current"]["completed"],
        "batches_that_stepped": fl["epoch_loop.state_dict"]["_batches_that_stepped"],
        "epoch_finished": bool(bp["is_last_batch"]),
        "resume": (f"start epoch {back['epoch'] + 1} (0-based)" if bp["is_last_batch"]
                   else f"continue epoch {back['epoch']} (0-based) after batch {bp['current']['processed']}"),
        "monitor": mc["monitor"],
        "best_model_score": round(float(mc["best_model_score"]), 6),
        "best_model_score_float32": float(mc["best_model_score"]),
        "best_model_path": mc["best_model_path"],
        "early_stopping_wait_count": es["wait_count"],
        "optimizer_steps": max_optimizer_step(back["optimizer_states"][0]),
        "optimizer_param_states": len(back["optimizer_states"][0]["state"]),
        "scheduler_last_epoch": back["lr_schedulers"][0]["last_epoch"],
        "model_parameters": int(sum(t.numel() for t in back["state_dict"].values())),
        "hyper_parameters": back["hyper_parameters"],
        "pickle_protocol": container_info(path)["pickle_protocol"],
    }
    write_json(folder / (name + ".expected.json"), expected)
    return {name: expected}


def build_lightning(out: Path) -> Dict[str, Any]:
    """fixtures/lightning: an end-of-epoch and a mid-epoch Lightning checkpoint (125 batches/epoch)."""
    folder = out / "lightning"
    res: Dict[str, Any] = {}
    res.update(write_lightning_ckpt(folder, epoch=5, batches_per_epoch=125, batches_in_epoch=0,
                                    end_of_epoch=True, seed=80))
    res.update(write_lightning_ckpt(folder, epoch=6, batches_per_epoch=125, batches_in_epoch=50,
                                    end_of_epoch=False, seed=81))
    return res


# -------------------------------------------------------------------- raw pickle opcodes


class P:
    """Raw pickle opcode builders (names and encodings from the pickletools opcode table)."""

    MARK = b"("
    STOP = b"."
    POP = b"0"
    NONE = b"N"
    EMPTY_DICT = b"}"
    EMPTY_TUPLE = b")"
    SETITEM = b"s"
    SETITEMS = b"u"
    TUPLE = b"t"
    TUPLE1 = b"\x85"
    TUPLE2 = b"\x86"
    REDUCE = b"R"
    STACK_GLOBAL = b"\x93"
    MEMOIZE = b"\x94"

    @staticmethod
    def proto(n: int) -> bytes:
        """PROTO n."""
        return b"\x80" + bytes([n])

    @staticmethod
    def glob(module: str, name: str) -> bytes:
        """GLOBAL 'module name' (protocol 0 text form)."""
        return b"c" + module.encode() + b"\n" + name.encode() + b"\n"

    @staticmethod
    def inst(module: str, name: str) -> bytes:
        """INST 'module name': call module.name(*items since MARK) (protocol 0)."""
        return b"i" + module.encode() + b"\n" + name.encode() + b"\n"

    @staticmethod
    def obj() -> bytes:
        """OBJ: pop MARK, class/callable, args; call it (protocol 1)."""
        return b"o"

    @staticmethod
    def u(s: str) -> bytes:
        """BINUNICODE (protocol 1+)."""
        b = s.encode("utf-8")
        return b"X" + struct.pack("<I", len(b)) + b

    @staticmethod
    def su(s: str) -> bytes:
        """SHORT_BINUNICODE (protocol 4)."""
        b = s.encode("utf-8")
        return b"\x8c" + bytes([len(b)]) + b

    @staticmethod
    def string0(s: str) -> bytes:
        """STRING 'repr' (protocol 0)."""
        return b"S" + repr(s).encode() + b"\n"

    @staticmethod
    def binbytes(b: bytes) -> bytes:
        """BINBYTES (protocol 3)."""
        return b"B" + struct.pack("<I", len(b)) + b

    @staticmethod
    def int1(n: int) -> bytes:
        """BININT1 (0..255)."""
        return b"K" + bytes([n])

    @staticmethod
    def int2(n: int) -> bytes:
        """BININT2 (0..65535)."""
        return b"M" + struct.pack("<H", n)

    @staticmethod
    def put(i: int) -> bytes:
        """BINPUT i."""
        return b"q" + bytes([i])

    @staticmethod
    def get(i: int) -> bytes:
        """BINGET i."""
        return b"h" + bytes([i])


def check_pickle(data: bytes) -> List[str]:
    """Decode ``data`` with pickletools.genops (no execution) and return the globals it names.

    GLOBAL/INST give 'module name'; STACK_GLOBAL is resolved by tracking the two string
    operands, including through the memo (BINPUT/BINGET/MEMOIZE). Raises if malformed.
    """
    stack: List[Any] = []
    memo: Dict[int, Any] = {}
    found: List[str] = []
    for op, arg, _pos in pickletools.genops(io.BytesIO(data)):
        name = op.name
        if name in ("GLOBAL", "INST"):
            found.append(arg.replace(" ", "."))
            stack.append(("global", arg))
        elif name in ("SHORT_BINUNICODE", "BINUNICODE", "UNICODE", "STRING", "BINSTRING", "SHORT_BINSTRING"):
            stack.append(arg)
        elif name in ("BINPUT", "LONG_BINPUT", "PUT"):
            memo[int(arg)] = stack[-1] if stack else None
        elif name == "MEMOIZE":
            memo[len(memo)] = stack[-1] if stack else None
        elif name in ("BINGET", "LONG_BINGET", "GET"):
            stack.append(memo.get(int(arg)))
        elif name == "STACK_GLOBAL":
            nm, mod = stack.pop(), stack.pop()
            found.append(f"{mod}.{nm}")
            stack.append(("global", f"{mod} {nm}"))
        else:
            stack.append(("op", name))
    return found


def dangerous_stream(command_note: str) -> bytes:
    """A harmless shell string used as the argument of every hostile call."""
    return f"echo ckptview-fixture-{command_note}-must-never-run".encode()


# ---------------------------------------------------------------------------- bad inputs


def build_bad(out: Path, good: Path) -> Dict[str, str]:
    """fixtures/bad: broken inputs derived from a good checkpoint, plus two hostile-ish cases."""
    folder = out / "bad"
    folder.mkdir(parents=True, exist_ok=True)
    data = good.read_bytes()
    write_bytes(folder / "empty.pth", b"")
    write_bytes(folder / "truncated_half.pth", data[: len(data) // 2])
    write_bytes(folder / "truncated_tail_64.pth", data[:-64])
    html = (
        "<!DOCTYPE html><html><head><meta http-equiv=\"content-type\" content=\"text/html; charset=utf-8\"/>"
        "<title>Google Drive - Quota exceeded</title></head><body><div class=\"uc-main\">"
        "<p class=\"uc-error-caption\">Sorry, you can't view or download this file at this time.</p>"
        "<p class=\"uc-error-subcaption\">Too many users have viewed or downloaded this file recently. "
        "Please try accessing the file again later. If the file you are trying to access is particularly "
        "large or is shared with many people, it may take up to 24 hours to be able to view or download "
        "the file.</p></div></body></html>\n")
    write_bytes(folder / "html_error_page.pth", html.encode())
    # bitflip: flip one bit of a key string inside data.pkl ('best_val_f1' -> 'best_val_g1');
    # the stored CRC-32 in the zip headers no longer matches the member's bytes.
    with zipfile.ZipFile(good) as zf:
        info = next(i for i in zf.infolist() if i.filename.endswith("/data.pkl"))
    name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
    start = info.header_offset + 30 + name_len + extra_len
    pos = data.index(b"best_val_f1", start, start + info.file_size) + len("best_val_")
    flipped = bytearray(data)
    flipped[pos] ^= 0x01
    write_bytes(folder / "bitflip_in_pickle.pth", bytes(flipped))
    # bitflip in an opcode: data.pkl byte 2 is EMPTY_DICT '}' (0x7d); 0x7c '|' is no opcode.
    assert data[start:start + 3] == b"\x80\x02}"
    flipped = bytearray(data)
    flipped[start + 2] ^= 0x01
    write_bytes(folder / "bitflip_opcode_in_pickle.pth", bytes(flipped))
    write_bytes(folder / "lfs_pointer.pth", (
        "version https://git-lfs.github.com/spec/v1\n"
        f"oid sha256:{hashlib.sha256(data).hexdigest()}\n"
        f"size {len(data)}\n").encode())
    # malicious: dict with epoch 1, step 5 and a posix.system REDUCE, protocol 2, raw opcodes.
    mal = (P.proto(2) + P.EMPTY_DICT + P.put(0) + P.MARK
           + P.u("epoch") + P.put(1) + P.int1(1)
           + P.u("step") + P.put(2) + P.int1(5)
           + P.u("total_batches") + P.put(3) + P.int2(1270)
           + P.u("payload") + P.put(4) + P.glob("posix", "system") + P.put(5)
           + P.u(dangerous_stream("bad").decode()) + P.put(6) + P.TUPLE1 + P.put(7) + P.REDUCE + P.put(8)
           + P.SETITEMS + P.STOP)
    assert check_pickle(mal) == ["posix.system"]
    write_raw_torch_zip(folder / "malicious_os_system.pth", mal)
    # protocol 6: a valid protocol-5 pickle whose PROTO byte says 6.
    p5 = bytearray(pickle.dumps({"epoch": 1, "step": 5, "total_batches": 1270}, protocol=5))
    assert p5[:2] == b"\x80\x05"
    p5[1] = 6
    write_raw_torch_zip(folder / "protocol6.pth", bytes(p5))
    # real torch.save(pickle_protocol=0) of tensors: PERSID carries str(tuple), torch.load fails.
    torch_save({"epoch": 1, "step": 5, "weight": torch.arange(4, dtype=torch.float32)},
               folder / "protocol0_with_tensors.pth", protocol=0)

    # What real torch.load says about each, for the record.
    outcome: Dict[str, str] = {}
    for f in ["empty.pth", "truncated_half.pth", "truncated_tail_64.pth", "html_error_page.pth",
              "bitflip_in_pickle.pth", "bitflip_opcode_in_pickle.pth", "lfs_pointer.pth", "protocol6.pth", "protocol0_with_tensors.pth"]:
        try:
            torch_load(folder / f)
            outcome[f] = "loads"
        except Exception as e:  # noqa: BLE001
            outcome[f] = f"{type(e).__name__}: {str(e).splitlines()[0][:160] if str(e) else ''}".strip()
    expected = {
        "malicious_os_system.pth": "flag dangerous global posix.system (or os.system); never execute; still show "
                                   "epoch=1 step=5 (total_batches 1270)",
        "truncated_half.pth": "clear error: file is truncated (zip central directory missing)",
        "truncated_tail_64.pth": "clear error: file is truncated (end of central directory record missing)",
        "empty.pth": "clear error: empty file",
        "html_error_page.pth": "clear error: this is an HTML page, not a checkpoint (e.g. a failed Google Drive "
                               "download: quota exceeded)",
        "bitflip_in_pickle.pth": "clear error or warning: CRC-32 mismatch in training_state/data.pkl (one bit of the "
                                 "key string 'best_val_f1' flipped to 'best_val_g1'; the pickle still parses and torch "
                                 "1.13's torch.load does not check the CRC, so the CRC is the only signal); never a crash",
        "bitflip_opcode_in_pickle.pth": "clear error: CRC-32 mismatch and corrupt pickle (byte 2 of "
                                        "training_state/data.pkl, EMPTY_DICT '}', became '|', not an opcode); never a crash",
        "lfs_pointer.pth": "clear error: this is a Git LFS pointer file, not the checkpoint (run git lfs pull)",
        "protocol6.pth": "clear error: unsupported pickle protocol 6 (highest known is 5)",
        "protocol0_with_tensors.pth": "clear error or warning: pickle protocol 0 stores tensor references as text "
                                      "PERSID strings, which torch.load itself cannot read; still show epoch=1 step=5",
        "_torch_load_1_13": outcome,
    }
    write_json(folder / "expected.json", expected)
    return expected


# ------------------------------------------------------------------------- hostile corpus


def build_hostile(out: Path, legacy_good: Path) -> Dict[str, Any]:
    """fixtures/hostile: hostile pickles assembled from raw opcodes; none is ever unpickled."""
    folder = out / "hostile"
    folder.mkdir(parents=True, exist_ok=True)
    entries: Dict[str, Any] = {}

    def add(name: str, data: bytes, must_flag: List[str], technique: str, harmless: Optional[Dict[str, Any]] = None,
            checked: Optional[List[str]] = None) -> None:
        """Write one hostile file, checking its opcodes decode and name the globals we expect."""
        write_bytes(folder / name, data)
        entry: Dict[str, Any] = {"must_flag": must_flag, "technique": technique}
        if harmless:
            entry["harmless_fields"] = harmless
        if checked is not None:
            entry["globals_in_opcodes"] = checked
        entries[name] = entry

    # 1. STACK_GLOBAL whose module/name strings come from the memo (MEMOIZE + BINGET).
    cmd = dangerous_stream("memo").decode()
    d = (P.proto(4) + P.EMPTY_DICT + P.MEMOIZE + P.MARK                       # memo 0: dict
         + P.su("epoch") + P.MEMOIZE + P.int1(3)                              # memo 1
         + P.su("note") + P.MEMOIZE + P.su("posix") + P.MEMOIZE               # memo 2, 3
         + P.su("tag") + P.MEMOIZE + P.su("system") + P.MEMOIZE               # memo 4, 5
         + P.su("step") + P.MEMOIZE + P.int1(17)                              # memo 6
         + P.su("payload") + P.MEMOIZE                                        # memo 7
         + P.get(3) + P.get(5) + P.STACK_GLOBAL + P.MEMOIZE                   # memo 8: posix.system
         + P.su(cmd) + P.MEMOIZE + P.TUPLE1 + P.MEMOIZE + P.REDUCE + P.MEMOIZE
         + P.SETITEMS + P.STOP)
    g = check_pickle(d)
    assert g == ["posix.system"], g
    add("stack_global_memo.pkl", d, ["posix.system"],
        "protocol 4 STACK_GLOBAL whose module and name strings were memoized earlier as harmless dict values "
        "('note': 'posix', 'tag': 'system') and fetched back with BINGET", {"epoch": 3, "step": 17}, g)

    # 2. Dotted module names: os.path + join, and os.path + os.system (posixpath.os is the os module).
    d = (P.proto(4) + P.EMPTY_DICT + P.MEMOIZE + P.MARK
         + P.su("epoch") + P.MEMOIZE + P.int1(4)
         + P.su("log_dir") + P.MEMOIZE + P.su("os.path") + P.MEMOIZE + P.su("join") + P.MEMOIZE + P.STACK_GLOBAL
         + P.MEMOIZE + P.su("/content/drive") + P.MEMOIZE + P.su("runs") + P.MEMOIZE + P.TUPLE2 + P.MEMOIZE
         + P.REDUCE + P.MEMOIZE
         + P.su("payload") + P.MEMOIZE + P.get(3) + P.su("os.system") + P.MEMOIZE + P.STACK_GLOBAL + P.MEMOIZE
         + P.su(dangerous_stream("dotted").decode()) + P.MEMOIZE + P.TUPLE1 + P.MEMOIZE + P.REDUCE + P.MEMOIZE
         + P.SETITEMS + P.STOP)
    g = check_pickle(d)
    assert g == ["os.path.join", "os.path.os.system"], g
    import posixpath
    assert pickle._getattribute(posixpath, "os.system")[0] is os.system  # type: ignore[attr-defined]
    add("dotted_os_path.pkl", d, ["os.path.join", "os.path.os.system"],
        "dotted names: module 'os.path' (an os submodule) with name 'join', then module 'os.path' with the dotted "
        "name 'os.system', which protocol 4 resolves attribute by attribute to os.system", {"epoch": 4}, g)

    # 3. builtins.getattr used to reach eval: getattr(getattr, '__self__') is the builtins module.
    d = (P.proto(4) + P.EMPTY_DICT + P.MEMOIZE + P.MARK
         + P.su("epoch") + P.MEMOIZE + P.int1(2) + P.su("step") + P.MEMOIZE + P.int2(40)
         + P.su("payload") + P.MEMOIZE
         + P.su("builtins") + P.MEMOIZE + P.su("getattr") + P.MEMOIZE + P.STACK_GLOBAL + P.MEMOIZE   # memo 6
         + P.get(6) + P.get(6) + P.su("__self__") + P.MEMOIZE + P.TUPLE2 + P.MEMOIZE + P.REDUCE + P.MEMOIZE
         + P.su("eval") + P.MEMOIZE + P.TUPLE2 + P.MEMOIZE + P.REDUCE + P.MEMOIZE
         + P.su("__import__('os').system('" + dangerous_stream("getattr").decode() + "')") + P.MEMOIZE
         + P.TUPLE1 + P.MEMOIZE + P.REDUCE + P.MEMOIZE
         + P.SETITEMS + P.STOP)
    g = check_pickle(d)
    assert g == ["builtins.getattr"], g
    assert getattr(getattr, "__self__") is __import__("builtins")
    add("getattr_reach_eval.pkl", d, ["builtins.getattr"],
        "builtins.getattr(builtins.getattr, '__self__') yields the builtins module, then getattr(module, 'eval') "
        "reaches eval, which is called with a shell command; eval never appears as a GLOBAL",
        {"epoch": 2, "step": 40}, g)

    # 4. Dotted *name* attribute path: builtins + 'getattr.__self__.exec' resolves to builtins.exec.
    d = (P.proto(4) + P.EMPTY_DICT + P.MEMOIZE + P.MARK
         + P.su("epoch") + P.MEMOIZE + P.int1(1)
         + P.su("payload") + P.MEMOIZE + P.su("builtins") + P.MEMOIZE + P.su("getattr.__self__.exec")
         + P.MEMOIZE + P.STACK_GLOBAL + P.MEMOIZE
         + P.su("import os; os.system('" + dangerous_stream("attrpath").decode() + "')") + P.MEMOIZE
         + P.TUPLE1 + P.MEMOIZE + P.REDUCE + P.MEMOIZE
         + P.SETITEMS + P.STOP)
    g = check_pickle(d)
    assert g == ["builtins.getattr.__self__.exec"], g
    assert pickle._getattribute(__import__("builtins"), "getattr.__self__.exec")[0] is exec  # type: ignore[attr-defined]
    add("dotted_name_attribute_path.pkl", d, ["builtins.getattr.__self__.exec"],
        "protocol 4 STACK_GLOBAL with a dotted name 'getattr.__self__.exec' under module builtins: an "
        "allowlist that only checks the first name segment sees 'getattr'; it resolves to builtins.exec",
        {"epoch": 1}, g)

    # 5. INST (protocol 0): MARK, args, INST 'os system'.
    d = b"(dp0\nVepoch\np1\nI6\nsVpayload\np2\n" + P.MARK + P.string0(dangerous_stream("inst").decode()) \
        + P.inst("os", "system") + b"p3\ns."
    g = check_pickle(d)
    assert g == ["os.system"], g
    add("inst_os_system.pkl", d, ["os.system"],
        "protocol 0 text pickle: INST 'os system' calls os.system with the items since MARK (no REDUCE at all)",
        {"epoch": 6}, g)

    # 6. subprocess.Popen via REDUCE, protocol 2.
    d = (P.proto(2) + P.EMPTY_DICT + P.put(0) + P.MARK
         + P.u("epoch") + P.put(1) + P.int1(2) + P.u("step") + P.put(2) + P.int2(900)
         + P.u("payload") + P.put(3) + P.glob("subprocess", "Popen") + P.put(4)
         + b"]" + P.put(5) + P.MARK + P.u("sh") + P.u("-c") + P.u(dangerous_stream("popen").decode()) + b"e"
         + P.TUPLE1 + P.put(6) + P.REDUCE + P.put(7)
         + P.SETITEMS + P.STOP)
    g = check_pickle(d)
    assert g == ["subprocess.Popen"], g
    add("subprocess_popen.pkl", d, ["subprocess.Popen"],
        "GLOBAL 'subprocess Popen' REDUCE (['sh', '-c', ...],)", {"epoch": 2, "step": 900}, g)

    # 7. OBJ opcode (protocol 1): MARK, callable, args, OBJ.
    d = (P.EMPTY_DICT + P.put(0) + P.MARK
         + P.u("epoch") + P.put(1) + P.int1(3)
         + P.u("payload") + P.put(2) + P.MARK + P.glob("subprocess", "check_output") + P.put(3)
         + b"]" + P.put(4) + P.MARK + P.u("sh") + P.u("-c") + P.u(dangerous_stream("obj").decode()) + b"e"
         + P.obj() + P.put(5)
         + P.SETITEMS + P.STOP)
    g = check_pickle(d)
    assert g == ["subprocess.check_output"], g
    add("obj_opcode_check_output.pkl", d, ["subprocess.check_output"],
        "protocol 1 OBJ opcode calls the callable after MARK (no REDUCE)", {"epoch": 3}, g)

    # 8. pickle.loads of a bytes object that holds another (hostile) pickle.
    inner = (P.proto(2) + P.glob("posix", "system") + P.u(dangerous_stream("nested").decode()) + P.TUPLE1
             + P.REDUCE + P.STOP)
    assert check_pickle(inner) == ["posix.system"]
    d = (P.proto(3) + P.EMPTY_DICT + P.put(0) + P.MARK
         + P.u("epoch") + P.put(1) + P.int1(5) + P.u("step") + P.put(2) + P.int1(0)
         + P.u("payload") + P.put(3) + P.glob("pickle", "loads") + P.put(4) + P.binbytes(inner) + P.put(5)
         + P.TUPLE1 + P.put(6) + P.REDUCE + P.put(7)
         + P.SETITEMS + P.STOP)
    g = check_pickle(d)
    assert g == ["pickle.loads"], g
    add("nested_pickle_loads.pkl", d, ["pickle.loads"],
        "GLOBAL 'pickle loads' REDUCE (BINBYTES <inner pickle>,): the inner pickle calls posix.system; a "
        "scanner that looks inside bytes arguments should also report the inner global",
        {"epoch": 5, "step": 0}, g)
    entries["nested_pickle_loads.pkl"]["inner_must_flag"] = ["posix.system"]

    # 9. The memo trick inside a real torch zip (builtins.exec), next to harmless training fields.
    d = (P.proto(4) + P.EMPTY_DICT + P.MEMOIZE + P.MARK
         + P.su("epoch") + P.MEMOIZE + P.int1(2) + P.su("step") + P.MEMOIZE + P.int2(640)
         + P.su("total_batches") + P.MEMOIZE + P.int2(1500)
         + P.su("best_val_f1") + P.MEMOIZE + b"G" + struct.pack(">d", 0.6534)
         + P.su("module") + P.MEMOIZE + P.su("builtins") + P.MEMOIZE                    # memo 5, 6
         + P.su("fn") + P.MEMOIZE + P.su("exec") + P.MEMOIZE                              # memo 7, 8
         + P.su("hook") + P.MEMOIZE + P.get(6) + P.get(8) + P.STACK_GLOBAL + P.MEMOIZE
         + P.su("import os; os.system('" + dangerous_stream("zip").decode() + "')") + P.MEMOIZE
         + P.TUPLE1 + P.MEMOIZE + P.REDUCE + P.MEMOIZE
         + P.SETITEMS + P.STOP)
    g = check_pickle(d)
    assert g == ["builtins.exec"], g
    write_raw_torch_zip(folder / "torch_zip_memo_exec.pth", d)
    entries["torch_zip_memo_exec.pth"] = {
        "must_flag": ["builtins.exec"],
        "technique": "torch zip (top folder torch_zip_memo_exec) whose data.pkl builds builtins.exec by "
                     "STACK_GLOBAL from memoized strings and calls it",
        "harmless_fields": {"epoch": 2, "step": 640, "total_batches": 1500, "best_val_f1": 0.6534},
        "globals_in_opcodes": g,
    }

    # 10. Legacy torch format whose magic-number pickle is a computed expression (builtins.eval).
    legacy = legacy_good.read_bytes()
    stream = io.BytesIO(legacy)
    for _op in pickletools.genops(stream):
        pass
    magic_end = stream.tell()
    magic_pickle = P.proto(2) + P.glob("builtins", "eval") + P.u("0x1950a86a20f9469cfc6c") + P.TUPLE1 + P.REDUCE + P.STOP
    assert int("1950a86a20f9469cfc6c", 16) == torch.serialization.MAGIC_NUMBER
    g = check_pickle(magic_pickle)
    assert g == ["builtins.eval"], g
    rest_ok = check_pickle(legacy[magic_end:])  # next pickle (protocol version) decodes
    assert rest_ok == []
    write_bytes(folder / "legacy_magic_eval.pth", magic_pickle + legacy[magic_end:])
    legacy_state = torch_load(legacy_good)
    entries["legacy_magic_eval.pth"] = {
        "must_flag": ["builtins.eval"],
        "technique": "pre-1.6 legacy torch file whose first pickle (the magic number) is "
                     "builtins.eval('0x1950a86a20f9469cfc6c') instead of a LONG1 literal; the rest is a real "
                     "legacy checkpoint (fixtures/torch_legacy_format)",
        "harmless_fields": {"epoch": int(legacy_state["epoch"]), "step": int(legacy_state["step"]),
                            "total_batches": int(legacy_state["total_batches"])},
        "globals_in_opcodes": g,
    }

    # 11. Control: a benign pickle (OrderedDict, numpy float64, tuple) that must NOT be flagged.
    benign = pickle.dumps({"epoch": 2, "best_val_f1": np.float64(0.7312), "betas": (0.9, 0.999),
                           "order": OrderedDict([("a", 1)])}, protocol=4)
    add("benign_control.pkl", benign, [],
        "control: written by pickle.dumps from harmless objects; uses only allowlisted globals",
        {"epoch": 2, "best_val_f1": 0.7312}, check_pickle(benign))

    # 12. Control: how Python 3.11 pickles an enum member (getattr(cls, 'NAME')), e.g. inside a
    # real training_args.bin written under 3.11. Benign, but it names builtins.getattr.
    d = (P.proto(2) + P.EMPTY_DICT + P.put(0) + P.u("eval_strategy") + P.put(1)
         + P.glob("__builtin__", "getattr") + P.put(2) + P.glob("transformers.trainer_utils", "IntervalStrategy")
         + P.put(3) + P.u("STEPS") + P.put(4) + P.TUPLE2 + P.put(5) + P.REDUCE + P.put(6) + P.SETITEM + P.STOP)
    g = check_pickle(d)
    assert g == ["__builtin__.getattr", "transformers.trainer_utils.IntervalStrategy"], g
    add("benign_py311_enum_getattr.pkl", d, [],
        "control: Python 3.11 pickles enum members as getattr(EnumClass, 'NAME') (GLOBAL '__builtin__ getattr' "
        "in protocol 2), so real files written under 3.11 name builtins.getattr benignly; a viewer may show a "
        "notice for getattr but should not call this file malicious (compare getattr_reach_eval.pkl, where "
        "getattr's target is getattr itself and then 'eval')", {"eval_strategy": "STEPS"}, g)
    entries["benign_py311_enum_getattr.pkl"]["may_warn"] = ["builtins.getattr (written __builtin__.getattr)"]

    write_json(folder / "expected.json", entries)
    return entries


# ----------------------------------------------------------------------------- README


README = """# ckptview fixtures (made by `scripts/make_fixtures.py`)

Regenerate with `/usr/bin/python3 scripts/make_fixtures.py` (Debian's python3-torch 1.13.1 and
python3-numpy 1.24). Every torch file is written by real `torch.save` (the hostile ones by torch's
own zip writer, `torch._C.PyTorchFileWriter`); `model.safetensors`, the TensorBoard event file and
the hostile pickles are written byte by byte following their formats. Each checkpoint has an
`expected.json` (or `<file>.expected.json`) computed from what `torch.load` returned when reading
the written file back: those are the right answers for tests. Re-running produces identical bytes.

EnStack expected.json keys: `kind`, `epoch`, `step`, `total_batches` (0 when the key is absent),
`has_total_batches_key`, `epoch_complete`, `progress_percent` (round(step/total*100, 1) or null),
`remaining_batches` (or null), `resume` ("continue epoch E from step S" / "start epoch E+1"),
`best_val_f1`, `best_val_acc`, `best_val_type` (numpy.float64 or builtins.float), `optimizer_steps`
(max per-parameter `step`), `optimizer_param_states`, `expected_optimizer_steps` (epoch*T at an
epoch end, else (epoch-1)*T+step; null without total_batches), `model_parameters` (elements in the
folder's weights file), `scheduler_last_epoch`, `scaler_scale`, `top_level_keys` (in pickle order),
`pickle_globals` (distinct GLOBAL/STACK_GLOBAL targets, from opcodes), `container` (zip | legacy), `zip_top_folder`,
`pickle_protocol` (PROTO operand, else highest opcode protocol), `zip_members`,
`has_serialization_id`, `has_byteorder` (torch 1.13 writes neither).

| folder | what it exercises |
|---|---|
| enstack/last_checkpoint | the reported case: epoch 2 saved mid-epoch at step 1200 of 1500 (80.0%, 300 left) |
| enstack/best_model | end-of-epoch save: epoch 2, step 0 (complete, resume starts epoch 3) |
| enstack/checkpoint_epoch2_step500 | periodic mid-epoch save in epoch 2 |
| enstack/checkpoint_epoch3_step300, recovery_checkpoint | mid-epoch saves in epoch 3 (300 and 450 of 1500) |
| enstack_legacy_fields/last_checkpoint | older checkpoint: no `total_batches` key, plain Python floats, `pytorch_model.bin` (zip) |
| torch_legacy_format/last_checkpoint | pre-1.6 non-zip format for both `training_state.pth` and `pytorch_model.bin` |
| pickle_protocol0 | protocol 0 text pickle (no PROTO, INT/FLOAT/UNICODE/PUT/GET); optimizer `state` is empty because protocol-0 PERSID cannot carry tensors torch.load can read (see bad/protocol0_with_tensors.pth) |
| pickle_protocol1 | protocol 1 (binary opcodes, no PROTO); step == total_batches (1500/1500) counts as complete |
| pickle_protocol3 | protocol 3; epoch 5 complete |
| pickle_protocol4 | protocol 4: FRAME, MEMOIZE, SHORT_BINUNICODE, STACK_GLOBAL; 1499 of 1500 (99.9%) |
| pickle_protocol5 | protocol 5; step 65600 of 70000 (BININT, 4-byte ints) |
| wide_epoch/last_checkpoint | epoch 200 is a 1-byte BININT1; repairing it to epoch 300 needs a wider opcode (BININT2) |
| custom_top_folder | `training_state.pth` whose zip top folder is `archive_name`, not the file stem |
| enstack_run | a whole run folder: lost end-of-epoch save (see its expected.json `finding`), `.backup_*`, `.tmp_*` (config.json only), `logs/events.out.tfevents.*` with simple_value tags and a tensor-style tag (`Train/LR`) |
| hf_trainer/checkpoint-700 | Hugging Face Trainer folder: trainer_state.json with NaN and -Infinity, optimizer.pt (2 param groups), scheduler.pt, scaler.pt, rng_state.pth, training_args.bin (`transformers.training_args.TrainingArguments` dataclass + enums), model.safetensors |
| lightning/epoch=5-step=750.ckpt | Lightning 2.4 end-of-epoch checkpoint (loops, callbacks with ModelCheckpoint/EarlyStopping, optimizer_states, lr_schedulers, hyper_parameters) |
| lightning/epoch=6-step=800.ckpt | Lightning mid-epoch checkpoint (50 of 125 batches; every_n_train_steps save) |
| tutorial/checkpoint.pt | the PyTorch tutorial layout: epoch, model and optimizer state dicts, loss; no step |
| mmengine/work_dir | MMEngine work dir (`scripts/fixtures_research.py`): epoch_1.pth, epoch_2.pth, a stale-meta epoch_3.pth (meta.epoch 2, mmcv PR #1108) and `last_checkpoint` naming epoch_2.pth |
| mmengine/missing_pointer | `last_checkpoint` naming a file that is not in the folder |
| mmengine/iter_based | an IterBasedTrainLoop `iter_8.pth` (meta.epoch 0, meta.iter 8 of max_iters 20) |
| mmcv/epoch_2.pth | mmcv 1.x EpochBasedRunner layout (`meta.mmcv_version`, mmdet CLASSES and config text) |
| fairseq/checkpoints | fairseq: checkpoint2.pt (end of epoch 2: train_iterator epoch 3, 0 iterations), checkpoint_last.pt (epoch 3 after 5 batches), checkpoint_best.pt; `cfg` a plain dict |
| fairseq/legacy_args | older fairseq: settings in an `argparse.Namespace` `args`; train_iterator epoch 4 past max_epoch 3 (finished); best `bleu` |
| torchtune/output | torchtune epoch_0/ (recipe_state.pt beside the shard) and epoch_1/ (recipe_state/recipe_state.pt): epochs_run 1 and 2 of total_epochs 3 |
| ultralytics/runs/detect/train/weights | Ultralytics v8/11 (`scripts/fixtures_files.py`, stand-in `ultralytics.nn.tasks.DetectionModel`): last.pt after epoch index 4 of 10 with its FP16 optimizer (resume starts index 5), best.pt stripped by strip_optimizer (epoch -1: not resumable) |
| yolov5/runs/train/exp/weights/last.pt | YOLOv5 v7-style save after epoch index 2 of `opt.epochs` 30; `best_fitness` a 1-element numpy array; `models.yolo.DetectionModel` |
| timm/output/train/… | timm run folder: last.pth.tar (epoch 3, version 2), checkpoint-2/-3.pth.tar, model_best.pth.tar (copy of checkpoint-2), recovery-4-50.pth.tar (mid-epoch 4, no metric); `args` an argparse.Namespace |
| imagenet_example | pytorch/examples ImageNet style: checkpoint.pth.tar (epoch 5 = next epoch, `best_acc1` a 0-d tensor, StepLR scheduler) and model_best.pth.tar (a copy) |
| torchscript/model_scripted.pt | torch.jit.save of a scripted module (`constants.pkl`, `code/`): TorchScript, not a training checkpoint |
| quantized/model_int8.pth | eager-mode quantized state dict: qint8 weights (`_rebuild_qtensor`), packed Linear params in a tuple |
| legacy_t7/checkpoint/ckpt.t7 | kuangliu/pytorch-cifar `{net, acc, epoch}` in the legacy (pre-1.6) format with a `.t7` name |
| generic_plain | plain scripts: `{model, optimizer, iteration}`, a bare state dict named epoch_5.pth, `{net, best_loss}` with a 0-d tensor at the root |
| accelerate/project/checkpoints | Accelerate `save_state` with automatic_checkpoint_naming (`scripts/fixtures_folders.py`): checkpoint_0 and checkpoint_1 (save numbers, not steps; scheduler last_epoch 10 and 20), random_states_0.pkl with the accumulation `step`, a registered ReduceLROnPlateau in custom_checkpoint_0.pkl, scaler.pt |
| accelerate/diffusers/checkpoint-200 | diffusers-style folder: global step 200 from the name, the weights in `unet/` (save hook), no top-level model file |
| kohya/run | kohya sd-scripts `run-000002-state` (train_state.json consistent with the optimizer's 20 steps) and `run-000004-state` (current_step 20 after a resume while the optimizer counts 40: kohya_ss #2771) |
| deepspeed/ds_output | DeepSpeed: `latest` -> global_step300, a second tag global_step200, ZeRO-2 shards for 2 ranks, zero_to_fp32.py |
| deepspeed/ds_broken_latest, ds_latest_only | `latest` naming a missing tag (global_step400; rank 1's shard also missing), and `latest` with no tag folder |
| deepspeed/renamed, hf_with_deepspeed | a renamed mp_rank_00_model_states.pt (matched by `ds_version`); an HF Trainer checkpoint-300 holding DeepSpeed's latest and global_step300/ |
| dcp/pytorch_model_fsdp_0 | torch.distributed.checkpoint: `.metadata` (stand-ins of torch 2.x's Metadata classes), two `.distcp` files, `model.0.weight` split by rows, `step`/`epoch` as torch.save blobs |
| health/nan_checkpoint, nan_checkpoint_legacy | tensor health (`scripts/fixtures_health.py`), zip and legacy: NaN in model.0.weight and extras.half, all-zero model.2.bias, a negative Adam exp_avg_sq (state 1), state 2's moments transposed against model.2.weight, float64/16/bfloat16/int64 extras, a transposed view, an offset slice, a strided view (skipped); expected.json = numpy's counts, min, max, mean, RMS |
| health/safetensors_model | model.safetensors with F32, F16, BF16, F8_E4M3, F8_E5M2 (bytes chosen by hand, decoded by the OCP OFP8 rules) and I64 tensors; numpy's statistics |
| health/diff_* | checkpoint diff: diff_same_weights (identical model and optimizer, epoch 1 step 40 vs epoch 2 step 0), diff_one_layer / _legacy / _safetensors (b changes only 2.weight), diff_frozen_run ckpt_1..3 (layer 0 never changes); expected.json names the changed / frozen tensors |
| bad/ | broken inputs made from enstack/last_checkpoint/training_state.pth: empty, truncated_half, truncated_tail_64, html_error_page (Google Drive quota page), bitflip_in_pickle (key string bit flipped: only the CRC-32 shows it, torch 1.13 loads it), bitflip_opcode_in_pickle (opcode byte flipped), lfs_pointer (Git LFS pointer), malicious_os_system (posix.system REDUCE next to epoch 1 / step 5), protocol6 (PROTO 6), protocol0_with_tensors (real torch.save(pickle_protocol=0): torch.load itself fails). `bad/expected.json` says what each must produce; `_torch_load_1_13` records what real torch.load raised |
| hostile/ | hostile pickles built from raw opcodes; `hostile/expected.json` lists the globals each must flag. NEVER load these with Python |

`bad/malicious_os_system.pth` and everything in `hostile/` would run a shell command (an `echo`) if
unpickled. The script never unpickles them; it only decodes their opcodes with `pickletools.genops`.

Large-file mode (writes nothing here): `/usr/bin/python3 scripts/make_fixtures.py --large /tmp/big.pth
--megabytes 200` writes one EnStack-style training_state.pth of about that size and prints one JSON
line with its expected values.
"""


# ----------------------------------------------------------------------------- large mode


def write_large(path: Path, megabytes: float, verify: bool = True) -> Dict[str, Any]:
    """Write one EnStack-style training_state.pth of about ``megabytes`` MB to ``path``.

    The AdamW state is built directly (no training): 4 square Linear layers sized so that
    exp_avg + exp_avg_sq (8 bytes per parameter) total the requested size; epoch 1, step
    1000, total_batches 1270, numpy float64 metrics. Returns the expected values (read back
    with torch.load when ``verify``; the in-memory state is freed first to keep memory ~N MB).
    """
    layers = 4
    params_wanted = megabytes * 1024 * 1024 / 8
    hidden = max(8, int(math.sqrt(params_wanted / layers)))
    gen = torch.Generator().manual_seed(1234)
    epoch, step, total = 1, 1000, 1270
    opt_steps = float(expected_optimizer_steps(epoch, step, total) or 0)
    state: Dict[int, Dict[str, torch.Tensor]] = {}
    idx = 0
    for _ in range(layers):
        for shape in ((hidden, hidden), (hidden,)):
            exp_avg = torch.randn(shape, generator=gen).mul_(1e-3)
            exp_avg_sq = torch.empty(shape).normal_(generator=gen).square_().mul_(1e-6)
            state[idx] = {"step": torch.tensor(opt_steps), "exp_avg": exp_avg, "exp_avg_sq": exp_avg_sq}
            idx += 1
    lr = BASE_LR * linear_warmup_lambda(total * 5, total * 5 // 10)(int(opt_steps))
    groups = [{"lr": lr, "betas": (0.9, 0.999),
               "eps": 1e-08, "weight_decay": 0.01, "amsgrad": False, "foreach": None, "maximize": False,
               "capturable": False, "initial_lr": BASE_LR, "params": list(range(idx))}]
    ckpt = {
        "optimizer_state_dict": {"state": state, "param_groups": groups},
        "best_val_f1": np.float64(0.6121),
        "best_val_acc": np.float64(0.7233),
        "epoch": epoch,
        "step": step,
        "total_batches": total,
        "scheduler_state_dict": {"base_lrs": [BASE_LR], "last_epoch": int(opt_steps), "verbose": False,
                                 "_step_count": int(opt_steps) + 1, "_get_lr_called_within_step": False,
                                 "_last_lr": [groups[0]["lr"]], "lr_lambdas": [None]},
        "scaler_state_dict": scaler_state(int(opt_steps) % 2000),
    }
    torch_save(ckpt, path)
    del ckpt, state
    n_elems = layers * (hidden * hidden + hidden)
    result: Dict[str, Any] = {"path": str(path), "bytes": path.stat().st_size, "kind": "enstack"}
    if verify:
        back = torch_load(path)
        total_b = int(back.get("total_batches", 0))
        result.update({
            "epoch": int(back["epoch"]), "step": int(back["step"]), "total_batches": total_b,
            **decide(int(back["epoch"]), int(back["step"]), total_b),
            "best_val_f1": float(back["best_val_f1"]), "best_val_acc": float(back["best_val_acc"]),
            "optimizer_steps": max_optimizer_step(back["optimizer_state_dict"]),
            "optimizer_param_states": len(back["optimizer_state_dict"]["state"]),
            "optimizer_state_elements": int(sum(t.numel() for s in back["optimizer_state_dict"]["state"].values()
                                                for k, t in s.items() if k != "step")),
            "model_parameters": None,
            "scheduler_last_epoch": back["scheduler_state_dict"]["last_epoch"],
            "scaler_scale": back["scaler_state_dict"]["scale"],
            **container_info(path),
        })
        del back
    else:
        result.update({"epoch": epoch, "step": step, "total_batches": total, **decide(epoch, step, total),
                       "optimizer_steps": opt_steps, "optimizer_param_states": layers * 2,
                       "optimizer_state_elements": 2 * n_elems, "model_parameters": None})
    return result


# --------------------------------------------------------------------------------- main


def self_test() -> None:
    """Check the hand-written codecs against known vectors before writing anything."""
    assert crc32c(b"123456789") == 0xE3069283
    assert pb_varint(300) == b"\xac\x02"


def build_tutorial(out: Path) -> Dict[str, Any]:
    """The PyTorch tutorial layout ("Saving and loading a general checkpoint"): epoch, model and
    optimizer state dicts and the loss, no step; expected.json from torch.load."""
    folder = out / "tutorial"
    folder.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(7)
    model = make_model(7)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.randn(4, 8)
    for _ in range(3):
        optimizer.zero_grad()
        model(x).pow(2).mean().backward()
        optimizer.step()
    path = folder / "checkpoint.pt"
    torch_save({"epoch": 7, "model_state_dict": model.state_dict(), "optimizer_state_dict": optimizer.state_dict(), "loss": 0.25}, path)
    back = torch_load(path)
    expected = {
        "kind": "generic",
        "epoch": back["epoch"],
        "loss": back["loss"],
        "model_tensors": len(back["model_state_dict"]),
        "model_parameters": int(sum(t.numel() for t in back["model_state_dict"].values())),
        "optimizer_param_states": len(back["optimizer_state_dict"]["state"]),
    }
    write_json(folder / "checkpoint.pt.expected.json", expected)
    return expected


def build_all(out: Path) -> Dict[str, Any]:
    """Remove the folders this script owns under ``out`` and write every fixture again."""
    out.mkdir(parents=True, exist_ok=True)
    for name in OWNED:
        p = out / name
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()
    summary: Dict[str, Any] = {}
    summary["enstack"] = build_enstack(out)
    summary.update(build_variants(out))
    summary["enstack_run"] = build_enstack_run(out)
    summary["hf_trainer"] = build_hf_trainer(out)
    summary["lightning"] = build_lightning(out)
    summary["tutorial"] = build_tutorial(out)
    summary.update(__import__("fixtures_research").build_research(out))  # mmengine, mmcv, fairseq, torchtune
    summary.update(__import__("fixtures_files").build_files(out))  # ultralytics, yolov5, timm, imagenet_example, torchscript, quantized, legacy_t7, generic_plain
    summary.update(__import__("fixtures_folders").build_folders(out))  # accelerate, kohya, deepspeed, dcp
    summary.update(__import__("fixtures_health").build_health(out))  # health (tensor health and diff, issue 17)
    summary["bad"] = build_bad(out, out / "enstack" / "last_checkpoint" / "training_state.pth")
    summary["hostile"] = build_hostile(out, out / "torch_legacy_format" / "last_checkpoint" / "training_state.pth")
    (out / "README.md").write_text(README, encoding="utf-8")
    return summary


def main(argv: Optional[List[str]] = None) -> int:
    """Command line entry: write fixtures/, or one large checkpoint with ``--large``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="fixtures folder (default: repo fixtures/)")
    parser.add_argument("--large", type=Path, help="write one large EnStack training_state.pth here and exit")
    parser.add_argument("--megabytes", type=float, default=200.0, help="approximate size for --large (MB)")
    parser.add_argument("--no-verify", action="store_true", help="--large: skip reading the file back")
    parser.add_argument("--quiet", action="store_true", help="do not print the per-fixture summary")
    args = parser.parse_args(argv)
    self_test()
    torch.set_num_threads(1)
    started = time.time()
    if args.large:
        print(json.dumps(write_large(args.large, args.megabytes, verify=not args.no_verify)))
        return 0
    summary = build_all(args.out)
    if not args.quiet:
        for name, value in summary.items():
            if name in ("bad", "hostile"):
                print(f"{name}: {len(value)} entries")
                continue
            if isinstance(value, dict) and "kind" in value:
                value = {"": value}
            for sub, exp in value.items():
                if isinstance(exp, dict) and "epoch" in exp:
                    print(f"{name}/{sub}".rstrip("/"), json.dumps({k: exp.get(k) for k in (
                        "epoch", "step", "total_batches", "global_step", "resume", "optimizer_steps")}))
        print(f"wrote {args.out} in {time.time() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
