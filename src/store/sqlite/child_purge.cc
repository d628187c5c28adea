#include "store/sqlite/child_purge.h"

#include <algorithm>

namespace cp::store::sqlite {
namespace {

template <typename T>
Result<std::vector<int64_t>> IdsWhereInImpl(Database& db, std::string_view table,
                                            std::string_view column, const std::vector<T>& values) {
  std::vector<int64_t> ids;
  if (values.empty()) return ids;
  std::string sql =
      "SELECT id FROM " + std::string(table) + " WHERE " + std::string(column) + " IN (";
  for (size_t i = 0; i < values.size(); ++i) sql += i == 0 ? "?" : ",?";
  sql += ") ORDER BY id";
  CP_ASSIGN_OR_RETURN(Statement s, db.Prepare(sql));
  for (size_t i = 0; i < values.size(); ++i) s.Bind(static_cast<int>(i + 1), values[i]);
  while (true) {
    CP_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    ids.push_back(s.ColumnInt(0));
  }
  return ids;
}

}  // namespace

domain::ChildRecord PurgedCopy(const domain::ChildRecord& record) {
  domain::ChildRecord blank;
  blank.id = record.id;
  blank.uin = record.uin;
  blank.date_of_birth = record.date_of_birth;
  blank.responsible_authority = record.responsible_authority;
  blank.extended_with_consent = record.extended_with_consent;
  blank.shielded = record.shielded;
  blank.version = record.version;
  blank.retention = record.retention;
  return blank;
}

Result<std::vector<int64_t>> IdsWhereIn(Database& db, std::string_view table,
                                        std::string_view column,
                                        const std::vector<int64_t>& values) {
  return IdsWhereInImpl(db, table, column, values);
}

Result<std::vector<int64_t>> IdsWhereIn(Database& db, std::string_view table,
                                        std::string_view column,
                                        const std::vector<std::string>& values) {
  return IdsWhereInImpl(db, table, column, values);
}

std::vector<int64_t> UnionOfIds(std::vector<int64_t> a, const std::vector<int64_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  std::sort(a.begin(), a.end());
  a.erase(std::unique(a.begin(), a.end()), a.end());
  return a;
}

Status ResealEach(Database& db, std::string_view update_sql, const std::vector<int64_t>& ids,
                  const std::function<std::string(int64_t id)>& seal) {
  if (ids.empty()) return Status::Ok();
  CP_ASSIGN_OR_RETURN(Statement * s, db.Cached(update_sql));
  for (int64_t id : ids) CP_RETURN_IF_ERROR(s->BindBlob(1, seal(id)).Bind(2, id).Run());
  return Status::Ok();
}

}  // namespace cp::store::sqlite
