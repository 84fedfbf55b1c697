"""A small safetensors reader and writer on numpy (no `safetensors` package needed).

Follows the public format: 8-byte little-endian header length, a JSON header (padded with spaces to a
multiple of 8), then the tensors' bytes, ordered by dtype alignment (largest first) then by name.
bfloat16 has no numpy dtype; it is carried as raw uint16 bits (dtype tag "BF16").
"""
import json
import os
import struct

import numpy as np

_NUMPY_TO_TAG = {
    np.dtype("float64"): "F64", np.dtype("float32"): "F32", np.dtype("float16"): "F16",
    np.dtype("int64"): "I64", np.dtype("int32"): "I32", np.dtype("int16"): "I16",
    np.dtype("int8"): "I8", np.dtype("uint8"): "U8", np.dtype("bool"): "BOOL",
}
_TAG_TO_NUMPY = {tag: dtype for dtype, tag in _NUMPY_TO_TAG.items()}
_TAG_TO_NUMPY["BF16"] = np.dtype("uint16")
_TAG_SIZE = {tag: dtype.itemsize for tag, dtype in _TAG_TO_NUMPY.items()}


def write(path, arrays, metadata=None):
    """arrays: name -> numpy array, or (\"BF16\", uint16 array) for bfloat16 bits."""
    entries = []
    for name, value in arrays.items():
        if isinstance(value, tuple):
            tag, array = value
        else:
            array = np.require(np.asarray(value), requirements="C")
            tag = _NUMPY_TO_TAG[array.dtype]
        entries.append((name, tag, np.require(array, requirements="C")))
    entries.sort(key=lambda e: (-_TAG_SIZE[e[1]], e[0]))
    header, offset, blobs = {}, 0, []
    for name, tag, array in entries:
        data = array.tobytes()
        header[name] = {"dtype": tag, "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
    os.replace(tmp, path)


def read(path):
    """Returns (arrays, metadata); BF16 tensors come back as uint16 bit patterns."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    body = raw[8 + n:]
    arrays = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        dtype = _TAG_TO_NUMPY[entry["dtype"]]
        arrays[name] = np.frombuffer(body[begin:end], dtype=dtype).reshape(entry["shape"])
    return arrays, metadata
