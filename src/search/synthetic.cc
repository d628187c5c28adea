#include "search/synthetic.h"

#include <algorithm>
#include <string>
#include <vector>

#include "search/nicknames.h"
#include "search/normalize.h"
#include "search/text.h"

namespace cp::search::synthetic {
namespace {

// Frequency tables: "name:weight" separated by spaces; '_' stands for a space inside a name.
// Weights are relative frequencies, invented but shaped like British registers.
constexpr std::string_view kFamilyNames =
    "Smith:1150 Jones:750 Williams:620 Taylor:500 Brown:480 Davies:400 Evans:330 Wilson:330 "
    "Thomas:300 Johnson:290 Roberts:280 Robinson:260 Thompson:260 Wright:250 Walker:240 "
    "White:230 Edwards:220 Hughes:220 Green:210 Hall:210 Lewis:200 Harris:200 Clarke:190 "
    "Patel:190 Jackson:180 Wood:170 Turner:165 Martin:160 Cooper:160 Hill:155 Ward:150 "
    "Morris:150 Moore:145 Clark:140 Lee:140 King:140 Baker:135 Harrison:130 Morgan:130 "
    "Allen:125 James:125 Scott:120 Phillips:115 Watson:115 Davis:110 Parker:110 Price:105 "
    "Bennett:105 Young:100 Griffiths:100 Mitchell:100 Kelly:100 Cook:95 Carter:95 "
    "Richardson:95 Bailey:90 Collins:90 Bell:90 Shaw:90 Murphy:85 Miller:85 Cox:85 Richards:80 "
    "Khan:80 Marshall:80 Anderson:80 Simpson:75 Ellis:75 Adams:75 Singh:75 Begum:70 "
    "Wilkinson:70 Foster:70 Chapman:65 Powell:65 Webb:65 Rogers:65 Gray:65 Mason:60 Ali:60 "
    "Hunt:60 Hussain:60 Campbell:60 Matthews:60 Owen:60 Palmer:55 Holmes:55 Mills:55 Barnes:55 "
    "Knight:55 Lloyd:55 Butler:55 Russell:50 Barker:50 Fisher:50 Stevens:50 Jenkins:50 "
    "Murray:50 Dixon:50 Harvey:50 Graham:45 Pearson:45 Ahmed:45 Fletcher:45 Walsh:45 Kaur:45 "
    "Gibson:45 Howard:45 Andrews:45 Stewart:40 Elliott:40 Reynolds:40 Saunders:40 Payne:40 "
    "Fox:40 Ford:40 Pearce:40 Day:40 Brooks:40 West:40 Lawrence:40 Cole:40 Atkinson:40 "
    "Bradley:35 Spencer:35 Gill:35 Dawson:35 Ball:35 Burton:35 O'Brien:35 Watts:35 Rose:35 "
    "Booth:35 Perry:35 Ryan:35 Grant:35 Wells:35 Armstrong:30 Francis:30 Rees:30 Hayes:30 "
    "Hart:30 Hudson:30 Newman:30 Barrett:30 Webster:30 Hunter:30 Gregory:30 Carr:30 Lowe:30 "
    "Page:30 Marsh:30 Riley:30 Dunn:30 Woods:30 Parsons:30 Berry:30 Stone:30 Reid:30 "
    "Holland:30 Hawkins:30 Harding:30 Porter:30 Robertson:30 Newton:30 Oliver:30 Reed:30 "
    "Kennedy:30 Williamson:30 Bird:30 Gardner:30 Shah:30 Dean:30 Lane:30 Cooke:30 Bates:30 "
    "Henderson:30 Parry:30 Burgess:30 Bishop:30 Walton:30 Burns:30 Nicholson:30 Shepherd:30 "
    "Ross:30 Cross:30 Long:30 Freeman:30 Warren:30 Nicholls:30 Hamilton:30 Byrne:30 Sutton:30 "
    "McDonald:30 Yates:30 Hodgson:30 Robson:30 Curtis:30 Hopkins:30 O'Connor:25 Harper:25 "
    "Coleman:25 Watkins:25 Moss:25 McCarthy:25 Chambers:25 O'Neill:25 Griffin:25 Sharp:25 "
    "Hardy:25 Wheeler:25 Potter:25 Osborne:25 Johnston:25 Gordon:25 Doyle:25 Wallace:25 "
    "George:25 Jordan:25 Hutchinson:25 Rowe:25 Burke:25 May:25 MacLeod:20 McKenzie:20 "
    "O'Sullivan:20 MacDonald:20 Nowak:25 Kowalski:20 Wiśniewski:15 Wójcik:12 Kowalczyk:12 "
    "Nguyễn:20 Chen:20 Wang:20 Li:20 Zhang:15 Liu:12 Kim:10 Okafor:15 Adeyemi:15 Mensah:12 "
    "Osei:12 Abdi:15 Mohamed:25 Hassan:20 Ibrahim:15 Yilmaz:12 Kaya:10 Rossi:12 Russo:10 "
    "Silva:15 Santos:15 Fernandes:12 Rodríguez:15 García:15 Müller:10 Schmidt:10 Dubois:8 "
    "Novák:8 Popescu:12 Ivanova:8 Horváth:8 Papadopoulos:8 Da_Costa:8 Van_der_Berg:6 "
    "De_Souza:6 Al-Rashid:6 Иванов:3 Петрова:2 王:2 李:2";

constexpr std::string_view kBoyNames =
    "Oliver:300 George:280 Harry:260 Noah:250 Jack:250 Leo:220 Arthur:200 Muhammad:200 "
    "Oscar:190 Charlie:190 Jacob:180 Thomas:180 Henry:170 Freddie:170 Alfie:160 Theo:160 "
    "William:160 Theodore:150 Archie:150 Joshua:140 Alexander:140 James:140 Isaac:130 "
    "Edward:120 Lucas:120 Tommy:110 Finley:110 Max:110 Logan:100 Ethan:100 Mohammed:100 "
    "Teddy:100 Benjamin:100 Arlo:90 Joseph:90 Sebastian:90 Harrison:90 Elijah:90 Adam:85 "
    "Daniel:85 Samuel:85 Louie:80 Mason:80 Reuben:80 Albie:80 Rory:75 Jaxon:75 Hugo:75 Luca:75 "
    "Zachary:70 Reggie:70 Hunter:70 Louis:70 Dylan:70 Albert:70 David:65 Jude:65 Frankie:65 "
    "Roman:65 Ezra:60 Toby:60 Riley:60 Carter:60 Ronnie:60 Frederick:60 Gabriel:55 Stanley:55 "
    "Bobby:55 Jesse:55 Michael:55 Elliot:55 Grayson:50 Mohammad:50 Liam:50 Jenson:50 Ellis:50 "
    "Harley:50 Harvey:50 Jayden:50 Jake:50 Matthew:45 Nathan:45 Elliott:45 Ryan:45 Aaron:45 "
    "Jamie:45 Callum:45 Ben:40 Christopher:40 Andrew:40 John:40 Robert:40 Richard:35 Peter:30 "
    "Stephen:30 Kai:40 Ibrahim:40 Ali:35 Omar:35 Yusuf:35 Aarav:25 Arjun:25 Rayan:25 Mateo:25 "
    "Jan:15 Jakub:20 Filip:15 Szymon:15 Aleksander:15 Kacper:15 Oluwaseun:10 Chinedu:10 "
    "Kwame:10 Wei:10 Hao:10 Jun:10 Björn:5 José:15 André:10 François:5 Søren:3 Dmitri:5 Иван:3 "
    "William:40 Nicholas:30 Anthony:30 Timothy:25 Patrick:30 Dominic:25 Kenneth:10 Philip:20";

constexpr std::string_view kGirlNames =
    "Olivia:300 Amelia:280 Isla:250 Ava:240 Ivy:200 Freya:200 Lily:200 Florence:190 Mia:190 "
    "Willow:180 Rosie:170 Sophia:170 Isabella:160 Grace:160 Daisy:150 Sienna:150 Poppy:150 "
    "Elsie:140 Emily:140 Ella:140 Evelyn:130 Phoebe:130 Sofia:130 Evie:130 Charlotte:130 "
    "Harper:120 Millie:120 Matilda:120 Maya:110 Sophie:110 Alice:110 Emilia:110 Isabelle:100 "
    "Ruby:100 Luna:100 Maisie:100 Aria:100 Penelope:90 Mila:90 Bonnie:90 Eva:90 Hallie:85 "
    "Eliza:85 Ada:80 Violet:80 Esme:80 Arabella:75 Imogen:75 Jessica:75 Delilah:70 Lottie:70 "
    "Layla:70 Thea:70 Margot:65 Orla:65 Georgia:65 Aurora:60 Nancy:60 Hannah:60 Olive:60 "
    "Elizabeth:60 Maria:55 Zara:55 Sarah:50 Amelie:50 Eleanor:50 Holly:50 Katie:50 Lucy:50 "
    "Chloe:50 Megan:45 Rebecca:45 Laura:40 Emma:40 Jasmine:40 Amy:40 Lauren:40 Abigail:40 "
    "Victoria:35 Catherine:35 Katherine:30 Margaret:25 Mary:25 Anne:20 Jane:20 Aisha:40 "
    "Fatima:40 Maryam:35 Zainab:30 Hafsa:20 Amira:25 Priya:20 Ananya:15 Zuzanna:15 Julia:20 "
    "Maja:15 Zoe:30 Zoë:10 Chloé:5 Renée:5 Chiamaka:10 Ngozi:8 Adaeze:8 Mei:10 Xin:8 Yuki:5 "
    "Anna:30 Natalia:15 Мария:3 Анна:3 Samantha:25 Alexandra:25 Rosemary:10 Patricia:10 "
    "Susan:10 Jennifer:20 Caroline:15 Josephine:15 Stephanie:15 Natasha:15";

// Long tail of composed surnames: prefix + joiner + suffix (15,000 combinations).
constexpr std::string_view kTailPrefixes[] = {
    "Ash",   "Black", "Brad",  "Brook", "Bur",  "Cal", "Craw", "Dal",   "Elm",    "Fair",
    "Fern",  "Gold",  "Green", "Hal",   "Hart", "Haw", "Holl", "Kings", "Lang",   "Mar",
    "Mid",   "Mill",  "New",   "North", "Oak",  "Pem", "Red",  "Ross",  "Rother", "Shel",
    "South", "Stan",  "Stock", "Thorn", "Up",   "Wal", "War",  "West",  "Whit",   "Wood",
    "Win",   "Ather", "Bel",   "Car",   "Col",  "Dun", "Ed",   "Fen",   "Gar",    "Har"};
constexpr std::string_view kTailJoiners[] = {"", "a", "e", "i", "o", "er", "en", "ing", "s", "al"};
constexpr std::string_view kTailSuffixes[] = {
    "ley",   "ton",  "field", "worth", "ford",  "ham",    "by",    "wood", "well",   "more",
    "croft", "dale", "hurst", "stead", "combe", "bridge", "wick",  "shaw", "thorpe", "man",
    "ler",   "son",  "ridge", "land",  "brook", "grove",  "stone", "bury", "ington", "cliffe"};

constexpr std::string_view kAuthorities[] = {
    "E09000001", "E09000002", "E09000003", "E09000005", "E09000007", "E09000011", "E09000012",
    "E09000019", "E09000022", "E09000028", "E09000030", "E09000033", "E08000025", "E08000035",
    "E08000003", "E08000012", "E06000023", "E10000016", "E10000030", "E10000014"};
constexpr std::string_view kPostcodeAreas[] = {"B",  "BS", "CR", "E",  "L",  "LS", "M",  "N",
                                               "NE", "NG", "S",  "SE", "SW", "W",  "OX", "CB"};

struct Weighted {
  std::vector<std::string> names;
  std::vector<uint64_t> cumulative;
};

Weighted Parse(std::string_view table) {
  Weighted w;
  uint64_t total = 0;
  while (!table.empty()) {
    const size_t space = table.find(' ');
    std::string_view item = table.substr(0, space);
    table = space == std::string_view::npos ? std::string_view() : table.substr(space + 1);
    if (item.empty()) continue;
    const size_t colon = item.rfind(':');
    std::string name(item.substr(0, colon));
    std::replace(name.begin(), name.end(), '_', ' ');
    uint64_t weight = 0;
    for (char c : item.substr(colon + 1)) weight = weight * 10 + static_cast<uint64_t>(c - '0');
    total += weight;
    w.names.push_back(std::move(name));
    w.cumulative.push_back(total);
  }
  return w;
}

const Weighted& Families() {
  static const Weighted* w = new Weighted(Parse(kFamilyNames));
  return *w;
}
const Weighted& Boys() {
  static const Weighted* w = new Weighted(Parse(kBoyNames));
  return *w;
}
const Weighted& Girls() {
  static const Weighted* w = new Weighted(Parse(kGirlNames));
  return *w;
}

const std::string& Pick(const Weighted& w, cp::RandomSource& rng) {
  const uint64_t r = rng.Uniform(w.cumulative.back());
  const auto it = std::upper_bound(w.cumulative.begin(), w.cumulative.end(), r);
  return w.names[static_cast<size_t>(it - w.cumulative.begin())];
}

template <size_t N>
std::string_view PickOf(const std::string_view (&options)[N], cp::RandomSource& rng) {
  return options[rng.Uniform(N)];
}

std::string FamilyName(cp::RandomSource& rng) {
  if (rng.NextDouble() < 0.25) return Pick(Families(), rng);
  std::string name(PickOf(kTailPrefixes, rng));
  name += PickOf(kTailJoiners, rng);
  name += PickOf(kTailSuffixes, rng);
  return name;
}

// Weighted by frequency, with a share picked uniformly: children span 18 birth years, so the
// names of any one year are less dominant across the whole population.
std::string GivenName(bool girl, cp::RandomSource& rng) {
  const Weighted& table = girl ? Girls() : Boys();
  if (rng.NextDouble() < 0.3) return table.names[rng.Uniform(table.names.size())];
  return Pick(table, rng);
}

uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string Postcode(cp::RandomSource& rng) {
  std::string pc(PickOf(kPostcodeAreas, rng));
  pc += std::to_string(1 + rng.Uniform(20));
  pc += ' ';
  pc += static_cast<char>('0' + rng.Uniform(10));
  pc += static_cast<char>('A' + rng.Uniform(26));
  pc += static_cast<char>('A' + rng.Uniform(26));
  return pc;
}

}  // namespace

IndexedChild MakeChild(uint64_t seed, uint64_t uin, const PopulationOptions& o) {
  cp::SeededRandom rng(Mix(seed ^ Mix(uin)));
  IndexedChild c;
  c.uin = uin;
  const bool girl = rng.Uniform(2) == 0;
  c.gender = girl ? Gender::kFemale : Gender::kMale;
  c.given_names = GivenName(girl, rng);
  if (rng.NextDouble() < o.middle_name) {
    std::string middle = GivenName(girl, rng);
    if (middle != c.given_names) c.given_names += " " + middle;
  }
  c.family_name = FamilyName(rng);
  if (rng.NextDouble() < o.hyphenated) {
    std::string second = FamilyName(rng);
    if (second != c.family_name) c.family_name += "-" + second;
  }
  c.date_of_birth = o.born_from.AddDays(
      static_cast<int64_t>(rng.Uniform(static_cast<uint64_t>(std::max(1, o.born_span_days)))));
  c.postcode = Postcode(rng);
  c.authority = std::string(PickOf(kAuthorities, rng));
  if (rng.NextDouble() < o.known_as) {
    AlternativeName n;
    n.given_names = GivenName(girl, rng);
    if (rng.Uniform(3) == 0) n.family_name = FamilyName(rng);
    c.known_as_names.push_back(std::move(n));
  }
  if (rng.NextDouble() < o.former_name) {
    AlternativeName n;
    n.family_name = FamilyName(rng);
    if (rng.Uniform(4) == 0) n.given_names = GivenName(girl, rng);
    c.former_names.push_back(std::move(n));
  }
  c.shielded = rng.NextDouble() < o.shielded;
  return c;
}

std::string_view PerturbationName(Perturbation p) {
  switch (p) {
    case Perturbation::kExact:
      return "exact";
    case Perturbation::kCaseAccentPunctuation:
      return "case_accent_punctuation";
    case Perturbation::kTypo:
      return "typo";
    case Perturbation::kTransposition:
      return "transposition";
    case Perturbation::kPhonetic:
      return "phonetic";
    case Perturbation::kNickname:
      return "nickname";
    case Perturbation::kSwapped:
      return "swapped";
    case Perturbation::kHyphenPart:
      return "hyphen_part";
    case Perturbation::kKnownAs:
      return "known_as";
    case Perturbation::kFormerName:
      return "former_name";
    case Perturbation::kDobDayMonthSwap:
      return "dob_day_month_swap";
    case Perturbation::kDobYearOffByOne:
      return "dob_year_off_by_one";
  }
  return "unknown";
}

namespace {

// Lower-case ASCII letters of a name (the part a typist would mistype).
bool IsPlainAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

std::string Typo(std::string s, int edits, cp::RandomSource& rng) {
  for (int e = 0; e < edits && s.size() > 1; ++e) {
    const size_t pos = rng.Uniform(s.size());
    const char letter = static_cast<char>('a' + rng.Uniform(26));
    switch (rng.Uniform(3)) {
      case 0:
        s[pos] = s[pos] == letter ? static_cast<char>('a' + (letter - 'a' + 1) % 26) : letter;
        break;
      case 1:
        s.insert(s.begin() + static_cast<std::ptrdiff_t>(pos), letter);
        break;
      default:
        s.erase(pos, 1);
        break;
    }
  }
  return s;
}

bool Transpose(std::string& s, cp::RandomSource& rng) {
  std::vector<size_t> spots;
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] != s[i + 1]) spots.push_back(i);
  }
  if (spots.empty()) return false;
  const size_t i = spots[rng.Uniform(spots.size())];
  std::swap(s[i], s[i + 1]);
  return true;
}

// Sound-preserving spelling changes.
bool PhoneticVariant(std::string& s, cp::RandomSource& rng) {
  static constexpr std::pair<std::string_view, std::string_view> kRules[] = {
      {"ph", "f"},    {"f", "ph"}, {"ck", "k"}, {"ca", "ka"}, {"co", "ko"}, {"ka", "ca"},
      {"ith", "yth"}, {"y", "i"},  {"i", "y"},  {"ey", "y"},  {"ie", "y"},  {"ee", "ea"},
      {"ll", "l"},    {"tt", "t"}, {"nn", "n"}, {"ss", "s"},  {"rr", "r"},  {"son", "sen"},
      {"z", "s"},     {"s", "z"},  {"th", "t"}, {"ou", "ow"}, {"ai", "ay"}, {"ck", "c"},
      {"c", "k"},     {"k", "c"},  {"l", "ll"}, {"n", "nn"},  {"er", "a"},  {"oo", "u"}};
  std::vector<std::pair<size_t, size_t>> options;  // (rule, position)
  for (size_t r = 0; r < std::size(kRules); ++r) {
    // Keep the first letter: people rarely misspell it.
    for (size_t pos = s.find(kRules[r].first, 1); pos != std::string::npos;
         pos = s.find(kRules[r].first, pos + 1)) {
      options.push_back({r, pos});
    }
  }
  if (options.empty()) return false;
  const auto [r, pos] = options[rng.Uniform(options.size())];
  s.replace(pos, kRules[r].first.size(), kRules[r].second);
  return true;
}

std::string FirstToken(const std::string& given) { return given.substr(0, given.find(' ')); }

std::string Capitalise(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

}  // namespace

std::optional<SearchCriteria> MakeQuery(const IndexedChild& child, Perturbation type,
                                        cp::RandomSource& rng, const QueryOptions& o) {
  SearchCriteria q;
  q.given_name = FirstToken(child.given_names);
  q.family_name = child.family_name;
  bool dob = rng.NextDouble() < o.with_dob;
  bool given_needed = false;
  const bool on_family = rng.Uniform(2) == 0;
  std::string& target = on_family ? q.family_name : q.given_name;
  cp::Date dob_value = child.date_of_birth;

  switch (type) {
    case Perturbation::kExact:
      break;
    case Perturbation::kCaseAccentPunctuation: {
      std::string folded = EncodeUtf8(FoldToAscii(DecodeUtf8(q.family_name)));
      std::replace(folded.begin(), folded.end(), '-', ' ');
      folded.erase(std::remove(folded.begin(), folded.end(), '\''), folded.end());
      for (char& c : folded) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      }
      q.family_name = "  " + folded + " ";
      std::string given = EncodeUtf8(FoldToAscii(DecodeUtf8(q.given_name)));
      for (char& c : given) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      q.given_name = given;
      break;
    }
    case Perturbation::kTypo: {
      if (!IsPlainAscii(target) || target.size() < 4) return std::nullopt;
      const int edits = target.size() >= 6 && rng.Uniform(10) < 3 ? 2 : 1;
      target = Typo(target, edits, rng);
      given_needed = !on_family;
      break;
    }
    case Perturbation::kTransposition:
      if (!IsPlainAscii(target) || !Transpose(target, rng)) return std::nullopt;
      given_needed = !on_family;
      break;
    case Perturbation::kPhonetic:
      if (!IsPlainAscii(target) || !PhoneticVariant(target, rng)) return std::nullopt;
      given_needed = !on_family;
      break;
    case Perturbation::kNickname: {
      const std::vector<std::string> tokens = NameTokens(q.given_name);
      if (tokens.empty()) return std::nullopt;
      std::vector<std::string_view> options;
      for (const NicknamePair& p : NicknamePairs()) {
        if (p.formal == tokens[0]) options.push_back(p.nickname);
        if (p.nickname == tokens[0]) options.push_back(p.formal);
      }
      if (options.empty()) return std::nullopt;
      q.given_name = Capitalise(std::string(options[rng.Uniform(options.size())]));
      given_needed = true;
      break;
    }
    case Perturbation::kSwapped:
      std::swap(q.given_name, q.family_name);
      given_needed = true;
      break;
    case Perturbation::kHyphenPart: {
      const size_t dash = child.family_name.find('-');
      if (dash == std::string::npos) return std::nullopt;
      q.family_name = rng.Uniform(2) == 0 ? child.family_name.substr(0, dash)
                                          : child.family_name.substr(dash + 1);
      break;
    }
    case Perturbation::kKnownAs:
    case Perturbation::kFormerName: {
      const auto& names =
          type == Perturbation::kKnownAs ? child.known_as_names : child.former_names;
      if (names.empty()) return std::nullopt;
      const AlternativeName& n = names[0];
      if (!n.given_names.empty()) q.given_name = FirstToken(n.given_names);
      if (!n.family_name.empty()) q.family_name = n.family_name;
      given_needed = !n.given_names.empty();
      break;
    }
    case Perturbation::kDobDayMonthSwap: {
      const int d = dob_value.day();
      const int m = dob_value.month();
      if (d > 12 || d == m) return std::nullopt;
      dob_value = *cp::Date::FromYmd(dob_value.year(), d, m);
      dob = true;
      break;
    }
    case Perturbation::kDobYearOffByOne: {
      auto shifted = cp::Date::FromYmd(dob_value.year() + (rng.Uniform(2) == 0 ? -1 : 1),
                                       dob_value.month(), dob_value.day());
      if (!shifted.ok()) return std::nullopt;
      dob_value = *shifted;
      dob = true;
      break;
    }
  }
  if (dob) {
    q.date_of_birth = dob_value;
    if (!given_needed && type != Perturbation::kSwapped && rng.NextDouble() < o.dob_without_given) {
      q.given_name.clear();
    }
  }
  if (rng.NextDouble() < o.with_gender) q.gender = child.gender;
  if (rng.NextDouble() < o.with_postcode && !child.shielded) q.postcode = child.postcode;
  return q;
}

}  // namespace cp::search::synthetic
