#include "main_window.hpp"

#include "models/history_model.hpp"
#include "models/position_filter_model.hpp"
#include "models/position_table_model.hpp"
#include "models/stress_model.hpp"
#include "widgets/accounts_pane.hpp"
#include "widgets/welcome_page.hpp"
#include "widgets/alert_tray.hpp"
#include "widgets/alerts_pane.hpp"
#include "widgets/charts_pane.hpp"
#include "widgets/filter_bar.hpp"
#include "widgets/position_details.hpp"
#include "widgets/row_button_delegate.hpp"

#include <QAction>
#include <QDateTime>
#include <QDockWidget>
#include <QFontMetrics>
#include <QGuiApplication>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QShortcut>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace nftterm::ui {

namespace {

/// The activity pane keeps this many lines.
constexpr int kActivityLines = 500;
/// Bumped when the docks change, so that an older saved layout is not applied.
constexpr int kLayoutVersion = 4;

QDockWidget* dock(QMainWindow* window, const QString& title, const char* name, QWidget* content, Qt::DockWidgetArea area)
{
    auto* widget = new QDockWidget(title, window);
    widget->setObjectName(QString::fromLatin1(name));
    widget->setWidget(content);
    window->addDockWidget(area, widget);
    return widget;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setWindowTitle(tr("nftterm — NFT margin terminal"));
    resize(1440, 860);
    fitToScreen();

    m_positions = new PositionTableModel(this);
    m_filter = new PositionFilterModel(this);
    m_filter->setSourceModel(m_positions);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("positionsTable"));
    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(PositionTableModel::Health, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    const int digit = m_table->fontMetrics().horizontalAdvance(u'0');
    const int widths[PositionTableModel::ColumnCount] = {9, 13, 7, 11, 16, 12, 14, 10, 12, 16, 10, 10, 10};
    for (int column = 0; column < PositionTableModel::ColumnCount; ++column) m_table->setColumnWidth(column, widths[column] * digit + 16);
    // A "Top up…" button on each risky row: the fix is one click from the warning.
    auto* buttons = new RowButtonDelegate(m_table);
    m_table->setItemDelegateForColumn(PositionTableModel::Action, buttons);
    connect(buttons, &RowButtonDelegate::clicked, this, [this](const QModelIndex& index) {
        Q_EMIT topUpRequested(index.data(PositionTableModel::PositionIdRole).toString());
    });
    // The action sits next to the health it fixes.
    m_table->horizontalHeader()->moveSection(PositionTableModel::Action, PositionTableModel::Health + 1);
    m_filter_bar = new FilterBar(m_filter, this);

    auto* centre = new QWidget(this);
    auto* layout = new QVBoxLayout(centre);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_filter_bar);
    layout->addWidget(m_table, 1);
    // A first start shows what to do instead of an empty table.
    m_welcome = new WelcomePage(this);
    m_centre = new QStackedWidget(this);
    m_centre->addWidget(centre);
    m_centre->addWidget(m_welcome);
    setCentralWidget(m_centre);

    buildDocks();
    buildStatusBar();
    buildShortcuts();
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::showSelected);
    // The selected row's figures follow every block.
    connect(m_positions, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex& top, const QModelIndex& bottom) {
        const auto selected = m_table->selectionModel()->selectedRows();
        if (selected.isEmpty()) return;
        const int row = m_filter->mapToSource(selected.first()).row();
        if (row >= top.row() && row <= bottom.row()) showSelected();
    });
    // At start, the riskiest position (first by health) is selected: its details and charts are in view.
    connect(m_positions, &PositionTableModel::snapshotApplied, this, [this] {
        if (m_auto_selected || m_filter->rowCount() == 0) return;
        m_auto_selected = true;
        if (m_table->selectionModel()->selectedRows().isEmpty())
            m_table->selectionModel()->select(m_filter->index(0, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    });
    connect(m_details, &PositionDetails::topUpRequested, this, &MainWindow::topUpRequested);
    connect(m_details, &PositionDetails::triggersRequested, this, &MainWindow::triggersRequested);
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        const auto protocol = protocols::positions::parse_protocol(index.data(PositionTableModel::ProtocolRole).toString().toStdString());
        if (protocol && protocols::positions::has_top_up(*protocol))
            Q_EMIT topUpRequested(index.data(PositionTableModel::PositionIdRole).toString());
    });
}

MainWindow::~MainWindow() = default;

void MainWindow::buildDocks()
{
    m_details = new PositionDetails(this);
    dock(this, tr("Details"), "detailsDock", m_details, Qt::RightDockWidgetArea);

    m_accounts = new AccountsPane(this);
    // Accounts share the right side with the details: the table keeps the width.
    tabifyDockWidget(findChild<QDockWidget*>(QStringLiteral("detailsDock")), dock(this, tr("Accounts"), "accountsDock", m_accounts, Qt::RightDockWidgetArea));
    findChild<QDockWidget*>(QStringLiteral("detailsDock"))->raise();

    m_history = new HistoryModel(this);
    m_stress = new StressModel(this);
    m_charts = new ChartsPane(m_history, m_stress, this);
    dock(this, tr("Charts"), "chartDock", m_charts, Qt::BottomDockWidgetArea);

    m_activity = new QListWidget(this);
    m_activity->setObjectName(QStringLiteral("activityList"));
    auto* activity = dock(this, tr("Activity"), "activityDock", m_activity, Qt::BottomDockWidgetArea);
    auto* charts = findChild<QDockWidget*>(QStringLiteral("chartDock"));
    splitDockWidget(charts, activity, Qt::Horizontal);
    // Alerts share the bottom right with the activity, in front of it: what needs the trader first.
    m_alerts = new AlertsPane(this);
    auto* alerts = dock(this, tr("Alerts"), "alertsDock", m_alerts, Qt::BottomDockWidgetArea);
    tabifyDockWidget(activity, alerts);
    alerts->raise();
    connect(m_alerts, &AlertsPane::showPositionRequested, this, [this](const QString& id) { selectPosition(id); });
    m_tray = new AlertTray(this);
    connect(m_tray, &AlertTray::showWindowRequested, this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
    connect(m_alerts, &AlertsPane::firingCountChanged, this, [this, alerts](int count) {
        alerts->setWindowTitle(count > 0 ? tr("Alerts (%1)").arg(count) : tr("Alerts"));
        m_tray->setCounts(count, m_alerts->criticalCount());
    });
    // Until the user arranges them: the table keeps most of the height, the charts most of the bottom.
    resizeDocks({charts}, {300}, Qt::Vertical);
    resizeDocks({charts, activity}, {900, 420}, Qt::Horizontal);

    auto* wallet = menuBar()->addMenu(tr("&Wallet"));
    auto* add_account = wallet->addAction(tr("Add account…"));
    add_account->setObjectName(QStringLiteral("addAccountAction"));
    connect(add_account, &QAction::triggered, m_accounts, &AccountsPane::addRequested);
    auto* trade = wallet->addAction(tr("Trade…"));
    trade->setObjectName(QStringLiteral("tradeAction"));
    trade->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    connect(trade, &QAction::triggered, this, &MainWindow::tradeRequested);
    auto* lock = wallet->addAction(tr("Lock keystores"));
    lock->setObjectName(QStringLiteral("lockAction"));
    lock->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    connect(lock, &QAction::triggered, this, &MainWindow::lockRequested);
    wallet->addSeparator();
    auto* settings = wallet->addAction(tr("Settings…"));
    settings->setObjectName(QStringLiteral("settingsAction"));
    settings->setShortcut(QKeySequence::Preferences);
    if (settings->shortcut().isEmpty()) settings->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    connect(settings, &QAction::triggered, this, &MainWindow::settingsRequested);

    auto* view = menuBar()->addMenu(tr("&View"));
    int key = Qt::Key_1;
    for (auto* widget : findChildren<QDockWidget*>()) {
        QAction* toggle = widget->toggleViewAction();
        toggle->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(key++)));
        view->addAction(toggle);
    }
    view->addSeparator();
    auto* theme = view->addAction(tr("Dark theme"));
    theme->setObjectName(QStringLiteral("darkThemeAction"));
    theme->setCheckable(true);
    theme->setChecked(true);
    theme->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    connect(theme, &QAction::toggled, this, [this](bool dark) { setTheme(dark ? Theme::Dark : Theme::Light); });

    auto* help = menuBar()->addMenu(tr("&Help"));
    auto* about = help->addAction(tr("About nftterm…"));
    about->setObjectName(QStringLiteral("aboutAction"));
    connect(about, &QAction::triggered, this, [this] {
        auto* box = new QMessageBox(QMessageBox::Information, tr("About nftterm"),
                                    tr("<b>nftterm</b> — a trading terminal for NFT margin positions.<br><br>") + m_about_text, QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("aboutBox"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
}

void MainWindow::buildStatusBar()
{
    const auto label = [this](const char* name) {
        auto* widget = new QLabel(this);
        widget->setObjectName(QString::fromLatin1(name));
        statusBar()->addPermanentWidget(widget);
        return widget;
    };
    m_node = label("nodeStatus");
    m_chain = label("chainStatus");
    m_block = label("blockStatus");
    m_latency = label("latencyStatus");
    m_health = label("connectionStatus");
    m_age_timer = new QTimer(this);
    connect(m_age_timer, &QTimer::timeout, this, &MainWindow::updateBlockAge);
    m_age_timer->start(1000);
    setNodeStatus({});
}

void MainWindow::buildShortcuts()
{
    connect(new QShortcut(QKeySequence::Find, this), &QShortcut::activated, m_filter_bar, &FilterBar::focusSearch);
    connect(new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_R), this), &QShortcut::activated, m_filter_bar, &FilterBar::toggleAtRisk);
    // Ctrl+U: top up the selected position (the dialog asks before anything is signed).
    connect(new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_U), this), &QShortcut::activated, this, [this] {
        const auto selected = m_table->selectionModel()->selectedRows();
        if (!selected.isEmpty()) Q_EMIT topUpRequested(selected.first().data(PositionTableModel::PositionIdRole).toString());
    });
}

void MainWindow::saveLayout(QSettings& settings) const
{
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState(kLayoutVersion));
    settings.setValue(QStringLiteral("window/theme"), theme_name(m_theme));
}

void MainWindow::showWelcome(const QString& reason)
{
    m_welcome->setReason(reason);
    m_centre->setCurrentWidget(m_welcome);
}

void MainWindow::fitToScreen()
{
    // Never wider or taller than the screen's free area: the status bar's live state must stay in sight.
    const QScreen* shown_on = screen() ? screen() : QGuiApplication::primaryScreen();
    if (!shown_on) return;
    const QRect available = shown_on->availableGeometry();
    const QSize fitted = size().boundedTo(available.size());
    if (fitted != size()) resize(fitted);
    if (!available.contains(frameGeometry())) move(available.topLeft());
}

void MainWindow::restoreLayout(const QSettings& settings)
{
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray(), kLayoutVersion);
    fitToScreen();  // a layout saved on a bigger screen
    setTheme(theme_from_name(settings.value(QStringLiteral("window/theme"), QStringLiteral("dark")).toString()));
}

void MainWindow::setAccounts(const std::vector<AccountRow>& accounts)
{
    m_accounts->setAccounts(accounts);
    QStringList addresses, labels;
    for (const auto& account : accounts) {
        addresses << account.address;
        labels << account.label;
    }
    m_filter_bar->setAccounts(addresses, labels);
}

void MainWindow::setNames(const QHash<QString, QString>& collection_symbols, const QHash<QString, QString>& account_labels)
{
    m_collection_symbols = collection_symbols;
    m_positions->setNames(collection_symbols, account_labels);
}

void MainWindow::applySnapshot(std::shared_ptr<const protocols::positions::Snapshot> snapshot,
                               const std::vector<protocols::positions::PositionChange>& changes)
{
    m_positions->applySnapshot(std::move(snapshot), changes);
}

void MainWindow::setNodeStatus(const NodeStatus& status)
{
    m_status = status;
    // A long text (a node's error, a scan's progress, a long URL) never widens the window past the
    // screen: it is cut short with an ellipsis, and the tooltip has it all.
    const auto set_elided = [](QLabel* label, const QString& text, int max_px, bool bold) {
        QFont font = label->font();
        font.setBold(bold);
        label->setText(QFontMetrics(font).elidedText(text, Qt::ElideRight, max_px));
    };
    const QString node = status.url.isEmpty() ? tr("Node: not connected") : tr("Node: %1").arg(status.url);
    set_elided(m_node, node, 280, false);
    m_node->setToolTip(node);
    m_chain->setText(status.chain_id ? tr("Chain %1").arg(status.chain_id) : QString());
    m_latency->setText(status.refresh_ms > 0 ? tr("Refresh %1 ms").arg(status.refresh_ms, 0, 'f', 0) : QString());
    const bool scanning = !status.healthy && !status.scanning.isEmpty();
    const QString colour = status.healthy ? QStringLiteral("#2e7d32") : scanning ? QStringLiteral("#b26a00") : QStringLiteral("#c62828");
    set_elided(m_health,
               status.healthy ? tr("● live")
               : scanning     ? tr("● finding positions: %1").arg(status.scanning)
                              : tr("● %1").arg(status.error.isEmpty() ? tr("offline") : tr("offline: %1").arg(status.error)),
               520, true);
    m_health->setStyleSheet(QStringLiteral("color: ") + colour + QStringLiteral("; font-weight: bold;"));
    m_health->setToolTip(scanning ? status.scanning : status.error);
    m_positions->setConnectionStale(!status.healthy && status.block != 0);
    if (!status.healthy && !status.error.isEmpty()) addActivity(tr("Node: %1").arg(status.error));
    updateBlockAge();
}

void MainWindow::updateBlockAge()
{
    if (m_status.block == 0) {
        m_block->clear();
        return;
    }
    const qint64 age = std::max<qint64>(0, QDateTime::currentSecsSinceEpoch() - m_status.block_time);
    m_block->setText(tr("Block %1 · %2 s ago").arg(m_status.block).arg(age));
}

void MainWindow::addActivity(const QString& text)
{
    // Consecutive repeats (a node down for minutes) are one line.
    if (m_activity->count() > 0 && m_activity->item(0)->data(Qt::UserRole).toString() == text) return;
    auto* item = new QListWidgetItem(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss  ")) + text);
    item->setData(Qt::UserRole, text);
    m_activity->insertItem(0, item);
    while (m_activity->count() > kActivityLines) delete m_activity->takeItem(m_activity->count() - 1);
}

void MainWindow::setTheme(Theme theme)
{
    m_theme = theme;
    apply_theme(theme);
    m_charts->setDark(theme == Theme::Dark);
    if (auto* action = findChild<QAction*>(QStringLiteral("darkThemeAction")); action && action->isChecked() != (theme == Theme::Dark))
        action->setChecked(theme == Theme::Dark);
    Q_EMIT themeChanged(theme);
}

void MainWindow::showSelected()
{
    const auto selected = m_table->selectionModel()->selectedRows();
    const auto* position = selected.isEmpty() ? nullptr : m_positions->positionAt(m_filter->mapToSource(selected.first()).row());
    const QString name = position ? m_positions->index(m_filter->mapToSource(selected.first()).row(), 0).data(PositionTableModel::CollectionRole).toString()
                                  : QString();
    const auto snapshot = m_positions->snapshot();
    m_details->showPosition(position, name, snapshot ? snapshot->block.timestamp : 0);
    const QString id = position ? QString::fromStdString(position->key.id()) : QString();
    if (id != m_history->positionId()) {
        // Another position: its charts start empty until its history is read (off this thread).
        m_history->setHistory({id, {}});
        m_charts->setPosition(position, name, m_positions->thresholds());
        if (!id.isEmpty()) Q_EMIT historyRequested(id);
    }
    // The pools trade the NFT collections (a perp's "collection" is its Amm's underlying, not a pool market).
    const QString collection = position && position->key.protocol != protocols::positions::Protocol::Perp && !position->collection.is_zero()
                                   ? QString::fromStdString(position->collection.to_hex())
                                   : QString();
    if (collection != m_book_collection) {
        m_book_collection = collection;
        Q_EMIT bookRequested(collection);
    }
}

QString MainWindow::selectedPositionId() const
{
    const auto selected = m_table->selectionModel()->selectedRows();
    return selected.isEmpty() ? QString() : selected.first().data(PositionTableModel::PositionIdRole).toString();
}

bool MainWindow::selectPosition(const QString& position_id)
{
    const int row = m_positions->rowOf(position_id.toStdString());
    if (row < 0) return false;
    const QModelIndex index = m_filter->mapFromSource(m_positions->index(row, 0));
    if (!index.isValid()) return false;
    m_table->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
    return true;
}

void MainWindow::showChart(const QString& name)
{
    const QStringList names{QStringLiteral("price"), QStringLiteral("health"), QStringLiteral("funding"), QStringLiteral("stress"), QStringLiteral("depth")};
    if (const auto at = names.indexOf(name.toLower()); at >= 0) m_charts->setCurrentIndex(int(at));
    if (auto* charts = findChild<QDockWidget*>(QStringLiteral("chartDock"))) charts->show();
}

void MainWindow::setHistory(const PositionHistory& history)
{
    if (history.position_id == m_history->positionId()) m_history->setHistory(history);
}

void MainWindow::appendHistory(const PositionHistory& more)
{
    m_history->append(more);
}

void MainWindow::setRiskThresholds(const RiskThresholds& thresholds)
{
    m_positions->setThresholds(thresholds);
    const auto selected = m_table->selectionModel()->selectedRows();
    const int row = selected.isEmpty() ? -1 : m_filter->mapToSource(selected.first()).row();
    if (const auto* position = m_positions->positionAt(row))
        m_charts->setPosition(position, m_positions->index(row, 0).data(PositionTableModel::CollectionRole).toString(), thresholds);
}

void MainWindow::setStress(std::vector<protocols::risk::StressRow> rows)
{
    m_stress->setRows(std::move(rows));
}

}  // namespace nftterm::ui
