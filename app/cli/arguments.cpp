#include "arguments.hpp"

#include <algorithm>
#include <iostream>

namespace nftterm::cli {

Arguments::Arguments(int argc, char** argv, const std::vector<std::string>& flags)
{
    for (int i = 1; i < argc; ++i) {
        std::string word = argv[i];
        if (!word.starts_with("--")) {
            m_positionals.push_back(std::move(word));
            continue;
        }
        std::string name = word.substr(2);
        if (const auto eq = name.find('='); eq != std::string::npos) {
            m_options[name.substr(0, eq)].push_back(name.substr(eq + 1));
            continue;
        }
        // Flags every command that talks to a node (or discovers positions) takes.
        if (std::find(flags.begin(), flags.end(), name) != flags.end() || name == "allow-insecure-http" || name == "since-first-activity") {
            m_options[name].push_back("");
            continue;
        }
        if (i + 1 >= argc) {
            m_error = "--" + name + " needs a value";
            continue;
        }
        m_options[name].push_back(argv[++i]);
    }
}

std::optional<std::string> Arguments::value(const std::string& name) const
{
    const auto it = m_options.find(name);
    if (it == m_options.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
}

std::vector<std::string> Arguments::values(const std::string& name) const
{
    const auto it = m_options.find(name);
    return it == m_options.end() ? std::vector<std::string>{} : it->second;
}

std::vector<std::string> Arguments::unknown(const std::vector<std::string>& allowed) const
{
    std::vector<std::string> out;
    for (const auto& [name, _] : m_options)
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) out.push_back("--" + name);
    return out;
}

std::optional<int> Arguments::stop_for_help_or_error(const char* usage) const
{
    if (has("help") || m_positionals.size() < 2) {
        std::cout << usage;
        return has("help") ? 0 : 2;
    }
    if (!m_error.empty()) {
        std::cerr << "nftterm-cli: " << m_error << "\n";
        return 2;
    }
    return std::nullopt;
}

}  // namespace nftterm::cli
