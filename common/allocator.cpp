#include "common/allocator.h"

#include <malloc.h>

namespace bookstore {

void TuneAllocator() {
  mallopt(M_TRIM_THRESHOLD, 32 << 20);
  // Setting the trim threshold freezes the mmap threshold at its 128 KiB
  // default; raise it so that mid-sized buffers are not mapped per use.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
}

}  // namespace bookstore
