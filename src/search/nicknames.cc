#include "search/nicknames.h"

#include <algorithm>
#include <unordered_map>

namespace cp::search {
namespace {

// "formal:nick nick ...". A nickname may belong to several formal names.
constexpr std::string_view kTable[] = {
    "abigail:abby abbie abi gail",
    "abraham:abe bram",
    "adam:ad",
    "adrian:ade",
    "agnes:aggie nessa",
    "albert:al bert bertie",
    "alexander:alex alec alick sandy xander lex sasha",
    "alexandra:alex alexa lexi sandra sandy sasha ally",
    "alexis:alex lexi",
    "alfred:alf alfie fred freddie",
    "alice:ally allie",
    "alison:ali ally allie",
    "amanda:mandy manda",
    "andrew:andy drew",
    "angela:angie",
    "anne:annie nan nancy",
    "anna:annie",
    "annabel:bella belle annie",
    "anthony:tony ant",
    "antonia:toni",
    "archibald:archie",
    "arthur:art artie",
    "augustus:gus",
    "barbara:babs barbie",
    "bartholomew:bart",
    "benjamin:ben benny benji",
    "bernard:bernie",
    "beatrice:bea trixie",
    "bradley:brad",
    "bridget:bridie biddy",
    "caroline:carrie carol caz",
    "catherine:cathy cath kate katie kit kitty cat",
    "katherine:kathy kath kate katie kit kitty kat",
    "kathryn:kathy kate katie",
    "charles:charlie chas chuck chaz",
    "charlotte:charlie lottie lotte",
    "christina:chris tina chrissie",
    "christine:chris chrissie",
    "christopher:chris kit topher",
    "clifford:cliff",
    "cornelius:neil",
    "cynthia:cindy",
    "daniel:dan danny",
    "danielle:dani",
    "david:dave davy davey",
    "deborah:debbie deb debs",
    "dennis:denny",
    "dominic:dom",
    "donald:don donny",
    "dorothy:dot dottie dolly",
    "douglas:doug",
    "edward:ed eddie ted teddy ned",
    "edmund:ed eddie ned",
    "edwin:ed eddie",
    "eleanor:ellie nell nellie elle",
    "elizabeth:liz lizzie beth betty bess bessie eliza libby lisa elsie",
    "ellen:nell ellie",
    "emily:em emmy millie",
    "emma:em emmy",
    "eugene:gene",
    "evelyn:evie eve",
    "florence:flo florrie",
    "frances:fran frankie fanny",
    "francis:frank frankie fran",
    "frederick:fred freddie freddy",
    "gabriel:gabe",
    "gabriella:gabby gabi",
    "geoffrey:geoff jeff",
    "jeffrey:jeff",
    "george:georgie geordie",
    "georgina:georgie gina",
    "gerald:gerry jerry",
    "gertrude:gertie trudy",
    "gregory:greg",
    "harold:harry hal",
    "henry:harry hal hank",
    "harriet:hattie harry",
    "helen:nell",
    "herbert:herb bert",
    "hubert:bert",
    "isabel:izzy bella belle isa",
    "isabella:izzy bella belle isa",
    "isaac:ike zac",
    "jacob:jake jack",
    "james:jim jimmy jamie jem",
    "jane:janie jenny",
    "janet:jan jenny",
    "jennifer:jen jenny jenna",
    "jessica:jess jessie",
    "joanna:jo",
    "joanne:jo",
    "john:jack johnny jon",
    "jonathan:jon jonny nathan",
    "joseph:joe joey jo",
    "josephine:jo josie",
    "joshua:josh",
    "judith:judy jude",
    "julia:jules julie",
    "julian:jules",
    "kenneth:ken kenny",
    "lawrence:larry laurie",
    "laurence:larry laurie",
    "leonard:len lenny leo",
    "leonardo:leo",
    "lewis:lew",
    "louis:lou lew",
    "louisa:lou lulu",
    "louise:lou lulu",
    "lucy:lu",
    "luke:lu",
    "madeleine:maddie maddy",
    "madison:maddie maddy",
    "margaret:maggie meg peggy madge greta maisie",
    "marjorie:marge margie",
    "martha:marty mattie",
    "martin:marty",
    "mary:molly polly mae mamie",
    "matilda:tilly tilda mattie",
    "matthew:matt matty",
    "maximilian:max",
    "maxwell:max",
    "michael:mike mick mickey micky mikey",
    "michelle:shelley",
    "miriam:mimi",
    "nathaniel:nat nate nathan",
    "nathan:nate nat",
    "nicholas:nick nicky nico",
    "nicola:nicky nikki",
    "oliver:ollie olly",
    "olivia:liv livvy ollie",
    "patricia:pat patty trish tricia",
    "patrick:pat paddy",
    "penelope:penny",
    "peter:pete",
    "philip:phil pip",
    "phillip:phil pip",
    "rebecca:becky becca bex",
    "raymond:ray",
    "richard:rich richie rick ricky dick",
    "robert:rob robbie bob bobby bert",
    "roberta:bobbie",
    "ronald:ron ronnie",
    "rosemary:rosie rose",
    "rosalind:ros roz",
    "samantha:sam sammy",
    "samuel:sam sammy",
    "sarah:sally sadie",
    "sebastian:seb",
    "sophia:sophie",
    "stephen:steve stevie",
    "steven:steve stevie",
    "stephanie:steph",
    "stuart:stu",
    "susan:sue suzy susie",
    "suzanne:sue suzy",
    "terence:terry",
    "theodore:theo ted teddy",
    "thomas:tom tommy",
    "timothy:tim timmy",
    "tobias:toby",
    "valerie:val",
    "veronica:ronnie",
    "victoria:vicky tori",
    "vincent:vince vinny",
    "walter:walt wally",
    "william:bill billy will willie willy liam",
    "wilfred:wilf fred",
    "winifred:winnie",
    "zachary:zach zak zac",
    "alan:al",
    "allan:al",
    "benedict:ben",
    "bethany:beth",
    "cameron:cam",
    "cassandra:cassie",
    "cecilia:cissie cece",
    "clarence:clarrie",
    "constance:connie",
    "cordelia:delia",
    "daphne:daph",
    "desmond:des",
    "dwight:ike",
    "elias:eli",
    "elijah:eli",
    "elisabeth:lisa liz beth",
    "eloise:ellie",
    "estelle:stella",
    "esther:essie",
    "ezekiel:zeke",
    "felicity:flick",
    "ferdinand:ferdie",
    "fiona:fi",
    "frederica:freda",
    "gillian:gill jill",
    "harrison:harry",
    "hannah:annie",
    "imogen:immy",
    "jacqueline:jackie jacqui",
    "jasmine:jaz jas",
    "jemima:jem mima",
    "kimberley:kim",
    "kimberly:kim",
    "leonora:nora",
    "lillian:lily lil",
    "lydia:liddy",
    "mathilda:tilly",
    "mildred:millie",
    "millicent:millie",
    "montgomery:monty",
    "natalie:nat",
    "natasha:tash tasha",
    "norman:norm",
    "oswald:ozzie",
    "pamela:pam",
    "percival:percy",
    "priscilla:cilla",
    "reginald:reg reggie",
    "roger:rog",
    "rupert:rupe",
    "sidney:sid",
    "sydney:syd",
    "solomon:sol",
    "sylvester:sly",
    "tabitha:tabby",
    "teresa:tess tessa terry",
    "theresa:tess tessa terry",
    "virginia:ginny",
    "vivian:viv",
    "yvonne:vonnie",
    "zoe:zo",
    "abdullah:abdul",
    "muhammad:mo mohd",
    "mohammed:mo mohd",
    "ibrahim:ibby",
    "aleksander:olek",
    "aleksandra:ola",
    "katarzyna:kasia",
    "malgorzata:gosia",
    "wojciech:wojtek",
    "francesco:cesco",
    "giuseppe:beppe peppe",
    "alessandro:sandro",
    "dmitri:dima",
    "ekaterina:katya",
    "jose:pepe",
    "francisco:paco pancho",
    "guillermo:memo",
    "ignacio:nacho",
    "johannes:hans",
    "johanna:hanna",
};

struct Tables {
  std::vector<NicknamePair> pairs;
  std::unordered_map<std::string_view, std::vector<std::string_view>> formals;
};

const Tables& GetTables() {
  static const Tables* tables = [] {
    auto* t = new Tables;
    for (std::string_view line : kTable) {
      const size_t colon = line.find(':');
      const std::string_view formal = line.substr(0, colon);
      std::string_view rest = line.substr(colon + 1);
      while (!rest.empty()) {
        const size_t space = rest.find(' ');
        const std::string_view nick = rest.substr(0, space);
        rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
        if (nick.empty() || nick.find('-') != std::string_view::npos) continue;
        auto& list = t->formals[nick];
        if (std::find(list.begin(), list.end(), formal) != list.end()) continue;
        list.push_back(formal);
        t->pairs.push_back({nick, formal});
      }
    }
    return t;
  }();
  return *tables;
}

}  // namespace

std::span<const NicknamePair> NicknamePairs() { return GetTables().pairs; }

std::span<const std::string_view> FormalNamesOf(std::string_view token) {
  const auto& formals = GetTables().formals;
  auto it = formals.find(token);
  if (it == formals.end()) return {};
  return it->second;
}

bool AreNicknameRelated(std::string_view a, std::string_view b) {
  if (a == b) return true;
  auto fa = FormalNamesOf(a);
  auto fb = FormalNamesOf(b);
  for (std::string_view f : fa) {
    if (f == b) return true;
    if (std::find(fb.begin(), fb.end(), f) != fb.end()) return true;
  }
  return std::find(fb.begin(), fb.end(), a) != fb.end();
}

}  // namespace cp::search
