"""Reads a spgdataset WebDataset export with Python's tarfile, numpy and json only (no spgdataset
code), the way webdataset does: members are grouped into samples by key = basename up to the first
dot, each group must be contiguous, ".npy" members load with numpy.load, ".json" with json.loads.

Usage: python3 read_shards.py <export folder>
Prints one JSON object: {"samples": [{"key", "json", "arrays": {field: {"dtype", "shape", "base64"}}}]}
in archive order, shards in manifest order.
"""
import base64
import io
import json
import os
import sys
import tarfile

import numpy as np


def main(folder):
    with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    samples = []
    for shard in manifest["shards"]:
        seen_keys = set()
        current = None
        with tarfile.open(os.path.join(folder, shard["name"]), mode="r:") as archive:
            for member in archive:
                if not member.isfile():
                    continue
                base = os.path.basename(member.name)
                key, _, field = base.partition(".")
                data = archive.extractfile(member).read()
                if current is None or current["key"] != key:
                    if key in seen_keys:
                        raise SystemExit(f"{shard['name']}: members of sample {key} are not contiguous")
                    seen_keys.add(key)
                    current = {"key": key, "json": None, "arrays": {}}
                    samples.append(current)
                if field.endswith(".npy"):
                    array = np.load(io.BytesIO(data), allow_pickle=False)
                    current["arrays"][field] = {
                        "dtype": str(array.dtype),
                        "shape": list(array.shape),
                        "base64": base64.b64encode(array.astype("<f4").tobytes()).decode("ascii"),
                    }
                elif field == "json":
                    current["json"] = json.loads(data.decode("utf-8"))
                else:
                    raise SystemExit(f"{shard['name']}: unexpected member {member.name}")
        if len(seen_keys) != shard["items"]:
            raise SystemExit(f"{shard['name']}: {len(seen_keys)} samples, manifest says {shard['items']}")
    json.dump({"samples": samples}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
