#pragma once

#include "perp_trigger_book.hpp"

#include <ui/dialogs/perp_trigger_dialog.hpp>

#include <QObject>
#include <QPointer>

namespace nftterm::ui {
class MainWindow;
}  // namespace nftterm::ui

namespace nftterm::app {

class ActionController;
struct SnapshotUpdate;

/// The window's stop-losses and take-profits: the dialog that sets them on a
/// perp (checked against its side, mark and liquidation price), the book that
/// keeps them, and at each snapshot the crossings handed to the action
/// controller to close.
class PerpTriggerController : public QObject {
    Q_OBJECT
public:
    PerpTriggerController(ui::MainWindow& window, ActionController& actions, std::filesystem::path file, QObject* parent = nullptr);

    void openDialog(const QString& position_id);
    ui::PerpTriggerDialog* dialog() const { return m_dialog; }
    const PerpTriggerBook& book() const { return m_book; }
    /// Acts on the crossings of a new snapshot.
    void observe(const SnapshotUpdate& update);

private:
    void save(const std::string& position_id, const ui::PerpTriggerInput& input);

    ui::MainWindow& m_window;
    ActionController& m_actions;
    PerpTriggerBook m_book;
    QPointer<ui::PerpTriggerDialog> m_dialog;
};

}  // namespace nftterm::app
