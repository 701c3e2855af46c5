#pragma once

#include <string>

namespace nftterm::cli {

/// Shows one alert (its JSON line) as a desktop notification: the
/// freedesktop Notify call on the session D-Bus (libdbus, no Qt: the CLI
/// links the Qt-free core), urgency critical for critical alerts, which stay
/// until dismissed; a resolution replaces its alert's notification. "" or
/// why not, in words. Called from one thread (the alert channel's).
std::string notify_desktop(const std::string& alert_json);

}  // namespace nftterm::cli
