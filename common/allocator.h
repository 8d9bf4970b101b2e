#pragma once
// Process-wide settings of glibc's allocator for the long-running services.

namespace bookstore {

// Call once at the start of main(), before threads start. Keeps freed
// memory in the process instead of handing each freed top-of-heap chunk
// back to the OS at once: on a thread's arena glibc does that with
// madvise(MADV_DONTNEED), which flushes the TLB of every core through
// inter-processor interrupts. The book service's order path hit that once
// per request batch (40 % of its CPU under POST /orders on a 2-core VM,
// bench/README.md round 3). Memory still returns to the OS past 32 MiB
// of free space at the top of a heap; blocks of 1 MiB and more keep their
// own mappings.
void TuneAllocator();

}  // namespace bookstore
