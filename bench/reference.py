"""reference.py: what the PyTorch and scikit-learn reference scripts share: the IDX reader, and PyTorch with its threads set."""
import gzip, os, struct, sys

import numpy as np


def read_idx(folder, name):
    """The array in folder/name or folder/name.gz, shaped as its header says; exits naming the file if neither exists."""
    for path in (os.path.join(folder, name), os.path.join(folder, name + ".gz")):
        if os.path.exists(path):
            raw = (gzip.open if path.endswith(".gz") else open)(path, "rb").read()
            n = struct.unpack(">I", raw[:4])[0] & 0xFF  # the magic number's last byte: how many dimensions
            dims = struct.unpack(">" + "I" * n, raw[4:4 + 4 * n])
            return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * n).reshape(dims)
    sys.exit(f"error: no {name} or {name}.gz in {folder}")


def import_torch(threads):
    """PyTorch in its default thread setting, or its best one on 2 cores ("best": 1 intra-op thread, OpenBLAS on 2).
    OpenBLAS reads its thread count when it loads, which is when torch is imported, so this imports torch itself."""
    if threads == "best":
        os.environ["OPENBLAS_NUM_THREADS"] = "2"  # torch.set_num_threads does not reach OpenBLAS
    import torch
    if threads == "best":
        torch.set_num_threads(1)
    return torch
