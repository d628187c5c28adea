#include "web/duplicate_pages.h"

#include <variant>

#include "web/directory_pages.h"

namespace cp::web {
namespace {

std::string StatusLabel(std::string_view status) {
  if (status == "open") return "Open";
  if (status == "confirmed") return "Merged";
  if (status == "rejected") return "Not the same child";
  return std::string(status);
}

TagColour StatusColour(std::string_view status) {
  if (status == "confirmed") return TagColour::kGreen;
  if (status == "rejected") return TagColour::kGrey;
  return TagColour::kBlue;
}

std::string PairPath(int64_t id) { return "/management/duplicates/" + std::to_string(id); }

Html Lines(const std::vector<std::string>& lines) {
  if (lines.empty()) return Escape("None recorded");
  Html out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out += Markup("<br>");
    out += Escape(lines[i]);
  }
  return out;
}

std::string Sourced(std::string text, const policy::SourcedText& p) {
  if (!p.source.empty()) text += " (from " + p.source + ")";
  return text;
}

// The rows of the side-by-side table for one record: every item with its source.
struct Column {
  Html uin, name, other_names, dob, gender, address, carers, school, gp, involvements, authority,
      shielded;
};

Column ColumnOf(const std::optional<policy::ChildView>& view, const std::string& uin) {
  Column c;
  const Html hidden = Escape("Hidden: shielded record of another authority");
  if (!view) {
    c.uin = Escape(uin);
    c.name = Escape("Merged into the other record");
    c.other_names = c.dob = c.gender = c.address = c.carers = c.school = c.gp = c.involvements =
        c.authority = c.shielded = Escape("");
    return c;
  }
  if (const auto* s = std::get_if<policy::ShieldedChildView>(&*view)) {
    c.uin = Escape(s->uin);
    c.name = Escape(s->given_names + " " + s->family_name);
    c.dob = Escape(FormatDate(s->date_of_birth));
    c.gender = Escape(GenderLabel(s->gender));
    c.other_names = c.address = c.carers = c.school = c.gp = c.involvements = c.authority = hidden;
    c.shielded = Tag("Shielded", TagColour::kRed);
    return c;
  }
  const auto& f = std::get<policy::FullChildView>(*view);
  c.uin = Escape(f.uin);
  c.name = Escape(Sourced(f.name.given_names + " " + f.name.family_name, f.name.provenance));
  std::vector<std::string> names;
  for (const auto& n : f.former_names) {
    names.push_back(Sourced("Former: " + n.given_names + " " + n.family_name, n.provenance));
  }
  for (const auto& n : f.known_as) {
    names.push_back(Sourced("Known as: " + n.given_names + " " + n.family_name, n.provenance));
  }
  c.other_names = Lines(names);
  c.dob = Escape(Sourced(FormatDate(f.date_of_birth), f.core_provenance));
  c.gender = Escape(GenderLabel(f.gender));
  std::string address;
  for (const std::string* part :
       {&f.address.line_1, &f.address.line_2, &f.address.town, &f.address.postcode}) {
    if (part->empty()) continue;
    if (!address.empty()) address += ", ";
    address += *part;
  }
  c.address = Escape(address.empty() ? "No known address" : Sourced(address, f.address.provenance));
  std::vector<std::string> carers;
  for (const auto& k : f.carers) {
    carers.push_back(
        Sourced(k.name + (k.relationship.empty() ? "" : ", " + k.relationship), k.provenance));
  }
  c.carers = Lines(carers);
  c.school = f.education ? Escape(Sourced(f.education->name, f.education->provenance))
                         : Escape("None recorded");
  c.gp = f.gp ? Escape(Sourced(f.gp->name, f.gp->provenance)) : Escape("None recorded");
  std::vector<std::string> services;
  for (const auto& v : f.involvements) {
    services.push_back(Sourced(v.service_label + ": " + v.practitioner, v.provenance));
  }
  c.involvements = Lines(services);
  c.authority = Escape(f.responsible_authority);
  c.shielded = f.shielded ? Tag("Shielded", TagColour::kRed) : Escape("No");
  return c;
}

}  // namespace

Html RenderDuplicateListPage(const PageContext& ctx, const DuplicateListView& view) {
  Html main = Heading(1, "l", "Possible duplicates");
  const size_t n = view.rows.size();
  main += Paragraph(std::to_string(n) + (n == 1 ? " possible duplicate" : " possible duplicates") +
                    (view.filter == "all" ? "" : " (" + StatusLabel(view.filter) + ")") + ".");
  SelectParams filter;
  filter.id = "status";
  filter.name = "status";
  filter.label = "Show";
  for (const auto& [value, text] :
       {std::pair{"open", "Open"}, std::pair{"confirmed", "Merged"},
        std::pair{"rejected", "Not the same child"}, std::pair{"all", "All"}}) {
    filter.options.push_back({value, text, view.filter == value});
  }
  main += Markup("<form method=\"get\" action=\"/management/duplicates\" novalidate>") +
          Select(filter) + Button("Filter", ButtonStyle::kSecondary) + Markup("</form>");
  if (view.rows.empty()) {
    main += Paragraph("There are no possible duplicates to show.");
  } else {
    TableParams table;
    table.caption = "Possible duplicates";
    table.head = {"Records", "Shielded", "Source", "Weight", "Status", "Queued"};
    for (const DuplicateRow& r : view.rows) {
      table.rows.push_back(
          {Markup("<a class=\"govuk-link\"") + Attr("href", PairPath(r.id)) + Markup(">") +
               Escape(r.record_uin + " and " + r.other_uin) + Markup("</a>"),
           r.shielded ? Tag("Shielded", TagColour::kRed) : Escape("No"), Escape(r.source),
           Escape(r.weight), Tag(StatusLabel(r.status), StatusColour(r.status)),
           Escape(r.created_at)});
    }
    main += Table(table);
  }
  return RenderPage(ctx, "Possible duplicates", main, BackLink("/management", "Management desk"));
}

Html RenderDuplicateDetailPage(const PageContext& ctx, const DuplicateDetailView& view) {
  const DuplicateRow& p = view.pair;
  Html main;
  if (!view.error.empty()) {
    const ErrorItem items[] = {{"", view.error}};
    main += ErrorSummary(items);
  }
  main += Heading(1, "l", "Possible duplicate " + std::to_string(p.id));
  main += Markup("<p class=\"govuk-body\">") + Tag(StatusLabel(p.status), StatusColour(p.status)) +
          Markup("</p>");
  main += Paragraph("Queued " + p.created_at + " from " + p.source + ", match weight " + p.weight +
                    ".");
  const Column a = ColumnOf(view.record, p.record_uin);
  const Column b = ColumnOf(view.other, p.other_uin);
  TableParams table;
  table.caption = "The two records side by side";
  table.head = {"", "New record", "Existing record (kept on merge)"};
  auto row = [&](std::string_view label, const Html& x, const Html& y) {
    table.rows.push_back({Escape(label), x, y});
  };
  row("UIN", a.uin, b.uin);
  row("Name", a.name, b.name);
  row("Other names", a.other_names, b.other_names);
  row("Date of birth", a.dob, b.dob);
  row("Gender", a.gender, b.gender);
  row("Address", a.address, b.address);
  row("Parents and carers", a.carers, b.carers);
  row("School", a.school, b.school);
  row("GP practice", a.gp, b.gp);
  row("Services", a.involvements, b.involvements);
  row("Responsible authority", a.authority, b.authority);
  row("Shielded", a.shielded, b.shielded);
  main += Table(table);

  const std::string path = PairPath(p.id);
  if (p.status == "open") {
    main += Heading(2, "m", "Decide");
    main += WarningText(
        "Merging keeps every item, shield and source reference of both records on the existing "
        "record. If either record is shielded, the merged record is shielded. A merge can be "
        "undone.");
    main += PostForm(path + "/confirm", ctx.csrf_token, Button("Merge these records"));
    main += Paragraph(
        "If they are different children, say so: the pair is remembered and never proposed "
        "again.");
    main += PostForm(path + "/reject", ctx.csrf_token,
                     Button("These are different children", ButtonStyle::kSecondary));
  } else if (view.merge_id > 0) {
    main += Heading(2, "m", "Undo the merge");
    main += Paragraph(
        "Both records come back with their own items, shields and source references. Shields "
        "placed after the merge stay, and if the merged record is shielded both records stay "
        "shielded and are reviewed within 7 days.");
    main +=
        PostForm(path + "/undo", ctx.csrf_token, Button("Undo the merge", ButtonStyle::kWarning));
  }
  return RenderPage(ctx, PageTitle("Possible duplicate", !view.error.empty()), main,
                    BackLink("/management/duplicates", "Possible duplicates"));
}

}  // namespace cp::web
