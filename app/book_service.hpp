#pragma once

#include "worker_thread.hpp"

#include <protocols/eth/rpc/rpc_client.hpp>
#include <protocols/positions/registry.hpp>

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPointF>
#include <QString>

#include <atomic>
#include <memory>

namespace nftterm::app {

/// A collection's book as the depth chart draws it.
struct BookView {
    QString collection;
    QString title;
    quint64 block = 0;
    /// (price in ETH, cumulative NFTs), best first.
    QList<QPointF> bids;
    QList<QPointF> asks;
};

/// Reads the order book of the collection of the selected position on a
/// thread of its own (a scan of the pair factory's events, then one
/// Multicall3 read), again at each block, one read at a time.
class BookService : public QObject {
    Q_OBJECT
public:
    BookService(protocols::eth::RpcClientOptions node, protocols::positions::Registry registry, QObject* parent = nullptr);
    ~BookService() override;

    /// The collection whose book is wanted (an address; empty: none).
    void request(const QString& collection);
    /// Reads the current collection's book again (a new block), unless a read is under way.
    void refresh();

Q_SIGNALS:
    void ready(const nftterm::app::BookView& book);
    void failed(const QString& message);

private:
    struct Reader;
    WorkerThread m_thread{QStringLiteral("book")};
    std::shared_ptr<Reader> m_reader;
    QString m_collection;
    std::shared_ptr<std::atomic<bool>> m_busy = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace nftterm::app

Q_DECLARE_METATYPE(nftterm::app::BookView)
