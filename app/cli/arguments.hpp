#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nftterm::cli {

/// Command-line words split into positionals and --options. An option takes
/// the next word as its value unless it is a known flag; repeated options
/// keep every value.
class Arguments {
public:
    Arguments(int argc, char** argv, const std::vector<std::string>& flags);

    const std::vector<std::string>& positionals() const noexcept { return m_positionals; }
    bool has(const std::string& name) const { return m_options.contains(name); }
    std::optional<std::string> value(const std::string& name) const;
    std::vector<std::string> values(const std::string& name) const;
    /// Options given that are not in `allowed` (typos must not pass silently).
    std::vector<std::string> unknown(const std::vector<std::string>& allowed) const;
    const std::string& error() const noexcept { return m_error; }

    /// For a command group ("wallet", "abi"): prints `usage` on --help or
    /// when no subcommand is given, or the parse error; returns the exit
    /// code to stop with, or nullopt to go on.
    std::optional<int> stop_for_help_or_error(const char* usage) const;

private:
    std::vector<std::string> m_positionals;
    std::map<std::string, std::vector<std::string>> m_options;
    std::string m_error;
};

}  // namespace nftterm::cli
