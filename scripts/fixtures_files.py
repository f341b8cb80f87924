#!/usr/bin/python3
"""Single-file trainer fixtures: Ultralytics v8/11, YOLOv5, timm, the ImageNet example,
TorchScript, eager-mode quantization, a legacy ``.t7`` and plain scripts (generic fallback).

Written with real torch (Debian ``python3-torch`` 1.13); neither ``ultralytics``, ``yolov5`` nor
``timm`` is installed or imported. Where a trainer pickles its own classes, stand-in classes
with the exact module and class names are registered in ``sys.modules`` (pickle records a class
by module + qualname, so the bytes name the same globals as the real files). Sources mimicked:

- ``ultralytics/engine/trainer.py:BaseTrainer.save_model`` (keys, EMA in half precision, the
  optimizer state converted to FP16 except ``step``, ``train_results`` = results.csv as a dict of
  lists, written through an ``io.BytesIO`` so the zip's top folder is ``archive/``) and
  ``ultralytics/utils/torch_utils.py:strip_optimizer`` (``ema`` -> ``model``, ``optimizer`` /
  ``best_fitness`` / ``ema`` / ``updates`` = None, ``epoch`` = -1);
- YOLOv5 ``train.py`` (``epoch``, ``best_fitness`` = the 1-element numpy array ``fitness()``
  returns, ``model``/``ema`` half, ``updates``, ``optimizer``, ``opt`` = ``vars(opt)``, ``git``,
  ``date``);
- timm ``timm/utils/checkpoint_saver.py:CheckpointSaver`` (``epoch``, ``arch``, ``state_dict``,
  ``optimizer``, ``version`` 2, ``args`` an ``argparse.Namespace``, ``metric``,
  ``state_dict_ema``; ``recovery-{epoch}-{batch_idx}.pth.tar`` without ``metric``);
- pytorch/examples ``imagenet/main.py`` ``save_checkpoint`` (``epoch`` = loop index + 1,
  ``best_acc1`` a tensor, ``model_best.pth.tar`` a copy);
- ``torch.jit.save`` of a scripted module; ``torch.ao.quantization`` eager static quantization;
- kuangliu/pytorch-cifar ``ckpt.t7`` (legacy format ``{net, acc, epoch}``);
- plain scripts: ``{model, optimizer, iteration}``, a bare state dict named ``epoch_5.pth``, and
  ``{net, best_loss}`` with a 0-d tensor metric at the root.

Every ``expected.json`` holds values read back with ``torch.load`` (``torch.jit.load`` for the
TorchScript file). Run: ``/usr/bin/python3 scripts/fixtures_files.py`` (or through
``make_fixtures.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_fixtures as mf  # noqa: E402  (re-execs under /usr/bin/python3 when needed)

import argparse  # noqa: E402
import copy  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import types  # noqa: E402
import zipfile  # noqa: E402
from typing import Any, Dict, List, Tuple  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

#: Top folders under fixtures/ this script owns.
FOLDERS = ["ultralytics", "yolov5", "timm", "imagenet_example", "torchscript", "quantized", "legacy_t7", "generic_plain"]

#: Fixed ISO date written into the Ultralytics/YOLOv5 files (``datetime.now().isoformat()``).
DATE = "2026-11-30T10:15:00.000000"


def _module(name: str) -> types.ModuleType:
    """A stand-in module registered in ``sys.modules`` (parents created as packages)."""
    parts = name.split(".")
    for i in range(1, len(parts) + 1):
        sub = ".".join(parts[:i])
        if sub not in sys.modules:
            m = types.ModuleType(sub)
            m.__path__ = []  # type: ignore[attr-defined]
            sys.modules[sub] = m
    return sys.modules[name]


def _define(module: str, name: str, cls: type) -> type:
    """Give ``cls`` the module and name of the real class and make pickle find it there."""
    cls.__module__ = module
    cls.__name__ = name
    cls.__qualname__ = name
    setattr(_module(module), name, cls)
    return cls


class _Conv(nn.Module):
    """Conv2d + BatchNorm2d + SiLU, the block both Ultralytics and YOLOv5 call ``Conv``."""

    def __init__(self, c1: int, c2: int) -> None:
        """``c1`` input channels, ``c2`` output channels, 3x3 kernel."""
        super().__init__()
        self.conv = nn.Conv2d(c1, c2, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(c2)
        self.act = nn.SiLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """conv -> bn -> SiLU."""
        return self.act(self.bn(self.conv(x)))


class _DetectionModel(nn.Module):
    """A tiny detector with the attributes the real ``DetectionModel`` pickles (yaml, names, stride)."""

    def __init__(self, conv: type, nc: int = 2) -> None:
        """Two Conv blocks and a 1x1 head predicting ``nc + 5`` channels."""
        super().__init__()
        self.model = nn.Sequential(conv(3, 4), conv(4, 8), nn.Conv2d(8, nc + 5, 1))
        self.yaml = {"nc": nc, "depth_multiple": 0.33, "width_multiple": 0.25}
        self.names = {i: f"class{i}" for i in range(nc)}
        self.stride = torch.tensor([8.0])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The head's output map."""
        return self.model(x)


def _install_fake_ultralytics() -> Tuple[type, type]:
    """``ultralytics.nn.tasks.DetectionModel`` and ``ultralytics.nn.modules.conv.Conv`` stand-ins."""
    conv = _define("ultralytics.nn.modules.conv", "Conv", type("Conv", (_Conv,), {}))
    model = _define("ultralytics.nn.tasks", "DetectionModel", type("DetectionModel", (_DetectionModel,), {}))
    return model, conv


def _install_fake_yolov5() -> Tuple[type, type]:
    """YOLOv5's ``models.yolo.DetectionModel`` and ``models.common.Conv`` stand-ins."""
    conv = _define("models.common", "Conv", type("Conv", (_Conv,), {}))
    model = _define("models.yolo", "DetectionModel", type("DetectionModel", (_DetectionModel,), {}))
    return model, conv


def _yolo_groups(model: nn.Module) -> List[Dict[str, Any]]:
    """Ultralytics/YOLOv5 ``build_optimizer`` groups: pg0 weights (decay), pg1 BN weights, pg2 biases."""
    g_w, g_bn, g_b = [], [], []
    for m in model.modules():
        for name, p in m.named_parameters(recurse=False):
            if name == "bias":
                g_b.append(p)
            elif isinstance(m, nn.BatchNorm2d):
                g_bn.append(p)
            else:
                g_w.append(p)
    return [{"params": g_b, "weight_decay": 0.0}, {"params": g_w, "weight_decay": 5e-4}, {"params": g_bn, "weight_decay": 0.0}]


def _train_epoch(model: nn.Module, ema: nn.Module, opt: torch.optim.Optimizer, gen: torch.Generator, batches: int = 3) -> float:
    """``batches`` real optimizer steps on seeded images plus an EMA update; returns the last loss."""
    loss_v = 0.0
    for _ in range(batches):
        x = torch.randn(2, 3, 8, 8, generator=gen)
        loss = model(x).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.mul_(0.9).add_(pm, alpha=0.1)
        loss_v = float(loss)
    return loss_v


def _fp16_optimizer(sd: Dict[str, Any]) -> Dict[str, Any]:
    """``convert_optimizer_state_dict_to_fp16``: float32 state tensors to half, ``step`` kept."""
    for state in sd["state"].values():
        for k, v in state.items():
            if k != "step" and isinstance(v, torch.Tensor) and v.dtype is torch.float32:
                state[k] = v.half()
    return sd


def _save_via_buffer(obj: Any, path: Path) -> None:
    """``torch.save`` into ``io.BytesIO`` then write the bytes (Ultralytics >= 8.1): top folder ``archive/``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    torch.save(obj, buf)
    path.write_bytes(buf.getvalue())


def _n_params(module: nn.Module) -> int:
    """``sum(p.numel() for p in module.parameters())``."""
    return int(sum(p.numel() for p in module.parameters()))


def build_ultralytics(out: Path) -> Dict[str, Any]:
    """``ultralytics/runs/detect/train/weights``: ``last.pt`` after epoch index 4 of 10 (unstripped)
    and ``best.pt`` (the best epoch, stripped by ``strip_optimizer``: epoch -1)."""
    model_cls, conv = _install_fake_ultralytics()
    torch.manual_seed(11)
    model = model_cls(conv)
    ema = copy.deepcopy(model).eval()
    for p in ema.parameters():
        p.requires_grad_(False)
    opt = torch.optim.AdamW(_yolo_groups(model), lr=0.002, betas=(0.9, 0.999))
    gen = torch.Generator().manual_seed(11)
    train_args = {"task": "detect", "mode": "train", "model": "yolo11n.pt", "data": "coco8.yaml", "epochs": 10, "time": None,
                  "patience": 100, "batch": 2, "imgsz": 64, "save": True, "save_period": -1, "device": "cpu", "optimizer": "auto",
                  "close_mosaic": 2, "resume": False, "amp": True, "lr0": 0.01}
    results: Dict[str, List[float]] = {"epoch": [], "train/box_loss": [], "metrics/mAP50(B)": [], "metrics/mAP50-95(B)": [], "lr/pg0": []}
    best_fitness, best_ckpt = -1.0, None
    folder = out / "ultralytics" / "runs" / "detect" / "train" / "weights"
    ckpt: Dict[str, Any] = {}
    for epoch in range(5):
        loss = _train_epoch(model, ema, opt, gen)
        m50 = round(0.1 + 0.05 * epoch + (0.04 if epoch == 2 else 0.0), 5)
        m5095 = round(m50 * 0.6, 5)
        fitness = round(0.1 * m50 + 0.9 * m5095, 5)
        results["epoch"].append(epoch + 1)
        results["train/box_loss"].append(round(loss, 5))
        results["metrics/mAP50(B)"].append(m50)
        results["metrics/mAP50-95(B)"].append(m5095)
        results["lr/pg0"].append(opt.param_groups[0]["lr"])
        if fitness >= best_fitness:
            best_fitness = fitness
        ckpt = {
            "epoch": epoch, "best_fitness": best_fitness, "model": None, "ema": copy.deepcopy(ema).half(), "updates": 3 * (epoch + 1),
            "optimizer": _fp16_optimizer(copy.deepcopy(opt.state_dict())), "train_args": dict(train_args),
            "train_metrics": {"metrics/mAP50(B)": m50, "metrics/mAP50-95(B)": m5095, "val/box_loss": round(loss * 1.1, 5), "fitness": fitness},
            "train_results": {k: list(v) for k, v in results.items()}, "date": DATE, "version": "8.3.40",
            "license": "AGPL-3.0 License (https://ultralytics.com/license)", "docs": "https://docs.ultralytics.com",
        }
        if fitness == best_fitness:
            best_ckpt = copy.deepcopy(ckpt)
    _save_via_buffer(ckpt, folder / "last.pt")
    # strip_optimizer on best.pt: ema -> model, half, no grad; optimizer/best_fitness/ema/updates None; epoch -1
    assert best_ckpt is not None
    best_ckpt["model"] = best_ckpt["ema"]
    for p in best_ckpt["model"].parameters():
        p.requires_grad = False
    for k in ("optimizer", "best_fitness", "ema", "updates"):
        best_ckpt[k] = None
    best_ckpt["epoch"] = -1
    _save_via_buffer(best_ckpt, folder / "best.pt")
    expected: Dict[str, Any] = {}
    for name in ("last.pt", "best.pt"):
        back = mf.torch_load(folder / name)
        module = back["ema"] if back["ema"] is not None else back["model"]
        with zipfile.ZipFile(folder / name) as z:
            top = z.namelist()[0].split("/")[0]
        expected[name] = {
            "kind": "ultralytics", "zip_top_folder": top, "epoch": back["epoch"], "best_fitness": back["best_fitness"],
            "train_args_epochs": back["train_args"]["epochs"], "train_results_epochs": len(back["train_results"]["epoch"]),
            "train_metrics_fitness": back["train_metrics"]["fitness"], "model_class": f"{type(module).__module__}.{type(module).__name__}",
            "model_parameters": _n_params(module), "model_dtype": str(next(module.parameters()).dtype).replace("torch.", ""),
            "optimizer_param_states": len(back["optimizer"]["state"]) if back["optimizer"] else None,
            "optimizer_steps": max(float(s["step"]) for s in back["optimizer"]["state"].values()) if back["optimizer"] else None,
            "version": back["version"], "date": back["date"],
        }
    mf.write_json(folder / "expected.json", expected)  # beside the files: the run folder shows no stray folder
    return expected


def build_yolov5(out: Path) -> Dict[str, Any]:
    """``yolov5/runs/train/exp/weights/last.pt``: YOLOv5 v7-style save after epoch index 2 of 30 (SGD)."""
    model_cls, conv = _install_fake_yolov5()
    torch.manual_seed(5)
    model = model_cls(conv)
    ema = copy.deepcopy(model).eval()
    opt = torch.optim.SGD(_yolo_groups(model), lr=0.01, momentum=0.937, nesterov=True)
    gen = torch.Generator().manual_seed(5)
    best_fitness: Any = 0.0
    for epoch in range(3):
        _train_epoch(model, ema, opt, gen)
        results = np.array([0.2 + 0.1 * epoch, 0.3, 0.25 + 0.05 * epoch, 0.12 + 0.02 * epoch])
        fi = (results.reshape(1, -1)[:, :4] * np.array([0.0, 0.0, 0.1, 0.9])).sum(1)  # utils/metrics.py fitness()
        if fi > best_fitness:
            best_fitness = fi
    opt_ns = {"weights": "yolov5s.pt", "cfg": "", "data": "data/coco128.yaml", "epochs": 30, "batch_size": 2, "imgsz": 64,
              "resume": False, "device": "cpu", "optimizer": "SGD", "save_dir": "runs/train/exp"}
    ckpt = {"epoch": 2, "best_fitness": best_fitness, "model": copy.deepcopy(model).half(), "ema": copy.deepcopy(ema).half(),
            "updates": 9, "optimizer": opt.state_dict(), "opt": opt_ns, "git": {"remote": "https://github.com/ultralytics/yolov5", "branch": "master", "commit": "915bbf2"},
            "date": DATE}
    path = out / "yolov5" / "runs" / "train" / "exp" / "weights" / "last.pt"
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(ckpt, str(path))
    back = mf.torch_load(path)
    expected = {
        "kind": "ultralytics", "epoch": back["epoch"], "opt_epochs": back["opt"]["epochs"],
        "best_fitness_shape": list(np.asarray(back["best_fitness"]).shape), "best_fitness_value": float(np.asarray(back["best_fitness"]).reshape(-1)[0]),
        "model_class": f"{type(back['ema']).__module__}.{type(back['ema']).__name__}", "model_parameters": _n_params(back["ema"]),
        "optimizer_param_states": len(back["optimizer"]["state"]), "resume_epoch": back["epoch"] + 1,
    }
    mf.write_json(path.parent / "expected.json", expected)
    return expected


def _timm_args() -> argparse.Namespace:
    """The ``argparse.Namespace`` timm's train.py saves as ``args`` (a subset of its options)."""
    return argparse.Namespace(model="resnet_tiny", epochs=10, batch_size=32, lr=0.05, opt="sgd", sched="cosine",
                              eval_metric="top1", recovery_interval=50, data_dir="/data/imagenette", amp=False)


def build_timm(out: Path) -> Dict[str, Any]:
    """``timm/output/train/20261130-101500-resnet_tiny-32``: last (epoch 3), checkpoint-2/-3,
    model_best (a copy of checkpoint-2, the best top1) and ``recovery-4-50.pth.tar`` (mid epoch 4)."""
    folder = out / "timm" / "output" / "train" / "20261130-101500-resnet_tiny-32"
    folder.mkdir(parents=True, exist_ok=True)
    model = mf.make_model(31, (8, 6, 4))
    ema = copy.deepcopy(model)
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    args = _timm_args()
    top1 = {0: 31.25, 1: 40.5, 2: 47.75, 3: 46.0}

    def state(epoch: int, metric: Any) -> Dict[str, Any]:
        s = {"epoch": epoch, "arch": args.model, "state_dict": copy.deepcopy(model.state_dict()), "optimizer": copy.deepcopy(opt.state_dict()),
             "version": 2, "args": args, "state_dict_ema": copy.deepcopy(ema.state_dict())}
        if metric is not None:
            s["metric"] = metric
        return s

    for epoch in range(4):
        mf.train_briefly(model, opt, None, 2, 31 + epoch)
        ema.load_state_dict(model.state_dict())
        if epoch in (2, 3):
            mf.torch_save(state(epoch, top1[epoch]), folder / f"checkpoint-{epoch}.pth.tar")
    shutil.copyfile(folder / "checkpoint-3.pth.tar", folder / "last.pth.tar")
    shutil.copyfile(folder / "checkpoint-2.pth.tar", folder / "model_best.pth.tar")
    mf.train_briefly(model, opt, None, 2, 99)
    mf.torch_save(state(4, None), folder / "recovery-4-50.pth.tar")
    expected: Dict[str, Any] = {}
    for p in sorted(folder.glob("*.pth.tar")):
        back = mf.torch_load(p)
        expected[p.name] = {
            "kind": "timm", "epoch": back["epoch"], "version": back["version"], "arch": back["arch"], "metric": back.get("metric"),
            "args_epochs": back["args"].epochs, "args_batch_size": back["args"].batch_size, "args_type": f"{type(back['args']).__module__}.{type(back['args']).__name__}",
            "resume_epoch": back["epoch"] + 1 if back["version"] > 1 else back["epoch"],
            "model_parameters": int(sum(t.numel() for t in back["state_dict"].values())),
            "optimizer_param_states": len(back["optimizer"]["state"]), "ema_tensors": len(back["state_dict_ema"]),
        }
    mf.write_json(folder / "expected.json", expected)
    return expected


def build_imagenet_example(out: Path) -> Dict[str, Any]:
    """``imagenet_example/checkpoint.pth.tar`` after loop epoch 4 (saved epoch 5), ``best_acc1`` a 0-d
    tensor, plus ``model_best.pth.tar`` (a copy, as ``save_checkpoint`` makes it)."""
    folder = out / "imagenet_example"
    folder.mkdir(parents=True, exist_ok=True)
    model = mf.make_model(41, (8, 6, 3))
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=30, gamma=0.1)
    best_acc1 = torch.tensor(0.0)
    for epoch in range(5):
        mf.train_briefly(model, opt, None, 2, 41 + epoch)
        sched.step()
        acc1 = torch.tensor(20.0 + 7.5 * epoch)
        best_acc1 = max(acc1, best_acc1)
    mf.torch_save({"epoch": epoch + 1, "arch": "resnet18", "state_dict": model.state_dict(), "best_acc1": best_acc1,
                   "optimizer": opt.state_dict(), "scheduler": sched.state_dict()}, folder / "checkpoint.pth.tar")
    shutil.copyfile(folder / "checkpoint.pth.tar", folder / "model_best.pth.tar")
    back = mf.torch_load(folder / "checkpoint.pth.tar")
    expected = {
        "kind": "imagenet-example", "epoch": back["epoch"], "arch": back["arch"], "best_acc1": float(back["best_acc1"]),
        "best_acc1_shape": list(back["best_acc1"].shape), "resume_epoch": back["epoch"],
        "model_parameters": int(sum(t.numel() for t in back["state_dict"].values())), "model_tensors": len(back["state_dict"]),
        "optimizer_param_states": len(back["optimizer"]["state"]), "scheduler_last_epoch": back["scheduler"]["last_epoch"],
    }
    mf.write_json(folder / "expected.json", expected)
    return expected


class _TinyNet(nn.Module):
    """Linear -> ReLU -> Linear, scripted for the TorchScript fixture."""

    def __init__(self) -> None:
        """8 -> 6 -> 2."""
        super().__init__()
        self.fc1 = nn.Linear(8, 6)
        self.fc2 = nn.Linear(6, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """fc2(relu(fc1(x)))."""
        return self.fc2(torch.relu(self.fc1(x)))


def build_torchscript(out: Path) -> Dict[str, Any]:
    """``torchscript/model_scripted.pt``: ``torch.jit.save(torch.jit.script(TinyNet()))``."""
    folder = out / "torchscript"
    folder.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(51)
    path = folder / "model_scripted.pt"
    torch.jit.save(torch.jit.script(_TinyNet().eval()), str(path))
    back = torch.jit.load(str(path))
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
    top = names[0].split("/")[0]
    expected = {
        "kind": "torchscript", "constants_pkl": f"{top}/constants.pkl" in names,
        "code_files": len([n for n in names if n.startswith(f"{top}/code/") and not n.endswith("/")]),
        "model_parameters": int(sum(p.numel() for p in back.parameters())), "model_class_suffix": "TinyNet",
    }
    mf.write_json(folder / "expected.json", expected)
    return expected


class _QuantNet(nn.Module):
    """QuantStub -> Conv2d -> ReLU -> flatten -> Linear -> DeQuantStub (eager-mode quantizable)."""

    def __init__(self) -> None:
        """3 -> 4 channels, 4x4 input, 2 classes."""
        super().__init__()
        self.quant = torch.ao.quantization.QuantStub()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.relu = nn.ReLU()
        self.fc = nn.Linear(4 * 4 * 4, 2)
        self.dequant = torch.ao.quantization.DeQuantStub()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Quantize, conv+relu, linear, dequantize."""
        x = self.relu(self.conv(self.quant(x)))
        return self.dequant(self.fc(torch.flatten(x, 1)))


def _count_with_tuples(sd: Dict[str, Any]) -> Tuple[int, int]:
    """Elements and tensors of a state dict, tensors inside tuples (packed params) included."""
    n, t = 0, 0
    for v in sd.values():
        items = v if isinstance(v, tuple) else (v,)
        for x in items:
            if isinstance(x, torch.Tensor):
                n += x.numel()
                t += 1
    return n, t


def build_quantized(out: Path) -> Dict[str, Any]:
    """``quantized/model_int8.pth``: the state dict of an eager-mode statically quantized model (qint8
    weights via ``_rebuild_qtensor``, the Linear's packed params as a (weight, bias) tuple)."""
    folder = out / "quantized"
    folder.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(61)
    torch.backends.quantized.engine = "qnnpack" if "qnnpack" in torch.backends.quantized.supported_engines else "fbgemm"
    model = _QuantNet().eval()
    model.qconfig = torch.ao.quantization.get_default_qconfig(torch.backends.quantized.engine)
    prepared = torch.ao.quantization.prepare(model)
    gen = torch.Generator().manual_seed(61)
    for _ in range(4):
        prepared(torch.randn(2, 3, 4, 4, generator=gen))
    quantized = torch.ao.quantization.convert(prepared)
    mf.torch_save(quantized.state_dict(), folder / "model_int8.pth")
    back = mf.torch_load(folder / "model_int8.pth")
    n, t = _count_with_tuples(back)
    expected = {
        "kind": "generic", "model_parameters": n, "model_tensors": t,
        "qint8_weights": sorted(k for k, v in back.items() if isinstance(v, torch.Tensor) and v.is_quantized),
        "packed_params_keys": sorted(k for k, v in back.items() if isinstance(v, tuple)),
    }
    mf.write_json(folder / "expected.json", expected)
    return expected


def build_legacy_t7(out: Path) -> Dict[str, Any]:
    """``legacy_t7/checkpoint/ckpt.t7``: kuangliu/pytorch-cifar's ``{net, acc, epoch}`` in the legacy format."""
    folder = out / "legacy_t7" / "checkpoint"
    model = mf.make_model(71, (8, 6, 4))
    mf.train_briefly(model, torch.optim.SGD(model.parameters(), lr=0.1), None, 2, 71)
    mf.torch_save({"net": model.state_dict(), "acc": 61.5, "epoch": 3}, folder / "ckpt.t7", legacy=True)
    back = mf.torch_load(folder / "ckpt.t7")
    head = (folder / "ckpt.t7").read_bytes()[:2]
    expected = {
        "kind": "generic", "legacy_format": head[0] == 0x80 and not zipfile.is_zipfile(folder / "ckpt.t7"), "epoch": back["epoch"], "acc": back["acc"],
        "model_parameters": int(sum(t.numel() for t in back["net"].values())), "model_tensors": len(back["net"]),
    }
    mf.write_json(folder / "expected.json", expected)
    return expected


def build_generic_plain(out: Path) -> Dict[str, Any]:
    """``generic_plain``: ``iteration/checkpoint.pt`` {model, optimizer, iteration}, ``epoch_in_name/epoch_5.pth``
    (a bare state dict) and ``best_loss_root/model.pth`` {net, best_loss (a 0-d tensor)}."""
    root = out / "generic_plain"
    expected: Dict[str, Any] = {}
    model = mf.make_model(81, (8, 6, 4))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    mf.train_briefly(model, opt, None, 10, 81)
    mf.torch_save({"model": model.state_dict(), "optimizer": opt.state_dict(), "iteration": 10}, root / "iteration" / "checkpoint.pt")
    back = mf.torch_load(root / "iteration" / "checkpoint.pt")
    expected["iteration/checkpoint.pt"] = {
        "kind": "generic", "iteration": back["iteration"], "model_parameters": int(sum(t.numel() for t in back["model"].values())),
        "optimizer_steps": max(float(s["step"]) for s in back["optimizer"]["state"].values()), "optimizer_param_states": len(back["optimizer"]["state"]),
    }
    torch.manual_seed(82)
    lstm = nn.LSTM(4, 3, bidirectional=True)
    mf.torch_save(lstm.state_dict(), root / "epoch_in_name" / "epoch_5.pth")
    back = mf.torch_load(root / "epoch_in_name" / "epoch_5.pth")
    expected["epoch_in_name/epoch_5.pth"] = {"kind": "generic", "epoch_in_name": 5, "model_parameters": int(sum(t.numel() for t in back.values())), "model_tensors": len(back)}
    net = mf.make_model(83, (8, 5, 2))
    mf.torch_save({"net": net.state_dict(), "best_loss": torch.tensor(0.4375)}, root / "best_loss_root" / "model.pth")
    back = mf.torch_load(root / "best_loss_root" / "model.pth")
    expected["best_loss_root/model.pth"] = {
        "kind": "generic", "best_loss": float(back["best_loss"]), "best_loss_shape": list(back["best_loss"].shape),
        "model_parameters": int(sum(t.numel() for t in back["net"].values())), "model_tensors": len(back["net"]),
    }
    mf.write_json(root / "expected.json", expected)
    return expected


def build_files(out: Path) -> Dict[str, Any]:
    """Write every fixture of this group under ``out`` (removing this group's old folders first)."""
    for name in FOLDERS:
        if (out / name).is_dir():
            shutil.rmtree(out / name)
    return {
        "ultralytics": build_ultralytics(out),
        "yolov5": build_yolov5(out),
        "timm": build_timm(out),
        "imagenet_example": build_imagenet_example(out),
        "torchscript": build_torchscript(out),
        "quantized": build_quantized(out),
        "legacy_t7": build_legacy_t7(out),
        "generic_plain": build_generic_plain(out),
    }


if __name__ == "__main__":
    torch.set_num_threads(1)
    print(json.dumps(build_files(mf.DEFAULT_OUT), indent=1, default=str)[:4000])
