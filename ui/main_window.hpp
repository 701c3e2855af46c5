#pragma once

#include "history_point.hpp"
#include "models/risk_level.hpp"
#include "node_status.hpp"
#include "theme.hpp"

#include <protocols/positions/snapshot_diff.hpp>
#include <protocols/risk/stress.hpp>

#include <QMainWindow>
#include <QString>

#include <memory>
#include <vector>

class QLabel;
class QListWidget;
class QSettings;
class QStackedWidget;
class QTableView;
class QTimer;

namespace nftterm::ui {

class AccountsPane;
class WelcomePage;
class AlertsPane;
class AlertTray;
class ChartsPane;
class FilterBar;
class HistoryModel;
class PositionDetails;
class PositionFilterModel;
class PositionTableModel;
class StressModel;

/// An account as the accounts pane lists it.
struct AccountRow {
    QString address;
    QString label;
    bool can_sign = false;
    /// How it signs, in words; empty: "keystore" or "watch-only".
    QString kind = {};
};

/// The terminal's main window: positions at the centre with their filters;
/// details, chart, accounts and activity in docks; node, chain, block and
/// its age, refresh latency and connection health in the status bar. It
/// only shows what the app hands it and asks for work through signals.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    PositionTableModel* positionModel() const { return m_positions; }
    PositionFilterModel* filterModel() const { return m_filter; }
    HistoryModel* historyModel() const { return m_history; }
    StressModel* stressModel() const { return m_stress; }
    ChartsPane* chartsPane() const { return m_charts; }
    AccountsPane* accountsPane() const { return m_accounts; }
    AlertsPane* alertsPane() const { return m_alerts; }
    /// The id of the selected position; empty when none is.
    QString selectedPositionId() const;
    /// Selects a position's row (for the keyboard, the command line and tests).
    bool selectPosition(const QString& position_id);
    /// Raises the charts dock on one chart: "price", "health", "funding" or "stress".
    void showChart(const QString& name);

    /// Dock layout and geometry, as the user left them.
    void saveLayout(QSettings& settings) const;
    /// The first-run page in place of the table: why there is nothing to watch, and the ways to start.
    void showWelcome(const QString& reason);
    WelcomePage* welcome() const { return m_welcome; }
    /// Shrinks and moves the window into the screen's available area (a smaller screen, a layout saved on a bigger one).
    void fitToScreen();
    void restoreLayout(const QSettings& settings);
    Theme theme() const { return m_theme; }

public Q_SLOTS:
    void setAccounts(const std::vector<nftterm::ui::AccountRow>& accounts);
    /// Names for collection and account addresses (checksummed hex → name).
    void setNames(const QHash<QString, QString>& collection_symbols, const QHash<QString, QString>& account_labels);
    void applySnapshot(std::shared_ptr<const protocols::positions::Snapshot> snapshot,
                       const std::vector<protocols::positions::PositionChange>& changes);
    void setNodeStatus(const nftterm::ui::NodeStatus& status);
    /// One line in the activity pane (transactions, events, errors).
    /// What Help ▸ About says besides the program's name (versions of the parts it was built with).
    void setAboutText(const QString& text) { m_about_text = text; }
    void addActivity(const QString& text);
    void setTheme(nftterm::ui::Theme theme);
    /// The recorded history of the position asked for by historyRequested.
    void setHistory(const nftterm::ui::PositionHistory& history);
    /// Moments recorded since (ignored unless that position is selected).
    void appendHistory(const nftterm::ui::PositionHistory& more);
    /// The portfolio stress table at the latest block.
    void setStress(std::vector<protocols::risk::StressRow> rows);
    /// Where positions turn warning and critical: colours, the at-risk filter, chart levels.
    void setRiskThresholds(const nftterm::ui::RiskThresholds& thresholds);

Q_SIGNALS:
    void topUpRequested(const QString& position_id);
    /// The stop-loss / take-profit of a perp (the Details pane's button).
    void triggersRequested(const QString& position_id);
    /// Wallet ▸ Trade… (Ctrl+T): the trade ticket.
    void tradeRequested();
    /// Lock every unlocked keystore now (Ctrl+L).
    void lockRequested();
    /// Wallet ▸ Settings… (Ctrl+,).
    void settingsRequested();
    /// Another position was selected: its recorded history is wanted.
    void historyRequested(const QString& position_id);
    /// The selected position's collection changed (an address; empty: none or a perp's): its book is wanted.
    void bookRequested(const QString& collection);
    void themeChanged(nftterm::ui::Theme theme);

private:
    void buildDocks();
    void buildStatusBar();
    void buildShortcuts();
    void showSelected();
    void updateBlockAge();
    QString m_book_collection;

    PositionTableModel* m_positions = nullptr;
    PositionFilterModel* m_filter = nullptr;
    FilterBar* m_filter_bar = nullptr;
    QTableView* m_table = nullptr;
    PositionDetails* m_details = nullptr;
    HistoryModel* m_history = nullptr;
    StressModel* m_stress = nullptr;
    ChartsPane* m_charts = nullptr;
    AccountsPane* m_accounts = nullptr;
    AlertsPane* m_alerts = nullptr;
    AlertTray* m_tray = nullptr;
    QListWidget* m_activity = nullptr;
    QLabel* m_node = nullptr;
    QLabel* m_chain = nullptr;
    QLabel* m_block = nullptr;
    QLabel* m_latency = nullptr;
    QLabel* m_health = nullptr;
    QTimer* m_age_timer = nullptr;
    NodeStatus m_status;
    QHash<QString, QString> m_collection_symbols;
    Theme m_theme = Theme::Dark;
    bool m_auto_selected = false;
    WelcomePage* m_welcome = nullptr;
    QStackedWidget* m_centre = nullptr;
    QString m_about_text;
};

}  // namespace nftterm::ui
