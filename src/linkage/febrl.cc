#include "linkage/febrl.h"

#include <charconv>
#include <fstream>
#include <string_view>

namespace cp::linkage::febrl {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  for (size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == ',') {
      fields.push_back(Trim(line.substr(start, i - start)));
      start = i + 1;
    }
  }
  return fields;
}

// "19151111" -> 1915-11-11; a corrupted or empty value (FEBRL's typos can make impossible
// dates) is unknown.
std::optional<Date> ParseFebrlDate(std::string_view s) {
  if (s.size() != 8) return std::nullopt;
  int ymd[3] = {0, 0, 0};
  const size_t starts[3] = {0, 4, 6}, lengths[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    std::string_view part = s.substr(starts[i], lengths[i]);
    auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), ymd[i]);
    if (ec != std::errc() || ptr != part.data() + part.size()) return std::nullopt;
  }
  Result<Date> d = Date::FromYmd(ymd[0], ymd[1], ymd[2]);
  if (!d.ok()) return std::nullopt;
  return *d;
}

}  // namespace

Result<std::vector<Row>> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open FEBRL file");
  std::string line;
  if (!std::getline(in, line)) return Status::InvalidArgument("empty FEBRL file");
  std::vector<Row> rows;
  size_t line_number = 1;
  while (std::getline(in, line)) {
    ++line_number;
    if (Trim(line).empty()) continue;
    std::vector<std::string_view> f = SplitFields(line);
    if (f.size() != 11) {
      return Status::InvalidArgument("FEBRL line " + std::to_string(line_number) +
                                     " does not have 11 fields");
    }
    Row row;
    row.rec_id = std::string(f[0]);
    // rec-N-org | rec-N-dup-K
    std::string_view id = f[0];
    if (id.substr(0, 4) != "rec-") return Status::InvalidArgument("bad FEBRL rec_id");
    id.remove_prefix(4);
    auto [ptr, ec] = std::from_chars(id.data(), id.data() + id.size(), row.entity);
    if (ec != std::errc()) return Status::InvalidArgument("bad FEBRL rec_id");
    std::string_view rest(ptr, static_cast<size_t>(id.data() + id.size() - ptr));
    row.original = rest == "-org";
    if (!row.original && rest.substr(0, 5) != "-dup-") {
      return Status::InvalidArgument("bad FEBRL rec_id");
    }
    // The mapping (docs/matching.md): given_name, surname, postcode and date_of_birth map to
    // the fields of the same meaning; street_number, address_1 and address_2 form the address;
    // suburb is the town; soc_sec_id is the shared identifier. state is not used (eight
    // values: little evidence). FEBRL has no gender, other names or carers.
    row.input.given_names = std::string(f[1]);
    row.input.family_name = std::string(f[2]);
    row.input.postcode = std::string(f[7]);
    row.input.date_of_birth = ParseFebrlDate(f[9]);
    row.input.address = std::string(f[3]) + " " + std::string(f[4]) + ", " + std::string(f[5]);
    row.input.town = std::string(f[6]);
    row.input.identifier = std::string(f[10]);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace cp::linkage::febrl
