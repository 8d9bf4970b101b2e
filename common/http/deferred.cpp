// Deferred answers: the Answer handle, its 500 fallback, and the Deferral
// the session waits on.
#include "common/http/deferred.h"

#include "common/http/problem.h"
#include "common/logging.h"

namespace bookstore::http {

// Owned by every copy of one Answer; answers 500 when the last copy goes
// without having answered.
struct Answer::Guard {
  std::shared_ptr<internal::Deferral> deferral;

  ~Guard() {
    if (deferral->answered()) return;  // the usual case; no other copy can answer now
    logging::Error("a deferred request was dropped without an answer");
    deferral->Give(ProblemResponse(Error::Internal()));
  }
};

void Answer::operator()(Response response) const { guard_->deferral->Give(std::move(response)); }

std::pair<Response, Answer> Defer() {
  Response placeholder;
  placeholder.deferral = std::make_shared<internal::Deferral>();
  Answer answer;
  answer.guard_ = std::make_shared<Answer::Guard>();
  answer.guard_->deferral = placeholder.deferral;
  return {std::move(placeholder), std::move(answer)};
}

namespace internal {

void Deferral::Give(Response response) {
  std::function<void()> wake;
  {
    std::lock_guard lock(mu_);
    if (answered_) return;
    answered_ = true;
    answer_ = std::move(response);
    answer_.deferral.reset();  // an answer is final, never deferred again
    wake = std::move(wake_);
  }
  if (wake) wake();
}

bool Deferral::answered() {
  std::lock_guard lock(mu_);
  return answered_;
}

void Deferral::Wait(std::function<void()> wake) {
  {
    std::lock_guard lock(mu_);
    if (!answered_) {
      wake_ = std::move(wake);
      return;
    }
  }
  wake();
}

void Deferral::AddStep(std::function<void(Response&)> step) { steps_.push_back(std::move(step)); }

Response Deferral::Finish() {
  Response response;
  {
    std::lock_guard lock(mu_);
    response = std::move(answer_);
  }
  for (auto& step : steps_) step(response);
  return response;
}

}  // namespace internal
}  // namespace bookstore::http
