#include "../support/anvil_node.hpp"
#include "../support/loopback.hpp"

#include <app/connect_controller.hpp>
#include <app/node_check.hpp>
#include <app/settings_controller.hpp>
#include <ui/dialogs/connect_dialog.hpp>
#include <ui/main_window.hpp>

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "../support/test_registry.hpp"

using namespace nftterm;
using nftterm::tests::AnvilNode;

namespace {

QString q(const std::string& text)
{
    return QString::fromStdString(text);
}

/// The head block number the node itself reports.
quint64 node_head(const AnvilNode& node)
{
    const auto answer = QJsonDocument::fromJson(QByteArray::fromStdString(node.rpc("eth_blockNumber", "[]"))).object();
    return answer.value(QStringLiteral("result")).toString().toULongLong(nullptr, 16);
}

}  // namespace

/// The first run's Connect to a node, against a real anvil: what the check
/// reads from the node, what it refuses, and that Connect waits for a
/// registry of the node's chain before it saves anything.
class ConnectNodeTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_node = std::make_unique<AnvilNode>("--chain-id 100");
        QVERIFY2(m_node->running(), m_node->error().c_str());
        m_node->rpc("anvil_mine", "[\"0x7\"]");
    }

    void theCheckReadsTheNodesChainHeadAndSoftware()
    {
        const auto answer = app::check_node(q(m_node->url()));
        QVERIFY2(answer.ok, qPrintable(answer.error));
        QCOMPARE(answer.chain_id, quint64(100));
        QCOMPARE(answer.block, node_head(*m_node));
        QVERIFY2(answer.client.contains(QStringLiteral("anvil"), Qt::CaseInsensitive), qPrintable(answer.client));
    }

    void aNodeThatIsNotThereOrNotSafeSaysWhy()
    {
        const auto closed = app::check_node(QStringLiteral("http://127.0.0.1:%1").arg(tests::free_loopback_port()));
        QVERIFY(!closed.ok);
        QVERIFY2(!closed.error.isEmpty(), "no reason given");
        // Plain http to another machine is refused before anything is sent; other schemes too.
        const auto insecure = app::check_node(QStringLiteral("http://eth.example.com"));
        QVERIFY(!insecure.ok);
        QVERIFY2(insecure.error.contains(QStringLiteral("https")), qPrintable(insecure.error));
        QVERIFY(!app::check_node(QStringLiteral("file:///etc/passwd")).ok);
    }

    void theShippedRegistriesAreOfferedWithTheirChains()
    {
        const auto shipped = app::shipped_registries();
        QVERIFY(shipped.size() >= 2);
        QCOMPARE(shipped.front().chain_id, quint64(1));  // Ethereum mainnet first
        QVERIFY(std::any_of(shipped.begin(), shipped.end(), [](const auto& r) { return r.chain_id == 100; }));
        for (const auto& registry : shipped) QVERIFY2(QFile::exists(registry.path), qPrintable(registry.path));
        QVERIFY(!app::read_registry_file(QStringLiteral("/nonexistent.json")).error.isEmpty());
    }

    void connectWaitsForARegistryOfTheNodesChainThenSavesBoth()
    {
        QTemporaryDir dir;
        QSettings stored(dir.filePath(QStringLiteral("nftterm.conf")), QSettings::IniFormat);
        ui::MainWindow window;
        ui::TerminalSettings current;
        current.endpoints[100] = QStringLiteral("https://rpc.gnosischain.com");
        app::SettingsController settings(window, stored, current, {});
        app::ConnectController controller(window, &settings, {QStringLiteral("--registry"), QStringLiteral("/old.json"), QStringLiteral("--quit-after"), QStringLiteral("5")});
        QSignalSpy restart(&controller, &app::ConnectController::restartRequested);
        controller.open();
        auto* dialog = controller.dialog();
        QVERIFY(dialog);
        auto* accept = dialog->findChild<QPushButton*>(QStringLiteral("connectAccept"));
        QVERIFY(!accept->isEnabled());

        // The check runs off the GUI thread and the answer comes back to the dialog.
        QTest::keyClicks(dialog->findChild<QLineEdit*>(QStringLiteral("connectEndpoint")), q(m_node->url()));
        dialog->findChild<QPushButton*>(QStringLiteral("connectCheck"))->click();
        auto* node = dialog->findChild<QLabel*>(QStringLiteral("connectNode"));
        QTRY_VERIFY2_WITH_TIMEOUT(node->text().contains(QStringLiteral("chain 100")), qPrintable(node->text()), 15000);
        // Gnosis ships a registry: it is chosen for the node's chain, and Connect is ready.
        QCOMPARE(dialog->registry().chain_id, quint64(100));
        QVERIFY(accept->isEnabled());
        // For the docs and a person's look (run under Xvfb with NFTTERM_SHOT_DIR set).
        if (const QString shots = qEnvironmentVariable("NFTTERM_SHOT_DIR"); !shots.isEmpty())
            dialog->grab().save(shots + QStringLiteral("/connect.png"));

        // Another endpoint typed: its answer is unknown until checked again.
        QTest::keyClick(dialog->findChild<QLineEdit*>(QStringLiteral("connectEndpoint")), Qt::Key_Backspace);
        QVERIFY(!accept->isEnabled());
        QTest::keyClicks(dialog->findChild<QLineEdit*>(QStringLiteral("connectEndpoint")), q(m_node->url().substr(m_node->url().size() - 1)));
        dialog->findChild<QPushButton*>(QStringLiteral("connectCheck"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(accept->isEnabled(), 15000);

        // A registry of another chain: Connect waits, and says which one fits.
        const QString mainnet = app::shipped_registries().front().path;
        dialog->addRegistry(app::read_registry_file(mainnet).choice);
        QVERIFY(!accept->isEnabled());
        QVERIFY2(dialog->findChild<QLabel*>(QStringLiteral("connectVerdict"))->text().contains(QStringLiteral("chain 1 ")),
                 qPrintable(dialog->findChild<QLabel*>(QStringLiteral("connectVerdict"))->text()));
        QCOMPARE(restart.count(), 0);
        QVERIFY(stored.allKeys().isEmpty());

        // Back to Gnosis's: Connect saves the node first for its chain (the old endpoint kept behind it) and the registry.
        const auto shipped = app::shipped_registries();
        const auto gnosis = std::find_if(shipped.begin(), shipped.end(), [](const auto& r) { return r.chain_id == 100; });
        dialog->addRegistry(*gnosis);
        QVERIFY(accept->isEnabled());
        accept->click();
        QCOMPARE(restart.count(), 1);
        stored.sync();
        const auto saved = ui::TerminalSettings::load(stored);
        QCOMPARE(saved.endpoints.value(100), q(m_node->url()) + QStringLiteral(" https://rpc.gnosischain.com"));
        QCOMPARE(saved.registry, gnosis->path);
        // The terminal starts again without the old --registry: the settings name the node now.
        QCOMPARE(restart.front().front().toStringList(), (QStringList{QStringLiteral("--quit-after"), QStringLiteral("5")}));
    }

private:
    std::unique_ptr<AnvilNode> m_node;
};

NFTTERM_TEST_WIDGETS(ConnectNodeTest)
#include "connect_node_test.moc"
