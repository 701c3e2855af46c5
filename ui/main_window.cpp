#include "main_window.hpp"

#include "models/position_table_model.hpp"

#include <charts/price_chart_view.hpp>

#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QStatusBar>
#include <QTableView>

namespace nftterm::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setWindowTitle(tr("nftterm — NFT margin terminal"));
    resize(1280, 800);

    m_positions = new PositionTableModel(this);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("positionsTable"));
    m_table->setModel(m_positions);
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    setCentralWidget(m_table);

    m_accounts = new QListWidget(this);
    m_accounts->setObjectName(QStringLiteral("accountsList"));
    m_accounts->setWordWrap(true);
    // Wide enough for a whole checksummed address: traders compare them by eye.
    m_accounts->setMinimumWidth(m_accounts->fontMetrics().horizontalAdvance(QStringLiteral("0x")+QString(40, u'D')) + 24);
    m_accounts->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* accounts_dock = new QDockWidget(tr("Accounts"), this);
    accounts_dock->setObjectName(QStringLiteral("accountsDock"));
    accounts_dock->setWidget(m_accounts);
    addDockWidget(Qt::LeftDockWidgetArea, accounts_dock);

    auto* chart_dock = new QDockWidget(tr("Chart"), this);
    chart_dock->setObjectName(QStringLiteral("chartDock"));
    chart_dock->setWidget(new charts::PriceChartView(chart_dock));
    addDockWidget(Qt::BottomDockWidgetArea, chart_dock);

    m_node = new QLabel(this);
    m_node->setObjectName(QStringLiteral("nodeStatus"));
    statusBar()->addPermanentWidget(m_node);
    setNodeStatus(tr("Node: not connected"), false);
}

MainWindow::~MainWindow() = default;

void MainWindow::setAccounts(const std::vector<AccountRow>& accounts)
{
    m_accounts->clear();
    if (accounts.empty()) {
        m_accounts->addItem(tr("No accounts yet.\nImport one with: nftterm-cli wallet import"));
        return;
    }
    for (const auto& account : accounts) {
        const QString kind = account.can_sign ? tr("keystore") : tr("watch-only");
        const QString title = account.label.isEmpty() ? kind : account.label + u" · " + kind;
        auto* item = new QListWidgetItem(title + u"\n" + account.address, m_accounts);
        item->setToolTip(account.address);
    }
}

void MainWindow::setNodeStatus(const QString& text, bool healthy)
{
    m_node->setText(text);
    m_node->setStyleSheet(healthy ? QStringLiteral("color: #2e7d32;") : QStringLiteral("color: #c62828;"));
}

}  // namespace nftterm::ui
