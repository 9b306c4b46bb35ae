#!/usr/bin/env python3
"""Independent reader of the record format (docs/RECORD.md) for the tests.

recfile.py blocks FILE            -> JSON list of blocks: offset, type, n_events, comp_len
recfile.py set-format FILE N      -> rewrite the header's format field (fixing its CRC)
recfile.py flip FILE OFFSET       -> flip one bit at OFFSET
"""
import json
import struct
import sys
import zlib

HDR = struct.Struct("<8sIIIIQQII")      # 48 bytes
BLK = struct.Struct("<4sIIIIIQQQII")    # 56 bytes


def blocks(path):
    data = open(path, "rb").read()
    h = HDR.unpack_from(data, 0)
    off = HDR.size + h[3]
    out = []
    while off + BLK.size <= len(data):
        b = BLK.unpack_from(data, off)
        if b[0] != b"RBLK":
            break
        comp_len = b[3]
        if off + BLK.size + comp_len > len(data):
            break
        payload = data[off + BLK.size:off + BLK.size + comp_len]
        ok = zlib.crc32(payload) == b[9]
        if ok:
            ok = len(zlib.decompress(payload, -15)) == b[2]
        out.append({"offset": off, "type": b[1], "raw_len": b[2], "comp_len": comp_len,
                    "n_events": b[4], "seq": b[5], "lost_events": b[8], "crc_ok": ok,
                    "payload_offset": off + BLK.size})
        off += BLK.size + comp_len
    return out


cmd, path = sys.argv[1], sys.argv[2]
if cmd == "blocks":
    print(json.dumps(blocks(path)))
elif cmd == "set-format":
    data = bytearray(open(path, "rb").read())
    fields = list(HDR.unpack_from(data, 0))
    fields[1] = int(sys.argv[3])
    fields[8] = 0
    fields[8] = zlib.crc32(HDR.pack(*fields))
    HDR.pack_into(data, 0, *fields)
    open(path, "wb").write(data)
elif cmd == "flip":
    data = bytearray(open(path, "rb").read())
    data[int(sys.argv[3])] ^= 0x10
    open(path, "wb").write(data)
