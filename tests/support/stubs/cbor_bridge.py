"""A bridge for AWS operations the SDK speaks in Smithy RPC v2 CBOR (CloudWatch) and moto
only in JSON: deny_proxy.py's `--cbor-bridge SERVICE` decodes the CBOR request, sends it to
moto as AWS JSON 1.0 (`X-Amz-Target: SERVICE.OPERATION`) and encodes moto's JSON answer back as
CBOR, timestamps as CBOR tag 1 (epoch seconds), as the protocol requires.

A minimal CBOR codec (RFC 8949): unsigned/negative ints, byte and text strings, arrays, maps,
tag 1, floats, true/false/null; definite and indefinite lengths on decode.
"""

import json
import struct

TIMESTAMP_KEYS = {"Timestamps", "StartTime", "EndTime", "Timestamp"}


def _head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for ai, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if n < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | ai]) + struct.pack(fmt, n)
    raise ValueError("integer too large")


def encode(v, key=None):
    if v is None:
        return b"\xf6"
    if v is True:
        return b"\xf5"
    if v is False:
        return b"\xf4"
    if isinstance(v, int):
        if key in TIMESTAMP_KEYS:
            return b"\xc1" + encode(v)
        return _head(0, v) if v >= 0 else _head(1, -1 - v)
    if isinstance(v, float):
        if key in TIMESTAMP_KEYS:
            return b"\xc1" + b"\xfb" + struct.pack(">d", v)
        return b"\xfb" + struct.pack(">d", v)
    if isinstance(v, str):
        b = v.encode()
        return _head(3, len(b)) + b
    if isinstance(v, bytes):
        return _head(2, len(v)) + v
    if isinstance(v, list):
        return _head(4, len(v)) + b"".join(encode(x, key) for x in v)
    if isinstance(v, dict):
        return _head(5, len(v)) + b"".join(encode(k) + encode(x, k) for k, x in v.items())
    raise TypeError(type(v))


def decode(data):
    value, _ = _decode(data, 0)
    return value


def _decode(d, i):
    ib = d[i]
    major, ai = ib >> 5, ib & 31
    i += 1
    if major == 7:
        if ai == 20:
            return False, i
        if ai == 21:
            return True, i
        if ai in (22, 23):
            return None, i
        if ai == 25:
            return _half(d[i:i + 2]), i + 2
        if ai == 26:
            return struct.unpack(">f", d[i:i + 4])[0], i + 4
        if ai == 27:
            return struct.unpack(">d", d[i:i + 8])[0], i + 8
        raise ValueError(f"simple value {ai}")
    if ai == 31:
        items, i = [], i
        while d[i] != 0xFF:
            item, i = _decode(d, i)
            items.append(item)
        i += 1
        if major in (2, 3):
            return (b"" if major == 2 else "").join(items), i
        if major == 4:
            return items, i
        return dict(zip(items[::2], items[1::2])), i
    if ai < 24:
        n = ai
    else:
        size = 1 << (ai - 24)
        n = int.from_bytes(d[i:i + size], "big")
        i += size
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major == 2:
        return d[i:i + n], i + n
    if major == 3:
        return d[i:i + n].decode(), i + n
    if major == 4:
        out = []
        for _ in range(n):
            item, i = _decode(d, i)
            out.append(item)
        return out, i
    if major == 5:
        out = {}
        for _ in range(n):
            k, i = _decode(d, i)
            out[k], i = _decode(d, i)
        return out, i
    if major == 6:
        return _decode(d, i)  # tag 1 (timestamps): the epoch number itself, as JSON wants
    raise ValueError(f"major type {major}")


def _half(b):
    h = int.from_bytes(b, "big")
    exp, mant = (h >> 10) & 0x1F, h & 0x3FF
    val = mant * 2 ** -24 if exp == 0 else (mant + 1024) * 2 ** (exp - 25) if exp != 31 else float("inf")
    return -val if h & 0x8000 else val


def to_json_request(body):
    """The CBOR request body as a JSON body."""
    return json.dumps(decode(body) if body else {}).encode()


def to_cbor_response(body):
    """moto's JSON answer as CBOR."""
    return encode(json.loads(body or b"{}"))
