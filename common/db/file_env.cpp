#include "common/db/file_env.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace bookstore::db {
namespace {

class RealFileEnv final : public FileEnv {
 public:
  const std::string& VfsName() const override { return name_; }

  int DataSync(int fd, const std::string&) override { return ::fdatasync(fd) == 0 ? 0 : errno; }

  int SyncFolder(const std::string& path) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return errno;
    const int rc = ::fsync(fd) == 0 ? 0 : errno;
    ::close(fd);
    return rc;
  }

 private:
  const std::string name_ = "unix";
};

}  // namespace

std::shared_ptr<FileEnv> FileEnv::Default() {
  static const auto env = std::make_shared<RealFileEnv>();
  return env;
}

}  // namespace bookstore::db
