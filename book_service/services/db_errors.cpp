#include "book_service/services/db_errors.h"

#include <soci/soci.h>

#include <exception>
#include <string>

#include "common/logging.h"

namespace bookstore::book {

Error MapCurrentException(std::string_view operation,
                          const std::function<std::optional<Error>(Violation)>& on_violation) {
  try {
    throw;
  } catch (const soci::soci_error& e) {
    const Violation v = ClassifyViolation(e);
    if (v != Violation::kNone && on_violation) {
      if (auto mapped = on_violation(v)) return *mapped;
    }
    logging::Event("db_error",
                   {{"operation", std::string(operation)},
                    {"category", std::to_string(static_cast<int>(e.get_error_category()))},
                    {"violation", std::to_string(static_cast<int>(v))}});
    if (v != Violation::kNone) return Error::Internal();
    return Error::Unavailable("the database is not available");
  } catch (const std::exception&) {
    logging::Event("internal_error", {{"operation", std::string(operation)}});
    return Error::Internal();
  }
}

}  // namespace bookstore::book
