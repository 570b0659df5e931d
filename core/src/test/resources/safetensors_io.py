"""Safetensors reading and writing for rnn4j's fixture generators (torch/make_fixtures.py,
optim/make_optim_fixtures.py), with struct and json only: PyTorch is the one dependency.

The scripts import it from this folder (their parent's):

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
    from safetensors_io import write_safetensors
"""

import json
import struct

import torch

_DTYPES = {torch.float32: ("F32", "<f4"), torch.float64: ("F64", "<f8"), torch.int64: ("I64", "<i8")}


def write_safetensors(path, tensors, metadata):
    """tensors: list of (name, tensor) in file order; metadata: {str: str}."""
    header = {"__metadata__": {str(k): str(v) for k, v in metadata.items()}}
    blobs = []
    offset = 0
    for name, t in tensors:
        t = t.detach().contiguous().cpu()
        if t.dtype not in _DTYPES:
            raise ValueError(f"{name}: unsupported dtype {t.dtype}")
        dtype, np_dtype = _DTYPES[t.dtype]
        data = t.numpy().astype(np_dtype, copy=False).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((-(8 + len(text))) % 8)   # data starts at an 8-byte boundary
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    """Reads a file written above back (self-check): ({name: tensor}, metadata)."""
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    base = 8 + n
    inverse = {v[0]: k for k, v in _DTYPES.items()}
    out = {}
    for name, info in header.items():
        lo, hi = info["data_offsets"]
        t = torch.frombuffer(bytearray(raw[base + lo:base + hi]), dtype=inverse[info["dtype"]])
        out[name] = t.reshape(info["shape"])
    return out, meta
