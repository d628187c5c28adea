#include "store/sqlite/sqlite_child_store.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "store/sqlite/retention_columns.h"

namespace cp::store::sqlite {

using domain::ChildRecord;

namespace {

// ---------------------------------------------------------------------------------------------
// Serialisation of the protected part: a compact binary format.
//
//   format byte (1), then in order: former_names, known_as, address, carers, education, gp,
//   involvements. Strings are varint length + bytes (kept exactly as given, any UTF-8);
//   integers are zigzag varints; an optional is a presence byte and its value; a list is a
//   varint count and its items. Every item ends with its provenance (source, updated_at).
// The decoder refuses trailing bytes, truncation and out-of-range enums.
// ---------------------------------------------------------------------------------------------

constexpr uint8_t kFormat = 1;

class Writer {
 public:
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void Varint(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7F) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void Int(int64_t v) { Varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
  void Str(std::string_view s) {
    Varint(s.size());
    out_.append(s);
  }
  void OptDate(const std::optional<Date>& d) {
    U8(d ? 1 : 0);
    if (d) Int(d->days());
  }
  void Prov(const domain::Provenance& p) {
    Str(p.source);
    Int(ToDb(p.updated_at));
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return ok_ && in_.empty(); }

  uint8_t U8() {
    if (in_.empty()) return Fail<uint8_t>();
    uint8_t v = static_cast<uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return v;
  }
  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in_.empty()) return Fail<uint64_t>();
      const auto b = static_cast<uint8_t>(in_[0]);
      in_.remove_prefix(1);
      v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return Fail<uint64_t>();
  }
  int64_t Int() {
    const uint64_t z = Varint();
    return static_cast<int64_t>(z >> 1) ^ -static_cast<int64_t>(z & 1);
  }
  std::string Str() {
    const uint64_t n = Varint();
    if (n > in_.size()) return Fail<std::string>();
    std::string s(in_.substr(0, n));
    in_.remove_prefix(n);
    return s;
  }
  bool Flag() {
    const uint8_t v = U8();
    if (v > 1) return Fail<bool>();
    return v == 1;
  }
  std::optional<Date> OptDate() {
    if (!Flag()) return std::nullopt;
    return Date::FromDays(Int());
  }
  domain::Provenance Prov() {
    domain::Provenance p;
    p.source = Str();
    p.updated_at = TimeFromDb(Int());
    return p;
  }
  // A list count, bounded by the bytes left (every item takes at least one byte).
  size_t Count() {
    const uint64_t n = Varint();
    if (n > in_.size()) return Fail<size_t>();
    return static_cast<size_t>(n);
  }
  template <typename T>
  T Enum(uint8_t max) {
    const uint8_t v = U8();
    if (v > max) return Fail<T>();
    return static_cast<T>(v);
  }

 private:
  template <typename T>
  T Fail() {
    ok_ = false;
    in_ = {};
    return T{};
  }
  std::string_view in_;
  bool ok_ = true;
};

void WriteNames(Writer& w, const std::vector<domain::PersonName>& names) {
  w.Varint(names.size());
  for (const domain::PersonName& n : names) {
    w.Str(n.given_names);
    w.Str(n.family_name);
    w.Prov(n.provenance);
  }
}

std::vector<domain::PersonName> ReadNames(Reader& r) {
  std::vector<domain::PersonName> names(r.Count());
  for (domain::PersonName& n : names) {
    n.given_names = r.Str();
    n.family_name = r.Str();
    n.provenance = r.Prov();
  }
  return names;
}

// The id an involvement gets: its own, or (for id 0) the next above every id in the record.
// Applying this twice gives the same ids, so a caller can apply it after a commit.
void AssignInvolvementIds(std::vector<domain::Involvement>& involvements) {
  int64_t next = 1;
  for (const domain::Involvement& v : involvements) next = std::max(next, v.id + 1);
  for (domain::Involvement& v : involvements) {
    if (v.id == 0) v.id = next++;
  }
}

// Serialises the hidden items of `r`, with involvement ids as AssignInvolvementIds would set.
std::string SerialiseProtected(const ChildRecord& r) {
  Writer w;
  w.U8(kFormat);
  WriteNames(w, r.former_names);
  WriteNames(w, r.known_as);

  const domain::Address& a = r.address;
  w.U8(static_cast<uint8_t>(a.status));
  w.Str(a.line_1);
  w.Str(a.line_2);
  w.Str(a.town);
  w.Str(a.postcode);
  w.OptDate(a.intent_to_return);
  w.Prov(a.provenance);

  w.Varint(r.carers.size());
  for (const domain::Carer& c : r.carers) {
    w.Str(c.name);
    w.Str(c.relationship);
    w.Str(c.phone);
    w.Str(c.email);
    w.Prov(c.provenance);
  }

  w.U8(r.education ? 1 : 0);
  if (r.education) {
    w.Str(r.education->name);
    w.OptDate(r.education->start_date);
    w.Prov(r.education->provenance);
  }

  w.U8(r.gp ? 1 : 0);
  if (r.gp) {
    w.Str(r.gp->name);
    w.Str(r.gp->phone);
    w.Prov(r.gp->provenance);
  }

  int64_t next_id = 1;
  for (const domain::Involvement& v : r.involvements) next_id = std::max(next_id, v.id + 1);
  w.Varint(r.involvements.size());
  for (const domain::Involvement& v : r.involvements) {
    w.Int(v.id != 0 ? v.id : next_id++);
    w.Str(v.service_type);
    w.Str(v.practitioner);
    w.Str(v.organisation);
    w.Str(v.phone);
    w.Str(v.email);
    w.OptDate(v.start_date);
    w.OptDate(v.end_date);
    w.U8(static_cast<uint8_t>((v.lead_professional ? 1 : 0) | (v.caf_complete ? 2 : 0)));
    w.U8(static_cast<uint8_t>(v.sensitive_basis));
    w.Prov(v.provenance);
  }
  return w.Take();
}

Status ParseProtected(std::string_view bytes, ChildRecord& r) {
  Reader in(bytes);
  if (in.U8() != kFormat) return Status::Internal("unknown format of protected child data");
  r.former_names = ReadNames(in);
  r.known_as = ReadNames(in);

  domain::Address& a = r.address;
  a.status = in.Enum<domain::AddressStatus>(3);
  a.line_1 = in.Str();
  a.line_2 = in.Str();
  a.town = in.Str();
  a.postcode = in.Str();
  a.intent_to_return = in.OptDate();
  a.provenance = in.Prov();

  r.carers.resize(in.Count());
  for (domain::Carer& c : r.carers) {
    c.name = in.Str();
    c.relationship = in.Str();
    c.phone = in.Str();
    c.email = in.Str();
    c.provenance = in.Prov();
  }

  r.education.reset();
  if (in.Flag()) {
    domain::EducationSetting e;
    e.name = in.Str();
    e.start_date = in.OptDate();
    e.provenance = in.Prov();
    r.education = std::move(e);
  }

  r.gp.reset();
  if (in.Flag()) {
    domain::GpPractice g;
    g.name = in.Str();
    g.phone = in.Str();
    g.provenance = in.Prov();
    r.gp = std::move(g);
  }

  r.involvements.resize(in.Count());
  for (domain::Involvement& v : r.involvements) {
    v.id = in.Int();
    v.service_type = in.Str();
    v.practitioner = in.Str();
    v.organisation = in.Str();
    v.phone = in.Str();
    v.email = in.Str();
    v.start_date = in.OptDate();
    v.end_date = in.OptDate();
    const uint8_t flags = in.U8();
    if (flags > 3) return Status::Internal("corrupt protected child data");
    v.lead_professional = (flags & 1) != 0;
    v.caf_complete = (flags & 2) != 0;
    v.sensitive_basis = in.Enum<domain::SensitiveBasis>(2);
    v.provenance = in.Prov();
  }
  if (!in.done()) return Status::Internal("corrupt protected child data");
  return Status::Ok();
}

std::string AssociatedData(std::string_view uin) { return "child:" + std::string(uin); }

// One address part for the co-residence key: ASCII letters lower-cased, digits and non-ASCII
// bytes kept, every run of anything else (spaces, punctuation) one space, trimmed.
void AppendNormalised(std::string& out, std::string_view part, bool drop_separators) {
  bool gap = false;
  const size_t start = out.size();
  for (char ch : part) {
    const auto c = static_cast<unsigned char>(ch);
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
    if (c >= 'A' && c <= 'Z') {
      if (gap && out.size() > start) out.push_back(' ');
      gap = false;
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if (keep) {
      if (gap && out.size() > start) out.push_back(' ');
      gap = false;
      out.push_back(ch);
    } else {
      gap = !drop_separators;
    }
  }
  out.push_back('\x1f');
}

// ---------------------------------------------------------------------------------------------
// Rows.
// ---------------------------------------------------------------------------------------------

#define CP_CHILD_COLUMNS                                                                       \
  "id, uin, given_names, family_name, gender, date_of_birth, responsible_authority,"           \
  " shielded, extended_with_consent, version, core_source, core_updated_at, name_source,"      \
  " name_updated_at, protected, record_state, archive_reason, archived_on, death_notified_on," \
  " date_of_death, purged_on"

// A record ready to write: clear columns come from the record, the rest is sealed.
struct Prepared {
  const ChildRecord* record;
  std::string sealed;
  std::string address_key;  // Empty: NULL.
};

Status BindChild(Statement& s, const Prepared& p) {
  const ChildRecord& r = *p.record;
  s.Bind(1, r.uin.str())
      .Bind(2, r.name.given_names)
      .Bind(3, r.name.family_name)
      .Bind(4, domain::GenderName(r.gender))
      .Bind(5, r.date_of_birth.ToString())
      .Bind(6, r.responsible_authority)
      .Bind(7, r.shielded ? 1 : 0)
      .Bind(8, r.extended_with_consent ? 1 : 0)
      .Bind(9, r.core_provenance.source)
      .Bind(10, ToDb(r.core_provenance.updated_at))
      .Bind(11, r.name.provenance.source)
      .Bind(12, ToDb(r.name.provenance.updated_at))
      .BindBlob(13, p.sealed);
  if (p.address_key.empty()) {
    s.BindNull(14);
  } else {
    s.Bind(14, p.address_key);
  }
  return Status::Ok();
}

Status UinTaken(const Status& st) {
  if (st.code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists("A child with that UIN already exists", "uin");
  }
  return st;
}

Status AppendChange(Database& db, int64_t child_id, int64_t now) {
  CP_ASSIGN_OR_RETURN(Statement * c,
                      db.Cached("INSERT INTO child_change(child_id, changed_at) VALUES (?,?)"));
  return c->Bind(1, child_id).Bind(2, now).Run();
}

const Clock& SystemClockInstance() {
  static const SystemClock* clock = new SystemClock();
  return *clock;
}

constexpr size_t kScanPage = 2048;

}  // namespace

struct SqliteChildStore::Row {
  int64_t id = 0;
  std::string uin;
  std::string given_names;
  std::string family_name;
  std::string gender;
  std::string date_of_birth;
  std::string responsible_authority;
  bool shielded = false;
  bool extended_with_consent = false;
  int64_t version = 0;
  std::string core_source;
  int64_t core_updated_at = 0;
  std::string name_source;
  int64_t name_updated_at = 0;
  std::string sealed;
  // Lifecycle (domain/retention.h; migration "child lifecycle").
  int64_t record_state = 0;
  std::string archive_reason;
  std::optional<std::string> archived_on;
  std::optional<std::string> death_notified_on;
  std::optional<std::string> date_of_death;
  std::optional<std::string> purged_on;

  static Row Read(const Statement& s) {
    Row row;
    row.id = s.ColumnInt(0);
    row.uin = s.ColumnText(1);
    row.given_names = s.ColumnText(2);
    row.family_name = s.ColumnText(3);
    row.gender = s.ColumnText(4);
    row.date_of_birth = s.ColumnText(5);
    row.responsible_authority = s.ColumnText(6);
    row.shielded = s.ColumnInt(7) != 0;
    row.extended_with_consent = s.ColumnInt(8) != 0;
    row.version = s.ColumnInt(9);
    row.core_source = s.ColumnText(10);
    row.core_updated_at = s.ColumnInt(11);
    row.name_source = s.ColumnText(12);
    row.name_updated_at = s.ColumnInt(13);
    row.sealed = s.ColumnBlob(14);
    row.record_state = s.ColumnInt(15);
    row.archive_reason = s.ColumnText(16);
    row.archived_on = s.ColumnOptionalText(17);
    row.death_notified_on = s.ColumnOptionalText(18);
    row.date_of_death = s.ColumnOptionalText(19);
    row.purged_on = s.ColumnOptionalText(20);
    return row;
  }
};

SqliteChildStore::SqliteChildStore(std::shared_ptr<SharedConnection> conn,
                                   const crypto::SecretBox& field_box, std::string address_hmac_key,
                                   const Clock* clock)
    : conn_(std::move(conn)),
      box_(field_box),
      hmac_key_(std::move(address_hmac_key)),
      clock_(clock != nullptr ? *clock : SystemClockInstance()) {
  // A short or empty key would make the co-residence hash guessable: a wiring bug.
  if (hmac_key_.size() != 32) std::abort();
}

std::string SqliteChildStore::AddressKey(const domain::Address& a) const {
  if (a.status != domain::AddressStatus::kCurrent &&
      a.status != domain::AddressStatus::kLastKnown) {
    return {};
  }
  std::string text = "address-v1\x1f";
  AppendNormalised(text, a.line_1, /*drop_separators=*/false);
  AppendNormalised(text, a.line_2, /*drop_separators=*/false);
  AppendNormalised(text, a.postcode, /*drop_separators=*/true);
  return crypto::HexEncode(crypto::HmacSha256(hmac_key_, text));
}

Result<ChildRecord> SqliteChildStore::Decode(const Row& row) const {
  ChildRecord r;
  r.id = row.id;
  CP_ASSIGN_OR_RETURN(r.uin, domain::Uin::Parse(row.uin));
  r.name.given_names = row.given_names;
  r.name.family_name = row.family_name;
  r.name.provenance = {row.name_source, TimeFromDb(row.name_updated_at)};
  auto gender = domain::ParseGender(row.gender);
  if (!gender) return Status::Internal("corrupt child gender");
  r.gender = *gender;
  CP_ASSIGN_OR_RETURN(r.date_of_birth, Date::Parse(row.date_of_birth));
  r.core_provenance = {row.core_source, TimeFromDb(row.core_updated_at)};
  r.responsible_authority = row.responsible_authority;
  r.shielded = row.shielded;
  r.extended_with_consent = row.extended_with_consent;
  r.version = row.version;
  CP_ASSIGN_OR_RETURN(r.retention,
                      DecodeRetention(row.record_state, row.archive_reason, row.archived_on,
                                      row.death_notified_on, row.date_of_death, row.purged_on));
  auto plain = box_.Open(row.sealed, AssociatedData(row.uin));
  if (!plain.ok()) return Status::Internal("protected child data failed authentication");
  CP_RETURN_IF_ERROR(ParseProtected(*plain, r));
  return r;
}

namespace {

Status InsertPrepared(Database& db, const Prepared& p, int64_t now, int64_t& id) {
  CP_ASSIGN_OR_RETURN(
      Statement * s,
      db.Cached("INSERT INTO child(uin, given_names, family_name, gender, date_of_birth,"
                " responsible_authority, shielded, extended_with_consent, core_source,"
                " core_updated_at, name_source, name_updated_at, protected, address_key)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  CP_RETURN_IF_ERROR(BindChild(*s, p));
  CP_RETURN_IF_ERROR(UinTaken(s->Run()));
  id = db.LastInsertRowId();
  return AppendChange(db, id, now);
}

Status CheckInsertable(const ChildRecord& r) {
  if (r.uin.empty()) return Status::InvalidArgument("A child record needs a UIN", "uin");
  return Status::Ok();
}

}  // namespace

Result<int64_t> SqliteChildStore::Create(const ChildRecord& record) {
  CP_RETURN_IF_ERROR(CheckInsertable(record));
  // Seal before taking the connection: the lock is held only for the writes.
  Prepared p{&record, box_.Seal(SerialiseProtected(record), AssociatedData(record.uin.str())),
             AddressKey(record.address)};
  const int64_t now = ToDb(clock_.Now());
  return conn_->With([&](Database& db) -> Result<int64_t> {
    CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    int64_t id = 0;
    CP_RETURN_IF_ERROR(InsertPrepared(db, p, now, id));
    CP_RETURN_IF_ERROR(tx.Commit());
    return id;
  });
}

Status SqliteChildStore::CreateBatch(std::vector<ChildRecord>& records) {
  if (records.empty()) return Status::Ok();
  std::vector<Prepared> prepared;
  prepared.reserve(records.size());
  for (const ChildRecord& r : records) {
    CP_RETURN_IF_ERROR(CheckInsertable(r));
    prepared.push_back(Prepared{&r, box_.Seal(SerialiseProtected(r), AssociatedData(r.uin.str())),
                                AddressKey(r.address)});
  }
  const int64_t now = ToDb(clock_.Now());
  std::vector<int64_t> ids(records.size());
  CP_RETURN_IF_ERROR(conn_->With([&](Database& db) -> Status {
    CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    for (size_t i = 0; i < prepared.size(); ++i) {
      CP_RETURN_IF_ERROR(InsertPrepared(db, prepared[i], now, ids[i]));
    }
    return tx.Commit();
  }));
  for (size_t i = 0; i < records.size(); ++i) {
    records[i].id = ids[i];
    records[i].version = 1;
    AssignInvolvementIds(records[i].involvements);
  }
  return Status::Ok();
}

Status SqliteChildStore::Update(const ChildRecord& record) {
  CP_RETURN_IF_ERROR(CheckInsertable(record));
  return conn_->With([&](Database& db) -> Status {
    CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    CP_RETURN_IF_ERROR(UpdateWithin(db, record));
    return tx.Commit();
  });
}

Status SqliteChildStore::UpdateWithin(Database& db, const ChildRecord& record) const {
  CP_RETURN_IF_ERROR(CheckInsertable(record));
  Prepared p{&record, box_.Seal(SerialiseProtected(record), AssociatedData(record.uin.str())),
             AddressKey(record.address)};
  const int64_t now = ToDb(clock_.Now());
  CP_ASSIGN_OR_RETURN(
      Statement * s,
      db.Cached("UPDATE child SET uin=?, given_names=?, family_name=?, gender=?,"
                " date_of_birth=?, responsible_authority=?, shielded=?,"
                " extended_with_consent=?, core_source=?, core_updated_at=?, name_source=?,"
                " name_updated_at=?, protected=?, address_key=?, version=version+1"
                " WHERE id=? AND version=? AND merged_into IS NULL"));
  CP_RETURN_IF_ERROR(BindChild(*s, p));
  s->Bind(15, record.id).Bind(16, record.version);
  CP_RETURN_IF_ERROR(UinTaken(s->Run()));
  if (db.Changes() == 0) {
    CP_ASSIGN_OR_RETURN(Statement * e,
                        db.Cached("SELECT 1 FROM child WHERE id=? AND merged_into IS NULL"));
    e->Bind(1, record.id);
    CP_ASSIGN_OR_RETURN(bool exists, e->Step());
    e->Reset();
    if (!exists) return Status::NotFound("no such child");
    return Status::Conflict("The record was changed by someone else; reload and try again");
  }
  return AppendChange(db, record.id, now);
}

Status SqliteChildStore::BlankMergedWithin(Database& db, int64_t id) const {
  CP_ASSIGN_OR_RETURN(Statement * read,
                      db.Cached("SELECT uin, date_of_birth, responsible_authority, shielded,"
                                " extended_with_consent FROM child WHERE id=?"));
  read->Bind(1, id);
  CP_ASSIGN_OR_RETURN(bool found, read->Step());
  if (!found) {
    read->Reset();
    return Status::NotFound("no such child");
  }
  auto uin = domain::Uin::Parse(read->ColumnText(0));
  auto dob = Date::Parse(read->ColumnText(1));
  ChildRecord blank;
  blank.id = id;
  blank.responsible_authority = read->ColumnText(2);
  blank.shielded = read->ColumnInt(3) != 0;
  blank.extended_with_consent = read->ColumnInt(4) != 0;
  read->Reset();
  if (!uin.ok() || !dob.ok()) return Status::Internal("stored child row is malformed");
  blank.uin = *uin;
  blank.date_of_birth = *dob;
  Prepared p{&blank, box_.Seal(SerialiseProtected(blank), AssociatedData(blank.uin.str())), ""};
  CP_ASSIGN_OR_RETURN(
      Statement * s,
      db.Cached("UPDATE child SET uin=?, given_names=?, family_name=?, gender=?,"
                " date_of_birth=?, responsible_authority=?, shielded=?,"
                " extended_with_consent=?, core_source=?, core_updated_at=?, name_source=?,"
                " name_updated_at=?, protected=?, address_key=?, version=version+1 WHERE id=?"));
  CP_RETURN_IF_ERROR(BindChild(*s, p));
  CP_RETURN_IF_ERROR(s->Bind(15, id).Run());
  return AppendChange(db, id, ToDb(clock_.Now()));
}

namespace {

constexpr uint8_t kSnapshotFormat = 1;

std::string SnapshotPlace(std::string_view place) { return "snapshot:" + std::string(place); }

}  // namespace

std::string SqliteChildStore::SealSnapshot(const ChildRecord& r, std::string_view place) const {
  Writer w;
  w.U8(kSnapshotFormat);
  w.Int(r.id);
  w.Str(r.uin.str());
  w.Str(r.name.given_names);
  w.Str(r.name.family_name);
  w.Prov(r.name.provenance);
  w.Str(domain::GenderName(r.gender));
  w.Int(r.date_of_birth.days());
  w.Prov(r.core_provenance);
  w.Str(r.responsible_authority);
  w.U8(r.extended_with_consent ? 1 : 0);
  w.U8(r.shielded ? 1 : 0);
  w.Int(r.version);
  w.Str(SerialiseProtected(r));
  return box_.Seal(w.Take(), SnapshotPlace(place));
}

Result<ChildRecord> SqliteChildStore::OpenSnapshot(std::string_view sealed,
                                                   std::string_view place) const {
  auto plain = box_.Open(sealed, SnapshotPlace(place));
  if (!plain.ok()) return Status::Internal("record snapshot failed authentication");
  Reader in(*plain);
  ChildRecord r;
  if (in.U8() != kSnapshotFormat) return Status::Internal("unknown record snapshot format");
  r.id = in.Int();
  const std::string uin = in.Str();
  r.name.given_names = in.Str();
  r.name.family_name = in.Str();
  r.name.provenance = in.Prov();
  const std::string gender = in.Str();
  r.date_of_birth = Date::FromDays(in.Int());
  r.core_provenance = in.Prov();
  r.responsible_authority = in.Str();
  r.extended_with_consent = in.Flag();
  r.shielded = in.Flag();
  r.version = in.Int();
  const std::string protected_part = in.Str();
  if (!in.done()) return Status::Internal("corrupt record snapshot");
  CP_ASSIGN_OR_RETURN(r.uin, domain::Uin::Parse(uin));
  auto parsed_gender = domain::ParseGender(gender);
  if (!parsed_gender) return Status::Internal("corrupt record snapshot");
  r.gender = *parsed_gender;
  CP_RETURN_IF_ERROR(ParseProtected(protected_part, r));
  return r;
}

Result<ChildRecord> SqliteChildStore::Get(int64_t id) {
  auto row = conn_->With([&](Database& db) -> Result<Row> {
    CP_ASSIGN_OR_RETURN(Statement * s, db.Cached("SELECT " CP_CHILD_COLUMNS
                                                 " FROM child WHERE id=? AND merged_into IS NULL"));
    s->Bind(1, id);
    CP_ASSIGN_OR_RETURN(bool found, s->Step());
    if (!found) return Status::NotFound("no such child");
    Row r = Row::Read(*s);
    s->Reset();
    return r;
  });
  if (!row.ok()) return row.status();
  return Decode(*row);
}

Result<ChildRecord> SqliteChildStore::GetByUin(const domain::Uin& uin) {
  auto row = conn_->With([&](Database& db) -> Result<Row> {
    CP_ASSIGN_OR_RETURN(
        Statement * s,
        db.Cached("SELECT " CP_CHILD_COLUMNS " FROM child WHERE uin=? AND merged_into IS NULL"));
    s->Bind(1, uin.str());
    CP_ASSIGN_OR_RETURN(bool found, s->Step());
    if (!found) return Status::NotFound("no such child");
    Row r = Row::Read(*s);
    s->Reset();
    return r;
  });
  if (!row.ok()) return row.status();
  return Decode(*row);
}

Result<domain::ChildSummary> SqliteChildStore::GetSummary(int64_t id) {
  return conn_->With([&](Database& db) -> Result<domain::ChildSummary> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("SELECT uin, given_names, family_name, gender, date_of_birth,"
                                  " shielded, responsible_authority FROM child"
                                  " WHERE id=? AND merged_into IS NULL"));
    s->Bind(1, id);
    CP_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Status::NotFound("no such child");
    domain::ChildSummary out;
    out.id = id;
    auto uin = domain::Uin::Parse(s->ColumnText(0));
    auto gender = domain::ParseGender(s->ColumnText(3));
    auto dob = Date::Parse(s->ColumnText(4));
    if (!uin.ok() || !gender || !dob.ok()) {
      s->Reset();
      return Status::Internal("stored child row is malformed");
    }
    out.uin = *uin;
    out.given_names = s->ColumnText(1);
    out.family_name = s->ColumnText(2);
    out.gender = *gender;
    out.date_of_birth = *dob;
    out.shielded = s->ColumnInt(5) != 0;
    out.responsible_authority = s->ColumnText(6);
    s->Reset();
    return out;
  });
}

Result<int64_t> SqliteChildStore::Count() {
  return conn_->With([&](Database& db) -> Result<int64_t> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("SELECT COUNT(*) FROM child WHERE merged_into IS NULL"));
    CP_ASSIGN_OR_RETURN(bool row, s->Step());
    const int64_t n = row ? s->ColumnInt(0) : 0;
    s->Reset();
    return n;
  });
}

Status SqliteChildStore::ScanAll(const std::function<Status(const ChildRecord&)>& visit) {
  int64_t after = 0;
  std::vector<Row> page;
  page.reserve(kScanPage);
  while (true) {
    page.clear();
    CP_RETURN_IF_ERROR(conn_->With([&](Database& db) -> Status {
      CP_ASSIGN_OR_RETURN(Statement * s, db.Cached("SELECT " CP_CHILD_COLUMNS
                                                   " FROM child WHERE id>? AND merged_into IS NULL"
                                                   " ORDER BY id LIMIT ?"));
      s->Bind(1, after).Bind(2, static_cast<int64_t>(kScanPage));
      while (true) {
        CP_ASSIGN_OR_RETURN(bool row, s->Step());
        if (!row) break;
        page.push_back(Row::Read(*s));
      }
      s->Reset();
      return Status::Ok();
    }));
    if (page.empty()) return Status::Ok();
    for (const Row& row : page) {
      CP_ASSIGN_OR_RETURN(ChildRecord record, Decode(row));
      CP_RETURN_IF_ERROR(visit(record));
    }
    after = page.back().id;
    if (page.size() < kScanPage) return Status::Ok();
  }
}

Result<ChildStore::Changes> SqliteChildStore::ChangesSince(int64_t after, size_t limit) {
  return conn_->With([&](Database& db) -> Result<Changes> {
    CP_ASSIGN_OR_RETURN(
        Statement * s,
        db.Cached("SELECT seq, child_id FROM child_change WHERE seq>? ORDER BY seq LIMIT ?"));
    s->Bind(1, after).Bind(2, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
    Changes changes;
    changes.last_sequence = after;
    while (true) {
      CP_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      changes.last_sequence = s->ColumnInt(0);
      changes.child_ids.push_back(s->ColumnInt(1));
    }
    s->Reset();
    return changes;
  });
}

Result<int64_t> SqliteChildStore::LatestChangeSequence() {
  return conn_->With([&](Database& db) -> Result<int64_t> {
    CP_ASSIGN_OR_RETURN(Statement * s, db.Cached("SELECT COALESCE(MAX(seq), 0) FROM child_change"));
    CP_ASSIGN_OR_RETURN(bool row, s->Step());
    const int64_t seq = row ? s->ColumnInt(0) : 0;
    s->Reset();
    return seq;
  });
}

Result<std::vector<int64_t>> SqliteChildStore::FindCoResidents(const ChildRecord& record) {
  const std::string key = AddressKey(record.address);
  if (key.empty()) return std::vector<int64_t>();
  return conn_->With([&](Database& db) -> Result<std::vector<int64_t>> {
    CP_ASSIGN_OR_RETURN(
        Statement * s,
        db.Cached("SELECT id FROM child WHERE address_key=? AND id<>? AND merged_into IS NULL"
                  " ORDER BY id"));
    s->Bind(1, key).Bind(2, record.id);
    std::vector<int64_t> ids;
    while (true) {
      CP_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      ids.push_back(s->ColumnInt(0));
    }
    s->Reset();
    return ids;
  });
}

SqliteChildStore::SealedChild SqliteChildStore::SealForCreate(const ChildRecord& record) const {
  return SealedChild{&record,
                     box_.Seal(SerialiseProtected(record), AssociatedData(record.uin.str())),
                     AddressKey(record.address)};
}

Result<int64_t> SqliteChildStore::CreateSealedWithin(Database& db,
                                                     const SealedChild& sealed) const {
  CP_RETURN_IF_ERROR(CheckInsertable(*sealed.record));
  Prepared p{sealed.record, sealed.sealed, sealed.address_key};
  int64_t id = 0;
  CP_RETURN_IF_ERROR(InsertPrepared(db, p, ToDb(clock_.Now()), id));
  return id;
}

Result<int64_t> SqliteChildStore::CreateWithin(Database& db, const ChildRecord& record) const {
  CP_RETURN_IF_ERROR(CheckInsertable(record));
  Prepared p{&record, box_.Seal(SerialiseProtected(record), AssociatedData(record.uin.str())),
             AddressKey(record.address)};
  int64_t id = 0;
  CP_RETURN_IF_ERROR(InsertPrepared(db, p, ToDb(clock_.Now()), id));
  return id;
}

}  // namespace cp::store::sqlite
