#!/usr/bin/env python3
"""torch_vae.py: the study's VAE in PyTorch, as a reference for tapegrad's experiments/vae.cpp.

Same model (784-H-2Z encoder with ReLU, Z-H-784 decoder with ReLU, Bernoulli decoder, N(0, I) prior), same loss
(sum over pixels of BCE with logits + analytic KL, mean over the batch), Adam, the same 50,000 / 10,000 / 10,000
split of the IDX files, grey-level pixels. Used two ways:
  correctness: train E epochs and print the test ELBO, to compare with `make experiment` at the same settings;
  speed:       print seconds per epoch in PyTorch's default thread setting or its best one on 2 cores
               (--threads best: 1 intra-op thread, OpenBLAS on 2 threads; set before torch is imported).
Only runs where Debian's python3-torch is installed. Prints one JSON line at the end.
"""
import argparse, json, time

parser = argparse.ArgumentParser()
parser.add_argument("--data", required=True)
parser.add_argument("--latent", type=int, default=20)
parser.add_argument("--hidden", type=int, default=400)
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--batch", type=int, default=512)
parser.add_argument("--lr", type=float, default=1e-3)
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--threads", choices=["default", "best"], default="best")
args = parser.parse_args()

import numpy as np  # noqa: E402
from reference import import_torch, read_idx  # noqa: E402  (bench/reference.py, beside this script)

torch = import_torch(args.threads)  # before anything else imports torch: it sets OpenBLAS's threads
F = torch.nn.functional
torch.manual_seed(args.seed)

train_all = read_idx(args.data, "train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255
test = torch.from_numpy(read_idx(args.data, "t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255)
n_valid = 10000 if len(train_all) == 60000 else len(train_all) // 6
train = torch.from_numpy(train_all[: len(train_all) - n_valid].copy())


class Vae(torch.nn.Module):
    def __init__(self, d, h, z):
        super().__init__()
        self.z = z
        self.enc_hidden, self.enc_out = torch.nn.Linear(d, h), torch.nn.Linear(h, 2 * z)
        self.dec_hidden, self.dec_out = torch.nn.Linear(z, h), torch.nn.Linear(h, d)

    def neg_elbo(self, x):  # per example: -log p(x|z) + KL(q(z|x) || N(0, I)), one reparameterised sample
        out = self.enc_out(F.relu(self.enc_hidden(x)))
        mu, logvar = out[:, : self.z], out[:, self.z:]
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        logits = self.dec_out(F.relu(self.dec_hidden(z)))
        rec = F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1)
        kl = 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(1)
        return rec + kl


model = Vae(784, args.hidden, args.latent)
opt = torch.optim.Adam(model.parameters(), lr=args.lr)
epoch_seconds = []
for epoch in range(1, args.epochs + 1):
    t0 = time.perf_counter()
    perm = torch.randperm(len(train))
    total = 0.0
    for start in range(0, len(train), args.batch):
        x = train[perm[start:start + args.batch]]
        loss = model.neg_elbo(x).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(x)
    epoch_seconds.append(time.perf_counter() - t0)
    print(f"epoch {epoch}/{args.epochs}  train ELBO {-total / len(train):.2f}  {epoch_seconds[-1]:.2f} s", flush=True)

with torch.no_grad():
    test_elbo = -torch.cat([model.neg_elbo(test[i:i + 1000]) for i in range(0, len(test), 1000)]).mean().item()
print(json.dumps({"framework": "pytorch " + torch.__version__, "threads": args.threads, "latent": args.latent,
                  "epochs": args.epochs, "batch": args.batch, "test_elbo": round(test_elbo, 3),
                  "seconds_per_epoch": round(sorted(epoch_seconds)[len(epoch_seconds) // 2], 3),
                  "fastest_epoch_seconds": round(min(epoch_seconds), 3)}))
