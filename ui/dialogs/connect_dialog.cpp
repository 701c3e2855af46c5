#include "connect_dialog.hpp"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace nftterm::ui {

namespace {

/// The chains a user is likely to name, for the verdict's words.
QString chain_name(quint64 chain)
{
    switch (chain) {
    case 1: return QStringLiteral("Ethereum mainnet");
    case 100: return QStringLiteral("Gnosis");
    case 42161: return QStringLiteral("Arbitrum One");
    case 10: return QStringLiteral("OP Mainnet");
    case 8453: return QStringLiteral("Base");
    case 11155111: return QStringLiteral("Sepolia");
    case 31337: return QStringLiteral("a local devnet");
    default: return {};
    }
}

QString chain_words(quint64 chain)
{
    const QString name = chain_name(chain);
    return name.isEmpty() ? QObject::tr("chain %1").arg(chain) : QObject::tr("chain %1 (%2)").arg(chain).arg(name);
}

}  // namespace

ConnectDialog::ConnectDialog(QList<RegistryChoice> registries, QWidget* parent) : QDialog(parent), m_registries(std::move(registries))
{
    setObjectName(QStringLiteral("connectDialog"));
    setWindowTitle(tr("Connect to a node"));
    auto* intro = new QLabel(tr("Your own node or a provider's JSON-RPC endpoint (https://…; plain http only on this machine). "
                                "The terminal only reads from it until you sign something, and asks you first."),
                             this);
    intro->setWordWrap(true);

    m_endpoint = new QLineEdit(this);
    m_endpoint->setObjectName(QStringLiteral("connectEndpoint"));
    m_endpoint->setPlaceholderText(QStringLiteral("https://eth-mainnet.example.com/v2/KEY"));
    m_check = new QPushButton(tr("Check"), this);
    m_check->setObjectName(QStringLiteral("connectCheck"));
    m_check->setEnabled(false);
    auto* endpoint_row = new QHBoxLayout;
    endpoint_row->addWidget(m_endpoint, 1);
    endpoint_row->addWidget(m_check);

    m_node = new QLabel(tr("Not checked yet."), this);
    m_node->setObjectName(QStringLiteral("connectNode"));
    m_node->setWordWrap(true);

    m_registry = new QComboBox(this);
    m_registry->setObjectName(QStringLiteral("connectRegistry"));
    for (const auto& choice : m_registries) m_registry->addItem(tr("%1 — %2").arg(choice.name, chain_words(choice.chain_id)));
    m_registry->addItem(tr("Other file…"));

    m_verdict = new QLabel(this);
    m_verdict->setObjectName(QStringLiteral("connectVerdict"));
    m_verdict->setWordWrap(true);
    // Room for the longest verdict (a chain mismatch) from the start: the dialog does not grow under the user.
    m_verdict->setMinimumHeight(m_verdict->fontMetrics().lineSpacing() * 3);

    auto* form = new QFormLayout;
    form->addRow(tr("Node"), endpoint_row);
    form->addRow(QString(), m_node);
    form->addRow(tr("Registry"), m_registry);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_connect = buttons->addButton(tr("Connect"), QDialogButtonBox::AcceptRole);
    m_connect->setObjectName(QStringLiteral("connectAccept"));
    m_connect->setEnabled(false);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_verdict);
    layout->addStretch(1);
    layout->addWidget(buttons);
    resize(620, sizeHint().height());

    connect(m_endpoint, &QLineEdit::textEdited, this, &ConnectDialog::endpointEdited);
    connect(m_endpoint, &QLineEdit::returnPressed, m_check, &QPushButton::click);
    connect(m_check, &QPushButton::clicked, this, [this] {
        m_checked_endpoint = endpoint();
        m_answer = {};
        m_check->setEnabled(false);
        m_node->setText(tr("Asking %1 …").arg(m_checked_endpoint));
        updateVerdict();
        Q_EMIT checkRequested(m_checked_endpoint);
    });
    connect(m_registry, &QComboBox::activated, this, &ConnectDialog::registryPicked);
    updateVerdict();
}

QString ConnectDialog::endpoint() const
{
    return m_endpoint->text().trimmed();
}

RegistryChoice ConnectDialog::registry() const
{
    const int index = m_registry->currentIndex();
    return index >= 0 && index < m_registries.size() ? m_registries[index] : RegistryChoice{};
}

void ConnectDialog::endpointEdited()
{
    // Another address: the last answer was not its answer.
    m_answer = {};
    m_checked_endpoint.clear();
    m_check->setEnabled(!endpoint().isEmpty());
    m_node->setText(tr("Not checked yet."));
    updateVerdict();
}

void ConnectDialog::showAnswer(const NodeAnswer& answer)
{
    m_answer = answer;
    m_check->setEnabled(!endpoint().isEmpty());
    if (!answer.ok) {
        m_node->setText(tr("No answer we can use: %1").arg(answer.error));
    } else {
        m_node->setText(tr("%1, block %2%3")
                            .arg(chain_words(answer.chain_id), QLocale::system().toString(answer.block),
                                 answer.client.isEmpty() ? QString() : tr(", %1").arg(answer.client)));
        // The registry for the node's chain, when the terminal has one.
        for (int i = 0; i < m_registries.size(); ++i)
            if (m_registries[i].chain_id == answer.chain_id && registry().chain_id != answer.chain_id) m_registry->setCurrentIndex(i);
    }
    updateVerdict();
}

void ConnectDialog::registryPicked(int index)
{
    if (index < m_registries.size()) {
        updateVerdict();
        return;
    }
    const QString file = QFileDialog::getOpenFileName(this, tr("Registry"), {}, tr("Registry (*.json)"));
    if (!file.isEmpty()) Q_EMIT registryFileChosen(file);
    else m_registry->setCurrentIndex(0);
    updateVerdict();
}

void ConnectDialog::addRegistry(const RegistryChoice& choice)
{
    m_registries.append(choice);
    m_registry->insertItem(m_registries.size() - 1, tr("%1 — %2").arg(choice.name, chain_words(choice.chain_id)));
    m_registry->setCurrentIndex(m_registries.size() - 1);
    updateVerdict();
}

void ConnectDialog::showProblem(const QString& text)
{
    m_verdict->setText(text);
    m_verdict->setStyleSheet(QStringLiteral("color: #b3261e;"));
    if (m_registry->currentIndex() >= m_registries.size()) m_registry->setCurrentIndex(0);
}

void ConnectDialog::updateVerdict()
{
    const RegistryChoice chosen = registry();
    const bool checked = m_answer.ok && m_checked_endpoint == endpoint();
    QString text;
    bool good = false;
    if (endpoint().isEmpty()) {
        text = tr("Enter the node's address, then Check.");
    } else if (!checked) {
        text = m_answer.error.isEmpty() ? tr("Check the node before connecting.") : QString();
    } else if (chosen.path.isEmpty()) {
        text = tr("Pick a registry for %1.").arg(chain_words(m_answer.chain_id));
    } else if (chosen.chain_id != m_answer.chain_id) {
        QString matching;
        for (const auto& choice : m_registries)
            if (choice.chain_id == m_answer.chain_id) matching = choice.name;
        text = tr("The node is on %1 but the registry \"%2\" is for %3: ").arg(chain_words(m_answer.chain_id), chosen.name, chain_words(chosen.chain_id))
             + (matching.isEmpty() ? tr("no registry shipped with the terminal is for this chain; pick a registry file for it, or another node.")
                                   : tr("pick \"%1\".").arg(matching));
    } else {
        text = tr("Ready: the terminal will start again on this node with the %1 registry (and keep them as your settings).").arg(chosen.name);
        good = true;
    }
    m_verdict->setText(text);
    m_verdict->setStyleSheet(good ? QString() : QStringLiteral("color: #8a5300;"));
    m_connect->setEnabled(good);
}

}  // namespace nftterm::ui
