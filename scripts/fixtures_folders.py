#!/usr/bin/python3
"""Folder-layout trainer fixtures: Accelerate ``save_state``, diffusers, kohya, DeepSpeed, DCP.

Written with real torch (Debian ``python3-torch`` 1.13) in the exact layouts and file names
the trainers write; none of accelerate, diffusers, deepspeed or torch.distributed.checkpoint
is installed or imported. Sources mimicked:

- accelerate ``checkpointing.py`` ``save_accelerator_state`` / ``save_custom_state`` and
  ``utils/constants.py`` (``model.safetensors``, ``optimizer.bin``, ``scheduler.bin``,
  ``scaler.pt``, ``random_states_{rank}.pkl``, ``custom_checkpoint_{i}.pkl``);
  ``ProjectConfiguration(automatic_checkpoint_naming=True)`` -> ``checkpoints/checkpoint_{i}``;
- diffusers ``examples/text_to_image/train_text_to_image.py``: ``checkpoint-{global_step}``
  with the save hook writing ``unet/`` (``save_pretrained``) instead of the weights;
- kohya sd-scripts ``train_network.py``: ``{output_name}-{epoch:06d}-state`` folders with
  ``train_state.json`` {current_epoch, current_step};
- DeepSpeed ``runtime/engine.py`` ``_save_checkpoint`` / ``_save_zero_checkpoint``: ``latest``,
  ``global_step{N}/mp_rank_00_model_states.pt``, ``zero_pp_rank_{r}_mp_rank_00_optim_states.pt``;
- ``torch/distributed/checkpoint`` (torch 2.x) ``metadata.py`` / ``filesystem.py`` /
  ``default_planner.py``: ``.metadata`` (plain ``pickle.dump`` of ``Metadata``) and
  ``__{rank}_{n}.distcp`` (each item a ``torch.save`` blob at a recorded offset). torch 1.13 has
  no ``torch.distributed.checkpoint``, so stand-in dataclasses with the exact module and class
  names are registered in ``sys.modules``.

Every ``expected.json`` holds values read back with ``torch.load`` / ``pickle.load``.
Run: ``/usr/bin/python3 scripts/fixtures_folders.py`` (or through ``make_fixtures.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_fixtures as mf  # noqa: E402  (re-execs under /usr/bin/python3 when needed)

import dataclasses  # noqa: E402
import enum  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import pickle  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import types  # noqa: E402
from collections import OrderedDict  # noqa: E402
from typing import Any, Dict, List, Optional  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

#: Top folders under fixtures/ this script owns.
FOLDERS = ["accelerate", "kohya", "deepspeed", "dcp"]


def _trained(seed: int, steps: int, sizes=(8, 4, 2)):
    """A tiny model, AdamW and a LambdaLR stepped ``steps`` times (real optimizer state)."""
    model = mf.make_model(seed, sizes)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 1.0 - s / 1000.0)
    mf.train_briefly(model, opt, sched, steps, seed)
    return model, opt, sched


def _random_states(step: Optional[int], seed: int) -> Dict[str, Any]:
    """accelerate ``save_accelerator_state``'s RNG dict (CPU run: no ``torch_cuda_manual_seed``)."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    states: Dict[str, Any] = {}
    if step is not None:
        states["step"] = step
    states["random_state"] = random.getstate()
    states["numpy_random_seed"] = np.random.get_state()
    states["torch_manual_seed"] = torch.get_rng_state()
    return states


def _max_adam_step(opt_state: Dict[str, Any]) -> int:
    """Largest per-parameter ``step`` of an optimizer state dict as torch.load returns it."""
    return int(max(float(s["step"]) for s in opt_state["state"].values()))


def _write_accelerate_files(folder: Path, model, opt, sched, rng_step: Optional[int], seed: int,
                            weights: bool = True, custom: Optional[Dict[str, Any]] = None,
                            scaler: Optional[Dict[str, Any]] = None) -> None:
    """The files ``save_accelerator_state`` (+ ``save_custom_state``) writes for one process."""
    folder.mkdir(parents=True, exist_ok=True)
    if weights:
        mf.write_safetensors(folder / "model.safetensors", OrderedDict(model.state_dict()))
    mf.torch_save(opt.state_dict(), folder / "optimizer.bin")
    mf.torch_save(sched.state_dict(), folder / "scheduler.bin")
    if scaler is not None:
        mf.torch_save(scaler, folder / "scaler.pt")
    mf.torch_save(_random_states(rng_step, seed), folder / "random_states_0.pkl")
    if custom is not None:
        mf.torch_save(custom, folder / "custom_checkpoint_0.pkl")


def _accelerate_expected(folder: Path) -> Dict[str, Any]:
    """What torch.load returns from an Accelerate folder's files (the test's answers)."""
    out: Dict[str, Any] = {"kind": "accelerate"}
    rs = mf.torch_load(folder / "random_states_0.pkl", weights_only=False)
    out["random_states_keys"] = list(rs.keys())
    out["random_states_step"] = rs.get("step")
    if (folder / "scheduler.bin").exists():
        out["scheduler_last_epoch"] = mf.torch_load(folder / "scheduler.bin")["last_epoch"]
    if (folder / "optimizer.bin").exists():
        opt = mf.torch_load(folder / "optimizer.bin")
        out["optimizer_steps"] = _max_adam_step(opt)
        out["optimizer_param_states"] = len(opt["state"])
    if (folder / "custom_checkpoint_0.pkl").exists():
        cs = mf.torch_load(folder / "custom_checkpoint_0.pkl")
        out["custom_checkpoint_keys"] = list(cs.keys())
        out["custom_checkpoint_last_epoch"] = cs["last_epoch"]
    if (folder / "scaler.pt").exists():
        out["scaler_scale"] = mf.torch_load(folder / "scaler.pt")["scale"]
    weights = sorted(p for p in folder.rglob("*.safetensors"))
    if weights:
        arrays = mf.read_safetensors(weights[0])
        out["model_file"] = weights[0].relative_to(folder.parent).as_posix()
        out["model_parameters"] = int(sum(a.size for a in arrays.values()))
    out["files"] = sorted(p.relative_to(folder.parent).as_posix() for p in folder.rglob("*") if p.is_file())
    return out


def build_accelerate(out: Path) -> Dict[str, Any]:
    """``accelerate/project/checkpoints/checkpoint_{0,1}`` (automatic naming) and ``accelerate/diffusers/checkpoint-200``."""
    root = out / "accelerate"
    summary: Dict[str, Any] = {}
    plateau = None
    for i, steps in enumerate((10, 20)):
        model, opt, sched = _trained(40, steps)
        # a registered object (accelerator.register_for_checkpointing): ReduceLROnPlateau
        plateau_opt = torch.optim.SGD(model.parameters(), lr=0.1)
        plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(plateau_opt, patience=2)
        for loss in [1.0, 0.9, 0.95, 0.97][: i + 2]:
            plateau.step(loss)
        folder = root / "project" / "checkpoints" / f"checkpoint_{i}"
        _write_accelerate_files(folder, model, opt, sched, rng_step=i * 3, seed=40 + i,
                                custom=plateau.state_dict(),
                                scaler=mf.scaler_state(growth_tracker=5) if i == 1 else None)
        exp = _accelerate_expected(folder)
        exp["save_index"] = i
        mf.write_json(folder.parent.parent / f"checkpoint_{i}.expected.json", exp)
        summary[f"checkpoint_{i}"] = exp
    # diffusers: the save hook pops the model from the weights and writes unet/ with save_pretrained
    unet, opt, sched = _trained(41, 200, sizes=(6, 5, 3))
    folder = root / "diffusers" / "checkpoint-200"
    _write_accelerate_files(folder, unet, opt, sched, rng_step=7, seed=41, weights=False)
    (folder / "unet").mkdir(parents=True, exist_ok=True)
    mf.write_safetensors(folder / "unet" / "diffusion_pytorch_model.safetensors", OrderedDict(unet.state_dict()))
    mf.write_json(folder / "unet" / "config.json", {"_class_name": "UNet2DConditionModel", "_diffusers_version": "0.27.2", "sample_size": 8})
    exp = _accelerate_expected(folder)
    exp["global_step"] = 200
    mf.write_json(root / "diffusers" / "expected.json", exp)
    summary["checkpoint-200"] = exp
    return summary


def build_kohya(out: Path) -> Dict[str, Any]:
    """kohya ``run-000002-state`` (consistent) and ``run-000004-state`` (current_step restarted: kohya_ss #2771).

    10 optimizer steps per epoch. Epochs 1-2 trained, state saved (current_step 20). Resumed
    without ``--skip_until_initial_step``: global_step restarts at 0, epochs 3-4 trained (20
    steps), state saved with current_epoch 4 but current_step 20, while AdamW (restored) counts 40.
    """
    root = out / "kohya" / "run"
    summary: Dict[str, Any] = {}
    lora, opt, sched = _trained(50, 20, sizes=(4, 2, 4))
    specs = [("run-000002-state", 2, 20, 20), ("run-000004-state", 4, 20, 40)]
    for name, epoch, current_step, total in specs:
        if total > _max_adam_step(opt.state_dict()):
            mf.train_briefly(lora, opt, sched, total - _max_adam_step(opt.state_dict()), 51)
        folder = root / name
        _write_accelerate_files(folder, lora, opt, sched, rng_step=0, seed=50)
        mf.write_json(folder / "train_state.json", {"current_epoch": epoch, "current_step": current_step}, sort_keys=False)
        exp = _accelerate_expected(folder)
        exp["kind"] = "kohya"
        exp["train_state"] = json.loads((folder / "train_state.json").read_text())
        mf.write_json(root.parent / f"{name}.expected.json", exp)
        summary[name] = exp
    return summary


# ---------------------------------------------------------------- DeepSpeed


def _ds_model_states(model, sched, global_steps: int, dp: int, epoch: int) -> Dict[str, Any]:
    """``DeepSpeedEngine._save_checkpoint``'s dict (ZeRO-2: optimizer None) plus a client_state ``epoch``."""
    sd = model.state_dict()
    return {
        "module": sd,
        "buffer_names": [],
        "optimizer": None,
        "param_shapes": [OrderedDict((k, v.shape) for k, v in sd.items())],
        "frozen_param_shapes": None,
        "shared_params": {},
        "frozen_param_fragments": None,
        "lr_scheduler": sched.state_dict(),
        "data_sampler": None,
        "random_ltd": None,
        "sparse_tensor_module_names": set(),
        "skipped_steps": 0,
        "global_steps": global_steps,
        "global_samples": global_steps * 8 * dp,
        "dp_world_size": dp,
        "mp_world_size": 1,
        "ds_config": {"train_micro_batch_size_per_gpu": 8, "zero_optimization": {"stage": 2}},
        "ds_version": "0.14.4",
        "epoch": epoch,
    }


def _ds_optim_states(opt, rank: int, dp: int) -> Dict[str, Any]:
    """``_save_zero_checkpoint``'s dict for one data-parallel rank (ZeRO-2 fields, trimmed)."""
    flat = torch.cat([p.detach().flatten() for p in opt.param_groups[0]["params"]])
    part = flat.chunk(dp)[rank].clone()
    return {
        "optimizer_state_dict": {
            "zero_stage": 2,
            "dynamic_loss_scale": False,
            "overflow": False,
            "clip_grad": 1.0,
            "base_optimizer_state": {"state": {0: {"step": torch.tensor(float(opt.state_dict()["state"][0]["step"])), "exp_avg": torch.zeros_like(part), "exp_avg_sq": torch.zeros_like(part)}}, "param_groups": [{"lr": 1e-3, "params": [0]}]},
            "single_partition_of_fp32_groups": [part],
            "partition_count": [dp],
            "ds_version": "0.14.4",
        },
        "ds_config": {"train_micro_batch_size_per_gpu": 8, "zero_optimization": {"stage": 2}},
        "ds_version": "0.14.4",
    }


def _ds_tag(folder: Path, steps: int, epoch: int, ranks: List[int], dp: int = 2) -> None:
    """One tag folder ``global_step{steps}`` with its model states and the listed rank shards."""
    model, opt, sched = _trained(60, 4)
    # a few real updates, then the counters put where `steps` updates leave them
    mf.set_optimizer_steps(opt, steps)
    mf.set_scheduler_position(sched, steps)
    tag = folder / f"global_step{steps}"
    mf.torch_save(_ds_model_states(model, sched, steps, dp, epoch), tag / "mp_rank_00_model_states.pt")
    for r in ranks:
        mf.torch_save(_ds_optim_states(opt, r, dp), tag / f"zero_pp_rank_{r}_mp_rank_00_optim_states.pt")


ZERO_TO_FP32 = "#!/usr/bin/env python\n# zero_to_fp32.py: stand-in for the script DeepSpeed copies beside its checkpoints (_copy_recovery_script)\n"


def _ds_expected(tag: Path) -> Dict[str, Any]:
    """What torch.load returns from a tag folder."""
    ms = mf.torch_load(tag / "mp_rank_00_model_states.pt", weights_only=False)
    shards = sorted(p.name for p in tag.glob("*zero_pp_rank_*_optim_states.pt"))
    return {
        "kind": "deepspeed",
        "tag": tag.name,
        "global_steps": ms["global_steps"],
        "global_samples": ms["global_samples"],
        "skipped_steps": ms["skipped_steps"],
        "dp_world_size": ms["dp_world_size"],
        "ds_version": ms["ds_version"],
        "client_epoch": ms["epoch"],
        "model_parameters": int(sum(v.numel() for v in ms["module"].values())),
        "scheduler_last_epoch": ms["lr_scheduler"]["last_epoch"],
        "optim_shards": shards,
        "optimizer_steps": _max_adam_step(mf.torch_load(tag / shards[0], weights_only=False)["optimizer_state_dict"]["base_optimizer_state"]) if shards else None,
    }


def build_deepspeed(out: Path) -> Dict[str, Any]:
    """``ds_output`` (latest -> global_step300, plus global_step200), ``ds_broken_latest``, a renamed lone file, an HF Trainer folder with DeepSpeed inside."""
    root = out / "deepspeed"
    summary: Dict[str, Any] = {}
    good = root / "ds_output"
    _ds_tag(good, 200, 2, [0, 1])
    _ds_tag(good, 300, 3, [0, 1])
    (good / "latest").write_text("global_step300")
    (good / "zero_to_fp32.py").write_text(ZERO_TO_FP32)
    summary["ds_output"] = {t: _ds_expected(good / t) for t in ("global_step200", "global_step300")}
    summary["ds_output"]["latest"] = (good / "latest").read_text()
    mf.write_json(root / "ds_output.expected.json", summary["ds_output"])
    broken = root / "ds_broken_latest"
    _ds_tag(broken, 300, 3, [0])  # rank 1's optimizer shard is missing too
    (broken / "latest").write_text("global_step400")
    summary["ds_broken_latest"] = {"global_step300": _ds_expected(broken / "global_step300"), "latest": (broken / "latest").read_text()}
    mf.write_json(root / "ds_broken_latest.expected.json", summary["ds_broken_latest"])
    only = root / "ds_latest_only"  # the tag folders were deleted (or never copied)
    only.mkdir(parents=True, exist_ok=True)
    (only / "latest").write_text("global_step100")
    (only / "zero_to_fp32.py").write_text(ZERO_TO_FP32)
    summary["ds_latest_only"] = {"latest": (only / "latest").read_text()}
    mf.write_json(root / "ds_latest_only.expected.json", summary["ds_latest_only"])
    lone = root / "renamed"
    lone.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(good / "global_step300" / "mp_rank_00_model_states.pt", lone / "ds_states_copy.pt")
    exp = _ds_expected(good / "global_step300")
    exp["tag"] = None
    exp["optim_shards"] = []
    exp["optimizer_steps"] = None
    mf.write_json(root / "renamed.expected.json", exp)
    summary["renamed"] = exp
    # HF Trainer + DeepSpeed: checkpoint-300/ holds trainer_state.json, latest, global_step300/
    hf = root / "hf_with_deepspeed" / "checkpoint-300"
    _ds_tag(hf, 300, 3, [0, 1])
    (hf / "latest").write_text("global_step300")
    (hf / "zero_to_fp32.py").write_text(ZERO_TO_FP32)
    model, _, _ = _trained(60, 6)
    mf.write_safetensors(hf / "model.safetensors", OrderedDict(model.state_dict()))
    mf.write_json(hf / "trainer_state.json", {"global_step": 300, "epoch": 3.0, "max_steps": 1000, "num_train_epochs": 10, "log_history": [], "best_metric": None, "train_batch_size": 8, "save_steps": 100, "logging_steps": 50, "eval_steps": None})
    mf.write_json(root / "hf_with_deepspeed.expected.json", {"kind": "hf-trainer", "checkpoints": 1, "files": sorted(p.relative_to(hf.parent).as_posix() for p in hf.rglob("*") if p.is_file())})
    return summary


# ---------------------------------------------------------------- DCP


def _install_fake_dcp() -> Dict[str, Any]:
    """Stand-ins for ``torch.distributed.checkpoint.metadata`` / ``.filesystem`` (torch 2.x field names)."""
    pkg = types.ModuleType("torch.distributed.checkpoint")
    meta = types.ModuleType("torch.distributed.checkpoint.metadata")
    fs = types.ModuleType("torch.distributed.checkpoint.filesystem")
    pkg.__path__ = []  # type: ignore[attr-defined]

    class _MEM_FORMAT_ENCODING(enum.Enum):
        TORCH_CONTIGUOUS_FORMAT = 0
        TORCH_CHANNELS_LAST = 1
        TORCH_PRESERVE_FORMAT = 2

    @dataclasses.dataclass
    class ChunkStorageMetadata:
        offsets: torch.Size
        sizes: torch.Size

    @dataclasses.dataclass
    class TensorProperties:
        dtype: torch.dtype = dataclasses.field(default_factory=torch.get_default_dtype)
        layout: torch.layout = torch.strided
        requires_grad: bool = False
        memory_format: torch.memory_format = torch.contiguous_format
        pin_memory: bool = False

        def __getstate__(self):
            return (self.dtype, self.layout, self.requires_grad, _MEM_FORMAT_ENCODING.TORCH_CONTIGUOUS_FORMAT, self.pin_memory)

        def __setstate__(self, state):
            self.dtype, self.layout, self.requires_grad, _, self.pin_memory = state
            self.memory_format = torch.contiguous_format

    @dataclasses.dataclass
    class TensorStorageMetadata:
        properties: Any
        size: torch.Size
        chunks: List[Any]

    @dataclasses.dataclass
    class BytesStorageMetadata:
        pass

    @dataclasses.dataclass
    class StorageMeta:
        checkpoint_id: Any = None
        save_id: Optional[str] = None
        load_id: Optional[str] = None
        modules: List[str] = dataclasses.field(default_factory=list)

    @dataclasses.dataclass
    class Metadata:
        state_dict_metadata: Dict[str, Any]
        planner_data: Any = None
        storage_data: Any = None
        storage_meta: Any = None
        version: Optional[str] = None

    @dataclasses.dataclass(frozen=True)
    class MetadataIndex:
        fqn: str
        offset: Optional[torch.Size] = None
        index: Optional[int] = dataclasses.field(hash=False, compare=False, default=None)

    @dataclasses.dataclass
    class _StorageInfo:
        relative_path: str
        offset: int
        length: int
        transform_descriptors: Optional[Any] = None

    for cls in (_MEM_FORMAT_ENCODING, ChunkStorageMetadata, TensorProperties, TensorStorageMetadata, BytesStorageMetadata, StorageMeta, Metadata, MetadataIndex):
        cls.__module__ = meta.__name__
        cls.__qualname__ = cls.__name__
        setattr(meta, cls.__name__, cls)
    _StorageInfo.__module__ = fs.__name__
    _StorageInfo.__qualname__ = "_StorageInfo"
    fs._StorageInfo = _StorageInfo  # type: ignore[attr-defined]
    sys.modules[pkg.__name__] = pkg
    sys.modules[meta.__name__] = meta
    sys.modules[fs.__name__] = fs
    return {**{n: getattr(meta, n) for n in dir(meta) if not n.startswith("__")}, "_StorageInfo": _StorageInfo}


def build_dcp(out: Path) -> Dict[str, Any]:
    """``dcp/pytorch_model_fsdp_0``: two ranks, ``model.0.weight`` split by rows, plus ``step``/``epoch`` objects."""
    c = _install_fake_dcp()
    folder = out / "dcp" / "pytorch_model_fsdp_0"
    folder.mkdir(parents=True, exist_ok=True)
    model = mf.make_model(70)
    sd = {f"model.{k}": v.detach().clone() for k, v in model.state_dict().items()}
    objects = {"step": 120, "epoch": 3}
    files: Dict[str, io.BytesIO] = {"__0_0.distcp": io.BytesIO(), "__1_0.distcp": io.BytesIO()}
    sdm: Dict[str, Any] = {}
    storage: Dict[Any, Any] = {}

    def put(fname: str, obj: Any, index: Any) -> None:
        buf = files[fname]
        start = buf.tell()
        blob = io.BytesIO()
        torch.save(obj, blob)
        buf.write(blob.getvalue())
        storage[index] = c["_StorageInfo"](fname, start, buf.tell() - start)

    for fqn, t in sd.items():
        props = c["TensorProperties"](dtype=t.dtype)
        if fqn == "model.0.weight":
            halves = t.chunk(2, dim=0)
            chunks = []
            row = 0
            for rank, h in enumerate(halves):
                off = torch.Size([row, 0])
                chunks.append(c["ChunkStorageMetadata"](off, h.shape))
                put(f"__{rank}_0.distcp", h.clone(), c["MetadataIndex"](fqn, off, rank))
                row += h.shape[0]
        else:
            off = torch.Size([0] * t.dim())
            chunks = [c["ChunkStorageMetadata"](off, t.shape)]
            put("__0_0.distcp", t, c["MetadataIndex"](fqn, off, 0))
        sdm[fqn] = c["TensorStorageMetadata"](props, t.shape, chunks)
    for fqn, v in objects.items():
        sdm[fqn] = c["BytesStorageMetadata"]()
        put("__0_0.distcp", v, c["MetadataIndex"](fqn))
    md = c["Metadata"](sdm, planner_data={k: (k,) for k in list(sd) + list(objects)}, storage_data=storage,
                       storage_meta=c["StorageMeta"](checkpoint_id=None, save_id="fixture-save", load_id=None, modules=[]), version="1.0.0")
    with open(folder / ".metadata", "wb") as fh:
        pickle.dump(md, fh)
    for name, buf in files.items():
        (folder / name).write_bytes(buf.getvalue())
    # read back: .metadata with pickle, each blob with torch.load at its offset
    with open(folder / ".metadata", "rb") as fh:
        back = pickle.load(fh)
    tensors = {k: list(v.size) for k, v in back.state_dict_metadata.items() if isinstance(v, c["TensorStorageMetadata"])}
    values = {}
    for idx, info in back.storage_data.items():
        if idx.fqn in objects:
            raw = (folder / info.relative_path).read_bytes()[info.offset: info.offset + info.length]
            values[idx.fqn] = torch.load(io.BytesIO(raw))
    exp = {
        "kind": "dcp",
        "shards": sorted(files),
        "total_bytes": sum((folder / n).stat().st_size for n in files) + (folder / ".metadata").stat().st_size,
        "tensors": tensors,
        "parameters": int(sum(int(torch.Size(s).numel()) for s in tensors.values())),
        "objects": values,
        "version": back.version,
    }
    mf.write_json(out / "dcp" / "expected.json", exp)
    for n in ("torch.distributed.checkpoint.filesystem", "torch.distributed.checkpoint.metadata", "torch.distributed.checkpoint"):
        sys.modules.pop(n, None)
    return exp


def build_folders(out: Path) -> Dict[str, Any]:
    """Write every fixture of this group under ``out`` (removing this group's old folders first)."""
    for name in FOLDERS:
        if (out / name).is_dir():
            shutil.rmtree(out / name)
    return {
        "accelerate": build_accelerate(out),
        "kohya": build_kohya(out),
        "deepspeed": build_deepspeed(out),
        "dcp": build_dcp(out),
    }


if __name__ == "__main__":
    torch.set_num_threads(1)
    print(json.dumps(build_folders(mf.DEFAULT_OUT), indent=1, default=str)[:3000])
