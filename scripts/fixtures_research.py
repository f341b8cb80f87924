#!/usr/bin/python3
"""Research-trainer fixtures: MMEngine and the mmcv 1.x runner, fairseq, torchtune.

Written with real torch (Debian ``python3-torch`` 1.13) in the exact layouts, file names and
keys the trainers write; none of mmengine, mmcv, fairseq or torchtune is installed or
imported (every key is a plain dict, list, number or string, as their ``state_dict`` methods
return them). Sources mimicked:

- mmengine ``runner/runner.py:Runner.save_checkpoint`` / ``runner/checkpoint.py:save_checkpoint``:
  ``meta`` {epoch (completed count), iter, cfg (config text), seed, experiment_name, time,
  mmengine_version}, ``state_dict``, ``message_hub`` {log_scalars, runtime_info, resumed_keys},
  ``optimizer``, ``param_schedulers``; ``CheckpointHook`` writes ``epoch_{N}.pth`` and the
  ``last_checkpoint`` text file; ``epoch_3.pth`` holds the stale meta of mmcv PR #1108 (meta
  says 2);
- mmcv 1.x ``runner/epoch_based_runner.py:EpochBasedRunner.save_checkpoint``: ``meta``
  {mmcv_version, time, epoch, iter, mmdet_version, CLASSES, config}, ``state_dict``, ``optimizer``;
- fairseq ``trainer.py:Trainer.state_dict`` / ``checkpoint_utils.py:save_checkpoint``: ``args``
  None, ``cfg`` (``OmegaConf.to_container``: a plain dict), ``model``, ``criterion``,
  ``optimizer_history`` [{criterion_name, optimizer_name, lr_scheduler_state, num_updates}],
  ``task_state``, ``extra_state`` {metrics, previous_training_time, train_iterator, val_loss,
  best}, ``last_optimizer_state``; ``train_iterator`` = ``EpochBatchIterator.state_dict``
  {version 2, epoch, iterations_in_epoch, shuffle}, at an epoch end (epoch + 1, 0);
- torchtune ``training/checkpointing/_checkpointer.py`` and ``_utils.py``: ``epoch_{N}/`` with
  the model shards and ``recipe_state.pt`` beside them (older) or in ``recipe_state/``
  {seed, epochs_run, total_epochs, max_steps_per_epoch, steps_run, optimizer, dataloader}.

Every ``expected.json`` holds values read back with ``torch.load``.
Run: ``/usr/bin/python3 scripts/fixtures_research.py`` (or through ``make_fixtures.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_fixtures as mf  # noqa: E402  (re-execs under /usr/bin/python3 when needed)

import shutil  # noqa: E402
from collections import OrderedDict  # noqa: E402
from typing import Any, Dict  # noqa: E402

import torch  # noqa: E402

#: Top folders under fixtures/ this script owns.
FOLDERS = ["mmengine", "mmcv", "fairseq", "torchtune"]

ITERS_PER_EPOCH = 4
MM_CFG = (
    "model = dict(type='ImageClassifier')\n"
    "train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=12, val_interval=1)\n"
    "default_hooks = dict(checkpoint=dict(type='CheckpointHook', interval=1, save_best='auto'))\n"
)


def _trained(seed: int, steps: int, sizes=(8, 4, 2)):
    """A tiny model and SGD stepped ``steps`` times (real optimizer state)."""
    model = mf.make_model(seed, sizes)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    mf.train_briefly(model, opt, None, steps, seed)
    return model, opt


def _params(sd: Dict[str, torch.Tensor]) -> int:
    return int(sum(t.numel() for t in sd.values()))


def _mm_checkpoint(epoch_done: int, meta_epoch: int, seed: int) -> Dict[str, Any]:
    """What MMEngine's Runner.save_checkpoint writes after ``epoch_done`` epochs (meta.epoch may be stale)."""
    iters = epoch_done * ITERS_PER_EPOCH
    model, opt = _trained(seed, iters)
    return {
        "meta": {
            "epoch": meta_epoch,
            "iter": meta_epoch * ITERS_PER_EPOCH,
            "cfg": MM_CFG,
            "seed": 42,
            "experiment_name": "demo_20251201_101010",
            "time": "20251201_101500",
            "mmengine_version": "0.10.7",
            "dataset_meta": {"classes": ["cat", "dog"]},
        },
        "state_dict": model.state_dict(),
        "message_hub": {
            "log_scalars": {},
            "runtime_info": {
                "epoch": meta_epoch,
                "iter": meta_epoch * ITERS_PER_EPOCH,
                "best_score": 0.5 + 0.05 * meta_epoch,
                "best_ckpt": f"work_dir/best_accuracy_top1_epoch_{meta_epoch}.pth",
                "last_ckpt": f"work_dir/epoch_{epoch_done}.pth",
            },
            "resumed_keys": {"epoch": False, "iter": False, "best_score": True},
        },
        "optimizer": opt.state_dict(),
        "param_schedulers": [{"begin": 0, "end": 12, "by_epoch": True, "last_step": meta_epoch, "_global_step": meta_epoch, "base_values": [0.01], "last_value": [0.01]}],
    }


def build_mmengine(out: Path) -> Dict[str, Any]:
    """``mmengine/work_dir``: epoch_1, epoch_2, a stale-meta epoch_3 (meta says 2) and last_checkpoint
    naming epoch_2; ``mmengine/missing_pointer``: last_checkpoint naming a file that is not there."""
    work = out / "mmengine" / "work_dir"
    work.mkdir(parents=True, exist_ok=True)
    files = {"epoch_1.pth": (1, 1, 1), "epoch_2.pth": (2, 2, 2), "epoch_3.pth": (3, 2, 3)}
    expected: Dict[str, Any] = {"kind": "mmengine", "files": {}}
    for name, (done, meta_epoch, seed) in files.items():
        mf.torch_save(_mm_checkpoint(done, meta_epoch, seed), work / name)
        back = mf.torch_load(work / name)
        expected["files"][name] = {
            "meta_epoch": back["meta"]["epoch"],
            "meta_iter": back["meta"]["iter"],
            "mmengine_version": back["meta"]["mmengine_version"],
            "best_score": back["message_hub"]["runtime_info"]["best_score"],
            "model_parameters": _params(back["state_dict"]),
            "optimizer_param_states": len(back["optimizer"]["state"]),
            "top_level_keys": list(back.keys()),
        }
    (work / "last_checkpoint").write_text("/home/user/work_dirs/demo/epoch_2.pth", encoding="utf-8")
    expected["last_checkpoint"] = (work / "last_checkpoint").read_text(encoding="utf-8")
    mf.write_json(out / "mmengine" / "expected.json", expected)

    missing = out / "mmengine" / "missing_pointer"
    missing.mkdir(parents=True, exist_ok=True)
    mf.torch_save(_mm_checkpoint(1, 1, 5), missing / "epoch_1.pth")
    (missing / "last_checkpoint").write_text("work_dirs/demo/epoch_9.pth", encoding="utf-8")

    # an IterBasedTrainLoop run saved by iteration: meta.epoch 0, meta.iter 8 of max_iters 20
    iters = out / "mmengine" / "iter_based"
    iters.mkdir(parents=True, exist_ok=True)
    ckpt = _mm_checkpoint(2, 0, 6)
    ckpt["meta"]["iter"] = 8
    ckpt["meta"]["cfg"] = "train_cfg = dict(type='IterBasedTrainLoop', max_iters=20, val_interval=4)\n"
    mf.torch_save(ckpt, iters / "iter_8.pth")
    back = mf.torch_load(iters / "iter_8.pth")
    expected["iter_based"] = {"meta_epoch": back["meta"]["epoch"], "meta_iter": back["meta"]["iter"], "max_iters": 20}
    mf.write_json(out / "mmengine" / "expected.json", expected)
    return expected


def build_mmcv(out: Path) -> Dict[str, Any]:
    """``mmcv/epoch_2.pth``: the mmcv 1.x EpochBasedRunner layout (mmdet 2.x adds CLASSES and config)."""
    folder = out / "mmcv"
    folder.mkdir(parents=True, exist_ok=True)
    model, opt = _trained(11, 2 * ITERS_PER_EPOCH)
    ckpt = {
        "meta": {
            "mmcv_version": "1.7.1",
            "time": "Mon Dec  1 10:15:00 2025",
            "mmdet_version": "2.28.2",
            "CLASSES": ("cat", "dog"),
            "config": "runner = dict(type='EpochBasedRunner', max_epochs=24)\n",
            "epoch": 2,
            "iter": 2 * ITERS_PER_EPOCH,
        },
        "state_dict": OrderedDict(model.state_dict()),
        "optimizer": opt.state_dict(),
    }
    mf.torch_save(ckpt, folder / "epoch_2.pth")
    back = mf.torch_load(folder / "epoch_2.pth")
    expected = {
        "kind": "mmengine",
        "meta_epoch": back["meta"]["epoch"],
        "meta_iter": back["meta"]["iter"],
        "mmcv_version": back["meta"]["mmcv_version"],
        "max_epochs": 24,
        "model_parameters": _params(back["state_dict"]),
        "optimizer_param_states": len(back["optimizer"]["state"]),
        "top_level_keys": list(back.keys()),
    }
    mf.write_json(folder / "epoch_2.pth.expected.json", expected)
    return expected


def _fairseq_checkpoint(epoch: int, iterations: int, updates: int, best: float, val_loss: float, seed: int) -> Dict[str, Any]:
    """Trainer.state_dict + extra_state as checkpoint_utils.save_checkpoint fills it."""
    model, opt = _trained(seed, updates)
    cfg = {
        "_name": None,
        "common": {"seed": 1, "fp16": False, "log_interval": 100},
        "optimization": {"max_epoch": 5, "max_update": 0, "update_freq": [1], "lr": [0.25], "clip_norm": 0.1},
        "checkpoint": {"save_dir": "checkpoints", "best_checkpoint_metric": "loss", "maximize_best_checkpoint_metric": False, "keep_last_epochs": -1},
        "task": {"_name": "translation", "data": "data-bin/demo"},
        "model": {"_name": "transformer_iwslt_de_en"},
    }
    return {
        "args": None,
        "cfg": cfg,
        "model": model.state_dict(),
        "criterion": {},
        "optimizer_history": [{
            "criterion_name": "LabelSmoothedCrossEntropyCriterion",
            "optimizer_name": "FairseqNAG",
            "lr_scheduler_state": {"best": best},
            "num_updates": updates,
        }],
        "task_state": {},
        "extra_state": {
            "metrics": {},
            "previous_training_time": 12.5 * updates,
            "train_iterator": {"version": 2, "epoch": epoch, "iterations_in_epoch": iterations, "shuffle": True},
            "val_loss": val_loss,
            "best": best,
        },
        "last_optimizer_state": opt.state_dict(),
    }


def build_fairseq(out: Path) -> Dict[str, Any]:
    """``fairseq/checkpoints``: checkpoint2.pt (end of epoch 2: train_iterator epoch 3, 0 iterations),
    checkpoint_last.pt (mid-epoch 3 after 5 batches), checkpoint_best.pt (the epoch-2 save)."""
    folder = out / "fairseq" / "checkpoints"
    folder.mkdir(parents=True, exist_ok=True)
    specs = {
        "checkpoint2.pt": (3, 0, 20, 2.25, 2.25, 21),
        "checkpoint_best.pt": (3, 0, 20, 2.25, 2.25, 21),
        "checkpoint_last.pt": (3, 5, 25, 2.25, 2.5, 22),
    }
    expected: Dict[str, Any] = {"kind": "fairseq", "files": {}}
    for name, spec in specs.items():
        mf.torch_save(_fairseq_checkpoint(*spec), folder / name)
        back = mf.torch_load(folder / name)
        it = back["extra_state"]["train_iterator"]
        expected["files"][name] = {
            "train_iterator_epoch": it["epoch"],
            "iterations_in_epoch": it["iterations_in_epoch"],
            "num_updates": back["optimizer_history"][-1]["num_updates"],
            "best": back["extra_state"]["best"],
            "val_loss": back["extra_state"]["val_loss"],
            "max_epoch": back["cfg"]["optimization"]["max_epoch"],
            "model_parameters": _params(back["model"]),
            "optimizer_param_states": len(back["last_optimizer_state"]["state"]),
            "top_level_keys": list(back.keys()),
        }

    # legacy fairseq (< 0.10): settings in an argparse.Namespace under `args`, no `cfg`; the end of
    # the last epoch (max_epoch 3) stores train_iterator epoch 4, so the run is finished
    legacy = out / "fairseq" / "legacy_args"
    legacy.mkdir(parents=True, exist_ok=True)
    old = _fairseq_checkpoint(4, 0, 30, 31.5, 30.2, 23)
    old["cfg"] = None
    old["args"] = mf.argparse.Namespace(arch="transformer", max_epoch=3, max_update=0, best_checkpoint_metric="bleu", maximize_best_checkpoint_metric=True)
    mf.torch_save(old, legacy / "checkpoint3.pt")
    back = mf.torch_load(legacy / "checkpoint3.pt")
    expected["legacy_args"] = {
        "train_iterator_epoch": back["extra_state"]["train_iterator"]["epoch"],
        "iterations_in_epoch": back["extra_state"]["train_iterator"]["iterations_in_epoch"],
        "num_updates": back["optimizer_history"][-1]["num_updates"],
        "max_epoch": back["args"].max_epoch,
        "best_checkpoint_metric": back["args"].best_checkpoint_metric,
        "best": back["extra_state"]["best"],
        "args_type": f"{type(back['args']).__module__}.{type(back['args']).__name__}",
    }
    mf.write_json(out / "fairseq" / "expected.json", expected)
    return expected


def _recipe_state(epochs_run: int, steps_run: int, seed: int) -> Dict[str, Any]:
    _, opt = _trained(seed, steps_run)
    return {
        "seed": 1234,
        "epochs_run": epochs_run,
        "total_epochs": 3,
        "max_steps_per_epoch": 4,
        "steps_run": steps_run,
        "optimizer": opt.state_dict(),
        "dataloader": {"_num_yielded": 0, "_sampler_iter_yielded": 0, "_iterator_finished": False},
    }


def build_torchtune(out: Path) -> Dict[str, Any]:
    """``torchtune/output``: ``epoch_0/`` (recipe_state.pt beside the shard, older layout) and
    ``epoch_1/`` (``recipe_state/recipe_state.pt``), each with ``model-00001-of-00001.safetensors``
    and ``config.json``; total_epochs 3, max_steps_per_epoch 4."""
    root = out / "torchtune" / "output"
    expected: Dict[str, Any] = {"kind": "torchtune", "folders": {}}
    for index, rel in ((0, "recipe_state.pt"), (1, "recipe_state/recipe_state.pt")):
        folder = root / f"epoch_{index}"
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        model = mf.make_model(30 + index)
        mf.write_safetensors(folder / "model-00001-of-00001.safetensors", OrderedDict(model.state_dict()))
        mf.write_json(folder / "config.json", {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "torch_dtype": "float32"})
        mf.torch_save(_recipe_state(index + 1, (index + 1) * 4, 40 + index), folder / rel)
        back = mf.torch_load(folder / rel)
        expected["folders"][f"epoch_{index}"] = {
            "recipe_state": rel,
            "epochs_run": back["epochs_run"],
            "total_epochs": back["total_epochs"],
            "max_steps_per_epoch": back["max_steps_per_epoch"],
            "steps_run": back["steps_run"],
            "seed": back["seed"],
            "optimizer_param_states": len(back["optimizer"]["state"]),
            "model_parameters": _params(model.state_dict()),
            "top_level_keys": list(back.keys()),
        }
    mf.write_json(out / "torchtune" / "expected.json", expected)
    return expected


def build_research(out: Path) -> Dict[str, Any]:
    """(Re)write every folder this script owns under ``out``."""
    for name in FOLDERS:
        shutil.rmtree(out / name, ignore_errors=True)
    return {
        "mmengine": build_mmengine(out),
        "mmcv": build_mmcv(out),
        "fairseq": build_fairseq(out),
        "torchtune": build_torchtune(out),
    }


if __name__ == "__main__":
    torch.set_num_threads(1)
    build_research(mf.DEFAULT_OUT)
    print("research fixtures written")
