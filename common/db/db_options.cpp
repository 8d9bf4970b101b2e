#include "common/db/db_options.h"

#include "common/config.h"

namespace bookstore::db {

DbOptions DbOptionsFrom(const CommonConfig& config) {
  DbOptions options;
  options.url = config.database_url;
  options.sqlite_synchronous_full = config.sqlite_synchronous_full;
  options.sqlite_pipeline = config.sqlite_pipeline ? SqlitePipeline::kAuto : SqlitePipeline::kOff;
  return options;
}

}  // namespace bookstore::db
