#pragma once
// Deferring work to the end of the io thread's current batch of events.
// Free of Boost headers.

#include <functional>

namespace bookstore::http {

// On a server io thread (handlers of routes that are not `blocking`, and
// middleware running for them): queues `fn` on that thread's own
// io_context and returns true. `fn` then runs on the same thread, after
// every completion already queued there, i.e. after the rest of the
// current batch of ready events (other connections' requests served in
// this batch included) and before the next request on the calling
// connection is dispatched. Exceptions escaping `fn` are logged and
// dropped. If the server stops before the batch ends, `fn` is destroyed
// without running.
//
// Anywhere else (worker pool threads running blocking routes, tests,
// other threads): does nothing and returns false; `fn` is destroyed.
bool AtEndOfTick(std::function<void()> fn);

}  // namespace bookstore::http
