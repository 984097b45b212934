// memory.cpp: see memory.h.
#include "autograd/backend/memory.h"

#include <malloc.h>

namespace tg {

void keep_freed_memory() {
  mallopt(M_MMAP_THRESHOLD, 256 << 20);  // blocks below this come from the heap, which can be reused...
  mallopt(M_TRIM_THRESHOLD, 1 << 30);    // ...and is not shrunk until this much is free at its top
}

}  // namespace tg
