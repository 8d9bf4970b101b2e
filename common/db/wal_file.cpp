#include "common/db/wal_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace bookstore::db {
namespace {

[[noreturn]] void Fail(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

void SyncFolder(const std::string& folder) {
  int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) Fail("cannot open the database folder");
  int rc = ::fsync(fd);
  int saved = errno;
  ::close(fd);
  errno = saved;
  if (rc != 0) Fail("cannot sync the database folder");
}

}  // namespace

WalFile::WalFile(std::string database_path) : path_(std::move(database_path) + "-wal") {
  size_t slash = path_.rfind('/');
  folder_ = slash == std::string::npos ? "." : slash == 0 ? "/" : path_.substr(0, slash);
}

WalFile::~WalFile() {
  if (fd_ >= 0) ::close(fd_);
}

void WalFile::Sync() {
  struct stat now {};
  if (::stat(path_.c_str(), &now) != 0) Fail("cannot find the write-ahead log");
  if (fd_ < 0 || static_cast<uint64_t>(now.st_ino) != inode_) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) Fail("cannot open the write-ahead log");
    struct stat opened {};
    if (::fstat(fd_, &opened) != 0) Fail("cannot inspect the write-ahead log");
    inode_ = static_cast<uint64_t>(opened.st_ino);
    SyncFolder(folder_);
  }
  if (::fdatasync(fd_) != 0) Fail("cannot sync the write-ahead log");
}

}  // namespace bookstore::db
