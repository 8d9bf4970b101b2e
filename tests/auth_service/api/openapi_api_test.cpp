// The served OpenAPI document covers every route the auth service has.
#include <gmock/gmock.h>

#include "tests/auth_service/api/auth_api_fixture.h"
#include "tests/support/openapi_check.h"

namespace bookstore::auth {
namespace {

TEST_F(AuthApiTest, OpenApiDocumentListsEveryRoute) {
  HttpResponse doc = client_->Get("/openapi.json");
  ASSERT_EQ(doc.status, 200);
  EXPECT_EQ(doc.Header("Content-Type").rfind("application/json", 0), 0u);
  http::Router router = app_->BuildRouter(std::make_shared<Metrics>("auth"));
  EXPECT_THAT(test::RoutesMissingFromOpenApi(router, doc.body), ::testing::IsEmpty());
}

}  // namespace
}  // namespace bookstore::auth
