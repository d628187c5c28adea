#include "app/feed_cli.h"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/demo.h"
#include "app/synthetic_children.h"
#include "domain/child_record.h"
#include "workflow/feed_import.h"
#include "workflow/feed_tokens.h"

namespace cp::app {

namespace {

const workflow::Actor kOperator{"system", "", "", {}, "cli", "local", true};

std::string Join(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line.push_back(',');
    line += CsvField(fields[i]);
  }
  return line;
}

// The feed row of a generated child: the closed list's columns, as a source would send them.
workflow::FeedRow RowOf(const domain::ChildRecord& r, const std::string& ref) {
  workflow::FeedRow row;
  row.source_ref = ref;
  row.given_names = r.name.given_names;
  row.family_name = r.name.family_name;
  for (const auto* list : {&r.former_names, &r.known_as}) {
    for (const auto& n : *list) {
      if (!row.other_names.empty()) row.other_names += ";";
      row.other_names +=
          n.given_names.empty() ? n.family_name : n.given_names + " " + n.family_name;
    }
  }
  row.gender = std::string(domain::GenderName(r.gender));
  row.date_of_birth = r.date_of_birth.ToString();
  if (r.address.status == domain::AddressStatus::kCurrent ||
      r.address.status == domain::AddressStatus::kLastKnown) {
    row.address_line_1 = r.address.line_1;
    row.address_line_2 = r.address.line_2;
    row.town = r.address.town;
    row.postcode = r.address.postcode;
  }
  if (r.education) {
    row.school = r.education->name;
    if (r.education->start_date) row.school_start_date = r.education->start_date->ToString();
  }
  if (r.gp) row.gp_practice = r.gp->name;
  if (!r.carers.empty()) {
    row.carer_1_name = r.carers[0].name;
    row.carer_1_relationship = r.carers[0].relationship;
    row.carer_1_phone = r.carers[0].phone;
  }
  if (r.carers.size() > 1) {
    row.carer_2_name = r.carers[1].name;
    row.carer_2_relationship = r.carers[1].relationship;
    row.carer_2_phone = r.carers[1].phone;
  }
  return row;
}

Result<size_t> ParseCount(const ParsedArgs& args, const std::string& name, size_t fallback,
                          size_t max) {
  if (!args.Has(name)) return fallback;
  const std::string text = args.Get(name);
  char* end = nullptr;
  unsigned long long n = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || n > max) {
    return Status::InvalidArgument("--" + name + " must be a number up to " + std::to_string(max),
                                   name);
  }
  return static_cast<size_t>(n);
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

long PeakRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

}  // namespace

bool ReadCsvRecord(std::istream& in, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool quoted = false;
  bool any = false;
  int c;
  while ((c = in.get()) != EOF) {
    any = true;
    const char ch = static_cast<char>(c);
    if (quoted) {
      if (ch == '"') {
        if (in.peek() == '"') {
          in.get();
          field.push_back('"');
        } else {
          quoted = false;
        }
      } else {
        field.push_back(ch);
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (ch == '\n') {
      if (!field.empty() && field.back() == '\r') field.pop_back();
      fields.push_back(std::move(field));
      return true;
    } else {
      field.push_back(ch);
    }
  }
  if (!any) return false;
  if (!field.empty() && field.back() == '\r') field.pop_back();
  fields.push_back(std::move(field));
  return true;
}

std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

Status GenerateCommand(const std::vector<std::string>& argv) {
  CP_ASSIGN_OR_RETURN(ParsedArgs args, ParseArgs(argv, {"children", "out", "seed"}, {}));
  CP_ASSIGN_OR_RETURN(size_t n, ParseCount(args, "children", 0, 20'000'000));
  if (!args.Has("children")) return Status::InvalidArgument("--children N is required", "children");
  const std::string out_path = args.Get("out");
  if (out_path.empty()) return Status::InvalidArgument("--out FILE.csv is required", "out");
  SystemClock clock;
  SyntheticOptions options = DemoSyntheticOptions(Date::FromTime(clock.Now()));
  if (args.Has("seed")) {
    CP_ASSIGN_OR_RETURN(size_t seed, ParseCount(args, "seed", 0, SIZE_MAX));
    options.seed = seed;
  }
  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::Unavailable("cannot write " + out_path);
  out << Join(workflow::FeedColumns()) << "\n";
  SyntheticChildren generator(options);
  size_t written = 0;
  std::vector<std::string> fields(workflow::FeedColumns().size());
  while (written < n) {
    const size_t batch = std::min<size_t>(10000, n - written);
    for (const domain::ChildRecord& r : generator.NextBatch(batch)) {
      char ref[24];
      std::snprintf(ref, sizeof ref, "SYN-%09zu", written + 1);
      const workflow::FeedRow row = RowOf(r, ref);
      for (size_t i = 0; i < fields.size(); ++i) fields[i] = workflow::FeedField(row, i);
      out << Join(fields) << "\n";
      ++written;
    }
  }
  out.flush();
  if (!out) return Status::Unavailable("cannot write " + out_path);
  std::cout << "wrote " << written << " children to " << out_path << "\n";
  return Status::Ok();
}

Status ImportCommand(const std::vector<std::string>& argv, const OpenForAdminFn& open) {
  CP_ASSIGN_OR_RETURN(ParsedArgs args,
                      ParseArgs(argv, {"data", "keys", "source", "report", "batch"}, {}));
  if (args.positional.size() != 1) {
    return Status::InvalidArgument("give exactly one FILE.csv to import", "file");
  }
  const std::string code = args.Get("source");
  if (code.empty()) return Status::InvalidArgument("--source ORG_CODE is required", "source");
  CP_ASSIGN_OR_RETURN(size_t batch, ParseCount(args, "batch", 5000, 100000));
  if (batch == 0) return Status::InvalidArgument("--batch must be at least 1", "batch");
  std::ifstream in(args.positional[0], std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + args.positional[0]);
  std::vector<std::string> fields;
  if (!ReadCsvRecord(in, fields)) return Status::InvalidArgument("the file is empty", "file");
  if (!fields.empty() && fields[0].rfind("\xEF\xBB\xBF", 0) == 0) fields[0].erase(0, 3);
  if (fields != workflow::FeedColumns()) {
    return Status::InvalidArgument("the header must be exactly: " + Join(workflow::FeedColumns()),
                                   "header");
  }
  SystemClock clock;
  SecureRandom random;
  CP_ASSIGN_OR_RETURN(std::unique_ptr<Application> app, open(args, clock, random));
  auto org = app->organisations().GetByCode(code);
  if (!org.ok()) return Status::InvalidArgument("no such organisation", "source");
  const workflow::FeedSource source{org->code, org->local_authority_code};

  std::ofstream report;
  if (args.Has("report")) {
    report.open(args.Get("report"), std::ios::binary | std::ios::trunc);
    if (!report) return Status::Unavailable("cannot write " + args.Get("report"));
    report << "source_ref,outcome,uin,reason\n";
  }
  const auto started = std::chrono::steady_clock::now();
  const double cpu_started = CpuSeconds();
  CP_ASSIGN_OR_RETURN(size_t population, app->feed_importer().LoadPopulation());
  const double load_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cerr << "matcher: " << population << " records loaded in " << load_seconds << " s\n";

  workflow::ImportCounts total;
  size_t since_progress = 0;
  const size_t columns = workflow::FeedColumns().size();
  std::vector<workflow::FeedRow> rows;
  std::vector<workflow::RowResult> pre;  // Rows refused before the importer (field count).
  std::vector<int> kind;                 // Per input row: 0 sent to the importer, 1 refused.
  std::vector<workflow::RowResult> results;
  bool more = true;
  while (more) {
    rows.clear();
    pre.clear();
    kind.clear();
    while (rows.size() < batch) {
      if (!ReadCsvRecord(in, fields)) {
        more = false;
        break;
      }
      if (fields.size() == 1 && fields[0].empty()) continue;  // A blank line.
      if (fields.size() != columns) {
        workflow::RowResult r;
        r.source_ref = fields.empty() ? "" : fields[0];
        r.reason = "row: has " + std::to_string(fields.size()) + " fields, expected " +
                   std::to_string(columns);
        pre.push_back(std::move(r));
        kind.push_back(1);
        continue;
      }
      workflow::FeedRow row;
      for (size_t i = 0; i < columns; ++i) {
        *workflow::FeedField(row, workflow::FeedColumns()[i]) = std::move(fields[i]);
      }
      rows.push_back(std::move(row));
      kind.push_back(0);
    }
    if (kind.empty()) break;
    CP_ASSIGN_OR_RETURN(workflow::ImportCounts counts,
                        app->feed_importer().ImportRecords(kOperator, source, rows, results));
    total.Add(counts);
    size_t next_result = 0;
    size_t next_pre = 0;
    for (int k : kind) {
      const workflow::RowResult& r = k == 0 ? results[next_result++] : pre[next_pre++];
      if (k == 1) total.Add(r);
      if (report.is_open()) {
        report << CsvField(r.source_ref) << ',' << workflow::RowOutcomeName(r.outcome) << ','
               << r.uin << ',' << CsvField(r.reason) << '\n';
      }
    }
    since_progress += kind.size();
    if (since_progress >= 1'000'000) {
      since_progress = 0;
      const double s =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      std::cerr << "  " << total.rows() << " rows, "
                << static_cast<long>(static_cast<double>(total.rows()) / s) << " rows/s\n";
    }
  }
  if (report.is_open()) {
    report.flush();
    if (!report) return Status::Unavailable("cannot write the report");
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const double cpu = CpuSeconds() - cpu_started;
  std::cout << "imported " << total.rows() << " rows from " << source.code << ": " << total.created
            << " created, " << total.updated << " updated, " << total.matched << " matched, "
            << total.possible_duplicate << " possible_duplicate (" << total.shielded_on_create
            << " created shielded), " << total.rejected << " rejected; " << total.unchanged
            << " unchanged\n";
  char line[200];
  std::snprintf(line, sizeof line,
                "%.1f s, %.0f rows per second; CPU %.1f s; peak memory %ld MiB\n", seconds,
                seconds > 0 ? static_cast<double>(total.rows()) / seconds : 0.0, cpu, PeakRssMiB());
  std::cout << line;
  return Status::Ok();
}

Status TokenCommand(const std::vector<std::string>& argv, const OpenForAdminFn& open) {
  CP_ASSIGN_OR_RETURN(ParsedArgs args,
                      ParseArgs(argv, {"data", "keys", "source", "id", "label"}, {}));
  if (args.positional.size() != 1) {
    return Status::InvalidArgument("token needs issue, revoke or list", "command");
  }
  const std::string sub = args.positional[0];
  const std::string code = args.Get("source");
  if (code.empty()) return Status::InvalidArgument("--source ORG_CODE is required", "source");
  SystemClock clock;
  SecureRandom random;
  CP_ASSIGN_OR_RETURN(std::unique_ptr<Application> app, open(args, clock, random));
  workflow::FeedTokens& tokens = app->feed_tokens();
  if (sub == "issue") {
    CP_ASSIGN_OR_RETURN(workflow::IssuedToken issued,
                        tokens.Issue(kOperator, code, args.Get("label")));
    std::cout << "token " << issued.id << " for " << code << " (shown once; keep it secret):\n"
              << issued.token << "\n";
    return Status::Ok();
  }
  if (sub == "revoke") {
    CP_ASSIGN_OR_RETURN(size_t id, ParseCount(args, "id", 0, INT64_MAX));
    if (id == 0) return Status::InvalidArgument("--id N is required", "id");
    CP_RETURN_IF_ERROR(tokens.Revoke(kOperator, code, static_cast<int64_t>(id)));
    std::cout << "revoked token " << id << " of " << code << "\n";
    return Status::Ok();
  }
  if (sub == "list") {
    CP_ASSIGN_OR_RETURN(auto list, tokens.List(kOperator, code));
    for (const auto& t : list) {
      std::cout << t.id << "\t" << (t.revoked_at ? "revoked" : "active") << "\t"
                << Date::FromTime(t.created_at).ToString() << "\t" << t.created_by << "\t"
                << t.label << "\n";
    }
    return Status::Ok();
  }
  return Status::InvalidArgument("unknown token subcommand " + sub, "command");
}

}  // namespace cp::app
