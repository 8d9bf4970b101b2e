#pragma once
// Answers that come after the handler returned. A handler that hands its
// work to another thread (e.g. the group committer) returns the placeholder
// of Defer() and calls the Answer once the work is done. The connection
// waits meanwhile without holding any thread; then the middleware's
// after-steps (OnAnswer) run on the final answer, which is written as usual.
// Free of Boost headers.
//
//   auto [placeholder, answer] = http::Defer();
//   committer.Submit(work, [answer](...) { answer(Response::Json(201, ...)); });
//   return placeholder;

#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "common/http/message.h"

namespace bookstore::http {

// Completes one deferred request. Copies answer the same request; the first
// call wins, later ones are ignored. If every copy is destroyed without
// answering (a bug), the request is answered 500 and the fact logged.
// Thread-safe: call from any thread.
class Answer {
 public:
  void operator()(Response response) const;

 private:
  friend std::pair<Response, Answer> Defer();
  struct Guard;
  Answer() = default;
  std::shared_ptr<Guard> guard_;
};

// For a handler (inline or blocking route): the placeholder to return now,
// and the Answer to call later with the real response.
std::pair<Response, Answer> Defer();

// For middleware that reads or changes the response `next` returned: runs
// `fn` on `response` now, or, when `response` is a deferred placeholder, on
// the final answer before it is written (on the connection's io thread).
// Either way the steps run innermost middleware first. (A template so that
// the common, immediate case stores no std::function.)
template <class Fn>
void OnAnswer(Response& response, Fn&& fn);

namespace internal {

// The shared state of one deferred request (Response::deferral). Give and
// Wait are thread-safe; AddStep and Finish belong to the request's own
// thread (before Wait, and after the wake-up).
class Deferral {
 public:
  // Stores the answer (the first call only) and wakes the waiter, if any.
  void Give(Response response);
  bool answered();
  // Calls `wake` once there is an answer: before returning when there is
  // one already, else on the thread that gives it.
  void Wait(std::function<void()> wake);
  void AddStep(std::function<void(Response&)> step);
  // The answer with every step applied; call once, after the wake. A step
  // that throws propagates (the caller answers 500).
  Response Finish();

 private:
  std::mutex mu_;
  bool answered_ = false;       // guarded by mu_
  Response answer_;             // guarded by mu_ until answered_
  std::function<void()> wake_;  // guarded by mu_
  std::vector<std::function<void(Response&)>> steps_;
};

}  // namespace internal

template <class Fn>
void OnAnswer(Response& response, Fn&& fn) {
  if (response.deferral) {
    response.deferral->AddStep(std::forward<Fn>(fn));
  } else {
    fn(response);
  }
}

}  // namespace bookstore::http
