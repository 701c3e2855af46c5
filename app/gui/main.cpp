#include <app/action_controller.hpp>
#include <app/history_service.hpp>
#include <app/monitor_bridge.hpp>
#include <app/terminal_setup.hpp>
#include <app/terminal_wiring.hpp>
#include <ui/models/position_table_model.hpp>
#include <ui/main_window.hpp>

#include <wallet/accounts/account_store.hpp>

#include <curl/curl.h>

#include <QApplication>
#include <QGuiApplication>
#include <QScreen>
#include <QCommandLineParser>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>

#include <memory>

using namespace nftterm;

int main(int argc, char** argv)
{
    // libcurl is set up once, before any thread starts (curl_easy_init(3)).
    curl_global_init(CURL_GLOBAL_DEFAULT);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("nftterm"));
    QApplication::setApplicationName(QStringLiteral("nftterm"));
    QApplication::setApplicationVersion(QStringLiteral(NFTTERM_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Desktop trading terminal for NFT margin positions"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption registry(QStringLiteral("registry"),
                                      QStringLiteral("Where the protocols live (a registry or devnet manifest; default: the devnet's)."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption rpc_url(QStringLiteral("rpc-url"), QStringLiteral("The node (default: the one the devnet manifest names)."),
                                     QStringLiteral("URL"));
    const QCommandLineOption poll(QStringLiteral("poll-ms"), QStringLiteral("How often to look for a new block (default 1000)."),
                                  QStringLiteral("MS"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"), QStringLiteral("Save a picture of the window to FILE before quitting."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption quit_after(QStringLiteral("quit-after"), QStringLiteral("Quit after SECONDS."), QStringLiteral("SECONDS"));
    const QCommandLineOption top_up(QStringLiteral("top-up"), QStringLiteral("Open the top-up dialog of position ID once it is shown."),
                                    QStringLiteral("ID"));
    const QCommandLineOption select(QStringLiteral("select"), QStringLiteral("Select position ID once it is shown (its details and charts)."),
                                    QStringLiteral("ID"));
    const QCommandLineOption chart(QStringLiteral("chart"), QStringLiteral("Show this chart first: price, health, funding or stress."),
                                   QStringLiteral("NAME"));
    parser.addOptions({registry, rpc_url, poll, screenshot, quit_after, top_up, select, chart});
    parser.process(app);

    ui::MainWindow window;
    QSettings settings;
    window.restoreLayout(settings);

    const auto data_dir = wallet::AccountStore::default_folder();
    const std::filesystem::path registry_file =
        parser.isSet(registry) ? std::filesystem::path(parser.value(registry).toStdString()) : data_dir / "devnet" / "manifest.json";
    const auto url = parser.isSet(rpc_url) ? std::optional<std::string>(parser.value(rpc_url).toStdString()) : std::nullopt;
    auto setup = app::terminal_setup(registry_file, url, data_dir);
    std::unique_ptr<app::MonitorBridge> bridge;
    std::unique_ptr<app::HistoryService> history;
    if (setup) {
        window.setAccounts(setup->accounts);
        window.setNames(setup->collection_symbols, setup->account_labels);
        if (parser.isSet(poll)) setup->monitor.poll_ms = std::max(50, parser.value(poll).toInt());
        bridge = std::make_unique<app::MonitorBridge>(setup->monitor);
        app::connect_monitor(window, *bridge);
        // History: recorded off the GUI thread, read when a position is selected.
        history = std::make_unique<app::HistoryService>(QString::fromStdString((data_dir / "history.sqlite").string()));
        app::connect_history(window, *bridge, *history);
        window.addActivity(QObject::tr("Watching %1 accounts on chain %2").arg(setup->monitor.accounts.size()).arg(setup->monitor.registry.chain_id));
        bridge->start();
        // Owned by the window: one-click top-ups from its rows.
        auto* actions = new app::ActionController(window, setup->monitor.node, setup->monitor.registry, setup->signers, setup->journal);
        if (parser.isSet(select)) {
            const QString id = parser.value(select);
            auto selected = std::make_shared<bool>(false);
            QObject::connect(bridge.get(), &app::MonitorBridge::snapshotReady, &window, [&window, id, selected] {
                if (!*selected) *selected = window.selectPosition(id);
            }, Qt::QueuedConnection);
        }
        if (parser.isSet(top_up)) {
            // Once the position is in the table (the first snapshot), open its dialog.
            const QString id = parser.value(top_up);
            auto opened = std::make_shared<bool>(false);
            QObject::connect(bridge.get(), &app::MonitorBridge::snapshotReady, actions, [&window, actions, id, opened] {
                if (*opened || window.positionModel()->rowOf(id.toStdString()) < 0) return;
                *opened = true;
                actions->openTopUp(id);
            }, Qt::QueuedConnection);
        }
    } else {
        window.setAccounts({});
        window.addActivity(QString::fromStdString(setup.error().message()));
        window.statusBar()->showMessage(QString::fromStdString(setup.error().message()));
    }
    if (parser.isSet(chart)) window.showChart(parser.value(chart));
    window.show();

    if (parser.isSet(quit_after)) {
        bool ok = false;
        const double seconds = parser.value(quit_after).toDouble(&ok);
        const int ms = ok && seconds > 0 ? static_cast<int>(seconds * 1000) : 0;
        const QString file = parser.value(screenshot);
        QTimer::singleShot(ms, &window, [&window, file] {
            // The whole screen on a real (or virtual X) display, so that open dialogs are in the picture.
            auto* screen = QGuiApplication::primaryScreen();
            const bool whole_screen = QGuiApplication::platformName() == QStringLiteral("xcb") && screen;
            if (!file.isEmpty()) (whole_screen ? screen->grabWindow(0) : window.grab()).save(file);
            QApplication::quit();
        });
    }
    const int code = QApplication::exec();
    window.saveLayout(settings);
    bridge.reset();
    history.reset();
    return code;
}
