#pragma once

#include <QMetaType>
#include <QString>

namespace nftterm::ui {

/// The node as the status bar shows it.
struct NodeStatus {
    QString url;
    quint64 chain_id = 0;
    quint64 block = 0;
    /// Unix time of that block.
    qint64 block_time = 0;
    /// What the last refresh took, read to snapshot (ms).
    double refresh_ms = 0;
    bool healthy = false;
    /// Why it is not healthy, in words.
    QString error;
    /// A long discovery scan under way, in words ("blocks … of …, n %"): not live yet, but not broken.
    QString scanning;
};

}  // namespace nftterm::ui

Q_DECLARE_METATYPE(nftterm::ui::NodeStatus)
