#pragma once
// Fewer system calls for SQLite commits in WAL mode. A COMMIT appends each
// changed page to the write-ahead log as two writes (a 24-byte frame
// header, then the page), one system call each: about 100 for a group
// commit of 20 orders, a third of the order writer's time here.
// WalWriteBufferVfs() registers a thin VFS over another (the "unix" VFS, or
// a test's fault injector) whose WAL files gather consecutive writes in
// memory and hand them to the file at once (in pieces of up to 128 KiB,
// the "unix" VFS's limit per write) when the commit's last frame (the one that carries the
// database size) is written, before SQLite publishes the commit to other
// connections; and before any other operation on the file (read, sync,
// size, truncate, close) or a write elsewhere in it. Errors of that write
// are the commit's errors. Every other file is the base VFS's own.
//
// The pattern it relies on (a frame is a 24-byte header write, then a page
// write) is SQLite's since WAL mode appeared; sqlite_durability.h limits the
// pipeline to the SQLite versions the crash tests ran on.

#include <cstdint>
#include <string>

namespace bookstore::db {

// The name of the buffer VFS over the registered VFS `base_name`,
// registering it (not as the default) on first use. Thread-safe. Throws
// std::runtime_error when SQLite has no such VFS or refuses the new one.
const std::string& WalWriteBufferVfs(const std::string& base_name);

// Writes handed to the base VFS for WAL files since start (for tests).
uint64_t WalWritesIssued();

}  // namespace bookstore::db
