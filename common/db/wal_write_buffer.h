#pragma once
// Fewer system calls for SQLite commits in WAL mode. A COMMIT appends each
// changed page to the write-ahead log as two writes (a 24-byte frame
// header, then the page), one system call each: about 100 for a group
// commit of 20 orders, a third of the order writer's time here.
// InstallWalWriteBuffer() makes SQLite's default VFS a thin wrapper of the
// "unix" VFS whose WAL files gather consecutive writes in memory and hand
// them to the file at once (in pieces of up to 128 KiB, the "unix" VFS's
// limit per write) when the commit's last frame (the one that carries the
// database size) is written, before SQLite publishes the commit to other
// connections; and before any other operation on the file (read, sync,
// size, truncate, close) or a write elsewhere in it. Errors of that write
// are the commit's errors. Every other file is the "unix" VFS's own.
//
// Call before the first SQLite connection opens (later connections use it;
// earlier ones keep the plain VFS). Idempotent and thread-safe. Throws
// std::runtime_error when SQLite has no "unix" VFS or refuses the new one.

#include <cstdint>

namespace bookstore::db {

void InstallWalWriteBuffer();

// Writes handed to the "unix" VFS for WAL files since start (for tests).
uint64_t WalWritesIssued();

}  // namespace bookstore::db
