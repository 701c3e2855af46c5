#include "book_service.hpp"

#include "error_words.hpp"

#include <protocols/pricing/order_book.hpp>

#include <QMetaObject>

namespace nftterm::app {

/// What lives on the book's thread: the node's client and the reader with its scans.
struct BookService::Reader {
    Reader(protocols::eth::RpcClientOptions node, protocols::positions::Registry registry)
        : client(std::move(node)), symbols(registry), reader(std::move(registry))
    {
    }
    protocols::eth::RpcClient client;
    protocols::positions::Registry symbols;
    protocols::pricing::BookReader reader;
};

namespace {

constexpr std::size_t kDepth = 30;

double eth(const wallet::U256& wei)
{
    return QString::fromStdString(wei.format_units(18)).toDouble();
}

}  // namespace

BookService::BookService(protocols::eth::RpcClientOptions node, protocols::positions::Registry registry, QObject* parent)
    : QObject(parent), m_reader(std::make_shared<Reader>(std::move(node), std::move(registry)))
{
    qRegisterMetaType<BookView>();
    m_thread.adopt(new QObject);  // the reads need no state of their own on the thread: the Reader holds it
    m_thread.start();
}

BookService::~BookService()
{
    // A read under way finishes while this object is whole; its answer is then dropped with it.
    m_thread.post_and_wait([] {});
}

void BookService::request(const QString& collection)
{
    m_collection = collection;
    if (collection.isEmpty()) {
        Q_EMIT ready(BookView{{}, tr("Depth — select a loan or a pool of a collection the pools trade"), 0, {}, {}});
        return;
    }
    m_busy->store(false);
    refresh();
}

void BookService::refresh()
{
    if (m_collection.isEmpty() || m_busy->exchange(true)) return;
    const auto address = wallet::Address::from_hex(m_collection.toStdString());
    if (!address) return m_busy->store(false);
    m_thread.post([this, reader = m_reader, busy = m_busy, collection = m_collection, address = *address] {
        auto pools = reader->reader.read(reader->client, address);
        busy->store(false);
        if (!pools) {
            const QString why = words(pools.error());
            QMetaObject::invokeMethod(this, [this, why] { Q_EMIT failed(why); }, Qt::QueuedConnection);
            return;
        }
        const auto book = protocols::pricing::build_book(*pools, kDepth);
        BookView view;
        view.collection = collection;
        view.block = book.block;
        for (const auto& level : book.bids) view.bids << QPointF(eth(level.price), static_cast<double>(level.cumulative_count));
        for (const auto& level : book.asks) view.asks << QPointF(eth(level.price), static_cast<double>(level.cumulative_count));
        const std::string symbol = reader->symbols.symbol_of(address);
        const QString name = symbol.empty() ? collection : QString::fromStdString(symbol);
        view.title = book.asks.empty() && book.bids.empty()
                         ? tr("%1: no pool trades it at block %2").arg(name).arg(book.block)
                         : tr("%1 depth at block %2: best bid %3, best ask %4 ETH (%5 pools)")
                               .arg(name)
                               .arg(book.block)
                               .arg(book.bids.empty() ? QStringLiteral("—") : QString::number(eth(book.bids.front().price), 'f', 4))
                               .arg(book.asks.empty() ? QStringLiteral("—") : QString::number(eth(book.asks.front().price), 'f', 4))
                               .arg(pools->pools.size());
        QMetaObject::invokeMethod(this, [this, view] { Q_EMIT ready(view); }, Qt::QueuedConnection);
    });
}

}  // namespace nftterm::app
