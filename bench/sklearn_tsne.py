#!/usr/bin/env python3
"""sklearn_tsne.py: scikit-learn's Barnes-Hut t-SNE on the 10,000 MNIST test images with the settings of
tapegrad's viz/tsne.cpp (PCA to 50 first, perplexity 30, exaggeration 12, 1000 iterations, PCA initialisation,
n_jobs=2), scored the same way (5-fold 10-NN accuracy, trustworthiness k=10 against the raw pixels).
Runs where Debian's python3-sklearn is installed. Usage: sklearn_tsne.py <mnist folder> [seed]"""
import sys, time
import numpy as np
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, trustworthiness
from sklearn.model_selection import cross_val_score
from sklearn.neighbors import KNeighborsClassifier

from reference import read_idx  # bench/reference.py, beside this script

folder, seed = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1
x = read_idx(folder, "t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255
labels = read_idx(folder, "t10k-labels-idx1-ubyte")
t0 = time.perf_counter()
x50 = PCA(n_components=50, random_state=seed).fit_transform(x)
y = TSNE(perplexity=30, early_exaggeration=12, n_iter=1000, learning_rate="auto", init="pca", method="barnes_hut",
         angle=0.5, n_jobs=2, random_state=seed).fit_transform(x50)
seconds = time.perf_counter() - t0
acc = cross_val_score(KNeighborsClassifier(n_neighbors=10), y, labels, cv=5).mean()
print(f"scikit-learn t-SNE  n={len(x)}  seed {seed}  {seconds:.1f} s  10-NN accuracy {acc:.3f}  "
      f"trustworthiness {trustworthiness(x, y, n_neighbors=10):.3f}")
