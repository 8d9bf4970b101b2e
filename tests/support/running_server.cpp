// RunningServer and TestServerOptions (TempDir/TestDatabase live in
// test_env.cpp).
#include "tests/support/test_env.h"

namespace bookstore::test {

RunningServer::RunningServer(http::ServerOptions options, http::Router router,
                             std::vector<http::Middleware> extra)
    : server_(
          std::make_unique<http::Server>(std::move(options), std::move(router), std::move(extra))) {
  port_ = server_->Listen();
  thread_ = std::thread([server = server_.get()] { server->Run(/*handle_signals=*/false); });
}

RunningServer::~RunningServer() { Stop(); }

void RunningServer::Stop() {
  if (!thread_.joinable()) return;
  server_->Stop();
  thread_.join();
}

http::ServerOptions TestServerOptions(const std::string& service) {
  http::ServerOptions options;
  options.service = service;
  options.address = "127.0.0.1";
  options.port = 0;
  options.io_threads = 2;
  options.worker_threads = 2;
  options.access_log = false;
  options.drain_timeout = std::chrono::seconds(5);
  return options;
}

}  // namespace bookstore::test
