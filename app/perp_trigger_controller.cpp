#include "perp_trigger_controller.hpp"

#include "action_controller.hpp"
#include "monitor_worker.hpp"

#include <ui/dialogs/perp_trigger_dialog.hpp>
#include <ui/main_window.hpp>
#include <ui/models/position_table_model.hpp>

namespace nftterm::app {

using protocols::positions::Position;
using wallet::U256;

namespace {

QString price_text(const U256& value)
{
    return QString::fromStdString(value.format_units(18));
}

/// For reading: four decimals.
QString short_text(const U256& value)
{
    return QString::number(std::stod(value.format_units(18)), 'f', 4);
}

}  // namespace

PerpTriggerController::PerpTriggerController(ui::MainWindow& window, ActionController& actions, std::filesystem::path file, QObject* parent)
    : QObject(parent), m_window(window), m_actions(actions), m_book(std::move(file))
{
    if (m_book.loadError()) m_window.addActivity(*m_book.loadError());
    connect(&window, &ui::MainWindow::triggersRequested, this, &PerpTriggerController::openDialog);
}

void PerpTriggerController::openDialog(const QString& position_id)
{
    const auto* model = m_window.positionModel();
    const Position* position = model->positionAt(model->rowOf(position_id.toStdString()));
    if (!position || position->key.protocol != protocols::positions::Protocol::Perp || !position->size || !position->price) return;
    if (m_dialog) m_dialog->close();
    const bool is_long = !position->size->negative;
    const QString words = tr("%1 of %2 at mark %3; liquidation price %4.")
                              .arg(is_long ? tr("Long") : tr("Short"), short_text(position->size->magnitude), short_text(*position->price),
                                   position->liquidation_price ? short_text(*position->liquidation_price) : tr("none"));
    ui::PerpTriggerInput current;
    if (const auto trigger = m_book.triggerFor(position->key.id())) {
        if (trigger->stop_loss) current.stop_loss = price_text(*trigger->stop_loss);
        if (trigger->take_profit) current.take_profit = price_text(*trigger->take_profit);
        current.max_slippage_bps = int(trigger->max_slippage_bps);
    }
    m_dialog = new ui::PerpTriggerDialog(words, current, &m_window);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &ui::PerpTriggerDialog::saveRequested, this, [this, id = position->key.id()](const ui::PerpTriggerInput& input) { save(id, input); });
    m_dialog->show();
}

void PerpTriggerController::save(const std::string& position_id, const ui::PerpTriggerInput& input)
{
    if (!m_dialog) return;
    const auto* model = m_window.positionModel();
    const Position* position = model->positionAt(model->rowOf(position_id));
    if (!position || !position->size || !position->price) return m_dialog->setError(tr("The position is no longer in the table."));
    protocols::risk::PerpTrigger trigger;
    trigger.position = position_id;
    trigger.max_slippage_bps = std::uint32_t(input.max_slippage_bps);
    for (auto [text, level] : {std::pair{&input.stop_loss, &trigger.stop_loss}, {&input.take_profit, &trigger.take_profit}}) {
        if (text->isEmpty()) continue;
        auto value = U256::parse_units(text->toStdString(), 18);
        if (!value || value->is_zero()) return m_dialog->setError(tr("“%1” is not a price above 0.").arg(*text));
        *level = *value;
    }
    // A level already crossed would close at the next block; a stop past the liquidation price comes too late.
    const bool is_long = !position->size->negative;
    const U256& mark = *position->price;
    if (trigger.stop_loss && (is_long ? *trigger.stop_loss >= mark : *trigger.stop_loss <= mark))
        return m_dialog->setError(tr("A stop-loss of a %1 goes %2 the mark (%3): this one would close it at the next block.")
                                      .arg(is_long ? tr("long") : tr("short"), is_long ? tr("below") : tr("above"), short_text(mark)));
    if (trigger.take_profit && (is_long ? *trigger.take_profit <= mark : *trigger.take_profit >= mark))
        return m_dialog->setError(tr("A take-profit of a %1 goes %2 the mark (%3): this one would close it at the next block.")
                                      .arg(is_long ? tr("long") : tr("short"), is_long ? tr("above") : tr("below"), short_text(mark)));
    if (trigger.stop_loss && position->liquidation_price && !position->liquidation_price->is_zero() &&
        (is_long ? *trigger.stop_loss <= *position->liquidation_price : *trigger.stop_loss >= *position->liquidation_price))
        return m_dialog->setError(tr("The position is liquidated at %1, before this stop-loss: put it between the liquidation price and the mark.")
                                      .arg(short_text(*position->liquidation_price)));
    if (auto saved = m_book.set(trigger); !saved) return m_dialog->setError(saved.error());
    m_window.addActivity(trigger.stop_loss || trigger.take_profit
                             ? tr("%1: stop-loss %2, take-profit %3 (at most %4 bps of slippage)")
                                   .arg(QString::fromStdString(position_id), trigger.stop_loss ? price_text(*trigger.stop_loss) : tr("none"),
                                        trigger.take_profit ? price_text(*trigger.take_profit) : tr("none"))
                                   .arg(trigger.max_slippage_bps)
                             : tr("%1: no stop-loss or take-profit any more").arg(QString::fromStdString(position_id)));
    m_dialog->accept();
}

void PerpTriggerController::observe(const SnapshotUpdate& update)
{
    if (!update.snapshot) return;
    for (const auto& crossing : m_book.crossings(*update.snapshot)) m_actions.closeOnTrigger(crossing.position, crossing.level, crossing.trigger.max_slippage_bps);
}

}  // namespace nftterm::app
