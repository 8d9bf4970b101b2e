// The WAL write buffer (the default SQLite VFS of every Database): a commit
// reaches the WAL in a few writes instead of two per page, yet every commit
// is in the file when COMMIT returns and other connections read it intact,
// whatever its size, and work rolled back after spilling leaves no trace.
#include "common/db/wal_write_buffer.h"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <filesystem>
#include <string>

#include "common/db/database.h"
#include "tests/common/integration/db_test_util.h"
#include "tests/support/test_env.h"

namespace bookstore::test {
namespace {

namespace fs = std::filesystem;

class WalWriteBufferTest : public ::testing::Test {
 protected:
  WalWriteBufferTest() : writer_(test_db_.Open()), reader_(test_db_.Open()) {
    Writer() << "CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)";
    // As the group committer's writer: COMMIT does not sync the WAL, so
    // nothing but the commit frame makes the buffer write what it gathered.
    Writer() << "PRAGMA synchronous = NORMAL";
  }

  soci::session& Writer() { return writer_->Session(); }
  soci::session& Reader() { return reader_->Session(); }

  // Adds `rows` rows of `bytes` bytes each in one transaction.
  void Add(int rows, int bytes) {
    soci::transaction tx(Writer());
    Writer() << "INSERT INTO blobs (body) SELECT zeroblob(:bytes) FROM "
                "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :rows) "
                "SELECT i FROM n)",
        soci::use(bytes, "bytes"), soci::use(rows, "rows");
    tx.commit();
  }

  // Rows and their total size as `s` sees them.
  static std::pair<long long, long long> Contents(soci::session& s) {
    long long rows = 0, bytes = 0;
    s << "SELECT count(*), coalesce(sum(length(body)), 0) FROM blobs", soci::into(rows),
        soci::into(bytes);
    return {rows, bytes};
  }

  static std::string IntegrityCheck(soci::session& s) {
    std::string result;
    s << "PRAGMA integrity_check", soci::into(result);
    return result;
  }

  TestDatabase test_db_{"sqlite"};
  std::shared_ptr<db::Database> writer_;
  std::shared_ptr<db::Database> reader_;
};

TEST_F(WalWriteBufferTest, ACommitOfManyPagesIsAFewWrites) {
  Add(1, 10);  // the WAL exists and has its header
  const uint64_t before = db::WalWritesIssued();
  Add(40, 900);  // 40+ pages: 80+ writes of frame headers and pages unbuffered
  const uint64_t writes = db::WalWritesIssued() - before;
  EXPECT_GE(writes, 1u);
  EXPECT_LE(writes, 2u);
  EXPECT_EQ(Contents(Reader()), std::make_pair(41LL, 10LL + 40 * 900));
}

TEST_F(WalWriteBufferTest, EveryCommitIsReadIntactByAnotherConnection) {
  long long rows = 0, bytes = 0;
  // Small, larger than one write of the unix VFS (128 KiB), and larger than
  // what the buffer gathers before writing (4 MiB).
  for (auto [n, size] : {std::pair{1, 100}, {3, 5000}, {200, 1000}, {5, 1 << 20}, {1, 10}}) {
    Add(n, size);
    rows += n;
    bytes += static_cast<long long>(n) * size;
    ASSERT_EQ(Contents(Reader()), std::make_pair(rows, bytes)) << n << " x " << size;
  }
  EXPECT_EQ(IntegrityCheck(Reader()), "ok");
}

TEST_F(WalWriteBufferTest, ACommitIsInTheWalFileWhenCommitReturns) {
  Writer() << "PRAGMA wal_autocheckpoint = 0";  // the rows stay in the WAL
  Add(1, 100);
  Add(30, 2000);
  // A copy of the files as a crash would leave them (no -shm, nothing
  // checkpointed) still has every committed row.
  const std::string path = writer_->sqlite_path();
  TempDir copy;
  const std::string copied = copy.path() + "/copy.db";
  fs::copy_file(path, copied);
  fs::copy_file(path + "-wal", copied + "-wal");
  soci::session restored(soci::sqlite3, "db=" + copied);
  EXPECT_EQ(Contents(restored), std::make_pair(31LL, 100LL + 30 * 2000));
  EXPECT_EQ(IntegrityCheck(restored), "ok");
}

TEST_F(WalWriteBufferTest, WorkRolledBackAfterSpillingLeavesNoTrace) {
  Add(2, 100);
  Writer() << "PRAGMA cache_size = 10";  // a large transaction spills frames to the WAL
  {
    soci::transaction tx(Writer());
    Writer() << "INSERT INTO blobs (body) SELECT zeroblob(3000) FROM "
                "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) "
                "SELECT i FROM n)";
    tx.rollback();
  }
  Add(1, 50);
  EXPECT_EQ(Contents(Reader()), std::make_pair(3LL, 250LL));
  EXPECT_EQ(Contents(Writer()), std::make_pair(3LL, 250LL));
  EXPECT_EQ(IntegrityCheck(Reader()), "ok");
}

}  // namespace
}  // namespace bookstore::test
