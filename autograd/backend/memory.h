// memory.h: one allocator setting that matters for speed. Every op allocates its output, and a training step
// frees them all at the end; tensors of a few MB (M2's (B*10, 784) decoder outputs, the importance-weighted
// evaluation's (B*K, 784)) are then handed back to the kernel by glibc (its trim and mmap thresholds), and the next
// step faults the same pages in again, zero-filled: M2 on pixels spent more time in page faults than in its
// elementwise code, and ran 2.2x faster with this setting. Called once at the start of every experiment and bench.
// Read next: ../tensor.h.
#pragma once

namespace tg {

/// Keep freed memory in the process for reuse instead of returning it to the kernel (glibc: mmap threshold
/// 256 MB, trim threshold 1 GB). Peak memory is unchanged; only the release of memory between steps stops.
void keep_freed_memory();

}  // namespace tg
