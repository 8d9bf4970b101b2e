// Raw POSIX sockets for tests that need byte-level control of a connection.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "tests/support/http_client.h"

namespace bookstore::test {
namespace {

using SteadyClock = std::chrono::steady_clock;

int ConnectLoopback(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("RawConnection: socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    throw std::runtime_error("RawConnection: connect() failed");
  }
  return fd;
}

// Reads into `out` (when non-null) until the peer closes (true) or the
// deadline passes (false).
bool ReadUntilClosed(int fd, std::chrono::milliseconds timeout, std::string* out) {
  auto deadline = SteadyClock::now() + timeout;
  char chunk[16 * 1024];
  for (;;) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    if (left.count() <= 0) return false;
    pollfd pfd{fd, POLLIN, 0};
    int ready = ::poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;  // orderly close or reset
    if (out) out->append(chunk, static_cast<size_t>(n));
  }
}

}  // namespace

RawConnection::RawConnection(uint16_t port) : fd_(ConnectLoopback(port)) {}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::Write(const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

std::string RawConnection::ReadUntilClose(std::chrono::milliseconds timeout) {
  std::string out;
  ReadUntilClosed(fd_, timeout, &out);
  return out;
}

bool RawConnection::WaitClosed(std::chrono::milliseconds timeout) {
  return ReadUntilClosed(fd_, timeout, nullptr);
}

std::string SendRaw(uint16_t port, const std::string& bytes, std::chrono::milliseconds timeout) {
  RawConnection connection(port);
  connection.Write(bytes);
  return connection.ReadUntilClose(timeout);
}

}  // namespace bookstore::test
