#include "position_format.hpp"

namespace nftterm::ui {

double wad_to_double(const wallet::U256& wad)
{
    return wad.native().convert_to<double>() / 1e18;
}

double signed_wad_to_double(const protocols::positions::SignedWad& wad)
{
    const double magnitude = wad_to_double(wad.magnitude);
    return wad.negative ? -magnitude : magnitude;
}

QString amount_text(const wallet::U256& wad, int places)
{
    QString text = QString::fromStdString(wad.format_units(18));
    if (const auto dot = text.indexOf(u'.'); dot >= 0 && text.size() > dot + places + 1) text.truncate(dot + places + 1);
    return text;
}

QString protocol_name(protocols::positions::Protocol protocol)
{
    switch (protocol) {
    case protocols::positions::Protocol::Nftfi: return QStringLiteral("NFTfi");
    case protocols::positions::Protocol::BendDao: return QStringLiteral("BendDAO");
    case protocols::positions::Protocol::Sudoswap: return QStringLiteral("sudoswap");
    case protocols::positions::Protocol::Perp: return QStringLiteral("Perp");
    }
    return QString::fromUtf8(to_string(protocol));
}

QString short_address(const wallet::Address& address)
{
    const QString hex = QString::fromStdString(address.to_hex());
    return hex.left(6) + u'…' + hex.right(4);
}

QString age_text(std::uint64_t seconds)
{
    if (seconds < 120) return QString::number(seconds) + u's';
    if (seconds < 2 * 3600) return QString::number(seconds / 60) + u'm';
    if (seconds < 2 * 86400) return QString::number(seconds / 3600) + u'h';
    return QString::number(seconds / 86400) + u'd';
}

}  // namespace nftterm::ui
