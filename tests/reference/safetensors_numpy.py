#!/usr/bin/python3
"""A small, numpy-only safetensors reader and writer: the independent side of Composer's interop tests.

    safetensors_numpy.py read FILE     prints {"metadata": {...}, "tensors": {name: {dtype, shape, values}}}
                                       as JSON (values flattened, row-major; BF16/F16 widened to float)
    safetensors_numpy.py write [FILE]  writes the fixed sample the C# tests check
                                       (default: data/safetensors_numpy.safetensors next to this script)

Written from the format's public description (8-byte little-endian header length, UTF-8 JSON header,
byte buffer), not from Composer's code, so agreement between the two means something. The writer lays
tensors out the same way Composer does (element size descending, then name by UTF-8 bytes; compact
JSON padded with spaces to a multiple of 8), so the C# tests can also compare bytes.
"""
import json
import os
import struct
import sys

import numpy as np

# dtype name -> numpy dtype of the stored bytes (BF16 as raw little-endian uint16 bits).
DTYPES = {
    "F64": np.dtype("<f8"), "F32": np.dtype("<f4"), "F16": np.dtype("<f2"), "BF16": np.dtype("<u2"),
    "I64": np.dtype("<i8"), "I32": np.dtype("<i4"), "I16": np.dtype("<i2"), "I8": np.dtype("i1"),
    "U8": np.dtype("u1"), "BOOL": np.dtype("?"),
}
MAX_HEADER = 100_000_000


def read(path):
    """Returns (metadata, {name: (dtype, shape, array)}); raises ValueError for a malformed file."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise ValueError("too short")
    (n,) = struct.unpack("<Q", blob[:8])
    if n > MAX_HEADER or 8 + n > len(blob):
        raise ValueError("bad header length")
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", None) or {}
    buffer = blob[8 + n:]
    tensors = {}
    end = 0
    for name, info in sorted(header.items(), key=lambda kv: tuple(kv[1]["data_offsets"])):
        begin, stop = info["data_offsets"]
        if begin != end:
            raise ValueError(f"tensor {name!r} is not contiguous with the previous one")
        dtype = DTYPES[info["dtype"]]
        shape = tuple(info["shape"])
        if stop - begin != int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
            raise ValueError(f"tensor {name!r} has the wrong byte length")
        array = np.frombuffer(buffer[begin:stop], dtype=dtype).reshape(shape)
        tensors[name] = (info["dtype"], shape, array)
        end = stop
    if end != len(buffer):
        raise ValueError("the buffer does not end at the last tensor")
    return metadata, tensors


def widen(dtype, array):
    """Values as Python numbers: BF16 bits become float32 values, floats become float, ints int, bools bool."""
    if dtype == "BF16":
        array = (array.astype(np.uint32) << 16).view(np.float32)
    if array.dtype.kind == "f":
        return [float(v) for v in array.reshape(-1)]
    if array.dtype.kind == "b":
        return [bool(v) for v in array.reshape(-1)]
    return [int(v) for v in array.reshape(-1)]


def bf16_bits(values):
    """float32 values (exactly representable in bfloat16) -> their upper 16 bits."""
    bits = np.asarray(values, dtype="<f4").view(np.uint32)
    assert np.all(bits & 0xFFFF == 0), "sample values must be exact in bfloat16"
    return (bits >> 16).astype("<u2")


def write(path, tensors, metadata=None):
    """tensors: {name: (dtype name, numpy array in that dtype's stored form)}."""
    order = sorted(tensors, key=lambda k: (-DTYPES[tensors[k][0]].itemsize, k.encode("utf-8")))
    header = {}
    if metadata:
        header["__metadata__"] = dict(sorted(metadata.items(), key=lambda kv: kv[0].encode("utf-8")))
    offset = 0
    chunks = []
    for name in order:
        dtype, array = tensors[name]
        data = np.ascontiguousarray(array, dtype=DTYPES[dtype]).tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        chunks.append(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for data in chunks:
            f.write(data)


def sample():
    """The fixed content of the committed sample; SafetensorsInteropTests rebuilds it from the same formulas."""
    tensors = {
        "f64": ("F64", np.arange(6, dtype="<f8").reshape(2, 3) * 0.5 - 1),
        "f32": ("F32", (np.arange(12, dtype="<f4").reshape(3, 4) - 3) / 8),
        "f16": ("F16", ((np.arange(5) - 2) * 0.25).astype("<f2")),
        "bf16": ("BF16", bf16_bits((np.arange(4, dtype="<f4") + 1) * 1.5).reshape(2, 2)),
        "i64": ("I64", np.array([-(2 ** 40), -1, 0, 2 ** 62], dtype="<i8")),
        "i32": ("I32", np.array([[-7, 0], [3, 2 ** 31 - 1]], dtype="<i4")),
        "i16": ("I16", np.array([-300, 5, 32767], dtype="<i2")),
        "i8": ("I8", np.array([-128, 0, 127], dtype="i1")),
        "u8": ("U8", np.array([[0, 17, 255]], dtype="u1")),
        "bool": ("BOOL", np.array([True, False, True, True])),
        "scalar": ("F32", np.array(2.5, dtype="<f4")),
        "empty": ("F32", np.zeros((2, 0), dtype="<f4")),
    }
    return tensors, {"format": "np", "producer": "safetensors_numpy.py"}


def main(argv):
    if len(argv) >= 2 and argv[0] == "read":
        metadata, tensors = read(argv[1])
        out = {"metadata": metadata, "tensors": {
            name: {"dtype": dtype, "shape": list(shape), "values": widen(dtype, array)}
            for name, (dtype, shape, array) in tensors.items()}}
        print(json.dumps(out, ensure_ascii=False))
        return 0
    if argv and argv[0] == "write":
        path = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "safetensors_numpy.safetensors")
        tensors, metadata = sample()
        write(path, tensors, metadata)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
