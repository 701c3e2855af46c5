#pragma once

#include <QMainWindow>
#include <QString>

#include <vector>

class QLabel;
class QListWidget;
class QTableView;

namespace nftterm::ui {

class PositionTableModel;

/// An account as the accounts pane lists it.
struct AccountRow {
    QString address;
    QString label;
    bool can_sign = false;
};

/// The terminal's main window: positions at the centre, accounts and the
/// price chart in docks, node state in the status bar. It only shows what
/// the app hands it.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    PositionTableModel* positionModel() const { return m_positions; }

public Q_SLOTS:
    void setAccounts(const std::vector<nftterm::ui::AccountRow>& accounts);
    /// "not connected", or the node, chain id and head block.
    void setNodeStatus(const QString& text, bool healthy);

private:
    PositionTableModel* m_positions = nullptr;
    QTableView* m_table = nullptr;
    QListWidget* m_accounts = nullptr;
    QLabel* m_node = nullptr;
};

}  // namespace nftterm::ui
