#include "book_service/routes/render_cache.h"

#include <array>
#include <cstddef>
#include <utility>

namespace bookstore::book {
namespace {

struct Rendered {
  std::shared_ptr<const void> value;  // held: its address is not reused meanwhile
  int variant = 0;
  std::string text;
};

constexpr size_t kEntries = 8;
thread_local std::array<Rendered, kEntries> t_rendered;
thread_local size_t t_next = 0;  // the entry replaced next (oldest first)

}  // namespace

std::string RenderOnce(std::shared_ptr<const void> value, int variant,
                       const std::function<std::string()>& render) {
  for (const Rendered& r : t_rendered) {
    if (r.value == value && r.variant == variant) return r.text;
  }
  std::string text = render();
  Rendered& slot = t_rendered[t_next];
  t_next = (t_next + 1) % kEntries;
  slot.value = std::move(value);
  slot.variant = variant;
  slot.text = text;
  return text;
}

}  // namespace bookstore::book
