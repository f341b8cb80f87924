"""Write the pickle-machine corpus: one value tree pickled with every protocol 0-5 by CPython's
own `pickle`, plus `expected.json` with the tree in a tagged canonical form (what pickle.loads
returned), so the TypeScript pickle machine is checked against the real pickler.

Run with /usr/bin/python3 (numpy from Debian). Output: fixtures/pickles/.
"""
import collections
import json
import math
import os
import pickle
import sys

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "pickles")


class AttrDict(dict):
    """A dict subclass with an instance attribute: pickled as NEWOBJ, SETITEMS, then BUILD(__dict__)."""


def value_tree():
    """The tree every protocol pickles: ints of every width, floats, text, containers, memo sharing."""
    shared = [1, 2, 3]
    attr_dict = AttrDict(lr=0.1, hidden=4)
    attr_dict.extra = "x"
    return {
        "dict_subclass": attr_dict,
        "ints": [0, 1, 255, 256, 65535, 65536, -1, -256, 2**31 - 1, 2**31, -(2**31), 2**53 + 1, 2**63, -(2**70), 10**30],
        "floats": [0.0, 1.5, -2.25, 1e-300, 3.141592653589793, float("inf"), float("-inf")],
        "text": ["", "epoch", "ünïcødé ✓", "line\nbreak", "quote ' and \" and \\ back"],
        "bytes": [b"", b"\x00\x01\xff", bytes(range(256))],
        "none": None,
        "bools": [True, False],
        "tuple0": (),
        "tuple1": (1,),
        "tuple2": (1, "a"),
        "tuple3": (1, 2, 3),
        "tuple5": (1, 2, 3, 4, 5),
        "nested": {"a": {"b": {"c": [1, {"d": (2, 3)}]}}},
        "int_keys": {0: "zero", 1: "one", 300: "three hundred"},
        "ordered": collections.OrderedDict([("z", 1), ("a", 2)]),
        "set": {7},
        "frozenset": frozenset({"x"}),
        "complex": complex(1.5, -2.0),
        "shared_a": shared,
        "shared_b": shared,
        "np_float64": np.float64(0.0667),
        "np_int64": np.int64(-42),
        "np_float32": np.float32(0.5),
        "big_list": list(range(1500)),
    }


def canon(v):
    """Tagged canonical form shared with the TypeScript test (ints as decimal strings)."""
    if v is None:
        return {"none": None}
    if isinstance(v, AttrDict):
        return {"object": "__main__.AttrDict", "dictItems": [[canon(k), canon(x)] for k, x in v.items()], "state": canon(vars(v))}
    if isinstance(v, bool):
        return {"bool": v}
    if isinstance(v, np.generic):
        return {"numpy": str(v.dtype), "value": canon(v.item())}
    if isinstance(v, int):
        return {"int": str(v)}
    if isinstance(v, float):
        return {"float": "nan" if math.isnan(v) else repr(v)}
    if isinstance(v, complex):
        return {"complex": [v.real, v.imag]}
    if isinstance(v, str):
        return {"str": v}
    if isinstance(v, bytes):
        return {"bytes": v.hex()}
    if isinstance(v, tuple):
        return {"tuple": [canon(x) for x in v]}
    if isinstance(v, list):
        return {"list": [canon(x) for x in v]}
    if isinstance(v, collections.OrderedDict):
        return {"ordered": [[canon(k), canon(x)] for k, x in v.items()]}
    if isinstance(v, dict):
        return {"dict": [[canon(k), canon(x)] for k, x in v.items()]}
    if isinstance(v, frozenset):
        return {"frozenset": [canon(x) for x in v]}
    if isinstance(v, set):
        return {"set": [canon(x) for x in v]}
    raise TypeError(type(v))


def main():
    """Pickle the tree with protocols 0-5, load each back, and write the canonical form."""
    os.makedirs(OUT, exist_ok=True)
    tree = value_tree()
    expected = {}
    for protocol in range(0, 6):
        data = pickle.dumps(tree, protocol=protocol)
        name = f"protocol{protocol}.pkl"
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        loaded = pickle.loads(data)
        expected[name] = {"protocol": protocol, "value": canon(loaded), "size": len(data)}
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(expected)} pickles to {os.path.relpath(OUT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
