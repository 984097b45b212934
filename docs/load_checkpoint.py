#!/usr/bin/env python3
"""load_checkpoint.py: open a tapegrad VAE checkpoint (runs/vae-z200/checkpoint.safetensors) in Python.

The file is safetensors: an 8-byte little-endian header length, a JSON header, then the raw tensors. Its
metadata field "layout" says how the tensors are arranged; this script follows it. With PyTorch installed it
builds the decoder as torch.nn modules and draws samples; without it (standard library only) it decodes z = 0
and prints the first pixel probabilities, which `make test` compares with tapegrad's own decoder.

    python3 docs/load_checkpoint.py runs/vae-z200/checkpoint.safetensors           # z = 0, standard library
    python3 docs/load_checkpoint.py runs/vae-z200/checkpoint.safetensors --torch   # 16 samples with PyTorch
"""
import json
import math
import struct
import sys


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
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


def torch_samples(tensors, metadata, count=16):
    import torch  # only here: the rest of the script needs nothing outside the standard library

    def layer(name):
        (n_in, n_out), w = tensors["model.%s.weight" % name]
        _, b = tensors["model.%s.bias" % name]
        m = torch.nn.Linear(n_in, n_out)
        m.weight.data = torch.tensor(w).reshape(n_in, n_out).T.contiguous()  # [in, out] -> PyTorch's [out, in]
        m.bias.data = torch.tensor(b)
        return m

    act = torch.nn.ReLU() if metadata.get("activation", "relu") == "relu" else torch.nn.Tanh()
    decoder = torch.nn.Sequential(layer("decoder.hidden"), act, layer("decoder.out"), torch.nn.Sigmoid())
    z = torch.randn(count, int(metadata["latent"]))
    with torch.no_grad():
        return decoder(z)  # (count, 784) pixel probabilities


def main():
    tensors, metadata = read_safetensors(sys.argv[1])
    print("layout:", metadata["layout"])
    if "--torch" in sys.argv:
        probs = torch_samples(tensors, metadata)
        print("decoded %d samples from the prior: mean pixel probability %.4f" % (probs.shape[0], probs.mean().item()))
        return
    z = [0.0] * int(metadata["latent"])
    print("p(x | z = 0), first 5 pixels of row 14:", " ".join("%.6f" % p for p in decode(z, tensors, metadata)[14 * 28 : 14 * 28 + 5]))


if __name__ == "__main__":
    main()
