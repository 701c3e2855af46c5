// main() of every test executable: `test_<folder> UNIT [Qt Test options]`
// runs one registered unit with the application object it asked for;
// `test_<folder> --list` prints the units; no unit runs them all in turn.
#include "test_registry.hpp"

#include <QApplication>
#include <QCoreApplication>
#include <QTest>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace nftterm::tests {
namespace {

struct Registered {
    TestApp app;
    std::function<std::unique_ptr<QObject>()> make;
};

std::map<std::string, Registered>& registry()
{
    static std::map<std::string, Registered> units;
    return units;
}

std::string unit_of(const char* file)
{
    std::string name = file;
    if (const auto slash = name.find_last_of('/'); slash != std::string::npos) name.erase(0, slash + 1);
    if (const auto suffix = name.rfind("_test.cpp"); suffix != std::string::npos) name.erase(suffix);
    return name;
}

int run_unit(const Registered& unit, int argc, char** argv)
{
    std::unique_ptr<QCoreApplication> app;
    if (unit.app == TestApp::widgets) app = std::make_unique<QApplication>(argc, argv);
    else if (unit.app == TestApp::core) app = std::make_unique<QCoreApplication>(argc, argv);
    if (app) app->setAttribute(Qt::AA_Use96Dpi, true);
    const auto test = unit.make();
    return QTest::qExec(test.get(), argc, argv);
}

}  // namespace

bool register_test(const char* file, TestApp app, std::function<std::unique_ptr<QObject>()> make)
{
    const auto [it, inserted] = registry().emplace(unit_of(file), Registered{app, std::move(make)});
    if (!inserted) {
        std::fprintf(stderr, "two test units named %s\n", it->first.c_str());
        std::abort();
    }
    return true;
}

}  // namespace nftterm::tests

int main(int argc, char** argv)
{
    using nftterm::tests::registry;
    if (argc > 1 && std::strcmp(argv[1], "--list") == 0) {
        for (const auto& [name, unit] : registry()) std::printf("%s\n", name.c_str());
        return 0;
    }
    if (argc > 1 && argv[1][0] != '-') {
        const auto found = registry().find(argv[1]);
        if (found == registry().end()) {
            std::fprintf(stderr, "no test unit %s here (--list shows them)\n", argv[1]);
            return 2;
        }
        // Qt Test sees the program name and the options after the unit.
        std::vector<char*> args{argv[0]};
        args.insert(args.end(), argv + 2, argv + argc);
        return nftterm::tests::run_unit(found->second, int(args.size()), args.data());
    }
    int failed = 0;
    for (const auto& [name, unit] : registry()) {
        std::printf("== %s\n", name.c_str());
        failed += nftterm::tests::run_unit(unit, argc, argv) != 0;
    }
    return failed == 0 ? 0 : 1;
}
