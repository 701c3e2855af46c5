#include "theme.hpp"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace nftterm::ui {

void apply_theme(Theme theme)
{
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    if (theme == Theme::Light) {
        QApplication::setPalette(QApplication::style()->standardPalette());
        return;
    }
    // A trading-desk dark: low glare for long sessions, risk colours stay readable.
    QPalette dark;
    const QColor window(0x1e, 0x21, 0x26), base(0x16, 0x18, 0x1c), text(0xe0, 0xe3, 0xe8), accent(0x3d, 0x8b, 0xfd);
    dark.setColor(QPalette::Window, window);
    dark.setColor(QPalette::WindowText, text);
    dark.setColor(QPalette::Base, base);
    dark.setColor(QPalette::AlternateBase, QColor(0x22, 0x25, 0x2b));
    dark.setColor(QPalette::ToolTipBase, window);
    dark.setColor(QPalette::ToolTipText, text);
    dark.setColor(QPalette::Text, text);
    dark.setColor(QPalette::Button, window);
    dark.setColor(QPalette::ButtonText, text);
    dark.setColor(QPalette::BrightText, Qt::red);
    dark.setColor(QPalette::Highlight, accent);
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::Link, accent);
    dark.setColor(QPalette::PlaceholderText, QColor(0x80, 0x86, 0x90));
    dark.setColor(QPalette::Disabled, QPalette::Text, QColor(0x70, 0x70, 0x70));
    dark.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x70, 0x70, 0x70));
    QApplication::setPalette(dark);
}

Theme theme_from_name(const QString& name)
{
    return name == QStringLiteral("light") ? Theme::Light : Theme::Dark;
}

QString theme_name(Theme theme)
{
    return theme == Theme::Light ? QStringLiteral("light") : QStringLiteral("dark");
}

}  // namespace nftterm::ui
