// The served OpenAPI document covers every route the book service has.
#include <gmock/gmock.h>

#include "tests/book_service/api/book_api_fixture.h"
#include "tests/support/openapi_check.h"

namespace bookstore::book::test {
namespace {

TEST_F(BookApiTest, OpenApiDocumentListsEveryRoute) {
  HttpResponse doc = client_->Get("/openapi.json");
  ASSERT_EQ(doc.status, 200);
  EXPECT_EQ(doc.Header("Content-Type").rfind("application/json", 0), 0u);
  EXPECT_THAT(bookstore::test::RoutesMissingFromOpenApi(app_->BuildRouter(), doc.body),
              ::testing::IsEmpty());
}

}  // namespace
}  // namespace bookstore::book::test
