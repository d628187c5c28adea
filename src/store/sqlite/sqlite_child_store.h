// ChildStore on the main SQLite database (tables `child` and `child_change`, migration 2).
// Thread-safe.
//
// At rest: the UIN, current names, gender, date of birth, responsible authority, flags,
// version and the provenance of the core and name items are columns in clear. Everything a
// shielded view hides (former and known-as names, address, carers, education, GP,
// involvements, each with its provenance) is serialised and sealed with the field key into
// `child.protected`, for every record, bound to "child:" + uin so that a sealed value cannot
// be moved to another row. Co-residence uses `child.address_key`, the hex HMAC-SHA256 under a
// separate key of the normalised address lines and postcode, so no address is stored in
// clear to find it.
//
// Involvements with id 0 are given the next free id within their record on Create and Update.
// A created record has version 1.
//
// Merged records (docs/duplicates.md): a record whose `merged_into` column is set has been
// absorbed into another by a confirmed duplicate merge. Every read, scan, count, co-residence
// lookup and update treats it as absent (NotFound), so the search index drops it when the
// merge's change-feed entry arrives. Only the duplicate store sets and clears the column.
#pragma once

#include <memory>
#include <string>

#include "core/clock.h"
#include "crypto/secret_box.h"
#include "store/child_store.h"
#include "store/sqlite/connection.h"

namespace cp::store::sqlite {

class SqliteChildStore final : public ChildStore {
 public:
  // `field_box` and `clock` must outlive the store. `address_hmac_key` (32 bytes) keys the
  // co-residence hash; changing it orphans every stored key. `clock` stamps the change feed
  // (nullptr: the system clock).
  SqliteChildStore(std::shared_ptr<SharedConnection> conn, const crypto::SecretBox& field_box,
                   std::string address_hmac_key, const Clock* clock = nullptr);

  Result<int64_t> Create(const domain::ChildRecord& record) override;
  Status CreateBatch(std::vector<domain::ChildRecord>& records) override;
  Status Update(const domain::ChildRecord& record) override;
  Result<domain::ChildRecord> Get(int64_t id) override;
  Result<domain::ChildRecord> GetByUin(const domain::Uin& uin) override;
  // In sqlite_child_store_merges.cc.
  Result<std::optional<domain::Uin>> MergedInto(const domain::Uin& uin) override;
  Result<domain::ChildSummary> GetSummary(int64_t id) override;
  Result<int64_t> Count() override;
  // Streams the table in pages of ids, holding the connection only while a page is read, and
  // decrypts outside the lock. Each page is consistent; the whole scan is not a snapshot, so a
  // caller that must not miss changes reads LatestChangeSequence() first and then catches up
  // with ChangesSince().
  Status ScanAll(const std::function<Status(const domain::ChildRecord&)>& visit) override;
  Result<Changes> ChangesSince(int64_t after, size_t limit) override;
  Result<int64_t> LatestChangeSequence() override;
  Result<std::vector<int64_t>> FindCoResidents(const domain::ChildRecord& record) override;

  // The co-residence key of an address: hex HMAC-SHA256 of its normalised lines and postcode,
  // or empty if the address is neither current nor last known. Exposed for tests.
  std::string AddressKey(const domain::Address& address) const;

  // For a store that must change a record in its own transaction (a merge, an unmerge): does
  // what Update does (version check, change feed) on `db`, which the caller holds inside an
  // open transaction on this store's connection.
  Status UpdateWithin(Database& db, const domain::ChildRecord& record) const;
  // A self-contained copy of `record` (every item with its provenance, the flags and the
  // version), sealed with the field key and bound to `place` (e.g. "child_merge:7:survivor"),
  // and its inverse. Internal if the snapshot was tampered with or moved to another place.
  std::string SealSnapshot(const domain::ChildRecord& record, std::string_view place) const;
  Result<domain::ChildRecord> OpenSnapshot(std::string_view sealed, std::string_view place) const;
  // For a store that must insert a record in its own transaction (an identity change): does
  // what Create does (change feed included) on `db`, inside the caller's open transaction.
  Result<int64_t> CreateWithin(Database& db, const domain::ChildRecord& record) const;
  // CreateWithin in two steps, for bulk loads: SealForCreate does the costly part (serialising
  // and sealing the protected items, keying the address) and may run on many threads at once,
  // outside any transaction; CreateSealedWithin inserts it as CreateWithin would. The record
  // must outlive the SealedChild.
  struct SealedChild {
    const domain::ChildRecord* record = nullptr;
    std::string sealed;
    std::string address_key;  // Empty: NULL.
  };
  SealedChild SealForCreate(const domain::ChildRecord& record) const;
  Result<int64_t> CreateSealedWithin(Database& db, const SealedChild& sealed) const;
  // For the purge (RetentionStore), for a record merged into the purged one, which no other
  // method writes: rewrites row `id` on `db` (inside the caller's open transaction), keeping
  // only its UIN, date of birth, authority and flags (names, gender, provenance, the protected
  // part and the address key blanked), bumps its version and appends to the change feed.
  // NotFound if there is no such row.
  Status BlankMergedWithin(Database& db, int64_t id) const;

 private:
  struct Row;  // The columns of one `child` row, copied out of the statement.
  // Builds the record from a row, opening its protected part. Internal if it fails
  // authentication or does not parse (tampered, moved or corrupted).
  Result<domain::ChildRecord> Decode(const Row& row) const;

  std::shared_ptr<SharedConnection> conn_;
  const crypto::SecretBox& box_;
  std::string hmac_key_;
  const Clock& clock_;
};

}  // namespace cp::store::sqlite
