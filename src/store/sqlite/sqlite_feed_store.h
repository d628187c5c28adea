// FeedStore on the main SQLite database (migration 6: source_ref, source_item_history,
// api_token; migration 5: possible_duplicate, do_not_match). Thread-safe.
//
// Commit() runs in one transaction on the same connection as SqliteChildStore and
// SqliteShieldStore, inserting and updating records through their *Within methods so that the
// records, their change-feed entries, the source references, the history, the possible
// duplicates and the shield rows of a batch become durable together or not at all.
//
// At rest: superseded items are sealed with the field key, bound to
// "source_item:<source>:<ref>:<child_id>"; tokens are kept as their SHA-256 only.
#pragma once

#include <memory>
#include <string>

#include "core/clock.h"
#include "crypto/secret_box.h"
#include "store/feed_store.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_child_store.h"
#include "store/sqlite/sqlite_shield_store.h"

namespace cp::store::sqlite {

class SqliteFeedStore final : public FeedStore {
 public:
  // Every argument must outlive the store; `children` and `shields` use the same `conn`.
  SqliteFeedStore(std::shared_ptr<SharedConnection> conn, const SqliteChildStore& children,
                  const SqliteShieldStore& shields, const crypto::SecretBox& field_box,
                  const Clock& clock);

  Result<FeedBatchResult> Commit(const FeedBatch& batch) override;
  Result<std::unordered_map<std::string, SourceRef>> FindRefs(
      const std::string& source, const std::vector<std::string>& refs) override;
  Result<std::vector<SourceRef>> RefsOfChild(int64_t child_id) override;
  Status KeepItems(const std::vector<SourceRef>& refs) override;
  Result<std::vector<PossibleDuplicate>> PossibleDuplicatesOf(int64_t child_id) override;
  Result<std::vector<int64_t>> DoNotMatchPartners(int64_t child_id) override;
  Result<std::vector<SupersededItems>> History(int64_t child_id) override;
  Result<int64_t> AddToken(const ApiToken& token) override;
  Result<ApiToken> FindToken(const std::string& token_hash) override;
  Result<std::vector<ApiToken>> Tokens(const std::string& source) override;
  Status RevokeToken(const std::string& source, int64_t id, const std::string& by,
                     TimePoint at) override;

 private:
  std::shared_ptr<SharedConnection> conn_;
  const SqliteChildStore& children_;
  const SqliteShieldStore& shields_;
  const crypto::SecretBox& box_;
  const Clock& clock_;
};

}  // namespace cp::store::sqlite
