#include "settings_dialog.hpp"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <cmath>

namespace nftterm::ui {

namespace {

QDoubleSpinBox* decimal(QWidget* parent, const char* name, double value, double low, double high, int decimals, const QString& suffix = {})
{
    auto* box = new QDoubleSpinBox(parent);
    box->setObjectName(QString::fromLatin1(name));
    box->setDecimals(decimals);
    box->setRange(low, high);
    box->setSingleStep(std::pow(10.0, -std::min(decimals, 2)));
    box->setValue(value);
    box->setSuffix(suffix);
    return box;
}

QSpinBox* whole(QWidget* parent, const char* name, int value, int low, int high, const QString& suffix)
{
    auto* box = new QSpinBox(parent);
    box->setObjectName(QString::fromLatin1(name));
    box->setRange(low, high);
    box->setValue(value);
    box->setSuffix(suffix);
    return box;
}

QWidget* form_page(QWidget* parent, const QString& explanation, const std::vector<std::pair<QString, QWidget*>>& rows)
{
    auto* page = new QWidget(parent);
    auto* form = new QFormLayout(page);
    auto* text = new QLabel(explanation, page);
    text->setWordWrap(true);
    form->addRow(text);
    for (const auto& [name, field] : rows) form->addRow(name, field);
    return page;
}

}  // namespace

SettingsDialog::SettingsDialog(const TerminalSettings& settings, QWidget* parent) : QDialog(parent), m_initial(settings)
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));
    setMinimumWidth(620);
    const auto& t = settings.thresholds;

    // Network: endpoints per chain and the registry.
    m_endpoints = new QTableWidget(0, 2, this);
    m_endpoints->setObjectName(QStringLiteral("settingsEndpoints"));
    m_endpoints->setHorizontalHeaderLabels({tr("Chain id"), tr("JSON-RPC endpoints")});
    m_endpoints->horizontalHeaderItem(1)->setToolTip(
        tr("One or more URLs separated by spaces: the first serves, the others take over when it fails and confirm a critical alert before it fires."));
    m_endpoints->horizontalHeader()->setStretchLastSection(true);
    m_endpoints->verticalHeader()->hide();
    for (auto it = settings.endpoints.begin(); it != settings.endpoints.end(); ++it) {
        const int row = m_endpoints->rowCount();
        m_endpoints->insertRow(row);
        m_endpoints->setItem(row, 0, new QTableWidgetItem(QString::number(it.key())));
        m_endpoints->setItem(row, 1, new QTableWidgetItem(it.value()));
    }
    auto* add = new QPushButton(tr("Add endpoint"), this);
    auto* remove = new QPushButton(tr("Remove"), this);
    connect(add, &QPushButton::clicked, this, [this] {
        const int row = m_endpoints->rowCount();
        m_endpoints->insertRow(row);
        m_endpoints->setItem(row, 0, new QTableWidgetItem(QStringLiteral("1")));
        m_endpoints->setItem(row, 1, new QTableWidgetItem(QStringLiteral("https://")));
        m_endpoints->editItem(m_endpoints->item(row, 1));
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_endpoints->currentRow() >= 0) m_endpoints->removeRow(m_endpoints->currentRow());
    });
    m_registry = new QLineEdit(settings.registry, this);
    m_registry->setObjectName(QStringLiteral("settingsRegistry"));
    m_registry->setPlaceholderText(tr("empty: the local devnet's manifest"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Registry"), {}, tr("Registry (*.json)"));
        if (!file.isEmpty()) m_registry->setText(file);
    });
    auto* network = new QWidget(this);
    auto* network_layout = new QVBoxLayout(network);
    auto* network_note = new QLabel(tr("The endpoints for a registry's chain are used unless --rpc-url is given. Several, separated by spaces: the first serves, the others take over when it fails and confirm a critical alert before it fires. Network changes apply at the next start."), network);
    network_note->setWordWrap(true);
    network_layout->addWidget(network_note);
    network_layout->addWidget(m_endpoints, 1);
    auto* endpoint_buttons = new QHBoxLayout;
    endpoint_buttons->addWidget(add);
    endpoint_buttons->addWidget(remove);
    endpoint_buttons->addStretch(1);
    network_layout->addLayout(endpoint_buttons);
    auto* registry_row = new QHBoxLayout;
    registry_row->addWidget(new QLabel(tr("Registry"), network));
    registry_row->addWidget(m_registry, 1);
    registry_row->addWidget(browse);
    network_layout->addLayout(registry_row);
    m_insecure_http = new QCheckBox(tr("Allow plain http:// to a node on another machine (anyone on the way could change what it says)"), network);
    m_insecure_http->setObjectName(QStringLiteral("settingsInsecureHttp"));
    m_insecure_http->setChecked(settings.allow_insecure_http);
    network_layout->addWidget(m_insecure_http);
    m_max_response = whole(this, "settingsMaxResponse", settings.max_response_mb, 1, 4096, tr(" MiB"));
    auto* response_row = new QHBoxLayout;
    response_row->addWidget(new QLabel(tr("Refuse an answer from a node larger than"), network));
    response_row->addWidget(m_max_response);
    response_row->addStretch(1);
    network_layout->addLayout(response_row);

    m_health_warning = decimal(this, "settingsHealthWarning", t.health_warning, 1.0, 10.0, 3);
    m_health_critical = decimal(this, "settingsHealthCritical", t.health_critical, 1.0, 10.0, 3);
    m_margin_warning = decimal(this, "settingsMarginWarning", t.margin_warning * 100, 0.1, 100, 2, QStringLiteral(" %"));
    m_margin_critical = decimal(this, "settingsMarginCritical", t.margin_critical * 100, 0.1, 100, 2, QStringLiteral(" %"));
    m_maturity_warning = decimal(this, "settingsMaturityWarning", t.maturity_warning_days, 0, 365, 1, tr(" days"));
    m_maturity_critical = decimal(this, "settingsMaturityCritical", t.maturity_critical_days, 0, 365, 1, tr(" days"));
    m_health_target = decimal(this, "settingsHealthTarget", settings.health_target, 1.01, 20, 3);
    m_margin_target = decimal(this, "settingsMarginTarget", settings.margin_target * 100, 1, 100, 2, QStringLiteral(" %"));
    m_poll = whole(this, "settingsPoll", settings.poll_ms, 50, 60000, QStringLiteral(" ms"));
    m_heartbeat = whole(this, "settingsHeartbeat", settings.history_heartbeat_s, 0, 86400, QStringLiteral(" s"));
    m_retention = whole(this, "settingsRetention", settings.history_retention_days, 1, 3650, tr(" days"));
    m_auto_lock = whole(this, "settingsAutoLock", settings.auto_lock_s, 0, 86400, QStringLiteral(" s"));
    m_auto_lock->setSpecialValueText(tr("never keep unlocked"));
    m_max_fee_per_gas = decimal(this, "settingsMaxFeePerGas", settings.max_fee_per_gas_gwei, 0.001, 100000, 3, tr(" gwei"));
    m_max_fee = decimal(this, "settingsMaxFee", settings.max_fee_eth, 0.000001, 100, 6, tr(" ETH"));

    m_alert_desktop = new QCheckBox(tr("Show alerts as desktop notifications"), this);
    m_alert_desktop->setObjectName(QStringLiteral("settingsAlertDesktop"));
    m_alert_desktop->setChecked(settings.alert_desktop);
    m_alert_webhook = new QLineEdit(settings.alert_webhook, this);
    m_alert_webhook->setObjectName(QStringLiteral("settingsAlertWebhook"));
    m_alert_webhook->setPlaceholderText(QStringLiteral("https://hooks.example/nftterm"));
    m_alert_command = new QLineEdit(settings.alert_command, this);
    m_alert_command->setObjectName(QStringLiteral("settingsAlertCommand"));
    m_alert_command->setPlaceholderText(tr("a shell command; the alert JSON comes on its stdin"));
    m_alert_escalate = whole(this, "settingsAlertEscalate", settings.alert_escalate_minutes, 1, 1440, tr(" min"));
    m_alert_quiet_from = whole(this, "settingsAlertQuietFrom", settings.alert_quiet_from, 0, 23, tr(":00"));
    m_alert_quiet_to = whole(this, "settingsAlertQuietTo", settings.alert_quiet_to, 0, 23, tr(":00"));
    m_alert_sound = new QCheckBox(tr("Sound the bell for each critical alert"), this);
    m_alert_sound->setObjectName(QStringLiteral("settingsAlertSound"));
    m_alert_sound->setChecked(settings.alert_sound);

    auto* tabs = new QTabWidget(this);
    tabs->addTab(network, tr("Network"));
    tabs->addTab(form_page(this, tr("Where a position turns from safe to warning to critical: colours, the at-risk filter and the chart levels."),
                           {{tr("Health factor: warning below"), m_health_warning},
                            {tr("Health factor: critical below"), m_health_critical},
                            {tr("Margin ratio: warning below"), m_margin_warning},
                            {tr("Margin ratio: critical below"), m_margin_critical},
                            {tr("Fixed-term loan: warning within"), m_maturity_warning},
                            {tr("Fixed-term loan: critical within"), m_maturity_critical}}),
                 tr("Risk"));
    tabs->addTab(form_page(this, tr("What a top-up restores by default (each dialog can change it)."),
                           {{tr("Target health factor"), m_health_target}, {tr("Target margin ratio"), m_margin_target}}),
                 tr("Top-up"));
    tabs->addTab(form_page(this, tr("The head is polled this often; a refresh runs only for a new block. History keeps a changing position at least this often, "
                                    "and at once when it moves by 0.2 %."),
                           {{tr("Poll the node every"), m_poll}, {tr("History heartbeat"), m_heartbeat}, {tr("Keep history for"), m_retention}}),
                 tr("Refresh"));
    tabs->addTab(form_page(this, tr("After a keystore is unlocked for a top-up, it stays open for the next one until it has been unused this long; "
                                    "then its key is wiped from memory. Wallet ▸ Lock keystores (Ctrl+L) locks them at once. "
                                    "Whatever the node says fees are, nothing is signed above the fee ceilings below."),
                           {{tr("Lock keystores after"), m_auto_lock},
                            {tr("Never sign above, per gas"), m_max_fee_per_gas},
                            {tr("Never sign a fee above"), m_max_fee}}),
                 tr("Security"));
    tabs->addTab(form_page(this, tr("An alert fires when a position crosses the Risk levels (or is due, in auction, valued on a stale price…) and again when it "
                                    "resolves. Each goes to the Alerts dock and to the channels below; the webhook and the command run off the monitor's "
                                    "thread, retried with backoff. The headless watcher is nftterm-cli alerts."),
                           {{QString(), m_alert_desktop},
                            {tr("Webhook (POST the JSON)"), m_alert_webhook},
                            {tr("Command"), m_alert_command},
                            {tr("Notify a critical alert again every"), m_alert_escalate},
                            {tr("Quiet hours (only critical alerts) from"), m_alert_quiet_from},
                            {tr("to"), m_alert_quiet_to},
                            {QString(), m_alert_sound}}),
                 tr("Alerts"));

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("settingsStatus"));
    m_status->setWordWrap(true);
    m_status->setStyleSheet(QStringLiteral("color: #e53935;"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("settingsOk"));
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::apply);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(tabs);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
}

TerminalSettings SettingsDialog::settings() const
{
    TerminalSettings out = m_initial;
    out.endpoints.clear();
    for (int row = 0; row < m_endpoints->rowCount(); ++row) {
        const auto* chain = m_endpoints->item(row, 0);
        const auto* url = m_endpoints->item(row, 1);
        bool ok = false;
        const quint64 id = chain ? chain->text().trimmed().toULongLong(&ok) : 0;
        // A row that is not a chain id keeps a visible place: chain 0 is refused by problem().
        out.endpoints.insert(ok ? id : 0, url ? url->text().trimmed() : QString());
    }
    out.registry = m_registry->text().trimmed();
    out.thresholds.health_warning = m_health_warning->value();
    out.thresholds.health_critical = m_health_critical->value();
    out.thresholds.margin_warning = m_margin_warning->value() / 100;
    out.thresholds.margin_critical = m_margin_critical->value() / 100;
    out.thresholds.maturity_warning_days = m_maturity_warning->value();
    out.thresholds.maturity_critical_days = m_maturity_critical->value();
    out.health_target = m_health_target->value();
    out.margin_target = m_margin_target->value() / 100;
    out.poll_ms = m_poll->value();
    out.history_heartbeat_s = m_heartbeat->value();
    out.history_retention_days = m_retention->value();
    out.auto_lock_s = m_auto_lock->value();
    out.max_fee_per_gas_gwei = m_max_fee_per_gas->value();
    out.max_fee_eth = m_max_fee->value();
    out.allow_insecure_http = m_insecure_http->isChecked();
    out.max_response_mb = m_max_response->value();
    out.alert_desktop = m_alert_desktop->isChecked();
    out.alert_webhook = m_alert_webhook->text().trimmed();
    out.alert_command = m_alert_command->text().trimmed();
    out.alert_escalate_minutes = m_alert_escalate->value();
    out.alert_quiet_from = m_alert_quiet_from->value();
    out.alert_quiet_to = m_alert_quiet_to->value();
    out.alert_sound = m_alert_sound->isChecked();
    return out;
}

QString SettingsDialog::problem(const TerminalSettings& settings) const
{
    const auto& t = settings.thresholds;
    if (t.health_critical >= t.health_warning) return tr("The critical health factor must be below the warning one.");
    if (t.margin_critical >= t.margin_warning) return tr("The critical margin ratio must be below the warning one.");
    if (t.maturity_critical_days >= t.maturity_warning_days) return tr("The critical time to maturity must be shorter than the warning one.");
    for (auto it = settings.endpoints.begin(); it != settings.endpoints.end(); ++it) {
        if (it.key() == 0) return tr("Each endpoint needs a chain id (a whole number above 0).");
        // Several endpoints per chain, separated by spaces or commas: the first serves, the others take over and confirm.
        const QStringList urls = it.value().split(QRegularExpression(QStringLiteral("[\\s,]+")), Qt::SkipEmptyParts);
        if (urls.isEmpty()) return tr("The endpoint for chain %1 is empty.").arg(it.key());
        for (const QString& text : urls) {
            const QUrl url(text, QUrl::StrictMode);
            const QString scheme = url.scheme();
            if (!url.isValid() || url.host().isEmpty() || (scheme != u"http" && scheme != u"https" && scheme != u"ws" && scheme != u"wss"))
                return tr("The endpoint for chain %1 is not an http(s) or ws(s) URL: %2").arg(it.key()).arg(text);
        }
    }
    if (!settings.alert_webhook.isEmpty()) {
        const QUrl hook(settings.alert_webhook, QUrl::StrictMode);
        if (!hook.isValid() || hook.host().isEmpty() || (hook.scheme() != u"http" && hook.scheme() != u"https"))
            return tr("The webhook is not an http(s) URL: %1").arg(settings.alert_webhook);
    }
    return {};
}

void SettingsDialog::apply()
{
    const TerminalSettings chosen = settings();
    if (const QString why = problem(chosen); !why.isEmpty()) {
        m_status->setText(why);
        return;
    }
    Q_EMIT applied(chosen);
    accept();
}

}  // namespace nftterm::ui
