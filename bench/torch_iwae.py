#!/usr/bin/env python3
"""torch_iwae.py: the IWAE training step of bench_vae.cpp in PyTorch, as the reference for its speed.

Burda et al. (2015)'s MNIST model as tapegrad's bench_iwae builds it: 784-200-200-(2 x 50) encoder and 50-200-200-784
decoder with tanh units, Bernoulli decoder, N(0, I) prior, the k = 50 importance-weighted bound (logsumexp of
log p(x|z) + log p(z) - log q(z|x) over the k samples of each example, minus log k, mean over the batch), batch 20,
Adam (lr 1e-3, eps 1e-4), the first 4,000 training images binarised afresh at every step. The k samples of an example
go through the decoder as one (20 k)-row product, as ours do. Prints one JSON line: the fastest epoch's time per step
(as bench_vae takes its own best), in PyTorch's best thread setting on 2 cores (1 intra-op thread, OpenBLAS on 2)
or its default (--threads default). Only runs where Debian's python3-torch is installed.
"""
import argparse, json, math, time

parser = argparse.ArgumentParser()
parser.add_argument("--data", required=True)
parser.add_argument("--images", type=int, default=4000)
parser.add_argument("--k", type=int, default=50)
parser.add_argument("--batch", type=int, default=20)
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--threads", choices=["default", "best"], default="best")
args = parser.parse_args()

import numpy as np  # noqa: E402
from reference import import_torch, read_idx  # noqa: E402  (bench/reference.py, beside this script)

torch = import_torch(args.threads)  # before anything else imports torch: it sets OpenBLAS's threads
F = torch.nn.functional
torch.manual_seed(1)

images = read_idx(args.data, "train-images-idx3-ubyte").reshape(-1, 784)[: args.images]
train = torch.from_numpy(images.astype(np.float32) / 255)
Z, H = 50, 200


def stack(sizes):
    return torch.nn.ModuleList(torch.nn.Linear(a, b) for a, b in zip(sizes, sizes[1:]))


encoder, decoder = stack([784, H, H, 2 * Z]), stack([Z, H, H, 784])


def run(layers, h):
    for i, layer in enumerate(layers):
        h = layer(h)
        if i + 1 < len(layers):
            h = torch.tanh(h)
    return h


def log_normal(z, mu, logvar):  # log N(z; mu, e^logvar) summed over the latent dimensions
    return -0.5 * (math.log(2 * math.pi) + logvar + (z - mu) ** 2 * torch.exp(-logvar)).sum(1)


def iwae_loss(x, k):
    out = run(encoder, x)
    mu, logvar = out[:, :Z].repeat_interleave(k, 0), out[:, Z:].repeat_interleave(k, 0)  # row b k + j: example b
    z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
    x_rep = x.repeat_interleave(k, 0)
    log_lik = -F.binary_cross_entropy_with_logits(run(decoder, z), x_rep, reduction="none").sum(1)
    log_w = log_lik + log_normal(z, torch.zeros_like(z), torch.zeros_like(z)) - log_normal(z, mu, logvar)
    return -(torch.logsumexp(log_w.view(-1, k), 1) - math.log(k)).mean()


opt = torch.optim.Adam(list(encoder.parameters()) + list(decoder.parameters()), lr=1e-3, eps=1e-4)
steps = (len(train) + args.batch - 1) // args.batch
epoch_seconds = []
for epoch in range(args.epochs):
    t0 = time.perf_counter()
    perm = torch.randperm(len(train))
    for start in range(0, len(train), args.batch):
        x = torch.bernoulli(train[perm[start:start + args.batch]])  # dynamic binarisation
        loss = iwae_loss(x, args.k)
        opt.zero_grad()
        loss.backward()
        opt.step()
    epoch_seconds.append(time.perf_counter() - t0)
print(json.dumps({"framework": "pytorch " + torch.__version__, "threads": args.threads, "k": args.k,
                  "batch": args.batch, "images": len(train), "last_loss": round(loss.item(), 3),
                  "fastest_ms_per_step": round(1000 * min(epoch_seconds) / steps, 3)}))
