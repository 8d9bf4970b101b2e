// §2.3 Idempotency-Key of POST /orders over HTTP.
#include "tests/book_service/api/orders_api_fixture.h"

namespace bookstore::book::test {
namespace {

TEST_F(OrdersApiTest, IdempotencyKeyReplaysTheFirstResult) {
  auto b = AddBook("IK", 10);
  const HeaderList alice_key = {AliceAuth()[0], {"Idempotency-Key", "order-0001"}};
  auto first = Place(Items({{b, 2}}), alice_key);
  ASSERT_EQ(first.status, 201);
  auto second =
      Place(R"({ "items" : [ {"quantity":2, "book_id":)" + std::to_string(b) + "} ] }", alice_key);
  EXPECT_EQ(second.status, 201);
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.Header("Location"), first.Header("Location"));
  EXPECT_EQ(Stock(b), 8);
  // After a status change the replay still returns the original response.
  const auto id = Json(first.body).at("id").as_int64();
  ASSERT_EQ(SetStatus(id, "processing", AdminAuth()).status, 200);
  EXPECT_EQ(Place(Items({{b, 2}}), alice_key).body, first.body);
  // Same key, different body: 422, nothing created.
  EXPECT_EQ(Place(Items({{b, 3}}), alice_key).status, 422);
  EXPECT_EQ(Stock(b), 8);
  // Keys are per user.
  const HeaderList bob_key = {BobAuth()[0], {"Idempotency-Key", "order-0001"}};
  auto bobs = Place(Items({{b, 2}}), bob_key);
  EXPECT_EQ(bobs.status, 201);
  EXPECT_NE(Json(bobs.body).at("id").as_int64(), id);
  EXPECT_EQ(Stock(b), 6);
}

TEST_F(OrdersApiTest, IdempotencyKeysExpireAfterTheRetention) {
  auto b = AddBook("IE", 10);
  const HeaderList key = {AliceAuth()[0], {"Idempotency-Key", "k"}};
  auto first = Place(Items({{b, 1}}), key);
  ASSERT_EQ(first.status, 201);
  clock_.Advance(23 * 3600);
  const HeaderList key_fresh_token = {AliceAuth()[0], {"Idempotency-Key", "k"}};
  EXPECT_EQ(Place(Items({{b, 1}}), key_fresh_token).body, first.body);
  clock_.Advance(2 * 3600);
  const HeaderList key_later = {AliceAuth()[0], {"Idempotency-Key", "k"}};
  auto later = Place(Items({{b, 1}}), key_later);
  EXPECT_EQ(later.status, 201);
  EXPECT_NE(later.body, first.body);
}

TEST_F(OrdersApiTest, FailedAttemptsAreNotRememberedUnderTheKey) {
  auto b = AddBook("IF", 1);
  const HeaderList key = {AliceAuth()[0], {"Idempotency-Key", "retry-me"}};
  EXPECT_EQ(Place(Items({{b, 2}}), key).status, 409);
  ASSERT_EQ(
      client_->PutJson("/books/" + std::to_string(b), R"({"quantity":5})", AdminAuth()).status,
      200);
  EXPECT_EQ(Place(Items({{b, 2}}), key).status, 201);
}

TEST_F(OrdersApiTest, BadIdempotencyKeyIs400) {
  auto b = AddBook("IB", 10);
  EXPECT_EQ(
      Place(Items({{b, 1}}), {AliceAuth()[0], {"Idempotency-Key", std::string(129, 'k')}}).status,
      400);
  EXPECT_EQ(Place(Items({{b, 1}}), {AliceAuth()[0], {"Idempotency-Key", "caf\xc3\xa9"}}).status,
            400);
  EXPECT_EQ(
      Place(Items({{b, 1}}), {AliceAuth()[0], {"Idempotency-Key", std::string(128, 'k')}}).status,
      201);
  EXPECT_EQ(Stock(b), 9);
}

}  // namespace
}  // namespace bookstore::book::test
