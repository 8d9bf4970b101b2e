#pragma once
// Helpers for the order API tests.
#include "tests/book_service/api/book_api_fixture.h"

namespace bookstore::book::test {

inline std::string Items(const std::vector<std::pair<int64_t, int>>& lines) {
  std::string out = R"({"items":[)";
  for (size_t i = 0; i < lines.size(); ++i) {
    out += (i ? "," : "") + std::string(R"({"book_id":)") + std::to_string(lines[i].first) +
           R"(,"quantity":)" + std::to_string(lines[i].second) + "}";
  }
  return out + "]}";
}

class OrdersApiTest : public BookApiTest {
 protected:
  HttpResponse Place(const std::string& body, const HeaderList& auth) {
    return client_->PostJson("/orders", body, auth);
  }
  HttpResponse SetStatus(int64_t order, const std::string& status, const HeaderList& auth) {
    return client_->PutJson("/orders/" + std::to_string(order) + "/status",
                            R"({"status":")" + status + "\"}", auth);
  }
  int64_t PlaceOk(const std::vector<std::pair<int64_t, int>>& lines, const HeaderList& auth) {
    auto r = Place(Items(lines), auth);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Json(r.body).at("id").as_int64() : 0;
  }
};

}  // namespace bookstore::book::test
