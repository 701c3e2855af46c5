#pragma once

#include <QString>

namespace nftterm::ui {

enum class Theme { Dark, Light };

/// Fusion with a dark or light palette for the whole application.
void apply_theme(Theme theme);
Theme theme_from_name(const QString& name);
QString theme_name(Theme theme);

}  // namespace nftterm::ui
