#!/usr/bin/env python3
"""load_checkpoint.py: open a tapegrad VAE checkpoint (runs/vae-z200/checkpoint.safetensors) in Python.

The file is safetensors: an 8-byte little-endian header length, a JSON header, then the raw tensors. Its
metadata field "layout" says how the tensors are arranged; this script follows it. With PyTorch installed it
builds the decoder as torch.nn modules and draws samples; without it (standard library only) it decodes z = 0
and prints the first pixel probabilities, which `make test` compares with tapegrad's own decoder.

    python3 docs/load_checkpoint.py runs/vae-z200/checkpoint.safetensors           # z = 0, standard library
    python3 docs/load_checkpoint.py runs/vae-z200/checkpoint.safetensors --torch   # 16 samples with PyTorch

With --torch it also decodes the same 16 z with this script's own decoder (the layout read by hand, as tapegrad
computes it), says how far apart the two are, and draws the samples as a 4 x 4 grid to samples_torch.png (--png).
"""
import argparse
import json
import math
import os
import struct
import sys
import zlib


def read_safetensors(path):
    """Raises ValueError naming the file when it is not a safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError("%s: %d bytes, too short for a safetensors file (8-byte header length first)" % (path, len(data)))
    (n,) = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        raise ValueError("%s: the header length %d is past the end of the file (%d bytes): not a safetensors file" % (path, n, len(data)))
    try:
        header = json.loads(data[8 : 8 + n])
    except ValueError as e:
        raise ValueError("%s: the header is not JSON (%s): not a safetensors file" % (path, e))
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        raw = data[8 + n + begin : 8 + n + end]
        if info["dtype"] == "F32":
            values = list(struct.unpack("<%df" % (len(raw) // 4), raw))
        elif info["dtype"] == "F64":
            values = list(struct.unpack("<%dd" % (len(raw) // 8), raw))
        else:
            values = raw  # U64 optimizer steps and RNG state: not needed here
        tensors[name] = (info["shape"], values)
    return tensors, metadata


def linear(x, tensors, name):
    """y = x W + b with W [in, out] and b [1, out], as the layout says."""
    (n_in, n_out), w = tensors["model.%s.weight" % name]
    _, b = tensors["model.%s.bias" % name]
    return [b[j] + sum(x[i] * w[i * n_out + j] for i in range(n_in)) for j in range(n_out)]


def activation(name):
    return {"relu": lambda v: max(v, 0.0), "tanh": math.tanh}[name]


def decode(z, tensors, metadata):
    act = activation(metadata.get("activation", "relu"))
    hidden = [act(v) for v in linear(z, tensors, "decoder.hidden")]
    return [1.0 / (1.0 + math.exp(-v)) for v in linear(hidden, tensors, "decoder.out")]


def torch_decoder(tensors, metadata):
    import torch  # only here: the rest of the script needs nothing outside the standard library

    def layer(name):
        (n_in, n_out), w = tensors["model.%s.weight" % name]
        _, b = tensors["model.%s.bias" % name]
        m = torch.nn.Linear(n_in, n_out)
        m.weight.data = torch.tensor(w).reshape(n_in, n_out).T.contiguous()  # [in, out] -> PyTorch's [out, in]
        m.bias.data = torch.tensor(b)
        return m

    act = torch.nn.ReLU() if metadata.get("activation", "relu") == "relu" else torch.nn.Tanh()
    return torch.nn.Sequential(layer("decoder.hidden"), act, layer("decoder.out"), torch.nn.Sigmoid())


def write_grid_png(path, images, side=28, columns=4):
    """Grey images (lists of probabilities in [0, 1]) as one PNG, with the standard library alone."""
    rows = (len(images) + columns - 1) // columns
    width, height = columns * side, rows * side
    raw = bytearray()
    for y in range(height):
        raw.append(0)  # PNG filter type 0 for this row
        for x in range(width):
            i = (y // side) * columns + x // side
            p = images[i][(y % side) * side + x % side] if i < len(images) else 0.0
            raw.append(int(round(255 * min(max(p, 0.0), 1.0))))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)) +
                chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b""))


def main():
    parser = argparse.ArgumentParser(description="Open a tapegrad VAE checkpoint in Python.")
    parser.add_argument("checkpoint", help="a run's checkpoint.safetensors, e.g. runs/vae-z200/checkpoint.safetensors")
    parser.add_argument("--torch", action="store_true", help="load the decoder into PyTorch and draw 16 samples")
    parser.add_argument("--png", default="samples_torch.png", help="where --torch draws its samples (default %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the 16 z drawn with --torch (default %(default)s)")
    args = parser.parse_args()
    if not os.path.isfile(args.checkpoint):
        parser.error("%s: no such file (a run's checkpoint is <run folder>/checkpoint.safetensors)" % args.checkpoint)
    try:
        tensors, metadata = read_safetensors(args.checkpoint)
    except ValueError as e:
        parser.error(str(e))
    if "layout" not in metadata or "model.decoder.out.weight" not in tensors:
        parser.error("%s: not a tapegrad VAE checkpoint (no 'layout' in its metadata, or no decoder)" % args.checkpoint)
    print("layout:", metadata["layout"])
    if not args.torch:
        z = [0.0] * int(metadata["latent"])
        print("p(x | z = 0), first 5 pixels of row 14:", " ".join("%.6f" % p for p in decode(z, tensors, metadata)[14 * 28 : 14 * 28 + 5]))
        return
    try:
        import torch
    except ImportError:
        parser.error("--torch needs PyTorch, which this Python (%s) does not have: apt-get install python3-torch, "
                     "or run without --torch (the standard library alone decodes z = 0)" % sys.executable)
    torch.manual_seed(args.seed)
    z = torch.randn(16, int(metadata["latent"]))
    with torch.no_grad():
        probs = torch_decoder(tensors, metadata)(z)  # (16, 784) pixel probabilities
    ours = [decode([float(v) for v in row], tensors, metadata) for row in z]
    gap = max(abs(a - float(b)) for row, mine in zip(probs, ours) for a, b in zip(mine, row))
    write_grid_png(args.png, ours)
    print("decoded 16 samples from the prior with PyTorch; largest difference from the layout decoded by hand: %.2e" % gap)
    print("drew them to %s" % args.png)
    if gap > 1e-4:
        sys.exit("the two decoders disagree by %.2e: the checkpoint's layout was not followed" % gap)


if __name__ == "__main__":
    main()
