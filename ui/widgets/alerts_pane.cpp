#include "alerts_pane.hpp"

#include <QBrush>
#include <QColor>
#include <QComboBox>
#include <QDateTime>
#include <QFont>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace nftterm::ui {

using protocols::risk::Alert;
using protocols::risk::AlertState;
using protocols::risk::Severity;

namespace {

enum Column { When, Level, Message, Block, ColumnCount };
enum Filter { All, Firing, Critical };

QColor colour_of(Severity severity)
{
    switch (severity) {
    case Severity::Critical: return QColor(0xc6, 0x28, 0x28);
    case Severity::Warning: return QColor(0xef, 0x8f, 0x00);
    case Severity::Info: break;
    }
    return QColor(0x75, 0x75, 0x75);
}

}  // namespace

AlertsPane::AlertsPane(QWidget* parent) : QWidget(parent)
{
    m_filter = new QComboBox(this);
    m_filter->setObjectName(QStringLiteral("alertsFilter"));
    m_filter->addItem(tr("All alerts"));
    m_filter->addItem(tr("Firing"));
    m_filter->addItem(tr("Critical"));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("alertsSummary"));
    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("alertsTable"));
    m_table->setHorizontalHeaderLabels({tr("Time"), tr("Level"), tr("Alert"), tr("Block")});
    m_table->horizontalHeader()->setSectionResizeMode(Message, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_acknowledge = new QPushButton(tr("Acknowledge"), this);
    m_acknowledge->setObjectName(QStringLiteral("alertAcknowledge"));
    m_snooze = new QPushButton(tr("Snooze 1 h"), this);
    m_snooze->setObjectName(QStringLiteral("alertSnooze"));
    m_show = new QPushButton(tr("Show position"), this);
    m_show->setObjectName(QStringLiteral("alertShowPosition"));

    auto* top = new QHBoxLayout;
    top->addWidget(m_filter);
    top->addWidget(m_summary, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_acknowledge);
    buttons->addWidget(m_snooze);
    buttons->addWidget(m_show);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);

    connect(m_filter, &QComboBox::currentIndexChanged, this, &AlertsPane::refilter);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &AlertsPane::updateButtons);
    connect(m_acknowledge, &QPushButton::clicked, this, [this] {
        const QString id = selectedId();
        if (id.isEmpty()) return;
        markAcknowledged(id);
        Q_EMIT acknowledgeRequested(id);
    });
    connect(m_snooze, &QPushButton::clicked, this, [this] {
        if (const QString id = selectedId(); !id.isEmpty()) Q_EMIT snoozeRequested(id);
    });
    connect(m_show, &QPushButton::clicked, this, [this] {
        const QString id = selectedId();
        const auto row = std::find_if(m_rows.begin(), m_rows.end(), [&](const Row& r) { return QString::fromStdString(r.alert.id) == id; });
        if (row != m_rows.end() && row->alert.position) Q_EMIT showPositionRequested(QString::fromStdString(*row->alert.position));
    });
    refilter();
}

void AlertsPane::addEvents(const std::vector<Alert>& events, qint64 now)
{
    // Within a block the critical ones end on top: inserted last.
    std::vector<Alert> ordered = events;
    std::stable_sort(ordered.begin(), ordered.end(), [](const Alert& a, const Alert& b) { return int(a.severity) < int(b.severity); });
    for (const Alert& event : ordered) {
        const auto same = std::find_if(m_rows.begin(), m_rows.end(), [&](const Row& r) { return r.alert.id == event.id; });
        bool acknowledged = event.acknowledged;
        if (same != m_rows.end()) {
            // An escalation keeps the acknowledgement; a new severity or a resolution is news.
            acknowledged = same->acknowledged && event.escalation;
            m_rows.erase(same);
        }
        m_rows.insert(m_rows.begin(), Row{event, now, acknowledged});
    }
    refilter();
    Q_EMIT firingCountChanged(firingCount());  // the critical count may move with the same total
}

int AlertsPane::firingCount() const
{
    return static_cast<int>(std::count_if(m_rows.begin(), m_rows.end(), [](const Row& r) { return r.alert.state == AlertState::Firing; }));
}

int AlertsPane::criticalCount() const
{
    return static_cast<int>(std::count_if(m_rows.begin(), m_rows.end(), [](const Row& r) {
        return r.alert.state == AlertState::Firing && r.alert.severity == Severity::Critical;
    }));
}

void AlertsPane::markAcknowledged(const QString& id)
{
    for (auto& row : m_rows)
        if (QString::fromStdString(row.alert.id) == id) row.acknowledged = true;
    refilter();
}

QString AlertsPane::selectedId() const
{
    const auto selected = m_table->selectionModel()->selectedRows();
    if (selected.isEmpty()) return {};
    return m_table->item(selected.first().row(), When)->data(Qt::UserRole).toString();
}

void AlertsPane::refilter()
{
    const QString keep = selectedId();
    const int filter = m_filter->currentIndex();
    m_table->setRowCount(0);
    int critical = 0;
    for (const Row& row : m_rows) {
        const bool firing = row.alert.state == AlertState::Firing;
        critical += firing && row.alert.severity == Severity::Critical;
        if (filter == Firing && !firing) continue;
        if (filter == Critical && !(firing && row.alert.severity == Severity::Critical)) continue;
        const int at = m_table->rowCount();
        m_table->insertRow(at);
        const QString level = !firing ? tr("resolved") : QString::fromUtf8(to_string(row.alert.severity)) + (row.acknowledged ? tr(" (seen)") : QString());
        const QStringList cells{QDateTime::fromSecsSinceEpoch(row.at).toString(QStringLiteral("HH:mm:ss")), level, QString::fromStdString(row.alert.message),
                                QString::number(row.alert.block)};
        for (int column = 0; column < ColumnCount; ++column) {
            auto* item = new QTableWidgetItem(cells[column]);
            item->setToolTip(QString::fromStdString(row.alert.message));
            if (column == When) item->setData(Qt::UserRole, QString::fromStdString(row.alert.id));
            if (!firing) {
                item->setForeground(QBrush(QColor(0x9e, 0x9e, 0x9e)));
            } else if (column == Level) {
                item->setForeground(QBrush(colour_of(row.alert.severity)));
                QFont font = item->font();
                font.setBold(!row.acknowledged);
                item->setFont(font);
            }
            m_table->setItem(at, column, item);
        }
        if (QString::fromStdString(row.alert.id) == keep) m_table->selectRow(at);
    }
    m_table->resizeColumnToContents(When);
    m_table->resizeColumnToContents(Level);
    m_summary->setText(tr("%1 firing, %2 critical").arg(firingCount()).arg(critical));
    updateButtons();
}

void AlertsPane::updateButtons()
{
    const QString id = selectedId();
    const auto row = std::find_if(m_rows.begin(), m_rows.end(), [&](const Row& r) { return QString::fromStdString(r.alert.id) == id; });
    const bool firing = row != m_rows.end() && row->alert.state == AlertState::Firing;
    m_acknowledge->setEnabled(firing && !row->acknowledged);
    m_snooze->setEnabled(firing);
    m_show->setEnabled(row != m_rows.end() && row->alert.position.has_value());
}

}  // namespace nftterm::ui
