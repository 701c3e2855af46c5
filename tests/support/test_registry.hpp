#pragma once

// One test executable per folder (test_wallet, test_protocols, test_app,
// test_ui): each *_test.cpp registers its Qt Test class under its unit name
// (the file name without "_test.cpp") instead of defining main(). CTest still
// runs one process per unit (`test_protocols market_simulator`), so units
// stay isolated and run in parallel; the folder links once, not per file.

#include <QObject>

#include <functional>
#include <memory>

namespace nftterm::tests {

/// The application object the unit needs, as QTEST_APPLESS_MAIN,
/// QTEST_GUILESS_MAIN and QTEST_MAIN (with widgets) would create it.
enum class TestApp { none, core, widgets };

/// Registers a unit; `file` is the test's __FILE__. Returns true so it can
/// initialise a namespace-scope constant.
bool register_test(const char* file, TestApp app, std::function<std::unique_ptr<QObject>()> make);

}  // namespace nftterm::tests

#define NFTTERM_TEST_REGISTER_(TestClass, app)                                                          \
    namespace {                                                                                         \
    [[maybe_unused]] const bool nftterm_registered_test = ::nftterm::tests::register_test(             \
        __FILE__, app, [] { return std::unique_ptr<QObject>(std::make_unique<TestClass>()); });         \
    }

/// In place of QTEST_APPLESS_MAIN, QTEST_GUILESS_MAIN and QTEST_MAIN.
#define NFTTERM_TEST_APPLESS(TestClass) NFTTERM_TEST_REGISTER_(TestClass, ::nftterm::tests::TestApp::none)
#define NFTTERM_TEST_GUILESS(TestClass) NFTTERM_TEST_REGISTER_(TestClass, ::nftterm::tests::TestApp::core)
#define NFTTERM_TEST_WIDGETS(TestClass) NFTTERM_TEST_REGISTER_(TestClass, ::nftterm::tests::TestApp::widgets)
