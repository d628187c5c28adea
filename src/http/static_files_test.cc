#include "http/static_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace cp::http {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("cp_http_static_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "public";
    fs::create_directories(root_ / "css");
    Write(root_ / "css" / "site.css", "body{}");
    Write(root_ / "app.js", "console.log(1)");
    Write(root_ / "logo.PNG", "\x89PNG");
    Write(root_ / "notes.md", "# no");
    Write(root_ / ".env", "SECRET=1");
    Write(base_ / "secret.txt", "top secret");
    fs::create_symlink(base_ / "secret.txt", root_ / "link.txt");
    fs::create_directories(root_ / "dir.css");
  }
  void TearDown() override { fs::remove_all(base_); }
  static void Write(const fs::path& p, const std::string& content) {
    std::ofstream(p, std::ios::binary) << content;
  }

  fs::path base_;
  fs::path root_;
};

TEST_F(StaticFilesTest, ServesWhitelistedFilesWithTypes) {
  StaticFiles files(root_);
  Response css = files.Serve("css/site.css");
  EXPECT_EQ(css.status(), 200);
  EXPECT_EQ(css.body(), "body{}");
  EXPECT_EQ(css.content_type(), "text/css; charset=utf-8");
  EXPECT_TRUE(css.cacheable());
  EXPECT_EQ(css.headers().Get("Cache-Control").value(), "public, max-age=3600");
  EXPECT_EQ(files.Serve("app.js").content_type(), "text/javascript; charset=utf-8");
  EXPECT_EQ(files.Serve("logo.PNG").content_type(), "image/png");
}

TEST_F(StaticFilesTest, RefusesTraversalAndOtherFiles) {
  StaticFiles files(root_);
  for (const char* bad : {"../secret.txt", "css/../../secret.txt", "/etc/passwd", "./app.js",
                          "css//site.css", "..", "", ".env", "notes.md", "link.txt", "missing.css",
                          "dir.css", "css\\site.css", "css/site.css/"}) {
    Response r = files.Serve(bad);
    EXPECT_EQ(r.status(), 404) << bad;
    EXPECT_EQ(r.body().find("secret"), std::string::npos) << bad;
  }
}

TEST_F(StaticFilesTest, HandleUsesRouteParam) {
  StaticFiles files(root_, "file");
  RequestInit init;
  init.target = "/static/css/site.css";
  Request req = Request::Create(std::move(init)).value();
  req.SetRoute("/static/{file...}", {{"file", "css/site.css"}});
  EXPECT_EQ(files.Handle(req).status(), 200);
  req.SetRoute("/static/{file...}", {{"file", "../secret.txt"}});
  EXPECT_EQ(files.Handle(req).status(), 404);
}

TEST(StaticContentTypeTest, Whitelist) {
  EXPECT_EQ(StaticContentType(".woff2").value(), "font/woff2");
  EXPECT_EQ(StaticContentType(".SVG").value(), "image/svg+xml");
  EXPECT_FALSE(StaticContentType(".php").has_value());
  EXPECT_FALSE(StaticContentType("").has_value());
  EXPECT_FALSE(StaticContentType(".sqlite").has_value());
}

}  // namespace
}  // namespace cp::http
